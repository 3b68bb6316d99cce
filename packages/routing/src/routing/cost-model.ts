import { isCurrencyCode } from '@aegispay/domain';
import { RoutingConfigurationError } from '../errors/routing.errors';

/** A fee schedule: a percentage of the amount plus a fixed fee. */
export interface GatewayFeeSchedule {
  /** Share of the amount, as a fraction (0.029 for 2.9 %). Defaults to 0. */
  readonly percentage?: number;
  /** Fixed fee per payment, in minor units of the payment's currency. Defaults to 0. */
  readonly fixed?: number;
}

/**
 * What a gateway charges per payment. `percentage` applies to every currency; `fixed` applies
 * to payments in `currency` (or to every currency when `currency` is omitted); `byCurrency`
 * replaces both for the currencies it names (fixed fees differ per currency: 30 cents is not 30 yen).
 */
export interface GatewayCostModel extends GatewayFeeSchedule {
  /** Currency of `fixed`. When omitted, `fixed` applies to every currency. */
  readonly currency?: string;
  /** Fee schedules for specific currencies (ISO 4217 codes). */
  readonly byCurrency?: Readonly<Record<string, GatewayFeeSchedule>>;
}

/** Expected fee, in minor units, of a payment of `amount` minor units in `currency`. */
export function estimateFee(model: GatewayCostModel, amount: number, currency: string): number {
  const specific = model.byCurrency?.[currency];
  if (specific !== undefined) return (specific.percentage ?? 0) * amount + (specific.fixed ?? 0);
  const fixed = model.currency === undefined || model.currency === currency ? (model.fixed ?? 0) : 0;
  return (model.percentage ?? 0) * amount + fixed;
}

/**
 * Checks a cost model.
 * @throws RoutingConfigurationError `ROUTING.INVALID_COST_MODEL` naming the bad field.
 */
export function validateCostModel(model: GatewayCostModel, field: string): void {
  if (typeof model !== 'object' || model === null) {
    throw new RoutingConfigurationError('ROUTING.INVALID_COST_MODEL', field, `${field} must be an object such as { percentage: 0.029, fixed: 30 }.`);
  }
  validateSchedule(model, field);
  if (model.currency !== undefined && !isCurrencyCode(model.currency)) {
    throw new RoutingConfigurationError('ROUTING.INVALID_COST_MODEL', `${field}.currency`, `${field}.currency must be an ISO 4217 code such as "USD".`);
  }
  for (const [currency, schedule] of Object.entries(model.byCurrency ?? {})) {
    if (!isCurrencyCode(currency)) {
      throw new RoutingConfigurationError('ROUTING.INVALID_COST_MODEL', `${field}.byCurrency`, `${field}.byCurrency keys must be ISO 4217 codes, got "${currency}".`);
    }
    validateSchedule(schedule, `${field}.byCurrency.${currency}`);
  }
}

function validateSchedule(schedule: GatewayFeeSchedule, field: string): void {
  if (typeof schedule !== 'object' || schedule === null) {
    throw new RoutingConfigurationError('ROUTING.INVALID_COST_MODEL', field, `${field} must be an object such as { percentage: 0.029, fixed: 30 }.`);
  }
  const { percentage, fixed } = schedule;
  if (percentage !== undefined && !(typeof percentage === 'number' && percentage >= 0 && percentage < 1)) {
    throw new RoutingConfigurationError(
      'ROUTING.INVALID_COST_MODEL',
      `${field}.percentage`,
      `${field}.percentage must be a fraction in [0, 1) (0.029 for 2.9 %), got ${String(percentage)}.`,
    );
  }
  if (fixed !== undefined && !(typeof fixed === 'number' && fixed >= 0 && Number.isFinite(fixed))) {
    throw new RoutingConfigurationError('ROUTING.INVALID_COST_MODEL', `${field}.fixed`, `${field}.fixed must be a number of minor units ≥ 0, got ${String(fixed)}.`);
  }
}
