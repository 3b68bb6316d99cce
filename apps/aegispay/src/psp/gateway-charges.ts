import type { AdyenStubControl } from '@aegispay/adyen/testing';
import type { LedgerEntry } from '@aegispay/gateways';
import type { StripeStubControl } from '@aegispay/stripe/testing';

/**
 * Where a charge stands at its gateway: `CAPTURED` (money taken), `DECLINED` (refused for good),
 * `PENDING` (the gateway has not decided), `ACTION` (waiting for the customer).
 */
export type ChargeState = 'CAPTURED' | 'DECLINED' | 'PENDING' | 'ACTION';

/** One charge as a gateway's own ledger records it, whatever the gateway. */
export interface GatewayCharge {
  /** The gateway's name in AegisPay (`STRIPE_PSP`, `ADYEN_PSP`, `PAYPAL`…). */
  readonly gateway: string;
  /** The AegisPay payment it belongs to (from the charge's metadata), `null` if it carries none. */
  readonly paymentId: string | null;
  /** The attempt reference it was made under (the idempotency key). */
  readonly reference: string;
  /** The gateway's identifier of the charge (`pi_…`, a `pspReference`). */
  readonly gatewayReference: string;
  readonly state: ChargeState;
  /** Minor units of `currency`, and how much of it was refunded for good. */
  readonly amount: number;
  readonly refunded: number;
  readonly currency: string;
}

/** Whether `charge` holds the customer's money: captured and not refunded in full. */
export function holdsMoney(charge: GatewayCharge): boolean {
  return charge.state === 'CAPTURED' && charge.refunded < charge.amount;
}

const STRIPE_STATES: Readonly<Record<string, ChargeState>> = {
  succeeded: 'CAPTURED',
  processing: 'PENDING',
  requires_action: 'ACTION',
  requires_confirmation: 'PENDING',
  requires_capture: 'PENDING',
  requires_payment_method: 'DECLINED',
  canceled: 'DECLINED',
};

/** The PaymentIntents of a Stripe stub's durable ledger, as charges of `gateway`. */
export async function stripeCharges(control: StripeStubControl, gateway = 'STRIPE_PSP'): Promise<GatewayCharge[]> {
  return (await control.ledger()).map((intent) => ({
    gateway,
    paymentId: intent.metadata['aegispay_payment_id'] ?? null,
    reference: intent.idempotencyKey ?? intent.metadata['aegispay_reference'] ?? '',
    gatewayReference: intent.id,
    state: STRIPE_STATES[intent.status] ?? 'PENDING',
    amount: intent.amount,
    refunded: intent.refunds.filter((refund) => refund.status === 'succeeded').reduce((sum, refund) => sum + refund.amount, 0),
    currency: intent.currency.toUpperCase(),
  }));
}

const ADYEN_STATES: Readonly<Record<string, ChargeState>> = {
  Authorised: 'CAPTURED',
  Refused: 'DECLINED',
  Cancelled: 'DECLINED',
  Error: 'DECLINED',
  Received: 'PENDING',
  Pending: 'PENDING',
  RedirectShopper: 'ACTION',
  IdentifyShopper: 'ACTION',
  ChallengeShopper: 'ACTION',
};

/** The payments of an Adyen stub's durable ledger (captured with their authorisation), as charges of `gateway`. */
export async function adyenCharges(control: AdyenStubControl, gateway = 'ADYEN_PSP'): Promise<GatewayCharge[]> {
  const { payments, refunds } = await control.ledger();
  return payments.map((payment) => ({
    gateway,
    paymentId: payment.metadata['paymentId'] ?? null,
    reference: payment.merchantReference,
    gatewayReference: payment.pspReference,
    state: ADYEN_STATES[payment.resultCode] ?? 'PENDING',
    amount: payment.amountValue,
    refunded: refunds.filter((refund) => refund.paymentPspReference === payment.pspReference && refund.outcome === 'REFUNDED').reduce((sum, refund) => sum + refund.amountValue, 0),
    currency: payment.currency,
  }));
}

/** A simulated acquirer's ledger, as charges. */
export function simulatedCharges(ledger: readonly LedgerEntry[]): GatewayCharge[] {
  return ledger.map((entry) => ({
    gateway: entry.gateway,
    paymentId: entry.paymentId,
    reference: entry.reference,
    gatewayReference: entry.gatewayReference ?? '',
    state: entry.outcome === 'APPROVED' ? 'CAPTURED' : entry.outcome === 'DECLINED' ? 'DECLINED' : 'PENDING',
    amount: entry.amount.amount,
    refunded: entry.refundedAmount.amount,
    currency: entry.currency,
  }));
}
