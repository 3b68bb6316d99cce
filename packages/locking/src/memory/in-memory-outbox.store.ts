import { type Clock, type DeadLetter, type DomainEvent, type OutboxClaimRequest, type OutboxFailure, type OutboxMessage, type OutboxStore, SystemClock } from '@aegispay/domain';
import { afterCommit, recordUndo } from './in-memory-transaction';

interface Entry {
  readonly sequence: number;
  readonly event: DomainEvent;
  readonly createdAt: number;
  attempts: number;
  availableAt: number;
  claimedBy: string | null;
  claimedUntil: number;
  publishedAt: number | null;
  deadLetteredAt: number | null;
  lastError: string | null;
  /** False until the unit of work that appended it commits. */
  committed: boolean;
}

/** Options of {@link InMemoryOutboxStore}. */
export interface InMemoryOutboxStoreOptions {
  /** Timestamps appended messages. Defaults to `SystemClock`. */
  readonly clock?: Clock;
}

/**
 * The outbox of the in-memory repositories: single-process, with the same ordering and claiming
 * contract as the database outbox. Messages appended inside an `InMemoryUnitOfWork` stay invisible
 * to relays until it commits, and vanish if it rolls back.
 */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly entries: Entry[] = [];
  private sequence = 0;
  private readonly clock: Clock;

  constructor(options: InMemoryOutboxStoreOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
  }

  /** Appends events (in order) in the current unit of work; what repositories call when they write. */
  append(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    const now = this.clock.now();
    const added: Entry[] = events.map((event) => {
      this.sequence += 1;
      return {
        sequence: this.sequence,
        event,
        createdAt: now,
        attempts: 0,
        availableAt: now,
        claimedBy: null,
        claimedUntil: 0,
        publishedAt: null,
        deadLetteredAt: null,
        lastError: null,
        committed: false,
      };
    });
    this.entries.push(...added);
    recordUndo(() => {
      for (const entry of added) {
        const index = this.entries.indexOf(entry);
        if (index >= 0) this.entries.splice(index, 1);
      }
    });
    afterCommit(() => {
      for (const entry of added) entry.committed = true;
    });
  }

  /** Every committed event in outbox order, published or not, until purged (for tests and diagnostics). */
  allEvents(): readonly DomainEvent[] {
    return this.entries.filter((entry) => entry.committed).map((entry) => entry.event);
  }

  async claim(request: OutboxClaimRequest): Promise<readonly OutboxMessage[]> {
    const blocked = new Set<string>();
    const started = new Set<string>();
    const claimable: Entry[] = [];
    for (const entry of this.entries) {
      if (entry.publishedAt !== null || !entry.committed) continue;
      const aggregate = entry.event.aggregateId;
      if (blocked.has(aggregate)) continue;
      if (!started.has(aggregate)) {
        const free = entry.claimedBy === null || entry.claimedUntil <= request.now;
        if (entry.deadLetteredAt !== null || entry.availableAt > request.now || !free) {
          blocked.add(aggregate);
          continue;
        }
        started.add(aggregate);
      }
      claimable.push(entry);
    }
    const claimed = claimable.slice(0, Math.max(0, request.limit));
    for (const entry of claimed) {
      entry.claimedBy = request.owner;
      entry.claimedUntil = request.leaseUntil;
    }
    return claimed.map(toMessage);
  }

  async markPublished(owner: string, sequences: readonly number[], now: number): Promise<number> {
    let marked = 0;
    for (const entry of this.owned(owner, sequences)) {
      entry.publishedAt = now;
      entry.claimedBy = null;
      marked += 1;
    }
    return marked;
  }

  async markFailed(owner: string, sequence: number, failure: OutboxFailure): Promise<void> {
    for (const entry of this.owned(owner, [sequence])) {
      entry.attempts += 1;
      entry.lastError = failure.error;
      entry.availableAt = failure.retryAt;
      entry.claimedBy = null;
      if (failure.deadLetter) entry.deadLetteredAt = failure.now;
    }
  }

  async release(owner: string, sequences: readonly number[]): Promise<void> {
    for (const entry of this.owned(owner, sequences)) entry.claimedBy = null;
  }

  async listDeadLetters(limit = 100): Promise<readonly DeadLetter[]> {
    return this.entries
      .filter((entry) => entry.deadLetteredAt !== null && entry.publishedAt === null)
      .slice(0, limit)
      .map((entry) => ({ ...toMessage(entry), lastError: entry.lastError, deadLetteredAt: entry.deadLetteredAt ?? 0 }));
  }

  async redrive(sequences: readonly number[] | 'ALL', now: number): Promise<number> {
    const wanted = sequences === 'ALL' ? undefined : new Set(sequences);
    let count = 0;
    for (const entry of this.entries) {
      if (entry.deadLetteredAt === null || entry.publishedAt !== null) continue;
      if (wanted !== undefined && !wanted.has(entry.sequence)) continue;
      entry.deadLetteredAt = null;
      entry.attempts = 0;
      entry.availableAt = now;
      count += 1;
    }
    return count;
  }

  async countUnpublished(): Promise<number> {
    return this.entries.filter((entry) => entry.committed && entry.publishedAt === null).length;
  }

  async purgePublished(publishedBefore: number, limit: number): Promise<number> {
    // Oldest published first, as the database stores purge them (entries are in sequence order).
    const purged = new Set(
      this.entries
        .filter((entry) => entry.publishedAt !== null && entry.publishedAt <= publishedBefore)
        .sort((a, b) => (a.publishedAt as number) - (b.publishedAt as number) || a.sequence - b.sequence)
        .slice(0, Math.max(0, limit)),
    );
    if (purged.size === 0) return 0;
    const kept = this.entries.filter((entry) => !purged.has(entry));
    this.entries.length = 0;
    this.entries.push(...kept);
    return purged.size;
  }

  private owned(owner: string, sequences: readonly number[]): Entry[] {
    const wanted = new Set(sequences);
    return this.entries.filter((entry) => wanted.has(entry.sequence) && entry.claimedBy === owner && entry.publishedAt === null);
  }
}

function toMessage(entry: Entry): OutboxMessage {
  return { sequence: entry.sequence, event: entry.event, attempts: entry.attempts };
}
