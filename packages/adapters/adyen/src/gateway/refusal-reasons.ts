import type { DeclineType } from '@aegispay/domain';

/** How AegisPay reads one Adyen refusal reason. */
export interface AdyenRefusalReason {
  /** Adyen's `refusalReasonCode`. */
  readonly code: string;
  /** Adyen's `refusalReason` text (also the `reason` of a failed AUTHORISATION webhook). */
  readonly reason: string;
  /** The `declineCode` AegisPay reports. */
  readonly declineCode: string;
  /** `HARD`: retrying (here or elsewhere) will not help. `SOFT`: it may, later or on another acquirer. */
  readonly declineType: DeclineType;
}

/**
 * Adyen's refusal reasons and whether each is final.
 *
 * Source: Adyen docs, "Refusal reasons" (docs.adyen.com/development-resources/refusal-reasons) for
 * the codes and texts, and "Raw acquirer responses" for the retry guidance (a blocked, lost, stolen
 * or expired card, fraud, a revoked authorisation or a permanent issuer restriction: do not retry;
 * insufficient funds, issuer unavailable, authentication required: the shopper can try again).
 * The HARD/SOFT split is AegisPay's reading of that guidance. A code not listed is read as SOFT
 * `refused` (the generic refusal), so an unknown reason never blocks a retry elsewhere for good.
 */
export const ADYEN_REFUSAL_REASONS: readonly AdyenRefusalReason[] = [
  { code: '2', reason: 'Refused', declineCode: 'refused', declineType: 'SOFT' },
  { code: '3', reason: 'Referral', declineCode: 'referral', declineType: 'HARD' },
  { code: '4', reason: 'Acquirer Error', declineCode: 'acquirer_error', declineType: 'SOFT' },
  { code: '5', reason: 'Blocked Card', declineCode: 'blocked_card', declineType: 'HARD' },
  { code: '6', reason: 'Expired Card', declineCode: 'expired_card', declineType: 'HARD' },
  { code: '7', reason: 'Invalid Amount', declineCode: 'invalid_amount', declineType: 'HARD' },
  { code: '8', reason: 'Invalid Card Number', declineCode: 'invalid_card_number', declineType: 'HARD' },
  { code: '9', reason: 'Issuer Unavailable', declineCode: 'issuer_unavailable', declineType: 'SOFT' },
  { code: '10', reason: 'Not supported', declineCode: 'not_supported', declineType: 'HARD' },
  { code: '11', reason: '3D Not Authenticated', declineCode: '3d_not_authenticated', declineType: 'SOFT' },
  { code: '12', reason: 'Not enough balance', declineCode: 'not_enough_balance', declineType: 'SOFT' },
  { code: '14', reason: 'Acquirer Fraud', declineCode: 'acquirer_fraud', declineType: 'HARD' },
  { code: '15', reason: 'Cancelled', declineCode: 'cancelled', declineType: 'HARD' },
  { code: '16', reason: 'Shopper Cancelled', declineCode: 'shopper_cancelled', declineType: 'HARD' },
  { code: '17', reason: 'Invalid Pin', declineCode: 'invalid_pin', declineType: 'SOFT' },
  { code: '18', reason: 'Pin tries exceeded', declineCode: 'pin_tries_exceeded', declineType: 'HARD' },
  { code: '19', reason: 'Pin validation not possible', declineCode: 'pin_validation_not_possible', declineType: 'SOFT' },
  { code: '20', reason: 'FRAUD', declineCode: 'fraud', declineType: 'HARD' },
  { code: '21', reason: 'Not Submitted', declineCode: 'not_submitted', declineType: 'SOFT' },
  { code: '22', reason: 'FRAUD-CANCELLED', declineCode: 'fraud_cancelled', declineType: 'HARD' },
  { code: '23', reason: 'Transaction Not Permitted', declineCode: 'transaction_not_permitted', declineType: 'HARD' },
  { code: '24', reason: 'CVC Declined', declineCode: 'cvc_declined', declineType: 'HARD' },
  { code: '25', reason: 'Restricted Card', declineCode: 'restricted_card', declineType: 'HARD' },
  { code: '26', reason: 'Revocation Of Auth', declineCode: 'revocation_of_auth', declineType: 'HARD' },
  { code: '27', reason: 'Declined Non Generic', declineCode: 'declined_non_generic', declineType: 'HARD' },
  { code: '28', reason: 'Withdrawal amount exceeded', declineCode: 'withdrawal_amount_exceeded', declineType: 'SOFT' },
  { code: '29', reason: 'Withdrawal count exceeded', declineCode: 'withdrawal_count_exceeded', declineType: 'SOFT' },
  { code: '31', reason: 'Issuer Suspected Fraud', declineCode: 'issuer_suspected_fraud', declineType: 'HARD' },
  { code: '32', reason: 'AVS Declined', declineCode: 'avs_declined', declineType: 'HARD' },
  { code: '33', reason: 'Card requires online pin', declineCode: 'card_requires_online_pin', declineType: 'SOFT' },
  { code: '34', reason: 'No checking account available on Card', declineCode: 'no_checking_account', declineType: 'HARD' },
  { code: '35', reason: 'No savings account available on Card', declineCode: 'no_savings_account', declineType: 'HARD' },
  { code: '36', reason: 'Mobile pin required', declineCode: 'mobile_pin_required', declineType: 'SOFT' },
  { code: '37', reason: 'Contactless fallback', declineCode: 'contactless_fallback', declineType: 'SOFT' },
  { code: '38', reason: 'Authentication required', declineCode: 'authentication_required', declineType: 'SOFT' },
  { code: '39', reason: 'RReq not received from DS', declineCode: 'rreq_not_received', declineType: 'SOFT' },
  { code: '40', reason: 'Current AID is in Penalty Box', declineCode: 'aid_in_penalty_box', declineType: 'SOFT' },
  { code: '41', reason: 'CVM Required Restart Payment', declineCode: 'cvm_required_restart', declineType: 'SOFT' },
  { code: '42', reason: '3DS Authentication Error', declineCode: '3ds_authentication_error', declineType: 'SOFT' },
  { code: '43', reason: 'Online PIN required', declineCode: 'online_pin_required', declineType: 'SOFT' },
  { code: '44', reason: 'Try another interface', declineCode: 'try_another_interface', declineType: 'SOFT' },
  { code: '45', reason: 'Chip downgrade mode', declineCode: 'chip_downgrade_mode', declineType: 'SOFT' },
  {
    code: '46',
    reason: 'Transaction blocked by Adyen to prevent excessive retry fees',
    declineCode: 'blocked_excessive_retries',
    declineType: 'HARD',
  },
];

const BY_CODE = new Map(ADYEN_REFUSAL_REASONS.map((entry) => [entry.code, entry]));
const BY_REASON = new Map(ADYEN_REFUSAL_REASONS.map((entry) => [entry.reason.toLowerCase(), entry]));
const GENERIC = BY_CODE.get('2') as AdyenRefusalReason;

/**
 * The refusal reason named by `code` (a `refusalReasonCode`), else by the `reason` text (webhooks
 * carry only the text), else the generic SOFT `refused`.
 */
export function refusalReasonOf(code: string | undefined, reason: string | undefined): AdyenRefusalReason {
  return (code === undefined ? undefined : BY_CODE.get(code)) ?? (reason === undefined ? undefined : BY_REASON.get(reason.trim().toLowerCase())) ?? GENERIC;
}
