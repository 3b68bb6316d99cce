import type { PaymentEvent, PaymentEventType } from '../events/payment-events';
import type { PaymentDependencies } from './payment-dependencies';
import { deepFreeze } from './payment-snapshot';

/** The payload of the payment event of type `T`. */
export type PaymentEventPayload<T extends PaymentEventType> = Extract<PaymentEvent, { type: T }>['payload'];

/**
 * @internal The events one payment recorded and its repository has not pulled yet, oldest first.
 * Each is stamped with an id and the time it was recorded, and deep-frozen.
 */
export class PaymentEventLog {
  private events: PaymentEvent[] = [];

  constructor(private readonly deps: PaymentDependencies) {}

  /** Records an event of payment `aggregateId`. */
  record<T extends PaymentEventType>(aggregateId: string, type: T, payload: PaymentEventPayload<T>): void {
    const occurredAt = new Date(this.deps.clock.now()).toISOString();
    const event = { id: this.deps.ids.generate('evt'), type, aggregateType: 'Payment', aggregateId, occurredAt, payload } as Extract<PaymentEvent, { type: T }>;
    this.events.push(deepFreeze(event));
  }

  /** The events recorded since the last call; the log forgets them. */
  pull(): readonly PaymentEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** The events recorded and not yet pulled, as a copy. */
  peek(): readonly PaymentEvent[] {
    return [...this.events];
  }
}
