import type { DomainEvent, EventPublisher } from '@aegispay/domain';

/**
 * Where the outbox relay publishes in this app: a log that counts every event by type and keeps
 * the ids of the last `memory` events (de-duplicating at-least-once delivery, as a real consumer
 * must). A real deployment binds a broker publisher to the same token instead.
 */
export class EventLog implements EventPublisher {
  private readonly seen = new Set<string>();
  private distinct = 0;

  /** @param memory Event ids remembered for de-duplication. Defaults to 200 000. */
  constructor(private readonly memory = 200_000) {}

  private readonly byType = new Map<string, number>();
  private readonly listeners = new Set<(event: DomainEvent) => void>();
  /** Deliveries of an event already seen (expected under at-least-once delivery). */
  duplicates = 0;

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (this.seen.has(event.id)) {
        this.duplicates += 1;
        continue;
      }
      this.seen.add(event.id);
      this.distinct += 1;
      if (this.seen.size > this.memory) this.seen.delete(this.seen.values().next().value as string);
      this.byType.set(event.type, (this.byType.get(event.type) ?? 0) + 1);
      for (const listener of this.listeners) listener(event);
    }
  }

  /** Distinct events published. */
  get count(): number {
    return this.distinct;
  }

  /** Whether the event with this id was published (among the last `memory`). */
  has(eventId: string): boolean {
    return this.seen.has(eventId);
  }

  /** Distinct events published, by type. */
  countsByType(): ReadonlyMap<string, number> {
    return new Map(this.byType);
  }

  /** Calls `listener` for each newly published event; returns the unsubscribe function. */
  onEvent(listener: (event: DomainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
