import type { DomainEvent } from '../events/domain-event';
import type { PaymentEvent, PaymentEventType } from '../events/payment-events';
import type { PaymentDependencies } from './payment-dependencies';
import { deepFreeze } from './payment-snapshot';

/** What an event of type `T` says besides the merchant, which every payment event names. */
export type PaymentEventFields<T extends PaymentEventType> = Omit<Extract<PaymentEvent, { type: T }>['payload'], 'merchantId'>;

/**
 * @internal A new event of `payment`, with a new id, stamped with the time now, its payload naming
 * the payment's merchant; deep-frozen.
 */
export function createPaymentEvent<T extends PaymentEventType>(
  deps: PaymentDependencies,
  payment: { readonly id: string; readonly merchantId: string },
  type: T,
  fields: PaymentEventFields<T>,
): PaymentEvent {
  const payload = { merchantId: payment.merchantId, ...fields };
  const id = deps.ids.generate('evt');
  const event: DomainEvent = { id, type, aggregateType: 'Payment', aggregateId: payment.id, occurredAt: new Date(deps.clock.now()).toISOString(), payload };
  return deepFreeze(event as PaymentEvent);
}
