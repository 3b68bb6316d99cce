import type { ChargeApproved, ChargeDeclined, ChargeTechnicalFailure, ChargeUnknownOutcome } from '@aegispay/domain';

/** An approved charge. */
export function anApprovedCharge(overrides: Partial<ChargeApproved> = {}): ChargeApproved {
  return { outcome: 'APPROVED', gatewayReference: 'gw_ref_1', ...overrides };
}

/** A soft decline (insufficient funds): a business outcome, healthy gateway. */
export function aDeclinedCharge(overrides: Partial<ChargeDeclined> = {}): ChargeDeclined {
  return { outcome: 'DECLINED', declineCode: 'insufficient_funds', declineType: 'SOFT', ...overrides };
}

/** A retryable technical failure (HTTP 503). */
export function aTechnicalFailure(overrides: Partial<ChargeTechnicalFailure> = {}): ChargeTechnicalFailure {
  return { outcome: 'TECHNICAL_FAILURE', errorCode: 'HTTP_503', retryable: true, ...overrides };
}

/** An unknown outcome (the request may have reached the gateway). */
export function anUnknownOutcome(overrides: Partial<ChargeUnknownOutcome> = {}): ChargeUnknownOutcome {
  return { outcome: 'UNKNOWN', reason: 'read timeout after sending', ...overrides };
}
