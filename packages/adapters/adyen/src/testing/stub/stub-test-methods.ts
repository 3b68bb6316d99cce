import { ADYEN_REFUSAL_REASONS } from '../../gateway/refusal-reasons';

/** What Adyen's test platform answers for a payment, decided by the card's holder name. */
export interface StubDecision {
  readonly resultCode: 'Authorised' | 'Refused' | 'Error' | 'Cancelled' | 'Received' | 'Pending' | 'ChallengeShopper' | 'IdentifyShopper' | 'RedirectShopper';
  readonly refusalReasonCode?: string;
  /** Refunds on this payment are reported REFUNDED, then undone by REFUND_FAILED. */
  readonly refundFails?: boolean;
}

/**
 * Adyen's test convention: the card's holder name picks the answer (resultCode and
 * refusalReasonCode). Source: Adyen docs, "Testing result codes and refusal reasons", table
 * "Values for testing refusal reasons" (holderName → refusalReason, resultCode, code), and "Test
 * failed modifications" (holder name `refund failed`). Any other holder name is authorised, as on
 * Adyen's test platform.
 */
export const ADYEN_TEST_HOLDER_NAMES: Readonly<Record<string, StubDecision>> = {
  APPROVED: { resultCode: 'Authorised' },
  UNKNOWN: { resultCode: 'Error', refusalReasonCode: '0' },
  DECLINED: { resultCode: 'Refused', refusalReasonCode: '2' },
  REFERRAL: { resultCode: 'Refused', refusalReasonCode: '3' },
  ERROR: { resultCode: 'Error', refusalReasonCode: '4' },
  BLOCK_CARD: { resultCode: 'Refused', refusalReasonCode: '5' },
  CARD_EXPIRED: { resultCode: 'Refused', refusalReasonCode: '6' },
  INVALID_AMOUNT: { resultCode: 'Refused', refusalReasonCode: '7' },
  INVALID_CARD_NUMBER: { resultCode: 'Refused', refusalReasonCode: '8' },
  ISSUER_UNAVAILABLE: { resultCode: 'Refused', refusalReasonCode: '9' },
  NOT_SUPPORTED: { resultCode: 'Refused', refusalReasonCode: '10' },
  NOT_3D_AUTHENTICATED: { resultCode: 'Refused', refusalReasonCode: '11' },
  NOT_ENOUGH_BALANCE: { resultCode: 'Refused', refusalReasonCode: '12' },
  PENDING: { resultCode: 'Received' },
  ACQUIRER_FRAUD: { resultCode: 'Refused', refusalReasonCode: '14' },
  CANCELLED: { resultCode: 'Refused', refusalReasonCode: '15' },
  SHOPPER_CANCELLED: { resultCode: 'Refused', refusalReasonCode: '16' },
  INVALID_PIN: { resultCode: 'Refused', refusalReasonCode: '17' },
  PIN_TRIES_EXCEEDED: { resultCode: 'Refused', refusalReasonCode: '18' },
  PIN_VALIDATION_NOT_POSSIBLE: { resultCode: 'Refused', refusalReasonCode: '19' },
  FRAUD: { resultCode: 'Refused', refusalReasonCode: '20' },
  NOT_SUBMITTED: { resultCode: 'Refused', refusalReasonCode: '21' },
  'FRAUD-CANCELLED': { resultCode: 'Cancelled', refusalReasonCode: '22' },
  TRANSACTION_NOT_PERMITTED: { resultCode: 'Refused', refusalReasonCode: '23' },
  CVC_DECLINED: { resultCode: 'Refused', refusalReasonCode: '24' },
  RESTRICTED_CARD: { resultCode: 'Refused', refusalReasonCode: '25' },
  REVOCATION_OF_AUTH: { resultCode: 'Refused', refusalReasonCode: '26' },
  DECLINED_NON_GENERIC: { resultCode: 'Refused', refusalReasonCode: '27' },
  WITHDRAWAL_AMOUNT_EXCEEDED: { resultCode: 'Refused', refusalReasonCode: '28' },
  WITHDRAWAL_COUNT_EXCEEDED: { resultCode: 'Refused', refusalReasonCode: '29' },
  ISSUER_SUSPECTED_FRAUD: { resultCode: 'Refused', refusalReasonCode: '31' },
  AVS_DECLINED: { resultCode: 'Refused', refusalReasonCode: '32' },
  CARD_REQUIRES_ONLINE_PIN: { resultCode: 'Refused', refusalReasonCode: '33' },
  NO_CHECKING_ACCOUNT_AVAILABLE_ON_CARD: { resultCode: 'Refused', refusalReasonCode: '34' },
  NO_SAVINGS_ACCOUNT_AVAILABLE_ON_CARD: { resultCode: 'Refused', refusalReasonCode: '35' },
  MOBILE_PIN_REQUIRED: { resultCode: 'Refused', refusalReasonCode: '36' },
  CONTACTLESS_FALLBACK: { resultCode: 'Refused', refusalReasonCode: '37' },
  AUTHENTICATION_REQUIRED: { resultCode: 'Refused', refusalReasonCode: '38' },
  RREQ_NOT_RECEIVED_FROM_DS: { resultCode: 'Refused', refusalReasonCode: '39' },
  CURRENT_AID_IS_IN_PENALTY_BOX: { resultCode: 'Refused', refusalReasonCode: '40' },
  CVM_REQUIRED_RESTART_PAYMENT: { resultCode: 'Refused', refusalReasonCode: '41' },
  '3DS_AUTHENTICATION_ERROR': { resultCode: 'Refused', refusalReasonCode: '42' },
  TRANSACTION_BLOCKED_BY_ADYEN_TO_PREVENT_EXCESSIVE_RETRY_FEES: { resultCode: 'Refused', refusalReasonCode: '46' },
  'refund failed': { resultCode: 'Authorised', refundFails: true },
};

/**
 * Holder names of the stub's own, standing for Adyen's 3-D Secure test cards (whose card numbers,
 * not holder names, trigger authentication) and for a payment method that answers `Pending`.
 */
export const STUB_ACTION_HOLDER_NAMES: Readonly<Record<string, StubDecision>> = {
  '3DS2_CHALLENGE': { resultCode: 'ChallengeShopper' },
  '3DS2_IDENTIFY': { resultCode: 'IdentifyShopper' },
  '3DS_REDIRECT': { resultCode: 'RedirectShopper' },
  RESULT_PENDING: { resultCode: 'Pending' },
};

/**
 * The stored payment methods every stub has, usable with any shopper reference: one per holder
 * name above, with id `STUB_<holder name>` (spaces become `_`, so `refund failed` is
 * `STUB_REFUND_FAILED`). Methods registered through the control API get Adyen-like random ids and
 * belong to one shopper reference.
 */
export const STUB_TEST_STORED_METHODS: Readonly<Record<string, string>> = Object.fromEntries(
  [...Object.keys(ADYEN_TEST_HOLDER_NAMES), ...Object.keys(STUB_ACTION_HOLDER_NAMES)].map((holder) => [`STUB_${holder.replace(/ /g, '_').toUpperCase()}`, holder]),
);

/** What a payment by a card with this holder name is answered. */
export function decisionFor(holderName: string): StubDecision {
  return ADYEN_TEST_HOLDER_NAMES[holderName] ?? STUB_ACTION_HOLDER_NAMES[holderName] ?? { resultCode: 'Authorised' };
}

const REASON_TEXT = new Map(ADYEN_REFUSAL_REASONS.map((entry) => [entry.code, entry.reason]));

/** Adyen's `refusalReason` text of a code (`0` is `Unknown`). */
export function refusalText(code: string): string {
  return code === '0' ? 'Unknown' : (REASON_TEXT.get(code) ?? 'Refused');
}
