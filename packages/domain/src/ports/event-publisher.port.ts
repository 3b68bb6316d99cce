import type { DomainEvent } from '../events/domain-event';

/**
 * Publishes domain events to the outside world (a broker, webhooks). Delivery is at least once:
 * subscribers de-duplicate on `event.id`.
 *
 * Implementations: `JetStreamEventPublisher` in `@aegispay/nats` (NATS JetStream); the app's in-process
 * event log; `RecordingEventPublisher` in `@aegispay/locking/testing`.
 */
export interface EventPublisher {
  /**
   * Publishes the events in order and resolves once every one of them is stored by the other
   * side (a broker's acknowledgement); rejects when any of them could not be published. An
   * event published before the rejection may be published again later.
   *
   * Rejects with `EventPublisherUnavailableError` when nothing can be published right now (the
   * broker is away): no event is at fault, and an outbox relay holds them all without counting an
   * attempt. Any other rejection is charged to the first event not published.
   */
  publish(events: readonly DomainEvent[]): Promise<void>;
}
