import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IdempotencyKeyNotInProgressError,
  IdempotencyKeyReuseError,
  OptionChecks,
  SystemClock,
  type Clock,
  type IdempotencyBeginOptions,
  type IdempotencyBeginResult,
  type IdempotencyPeekResult,
  type IdempotencyStore,
} from '@aegispay/domain';
import { recordUndo } from './in-memory-transaction';

/** Options of {@link InMemoryIdempotencyStore}. */
export interface InMemoryIdempotencyStoreOptions {
  /** Judges expiry. Defaults to `SystemClock`. */
  readonly clock?: Clock;
  /** How long a key is kept when `begin` does not say (more than 0). Defaults to `DEFAULT_IDEMPOTENCY_TTL_MS` (24 hours). */
  readonly defaultTtlMs?: number;
  /**
   * How long a request may hold its key in progress before a retry with the same fingerprint may
   * take the key over (its process is presumed dead). Above 0. Defaults to none: a key stays in
   * progress until it expires. See the README before setting it: a slow owner that is still alive
   * can then be overtaken.
   */
  readonly inProgressLeaseMs?: number;
}

interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly state: 'IN_PROGRESS' | 'COMPLETED';
  readonly response: unknown;
  /** When the current owner claimed the key (epoch ms). */
  readonly claimedAt: number;
  readonly expiresAt: number;
}

/**
 * An {@link IdempotencyStore} in one process. `begin` checks and claims in one synchronous step,
 * so of two concurrent calls with one key exactly one gets `STARTED`. An expired key (its TTL
 * counted from `begin`) may be claimed again, whatever its state; with `inProgressLeaseMs`, so may
 * a key left in progress longer than the lease, by a request with the same fingerprint. Writes
 * made inside an `InMemoryUnitOfWork` are undone when it rolls back.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly clock: Clock;
  private readonly defaultTtlMs: number;
  private readonly inProgressLeaseMs: number | undefined;

  constructor(options: InMemoryIdempotencyStoreOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.defaultTtlMs = ttlOption('defaultTtlMs', options.defaultTtlMs, DEFAULT_IDEMPOTENCY_TTL_MS);
    this.inProgressLeaseMs = options.inProgressLeaseMs === undefined ? undefined : ttlOption('inProgressLeaseMs', options.inProgressLeaseMs, undefined);
  }

  async begin(merchantId: string, key: string, fingerprint: string, options: IdempotencyBeginOptions = {}): Promise<IdempotencyBeginResult> {
    const ttlMs = ttlOption('ttlMs', options.ttlMs, this.defaultTtlMs);
    const id = recordKey(merchantId, key);
    const now = this.clock.now();
    const existing = this.records.get(id);
    if (existing !== undefined && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError(merchantId, key);
      if (existing.state === 'COMPLETED') return { status: 'COMPLETED', response: structuredClone(existing.response) };
      const stale = this.inProgressLeaseMs !== undefined && existing.claimedAt + this.inProgressLeaseMs <= now;
      if (!stale) return { status: 'IN_PROGRESS' };
    }
    this.write(id, { fingerprint, state: 'IN_PROGRESS', response: null, claimedAt: now, expiresAt: now + ttlMs });
    return { status: 'STARTED' };
  }

  async peek(merchantId: string, key: string, fingerprint: string): Promise<IdempotencyPeekResult> {
    const existing = this.records.get(recordKey(merchantId, key));
    const now = this.clock.now();
    if (existing === undefined || existing.expiresAt <= now) return null;
    if (existing.fingerprint !== fingerprint) throw new IdempotencyKeyReuseError(merchantId, key);
    if (existing.state === 'COMPLETED') return { status: 'COMPLETED', response: structuredClone(existing.response) };
    const stale = this.inProgressLeaseMs !== undefined && existing.claimedAt + this.inProgressLeaseMs <= now;
    return stale ? null : { status: 'IN_PROGRESS' };
  }

  async complete(merchantId: string, key: string, response: unknown): Promise<void> {
    const id = recordKey(merchantId, key);
    const existing = this.inProgress(id);
    if (existing === undefined) throw new IdempotencyKeyNotInProgressError(merchantId, key);
    // Stored as data, never as a reference the caller could still change.
    this.write(id, { ...existing, state: 'COMPLETED', response: structuredClone(response) });
  }

  async release(merchantId: string, key: string): Promise<void> {
    const id = recordKey(merchantId, key);
    const existing = this.inProgress(id);
    if (existing === undefined) throw new IdempotencyKeyNotInProgressError(merchantId, key);
    this.records.delete(id);
    recordUndo(() => this.records.set(id, existing));
  }

  async purgeExpired(limit: number): Promise<number> {
    const now = this.clock.now();
    const expired = [...this.records]
      .filter(([, record]) => record.expiresAt <= now)
      .sort(([, a], [, b]) => a.expiresAt - b.expiresAt)
      .slice(0, Math.max(0, limit));
    for (const [id] of expired) this.records.delete(id);
    return expired.length;
  }

  private inProgress(id: string): IdempotencyRecord | undefined {
    const existing = this.records.get(id);
    return existing !== undefined && existing.state === 'IN_PROGRESS' && existing.expiresAt > this.clock.now() ? existing : undefined;
  }

  private write(id: string, record: IdempotencyRecord): void {
    const previous = this.records.get(id);
    this.records.set(id, record);
    recordUndo(() => {
      if (previous === undefined) this.records.delete(id);
      else this.records.set(id, previous);
    });
  }
}

const checks = new OptionChecks('LOCKING.INVALID_OPTION', 'InMemoryIdempotencyStore');

/** A duration above 0 (a TTL of 0 expires as it is claimed: such a key could never be completed). */
function ttlOption(option: string, value: number | undefined, fallback: number | undefined): number {
  return checks.number(option, value, fallback, { above: 0 });
}

function recordKey(merchantId: string, key: string): string {
  return `${merchantId}\u0000${key}`;
}
