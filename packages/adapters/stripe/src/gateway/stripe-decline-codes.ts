import type { DeclineType } from '@aegispay/domain';

/*
 * Whether a Stripe decline is final (HARD: the same card will not work, here or anywhere) or may
 * succeed later or elsewhere (SOFT), from the "Next steps" Stripe documents for each code:
 *   - Stripe decline codes (`decline_code` of a `card_error`): https://docs.stripe.com/declines/codes
 *   - Card error codes (`code` of a `card_error` without a decline code, and of `last_payment_error`):
 *     https://docs.stripe.com/error-codes
 * "Attempt the payment again" / "try again later" / "authenticate" → SOFT; "use another card" /
 * "do not retry" / card data that must change → HARD. A code missing here is read as SOFT, like
 * Stripe's own `generic_decline`: another gateway may still be tried, and no money moved.
 */
export const STRIPE_DECLINE_TYPES: Readonly<Record<string, DeclineType>> = Object.freeze({
  // Stripe decline codes
  approve_with_id: 'SOFT',
  authentication_required: 'SOFT',
  call_issuer: 'SOFT',
  card_not_supported: 'HARD',
  card_velocity_exceeded: 'SOFT',
  currency_not_supported: 'HARD',
  do_not_honor: 'SOFT',
  do_not_try_again: 'HARD',
  duplicate_transaction: 'HARD',
  expired_card: 'HARD',
  fraudulent: 'HARD',
  generic_decline: 'SOFT',
  incorrect_cvc: 'HARD',
  incorrect_number: 'HARD',
  incorrect_pin: 'HARD',
  incorrect_zip: 'HARD',
  insufficient_funds: 'SOFT',
  invalid_account: 'HARD',
  invalid_amount: 'HARD',
  invalid_cvc: 'HARD',
  invalid_expiry_month: 'HARD',
  invalid_expiry_year: 'HARD',
  invalid_number: 'HARD',
  invalid_pin: 'HARD',
  issuer_not_available: 'SOFT',
  lost_card: 'HARD',
  merchant_blacklist: 'HARD',
  new_account_information_available: 'HARD',
  no_action_taken: 'SOFT',
  not_permitted: 'HARD',
  offline_pin_required: 'SOFT',
  online_or_offline_pin_required: 'SOFT',
  pickup_card: 'HARD',
  pin_try_exceeded: 'HARD',
  processing_error: 'SOFT',
  reenter_transaction: 'SOFT',
  restricted_card: 'HARD',
  revocation_of_all_authorizations: 'HARD',
  revocation_of_authorization: 'HARD',
  security_violation: 'HARD',
  service_not_allowed: 'HARD',
  stolen_card: 'HARD',
  stop_payment_order: 'HARD',
  testmode_decline: 'HARD',
  transaction_not_allowed: 'HARD',
  try_again_later: 'SOFT',
  withdrawal_count_limit_exceeded: 'SOFT',
  // Card error codes that come without a decline code
  card_declined: 'SOFT',
  card_decline_rate_limit_exceeded: 'SOFT',
  payment_intent_authentication_failure: 'SOFT',
  payment_method_not_available: 'SOFT',
});

/** HARD or SOFT for a Stripe decline or card error code (SOFT when Stripe documents no such code). */
export function declineTypeOf(code: string): DeclineType {
  return Object.hasOwn(STRIPE_DECLINE_TYPES, code) ? (STRIPE_DECLINE_TYPES[code] as DeclineType) : 'SOFT';
}
