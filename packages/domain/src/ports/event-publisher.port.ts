import type { DomainEvent } from '../events/domain-event';

/**
 * Publishes domain events to the outside world (a broker, webhooks). Delivery is at least once:
 * subscribers de-duplicate on `event.id`.
 */
export interface EventPublisher {
  /** Publishes the events in order; rejects when any of them could not be published. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}
