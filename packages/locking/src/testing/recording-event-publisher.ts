import { EventPublisherUnavailableError, type DomainEvent, type EventPublisher } from '@aegispay/domain';

/**
 * An {@link EventPublisher} that records what it publishes, for tests. It can be told to fail:
 * a batch containing a matching event is rejected as a whole and nothing of it is recorded. It
 * can also go away as a broker does ({@link becomeUnavailable}): it then rejects with
 * `EventPublisherUnavailableError`, possibly part-way through a batch.
 */
export class RecordingEventPublisher implements EventPublisher {
  /** Every event published, in publication order. */
  readonly published: DomainEvent[] = [];
  /** Number of `publish` calls, failed ones included. */
  calls = 0;
  private failing: ((event: DomainEvent) => boolean) | undefined;
  /** Events still taken before the publisher is unavailable; `undefined` while it is available. */
  private takenBeforeOutage: number | undefined;

  /** Rejects every batch that contains an event matching `predicate`, until {@link recover}. */
  failWhen(predicate: (event: DomainEvent) => boolean): this {
    this.failing = predicate;
    return this;
  }

  /**
   * Rejects with `EventPublisherUnavailableError` once `after` more events were published
   * (defaults to 0: from the next call on), until {@link recover}. Events published before the
   * outage within a call are recorded, as a broker would have stored them.
   */
  becomeUnavailable(after = 0): this {
    this.takenBeforeOutage = after;
    return this;
  }

  /** Stops failing, and is available again. */
  recover(): this {
    this.failing = undefined;
    this.takenBeforeOutage = undefined;
    return this;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.calls += 1;
    if (this.takenBeforeOutage !== undefined) {
      const taken = events.slice(0, this.takenBeforeOutage);
      this.published.push(...taken);
      this.takenBeforeOutage -= taken.length;
      if (taken.length < events.length) throw new EventPublisherUnavailableError('the recording publisher', 'it was told to be unavailable');
      return;
    }
    const poisoned = this.failing === undefined ? undefined : events.find(this.failing);
    if (poisoned !== undefined) throw new Error(`broker rejected ${poisoned.id}`);
    this.published.push(...events);
  }

  /** Published event ids, in order. */
  ids(): string[] {
    return this.published.map((event) => event.id);
  }
}
