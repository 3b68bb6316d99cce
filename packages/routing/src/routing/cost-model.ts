import { isCurrencyCode, type OptionChecks } from '@aegispay/domain';
import { routingOptionChecks } from '../errors/routing.errors';

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
 * @internal Checks the fee models given as the `costs` option of `owner`.
 * @throws RoutingConfigurationError `ROUTING.INVALID_COST_MODEL` naming the bad field (`costs.STRIPE.percentage`).
 */
export function checkCostModels(costs: Readonly<Record<string, GatewayCostModel>> | undefined, owner: string): ReadonlyMap<string, GatewayCostModel> {
  const checks = routingOptionChecks('ROUTING.INVALID_COST_MODEL', owner);
  const models = new Map<string, GatewayCostModel>();
  for (const [gateway, model] of Object.entries(checks.object('costs', costs, {}))) {
    checkCostModel(checks, model, `costs.${gateway}`);
    models.set(gateway, model);
  }
  return models;
}

function checkCostModel(checks: OptionChecks, model: GatewayCostModel, field: string): void {
  checkSchedule(checks, model, field);
  if (model.currency !== undefined && !isCurrencyCode(model.currency)) {
    throw checks.invalid(`${field}.currency`, 'must be an ISO 4217 currency code such as "USD"', model.currency);
  }
  for (const [currency, schedule] of Object.entries(checks.object(`${field}.byCurrency`, model.byCurrency, {}))) {
    if (!isCurrencyCode(currency)) throw checks.invalid(`${field}.byCurrency`, 'must be keyed by ISO 4217 currency codes such as "EUR"', currency);
    checkSchedule(checks, schedule, `${field}.byCurrency.${currency}`);
  }
}

function checkSchedule(checks: OptionChecks, schedule: GatewayFeeSchedule, field: string): void {
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    throw checks.invalid(field, 'must be a fee schedule such as { percentage: 0.029, fixed: 30 }', schedule);
  }
  const { percentage, fixed } = schedule;
  if (percentage !== undefined && !(typeof percentage === 'number' && percentage >= 0 && percentage < 1)) {
    throw checks.invalid(`${field}.percentage`, 'must be a fraction from 0 to below 1 (0.029 for 2.9 %)', percentage);
  }
  if (fixed !== undefined && !(typeof fixed === 'number' && fixed >= 0 && Number.isFinite(fixed))) {
    throw checks.invalid(`${field}.fixed`, 'must be a finite number of minor units ≥ 0', fixed);
  }
}
