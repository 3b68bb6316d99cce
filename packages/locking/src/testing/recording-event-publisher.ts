import type { DomainEvent, EventPublisher } from '@aegispay/domain';

/**
 * An {@link EventPublisher} that records what it publishes, for tests. It can be told to fail:
 * a batch containing a matching event is rejected as a whole and nothing of it is recorded.
 */
export class RecordingEventPublisher implements EventPublisher {
  /** Every event published, in publication order. */
  readonly published: DomainEvent[] = [];
  /** Number of `publish` calls, failed ones included. */
  calls = 0;
  private failing: ((event: DomainEvent) => boolean) | undefined;

  /** Rejects every batch that contains an event matching `predicate`, until {@link recover}. */
  failWhen(predicate: (event: DomainEvent) => boolean): this {
    this.failing = predicate;
    return this;
  }

  /** Stops failing. */
  recover(): this {
    this.failing = undefined;
    return this;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.calls += 1;
    const poisoned = this.failing === undefined ? undefined : events.find(this.failing);
    if (poisoned !== undefined) throw new Error(`broker rejected ${poisoned.id}`);
    this.published.push(...events);
  }

  /** Published event ids, in order. */
  ids(): string[] {
    return this.published.map((event) => event.id);
  }
}
