import type { DomainEvent } from '../events/domain-event';

/** An event in the outbox, as a relay claims it. */
export interface OutboxMessage {
  /**
   * Position in the outbox. For one aggregate, positions increase in commit order, which is the
   * order a relay publishes them in.
   */
  readonly sequence: number;
  /** The event exactly as the aggregate recorded it; `event.id` is the consumers' de-duplication key. */
  readonly event: DomainEvent;
  /** Failed publish attempts so far. */
  readonly attempts: number;
}

/** A message parked after too many failed publish attempts: not published until re-driven. */
export interface DeadLetter extends OutboxMessage {
  /** Why the last attempt failed. */
  readonly lastError: string | null;
  /** When it was parked, epoch ms. */
  readonly deadLetteredAt: number;
}

/** Arguments of {@link OutboxStore.claim}. */
export interface OutboxClaimRequest {
  /** Who claims: only this owner may mark the messages afterwards. */
  readonly owner: string;
  /** At most this many messages. */
  readonly limit: number;
  /** The claimer's current time, epoch ms (due retries and expired claims are judged against it). */
  readonly now: number;
  /** Until when the claim holds, epoch ms; after that another relay may take the messages over. */
  readonly leaseUntil: number;
}

/** Arguments of {@link OutboxStore.markFailed}. */
export interface OutboxFailure {
  /** The error, as text, kept for operators. */
  readonly error: string;
  /** Epoch ms before which the message must not be claimed again. */
  readonly retryAt: number;
  /** True to park the message as a dead letter instead of retrying it. */
  readonly deadLetter: boolean;
  /** The current time, epoch ms. */
  readonly now: number;
}

/**
 * Where a transactional outbox keeps its messages, as a relay sees it (`OutboxRelay` of
 * `@aegispay/locking`). Implementations:
 * `InMemoryOutboxStore` in `@aegispay/locking`, `TypeOrmOutboxStore` in `@aegispay/typeorm` (SQLite and
 * PostgreSQL); every one runs `outboxStoreContract` of `@aegispay/locking/testing`.
 *
 * Ordering contract: for each aggregate, only the oldest unpublished message (its head) can open a
 * claim, and a claim takes a contiguous run of that aggregate's messages from the head. A head that
 * is claimed, waiting for a retry or parked blocks the rest of its aggregate, so events are
 * published in order per aggregate even with several relays. Aggregates are told apart by
 * `event.aggregateId` alone, so ids must be unique across aggregate types (AegisPay's prefixed
 * ids, `pay_…`, are).
 */
export interface OutboxStore {
  /**
   * Claims up to `limit` messages for `owner`, oldest first: per aggregate a contiguous run from
   * its head, for aggregates whose head is due and not claimed by anyone else (or whose claim has
   * expired). Atomic across relays: no message is claimed by two owners at once.
   */
  claim(request: OutboxClaimRequest): Promise<readonly OutboxMessage[]>;
  /**
   * Marks messages published and ends their claim. Only messages still claimed by `owner` are
   * marked; returns how many were (fewer means a claim expired and another relay took over).
   */
  markPublished(owner: string, sequences: readonly number[], now: number): Promise<number>;
  /** Records a failed publish of a claimed message: attempts + 1, then retried after `retryAt` or parked. */
  markFailed(owner: string, sequence: number, failure: OutboxFailure): Promise<void>;
  /** Ends the claim on messages that were not attempted, without counting an attempt. */
  release(owner: string, sequences: readonly number[]): Promise<void>;
  /** Parked messages, oldest first. `limit` defaults to 100. */
  listDeadLetters(limit?: number): Promise<readonly DeadLetter[]>;
  /** Puts parked messages (`'ALL'` or the given sequences) back in line with a fresh attempt count. Returns how many. */
  redrive(sequences: readonly number[] | 'ALL', now: number): Promise<number>;
  /** Messages not yet published, parked ones included. */
  countUnpublished(): Promise<number>;
  /**
   * Deletes up to `limit` messages published at or before `publishedBefore` (epoch ms), oldest
   * first, and returns how many. Messages not yet published, parked ones included, are never
   * deleted. One bounded statement per call, for a retention job that calls again while the
   * answer is `limit` and yields in between, so that purging never holds the table for long.
   */
  purgePublished(publishedBefore: number, limit: number): Promise<number>;
}
