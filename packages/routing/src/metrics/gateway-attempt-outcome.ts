import type { ChargeResult, DeclineType } from '@aegispay/domain';
import { InvalidPaymentOutcomeError } from '../errors/routing.errors';

/**
 * What happened when a payment was sent to a gateway, as recorded by
 * {@link GatewayMetricsCollector.recordPayment}.
 *
 * `success` says whether **the gateway did its job**: it answered, with an approval or with a
 * decline. A decline is a valid answer from a healthy gateway, so it is recorded as
 * `success: true, declined: true`; only technical failures and unknown outcomes (timeouts,
 * 5xx, refused connections) are `success: false`. The window's `successRate` is therefore gateway
 * health, while `approvalRate` (and the routing engine's approval estimate) still let the
 * gateway that gets more payments approved win. Hard declines (stolen card, closed account) say
 * something about the card, not the gateway: they count for health but are left out of the
 * approval figures. {@link outcomeFromChargeResult} applies these rules to a domain `ChargeResult`.
 */
export interface GatewayAttemptOutcome {
  /** True when the gateway answered (approved or declined); false for technical failures and unknown outcomes. */
  readonly success: boolean;
  /** Time the attempt took, in milliseconds (failed and timed-out attempts included). */
  readonly latency: number;
  /** Amount of the payment, in minor units of its currency. */
  readonly amount: number;
  /** What the gateway charged for the attempt, in minor units. Omit when unknown. */
  readonly cost?: number;
  /** The gateway's error code for a failure, or its decline code for a decline. */
  readonly errorCode?: string;
  /** True when the answer was a decline. Requires `success: true`. Defaults to false. */
  readonly declined?: boolean;
  /** Kind of decline; hard declines are left out of approval figures. Defaults to `SOFT` when `declined`. */
  readonly declineType?: DeclineType;
}

/** Classification of a validated outcome, as the collector stores it. */
export const OutcomeKind = Object.freeze({
  Approved: 0,
  SoftDecline: 1,
  HardDecline: 2,
  Failure: 3,
} as const);

/** One of the {@link OutcomeKind} values. */
export type OutcomeKind = (typeof OutcomeKind)[keyof typeof OutcomeKind];

/**
 * Checks an outcome and classifies it.
 * @throws InvalidPaymentOutcomeError naming the offending field.
 */
export function classifyOutcome(outcome: GatewayAttemptOutcome): OutcomeKind {
  if (typeof outcome !== 'object' || outcome === null) {
    throw new InvalidPaymentOutcomeError('', 'The outcome of a gateway attempt must be an object such as { success, latency, amount }.');
  }
  const { success, latency, amount, cost, errorCode, declined, declineType } = outcome;
  if (typeof success !== 'boolean') throw new InvalidPaymentOutcomeError('success', 'success must be true or false.');
  if (typeof latency !== 'number' || !(latency >= 0) || latency === Infinity) {
    throw new InvalidPaymentOutcomeError('latency', `latency must be a finite number of milliseconds ≥ 0, got ${String(latency)}.`);
  }
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new InvalidPaymentOutcomeError('amount', `amount must be an integer number of minor units ≥ 0, got ${String(amount)}.`);
  }
  // Bounded like amounts, so that the window's cost sums cannot overflow to Infinity.
  if (cost !== undefined && (typeof cost !== 'number' || !(cost >= 0 && cost <= Number.MAX_SAFE_INTEGER))) {
    throw new InvalidPaymentOutcomeError(
      'cost',
      `cost must be a number of minor units between 0 and Number.MAX_SAFE_INTEGER when given, got ${String(cost)}.`,
    );
  }
  if (errorCode !== undefined && (typeof errorCode !== 'string' || errorCode.length === 0 || errorCode.length > 100)) {
    throw new InvalidPaymentOutcomeError('errorCode', 'errorCode must be a string of 1–100 characters when given.');
  }
  if (declined !== undefined && typeof declined !== 'boolean') {
    throw new InvalidPaymentOutcomeError('declined', 'declined must be true or false when given.');
  }
  if (declineType !== undefined && declineType !== 'HARD' && declineType !== 'SOFT') {
    throw new InvalidPaymentOutcomeError('declineType', 'declineType must be "HARD" or "SOFT" when given.');
  }
  if (declined === true) {
    if (!success) {
      throw new InvalidPaymentOutcomeError(
        'declined',
        'A decline is an answer from the gateway: record it with success: true (the gateway did its job) and declined: true.',
      );
    }
    return declineType === 'HARD' ? OutcomeKind.HardDecline : OutcomeKind.SoftDecline;
  }
  if (declineType !== undefined) {
    throw new InvalidPaymentOutcomeError('declineType', 'declineType is only meaningful with declined: true.');
  }
  return success ? OutcomeKind.Approved : OutcomeKind.Failure;
}

/** Measurements that a `ChargeResult` does not carry, supplied by the caller of the gateway. */
export interface OutcomeMeasurements {
  /** Time the attempt took, in milliseconds. */
  readonly latency: number;
  /** Amount of the payment, in minor units. */
  readonly amount: number;
  /** What the gateway charged, in minor units, when known from elsewhere. Defaults to the approval's `fee`. */
  readonly cost?: number;
}

/** A charge result that says how the attempt went: anything but a charge still waiting (pending, awaiting the customer). */
export type DecidedChargeResult = Exclude<ChargeResult, { readonly outcome: 'PENDING' | 'REQUIRES_ACTION' }>;

/**
 * Turns a domain `ChargeResult` into the outcome to record, applying the decline rules of
 * {@link GatewayAttemptOutcome}: `APPROVED` → success; `DECLINED` → success and declined (hard or soft);
 * `TECHNICAL_FAILURE` and `UNKNOWN` → failure (an unknown outcome is recorded as `UNKNOWN_OUTCOME`).
 * A charge still waiting is not an outcome yet: record it once it is decided.
 */
export function outcomeFromChargeResult(result: DecidedChargeResult, measurements: OutcomeMeasurements): GatewayAttemptOutcome {
  const base = { latency: measurements.latency, amount: measurements.amount };
  const cost = measurements.cost;
  switch (result.outcome) {
    case 'APPROVED': {
      const fee = cost ?? result.fee?.amount;
      return fee === undefined ? { ...base, success: true } : { ...base, success: true, cost: fee };
    }
    case 'DECLINED':
      return {
        ...base,
        ...(cost === undefined ? {} : { cost }),
        success: true,
        declined: true,
        declineType: result.declineType,
        errorCode: result.declineCode,
      };
    case 'TECHNICAL_FAILURE':
      return { ...base, ...(cost === undefined ? {} : { cost }), success: false, errorCode: result.errorCode };
    case 'UNKNOWN':
      return { ...base, ...(cost === undefined ? {} : { cost }), success: false, errorCode: 'UNKNOWN_OUTCOME' };
  }
}
