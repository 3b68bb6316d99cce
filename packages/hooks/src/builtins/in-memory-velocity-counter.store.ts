import type { VelocityCounterStore } from '@aegispay/domain';
import { hookOptionChecks } from '../errors/hook.errors';

/** Options of {@link InMemoryVelocityCounterStore}. */
export interface InMemoryVelocityCounterStoreOptions {
  /** Every this many records (a positive integer), keys nobody recorded to lately are swept out. Defaults to 1 000. */
  readonly sweepEvery?: number;
}

interface Bucket {
  /** Event id → time, in recording order. */
  readonly events: Map<string, number>;
  readonly windowMs: number;
}

/**
 * A {@link VelocityCounterStore} in this process's memory: exact sliding windows, atomic because
 * JavaScript runs one call at a time. Memory is bounded by the events inside each key's window;
 * keys that fall idle are swept out periodically.
 *
 * Counts are kept per key and window: two checks sharing one store with different windows (10 a
 * minute and 100 an hour for one merchant) each count every event of their own window.
 *
 * Events are expected in time order (a clock that does not go back). After the clock jumps
 * back, an event may be counted a little longer than its window — the safe direction for a fraud
 * limit.
 */
export class InMemoryVelocityCounterStore implements VelocityCounterStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sweepEvery: number;
  private recordsSinceSweep = 0;

  /** @throws InvalidOptionError `HOOK.INVALID_OPTION` when `sweepEvery` is not a positive integer. */
  constructor(options: InMemoryVelocityCounterStoreOptions = {}) {
    this.sweepEvery = hookOptionChecks('InMemoryVelocityCounterStore').integer('sweepEvery', options.sweepEvery, 1_000, { min: 1 });
  }

  record(key: string, eventId: string, at: number, windowMs: number): number {
    // One bucket per window: pruning for a short window must not drop what a longer one still counts.
    const id = bucketId(key, windowMs);
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      bucket = { events: new Map(), windowMs };
      this.buckets.set(id, bucket);
    }
    prune(bucket.events, at - windowMs);
    if (!bucket.events.has(eventId)) bucket.events.set(eventId, at);
    const count = bucket.events.size;
    if (++this.recordsSinceSweep >= this.sweepEvery) this.sweep(at);
    return count;
  }

  /** How many events `key` has in the window `(at − windowMs, at]`, without recording one. */
  count(key: string, at: number, windowMs: number): number {
    const events = this.buckets.get(bucketId(key, windowMs))?.events;
    if (events === undefined) return 0;
    let count = 0;
    for (const time of events.values()) if (time > at - windowMs && time <= at) count += 1;
    return count;
  }

  /** Number of (key, window) counters held (for monitoring memory). */
  get keyCount(): number {
    return this.buckets.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.buckets.clear();
    this.recordsSinceSweep = 0;
  }

  private sweep(now: number): void {
    this.recordsSinceSweep = 0;
    for (const [key, bucket] of this.buckets) {
      prune(bucket.events, now - bucket.windowMs);
      if (bucket.events.size === 0) this.buckets.delete(key);
    }
  }
}

function bucketId(key: string, windowMs: number): string {
  return `${windowMs}\u0000${key}`;
}

/** Drops the oldest events up to `cutoff` (inclusive); recording order is time order. */
function prune(events: Map<string, number>, cutoff: number): void {
  for (const [id, time] of events) {
    if (time > cutoff) return;
    events.delete(id);
  }
}
