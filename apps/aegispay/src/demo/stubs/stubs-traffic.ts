import type { CreatePaymentInput } from '@aegispay/domain';
import type { StreamedPayment } from '../traffic/payment-stream';

/** Whose token a payment carries: a Stripe PaymentMethod, an Adyen stored card, or a wallet token only the simulated acquirers take. */
export type TokenIssuer = 'STRIPE' | 'ADYEN' | 'WALLET';

/** The stubs' test payment methods for the stream's cards that every issuer declines (Stripe's test PaymentMethods, Adyen's holder names). */
const DECLINING: Readonly<Record<string, { readonly stripe: string; readonly adyen: string }>> = {
  tok_decline_insufficient_funds: { stripe: 'pm_card_chargeDeclinedInsufficientFunds', adyen: 'STUB_NOT_ENOUGH_BALANCE' },
  tok_decline_expired_card: { stripe: 'pm_card_chargeDeclinedExpiredCard', adyen: 'STUB_CARD_EXPIRED' },
  tok_decline_stolen_card: { stripe: 'pm_card_chargeDeclinedStolenCard', adyen: 'STUB_BLOCK_CARD' },
};

/** Cards that approve at the Stripe stub, one per customer. */
const STRIPE_CARDS = ['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_visa_debit'];

/**
 * A payment of the demo's stream as a payment through the PSP stubs: a customer's card was stored
 * at Stripe or at Adyen (by customer, half each) and its token is that PSP's — a Stripe test
 * PaymentMethod, or `<customerId>:<storedPaymentMethodId>` at Adyen — so only that PSP's connector
 * (or a simulated acquirer, which takes any token) can charge it; wallets keep their own tokens.
 * The stream's declining cards become the PSPs' declining test methods.
 */
export function throughStubs(payment: StreamedPayment): { readonly request: CreatePaymentInput; readonly issuer: TokenIssuer } {
  const { request } = payment;
  const customer = request.customerId ?? `cus_${payment.index}`;
  if (request.paymentMethod.type !== 'CARD') return { request, issuer: 'WALLET' };
  const number = [...customer].reduce((sum, character) => sum + character.charCodeAt(0), 0);
  const issuer: TokenIssuer = number % 2 === 0 ? 'STRIPE' : 'ADYEN';
  const declining = DECLINING[request.paymentMethod.token];
  const token =
    issuer === 'STRIPE'
      ? (declining?.stripe ?? (STRIPE_CARDS[number % STRIPE_CARDS.length] as string))
      : `${customer}:${declining?.adyen ?? 'STUB_APPROVED'}`;
  return { request: { ...request, paymentMethod: { type: 'CARD', token } }, issuer };
}
