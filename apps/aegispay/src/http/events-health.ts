import type { OutboxStore } from '@aegispay/domain';
import type { JetStreamConnectionState, JetStreamPublisherStatus } from '@aegispay/nats';

/** Where the outbox's events stand, as the health check and the metrics read them. */
export interface EventsSources {
  readonly outbox: Pick<OutboxStore, 'countUnpublished'>;
  /** The NATS JetStream publisher, `null` when events go to the in-process log. */
  readonly broker: { status(): JetStreamPublisherStatus } | null;
}

/** The `events` part of `GET /healthz`. */
export interface EventsHealth {
  /** `nats` (JetStream) or `in-process` (the event log). */
  readonly publisher: 'nats' | 'in-process';
  /** The broker connection's state (`connected`, `reconnecting`, …); `null` without a broker. */
  readonly broker: JetStreamConnectionState | null;
  /** Why the broker was last unavailable or refused an event; `null` when it never was (or without a broker). */
  readonly brokerError: string | null;
  /** Events waiting in the outbox (parked ones included); `null` when the database did not answer. */
  readonly unpublished: number | null;
}

/**
 * The events' health: never a reason to answer 503 — payments go on while the broker is away, and
 * the outbox keeps their events until it is back (`unpublished` grows meanwhile).
 */
export async function eventsHealth(sources: EventsSources, withinDeadline: <T>(work: Promise<T>) => Promise<T | undefined>): Promise<EventsHealth> {
  const status = sources.broker?.status();
  const unpublished = await withinDeadline(sources.outbox.countUnpublished()).catch(() => undefined);
  return {
    publisher: status === undefined ? 'in-process' : 'nats',
    broker: status?.state ?? null,
    brokerError: status?.lastError ?? null,
    unpublished: unpublished ?? null,
  };
}
