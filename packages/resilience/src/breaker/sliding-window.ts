/** How the failure and slow-call rates are measured. See {@link CircuitBreakerOptions.slidingWindowType}. */
export type SlidingWindowType = 'count' | 'time';

/** Serialized window contents, part of a breaker snapshot. */
export type SlidingWindowSnapshot =
  /** Outcomes of the last calls, oldest first: bit 0 = failed, bit 1 = slow. */
  | { readonly type: 'count'; readonly size: number; readonly outcomes: readonly number[] }
  /**
   * One-second buckets, oldest first, ending with the bucket of second `lastSecond`
   * (`floor(epochMs / 1000)`): `[calls, failures, slow]` each.
   */
  | { readonly type: 'time'; readonly size: number; readonly lastSecond: number; readonly buckets: readonly (readonly [number, number, number])[] };

/**
 * @internal The calls a breaker judges its gateway by. Updates and reads are O(1) (amortised for
 * the time window), so the breaker's hot path does not grow with the window.
 */
export interface SlidingWindow {
  /** Calls in the window. Call {@link advance} first when time may have passed. */
  readonly calls: number;
  readonly failures: number;
  readonly slowCalls: number;
  /** Drops what fell out of the window by `now` (no-op for a count window). */
  advance(now: number): void;
  record(now: number, failed: boolean, slow: boolean): void;
  clear(): void;
  toJSON(): SlidingWindowSnapshot;
  /** Loads a snapshot taken from a window of the same type (a different size keeps the most recent part). */
  restore(snapshot: SlidingWindowSnapshot): void;
}

const FAILED = 1;
const SLOW = 2;

/** @internal The last `size` calls, in a ring buffer of outcome bits. */
export class CountSlidingWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  private readonly outcomes: Uint8Array;
  private next = 0;

  constructor(readonly size: number) {
    this.outcomes = new Uint8Array(size);
  }

  advance(): void {
    // A count window does not age.
  }

  record(_now: number, failed: boolean, slow: boolean): void {
    if (this.calls === this.size) {
      const evicted = this.outcomes[this.next] as number;
      this.failures -= evicted & FAILED;
      this.slowCalls -= (evicted & SLOW) >> 1;
    } else {
      this.calls += 1;
    }
    const outcome = (failed ? FAILED : 0) | (slow ? SLOW : 0);
    this.outcomes[this.next] = outcome;
    this.failures += outcome & FAILED;
    this.slowCalls += (outcome & SLOW) >> 1;
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
  }

  clear(): void {
    this.calls = 0;
    this.failures = 0;
    this.slowCalls = 0;
    this.next = 0;
    this.outcomes.fill(0);
  }

  toJSON(): SlidingWindowSnapshot {
    const outcomes: number[] = [];
    const start = this.calls === this.size ? this.next : 0;
    for (let i = 0; i < this.calls; i += 1) outcomes.push(this.outcomes[(start + i) % this.size] as number);
    return { type: 'count', size: this.size, outcomes };
  }

  restore(snapshot: SlidingWindowSnapshot): void {
    this.clear();
    if (snapshot.type !== 'count') return;
    for (const outcome of snapshot.outcomes.slice(-this.size)) this.record(0, (outcome & FAILED) !== 0, (outcome & SLOW) !== 0);
  }
}

const BUCKET_MS = 1_000;

/** @internal The calls of the last `size` seconds, aggregated per one-second bucket (as resilience4j does). */
export class TimeSlidingWindow implements SlidingWindow {
  calls = 0;
  failures = 0;
  slowCalls = 0;
  private readonly bucketCalls: Float64Array;
  private readonly bucketFailures: Float64Array;
  private readonly bucketSlow: Float64Array;
  /** The second of the newest bucket; -Infinity while empty. */
  private lastSecond = -Infinity;

  constructor(readonly size: number) {
    this.bucketCalls = new Float64Array(size);
    this.bucketFailures = new Float64Array(size);
    this.bucketSlow = new Float64Array(size);
  }

  advance(now: number): void {
    const second = Math.floor(now / BUCKET_MS);
    // A clock that steps back keeps writing into the newest bucket rather than corrupting the ring.
    if (second <= this.lastSecond) return;
    if (this.lastSecond === -Infinity || second - this.lastSecond >= this.size) {
      if (this.calls !== 0) this.clearBuckets();
    } else {
      for (let s = this.lastSecond + 1; s <= second; s += 1) this.evict(mod(s, this.size));
    }
    this.lastSecond = second;
  }

  record(now: number, failed: boolean, slow: boolean): void {
    this.advance(now);
    const index = mod(this.lastSecond, this.size);
    this.bucketCalls[index] = (this.bucketCalls[index] as number) + 1;
    this.calls += 1;
    if (failed) {
      this.bucketFailures[index] = (this.bucketFailures[index] as number) + 1;
      this.failures += 1;
    }
    if (slow) {
      this.bucketSlow[index] = (this.bucketSlow[index] as number) + 1;
      this.slowCalls += 1;
    }
  }

  clear(): void {
    this.clearBuckets();
    this.lastSecond = -Infinity;
  }

  toJSON(): SlidingWindowSnapshot {
    const buckets: [number, number, number][] = [];
    if (this.lastSecond !== -Infinity) {
      for (let s = this.lastSecond - this.size + 1; s <= this.lastSecond; s += 1) {
        const i = mod(s, this.size);
        buckets.push([this.bucketCalls[i] as number, this.bucketFailures[i] as number, this.bucketSlow[i] as number]);
      }
    }
    return { type: 'time', size: this.size, lastSecond: this.lastSecond === -Infinity ? 0 : this.lastSecond, buckets };
  }

  restore(snapshot: SlidingWindowSnapshot): void {
    this.clear();
    if (snapshot.type !== 'time' || snapshot.buckets.length === 0) return;
    const kept = snapshot.buckets.slice(-this.size);
    this.lastSecond = snapshot.lastSecond;
    for (let k = 0; k < kept.length; k += 1) {
      const second = snapshot.lastSecond - kept.length + 1 + k;
      const i = mod(second, this.size);
      const [calls, failures, slow] = kept[k] as readonly [number, number, number];
      this.bucketCalls[i] = calls;
      this.bucketFailures[i] = failures;
      this.bucketSlow[i] = slow;
      this.calls += calls;
      this.failures += failures;
      this.slowCalls += slow;
    }
  }

  private evict(index: number): void {
    this.calls -= this.bucketCalls[index] as number;
    this.failures -= this.bucketFailures[index] as number;
    this.slowCalls -= this.bucketSlow[index] as number;
    this.bucketCalls[index] = 0;
    this.bucketFailures[index] = 0;
    this.bucketSlow[index] = 0;
  }

  private clearBuckets(): void {
    this.bucketCalls.fill(0);
    this.bucketFailures.fill(0);
    this.bucketSlow.fill(0);
    this.calls = 0;
    this.failures = 0;
    this.slowCalls = 0;
  }
}

function mod(n: number, m: number): number {
  const r = n % m;
  return r < 0 ? r + m : r;
}

/** @internal An empty window of `type` holding `size` calls (`count`) or seconds (`time`). */
export function createSlidingWindow(type: SlidingWindowType, size: number): SlidingWindow {
  return type === 'count' ? new CountSlidingWindow(size) : new TimeSlidingWindow(size);
}
