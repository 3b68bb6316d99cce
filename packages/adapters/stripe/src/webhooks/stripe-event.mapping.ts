import type { GatewayNotification, GatewayType } from '@aegispay/domain';
import type Stripe from 'stripe';
import { chargeStatusOfPaymentIntent } from '../gateway/payment-intent.mapping';
import { refundStatusOfRefund } from '../gateway/refund.mapping';
import { STRIPE_METADATA_KEYS } from '../gateway/stripe-requests';

/** PaymentIntent events that carry a decision (or a wait) about the charge. */
export const STRIPE_CHARGE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.canceled',
]);

/** Refund events: the refund object is the event's object. */
export const STRIPE_REFUND_EVENT_TYPES: ReadonlySet<string> = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated']);

/** The event's object is not what its type promises. */
export class UnexpectedEventObjectError extends Error {}

/**
 * The notifications a verified Stripe event stands for: one for a PaymentIntent or Refund event
 * AegisPay acts on, none for any other type (`payment_intent.created`, `charge.succeeded`, …).
 * @throws UnexpectedEventObjectError when the event's object does not match its type.
 */
export function notificationsOfEvent(gateway: GatewayType, event: Stripe.Event): readonly GatewayNotification[] {
  const base = { gateway, eventId: event.id, occurredAt: event.created * 1_000 };
  const object = (event.data as { object?: unknown }).object;
  if (STRIPE_CHARGE_EVENT_TYPES.has(event.type)) {
    const intent = expect<Stripe.PaymentIntent>(object, 'payment_intent', event);
    return [
      {
        ...base,
        ...echoed(intent.metadata, STRIPE_METADATA_KEYS.reference),
        type: 'CHARGE',
        gatewayReference: intent.id,
        status: chargeStatusOfPaymentIntent(intent),
      },
    ];
  }
  if (STRIPE_REFUND_EVENT_TYPES.has(event.type)) {
    const refund = expect<Stripe.Refund>(object, 'refund', event);
    const chargeReference = typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
    return [
      {
        ...base,
        ...echoed(refund.metadata, STRIPE_METADATA_KEYS.refundReference),
        type: 'REFUND',
        ...(chargeReference === undefined ? {} : { chargeReference }),
        status: refundStatusOfRefund(refund),
      },
    ];
  }
  return [];
}

function expect<T>(object: unknown, kind: string, event: Stripe.Event): T {
  if (typeof object !== 'object' || object === null || (object as { object?: unknown }).object !== kind || typeof (object as { id?: unknown }).id !== 'string') {
    throw new UnexpectedEventObjectError(`Stripe event ${event.id} of type ${event.type} does not carry a ${kind}.`);
  }
  return object as T;
}

/** Our payment id and reference, when the object's metadata carries them. */
function echoed(metadata: Stripe.Metadata | null | undefined, referenceKey: string): { paymentId?: string; reference?: string } {
  const paymentId = metadata?.[STRIPE_METADATA_KEYS.paymentId];
  const reference = metadata?.[referenceKey];
  return { ...(typeof paymentId === 'string' ? { paymentId } : {}), ...(typeof reference === 'string' ? { reference } : {}) };
}
