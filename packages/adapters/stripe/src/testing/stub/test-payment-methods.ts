/*
 * Stripe's documented test PaymentMethods and what a confirmation with each does, from
 * https://docs.stripe.com/testing ("Cards by brand", "Declined payments", "Fraud prevention",
 * "3D Secure authentication"). The stub knows no other PaymentMethod: any other id is answered
 * like Stripe answers an unknown one (400 `resource_missing`).
 */

/** What confirming a PaymentIntent with a test PaymentMethod does. */
export type TestPaymentMethodOutcome =
  | { readonly kind: 'succeed' }
  | { readonly kind: 'decline'; readonly code: string; readonly declineCode?: string; readonly message: string }
  /** 3-D Secure is required; once the customer authenticates, `then` happens. */
  | { readonly kind: 'authenticate'; readonly then: TestPaymentMethodOutcome };

/** A test PaymentMethod: its card and its outcome. */
export interface TestPaymentMethod {
  readonly brand: string;
  readonly last4: string;
  readonly outcome: TestPaymentMethodOutcome;
}

const SUCCEED: TestPaymentMethodOutcome = { kind: 'succeed' };
const declined = (declineCode: string, message = 'Your card was declined.'): TestPaymentMethodOutcome => ({ kind: 'decline', code: 'card_declined', declineCode, message });
const cardError = (code: string, message: string): TestPaymentMethodOutcome => ({ kind: 'decline', code, message });
const card = (brand: string, last4: string, outcome: TestPaymentMethodOutcome = SUCCEED): TestPaymentMethod => ({ brand, last4, outcome });

const GENERIC = declined('generic_decline');
const INSUFFICIENT = declined('insufficient_funds', 'Your card has insufficient funds.');
const LOST = declined('lost_card');
const STOLEN = declined('stolen_card');
const VELOCITY = declined('card_velocity_exceeded', 'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.');

/** Every test PaymentMethod the stub accepts, by id. */
export const STRIPE_TEST_PAYMENT_METHODS: Readonly<Record<string, TestPaymentMethod>> = Object.freeze({
  // Cards by brand: the payment succeeds.
  pm_card_visa: card('visa', '4242'),
  pm_card_visa_debit: card('visa', '5556'),
  pm_card_mastercard: card('mastercard', '4444'),
  pm_card_mastercard_debit: card('mastercard', '8210'),
  pm_card_mastercard_prepaid: card('mastercard', '5100'),
  pm_card_amex: card('amex', '0005'),
  pm_card_discover: card('discover', '1117'),
  pm_card_diners: card('diners', '0004'),
  pm_card_jcb: card('jcb', '0505'),
  pm_card_unionpay: card('unionpay', '0005'),
  pm_card_bypassPending: card('visa', '0077'),
  // Declined payments: a 402 card_error, the PaymentIntent left in requires_payment_method.
  pm_card_chargeDeclined: card('visa', '0002', GENERIC),
  pm_card_visa_chargeDeclined: card('visa', '0002', GENERIC),
  pm_card_chargeDeclinedInsufficientFunds: card('visa', '9995', INSUFFICIENT),
  pm_card_visa_chargeDeclinedInsufficientFunds: card('visa', '9995', INSUFFICIENT),
  pm_card_chargeDeclinedLostCard: card('visa', '9987', LOST),
  pm_card_visa_chargeDeclinedLostCard: card('visa', '9987', LOST),
  pm_card_chargeDeclinedStolenCard: card('visa', '9979', STOLEN),
  pm_card_visa_chargeDeclinedStolenCard: card('visa', '9979', STOLEN),
  pm_card_chargeDeclinedExpiredCard: card('visa', '0069', cardError('expired_card', 'Your card has expired.')),
  pm_card_chargeDeclinedIncorrectCvc: card('visa', '0127', cardError('incorrect_cvc', "Your card's security code is incorrect.")),
  pm_card_chargeDeclinedProcessingError: card('visa', '0119', cardError('processing_error', 'An error occurred while processing your card. Try again in a little bit.')),
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: card('visa', '6975', VELOCITY),
  // Fraud prevention: Radar always blocks it.
  pm_card_radarBlock: card('visa', '0019', declined('fraudulent')),
  // 3-D Secure: the PaymentIntent waits in requires_action until the customer authenticates.
  pm_card_threeDSecureRequired: card('visa', '3063', { kind: 'authenticate', then: SUCCEED }),
  pm_card_threeDSecure2Required: card('visa', '3220', { kind: 'authenticate', then: SUCCEED }),
  pm_card_authenticationRequired: card('visa', '3184', { kind: 'authenticate', then: SUCCEED }),
  pm_card_authenticationRequiredOnSetup: card('visa', '3155', { kind: 'authenticate', then: SUCCEED }),
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: card('visa', '3178', { kind: 'authenticate', then: INSUFFICIENT }),
  pm_card_threeDSecureOptional: card('visa', '3055'),
});

/** The test PaymentMethod `id`, or `undefined` when Stripe's test mode has no such PaymentMethod. */
export function testPaymentMethod(id: string): TestPaymentMethod | undefined {
  return Object.hasOwn(STRIPE_TEST_PAYMENT_METHODS, id) ? STRIPE_TEST_PAYMENT_METHODS[id] : undefined;
}
