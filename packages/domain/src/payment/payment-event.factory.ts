import type { PaymentEvent, PaymentEventType } from '../events/payment-events';
import type { PaymentDependencies } from './payment-dependencies';
import { deepFreeze } from './payment-snapshot';

/** The payload of the payment event of type `T`. */
export type PaymentEventPayload<T extends PaymentEventType> = Extract<PaymentEvent, { type: T }>['payload'];

/** @internal A new event of payment `aggregateId`, stamped with the time now and a new id, deep-frozen. */
export function createPaymentEvent<T extends PaymentEventType>(
  deps: PaymentDependencies,
  aggregateId: string,
  type: T,
  payload: PaymentEventPayload<T>,
): Extract<PaymentEvent, { type: T }> {
  const occurredAt = new Date(deps.clock.now()).toISOString();
  const event = { id: deps.ids.generate('evt'), type, aggregateType: 'Payment', aggregateId, occurredAt, payload } as Extract<PaymentEvent, { type: T }>;
  return deepFreeze(event);
}
