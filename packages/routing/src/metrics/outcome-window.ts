import type { Int32Histogram } from 'hdr-histogram-js';
import { MAX_TRACKED_LATENCY_MS, createLatencyHistogram, latencyToUnits, percentilesOf, type LatencyPercentiles } from './latency-histogram';
import { OutcomeKind } from './gateway-attempt-outcome';

// Module bindings are read once: loaders that compile each file with esbuild (tsx, which
// `npm run bench -- metrics` uses) turn every access to an imported binding into a getter call.
// There, recordPayment costs ×1.8 without these constants and those of the collector (358 against
// 195 ns, in-process A/B, medians of interleaved rounds); built with tsc, as published, it makes
// no difference (×1.02).
const APPROVED = OutcomeKind.Approved;
const SOFT_DECLINE = OutcomeKind.SoftDecline;
const HARD_DECLINE = OutcomeKind.HardDecline;
const FAILURE = OutcomeKind.Failure;
const toUnits = latencyToUnits;
const MAX_LATENCY_MS = MAX_TRACKED_LATENCY_MS;

/** Distinct error codes kept per bucket; further codes are counted as `OTHER`. */
export const MAX_ERROR_CODES_PER_BUCKET = 32;
const OTHER_ERRORS = 'OTHER';

/** Running sums of a set of outcomes. */
class Totals {
  count = 0;
  answered = 0;
  approved = 0;
  declines = 0;
  hardDeclines = 0;
  latencySum = 0;
  costSum = 0;
  costCount = 0;
  costedAmount = 0;
  amountSum = 0;

  clear(): void {
    this.count = 0;
    this.answered = 0;
    this.approved = 0;
    this.declines = 0;
    this.hardDeclines = 0;
    this.latencySum = 0;
    this.costSum = 0;
    this.costCount = 0;
    this.costedAmount = 0;
    this.amountSum = 0;
  }

  add(kind: OutcomeKind, latencyMs: number, amount: number, cost: number | undefined): void {
    this.count += 1;
    if (kind !== FAILURE) this.answered += 1;
    if (kind === APPROVED) this.approved += 1;
    else if (kind === SOFT_DECLINE) this.declines += 1;
    else if (kind === HARD_DECLINE) {
      this.declines += 1;
      this.hardDeclines += 1;
    }
    this.latencySum += latencyMs;
    this.amountSum += amount;
    if (cost !== undefined) {
      this.costSum += cost;
      this.costCount += 1;
      this.costedAmount += amount;
    }
  }

  addAll(other: Totals): void {
    this.count += other.count;
    this.answered += other.answered;
    this.approved += other.approved;
    this.declines += other.declines;
    this.hardDeclines += other.hardDeclines;
    this.latencySum += other.latencySum;
    this.costSum += other.costSum;
    this.costCount += other.costCount;
    this.costedAmount += other.costedAmount;
    this.amountSum += other.amountSum;
  }
}

/** One time slice of the window: its sums, its latency histogram and its error codes. */
class Bucket extends Totals {
  start = 0;
  readonly histogram: Int32Histogram = createLatencyHistogram();
  errors: Map<string, number> | undefined;

  open(start: number): void {
    this.clear();
    this.start = start;
    this.histogram.reset();
    this.errors?.clear();
  }

  addError(code: string): void {
    this.errors ??= new Map();
    const known = this.errors.get(code);
    if (known !== undefined) this.errors.set(code, known + 1);
    else if (this.errors.size < MAX_ERROR_CODES_PER_BUCKET) this.errors.set(code, 1);
    else this.errors.set(OTHER_ERRORS, (this.errors.get(OTHER_ERRORS) ?? 0) + 1);
  }
}

/**
 * The outcomes of one gateway over the last `windowSize` ms: a ring of at most `bucketCount`
 * buckets, each covering at most `windowSize / bucketCount` ms and at most `capacity` outcomes.
 *
 * - Memory is fixed by `bucketCount` (one histogram per bucket plus one), whatever the traffic.
 * - A bucket leaves the window as soon as its first outcome is older than `windowSize`, so no
 *   outcome older than the window ever counts; the window therefore covers between
 *   `windowSize − windowSize/bucketCount` and `windowSize`.
 * - When a bucket fills up under heavy traffic a new one opens, evicting the oldest if the ring
 *   is full, so at most `bucketCount × capacity ≤ maxEntries` outcomes count.
 * - Recording touches only the newest bucket's histogram; the older buckets' histograms are
 *   summed into `closed` when a bucket closes and subtracted from it when one is evicted, so a
 *   percentile query is one pass over two histograms.
 */
export class OutcomeWindow {
  /** Changes on every recorded or evicted outcome. */
  revision = 0;
  /** Changes when a bucket opens or leaves the window. */
  layoutRevision = 0;
  /** Clock time of the last recorded outcome. */
  lastRecordedAt: number | null = null;

  private readonly slots: Bucket[] = [];
  private head = 0;
  private size = 0;
  private readonly closed: Int32Histogram = createLatencyHistogram();
  /** Sums of every bucket but the newest, recomputed when a bucket opens or leaves. */
  private readonly closedTotals = new Totals();
  /** Sums of the whole window, rebuilt on demand from `closedTotals` and the newest bucket. */
  private readonly totals = new Totals();
  private totalsRevision = -1;

  constructor(
    private readonly windowSize: number,
    private readonly bucketCount: number,
    private readonly bucketSpan: number,
    private readonly capacity: number,
  ) {}

  /** Adds one outcome at clock time `now`. */
  record(now: number, kind: OutcomeKind, latencyMs: number, amount: number, cost: number | undefined, errorCode: string | undefined): void {
    // The histogram caps latencies at MAX_TRACKED_LATENCY_MS; the average must see the same value,
    // or one absurd latency would make it disagree with every percentile.
    if (latencyMs > MAX_LATENCY_MS) latencyMs = MAX_LATENCY_MS;
    this.expire(now);
    let bucket = this.size === 0 ? undefined : (this.slots[(this.head + this.size - 1) % this.bucketCount] as Bucket);
    if (bucket === undefined || now - bucket.start >= this.bucketSpan || bucket.count >= this.capacity) bucket = this.open(now);
    bucket.add(kind, latencyMs, amount, cost);
    bucket.histogram.recordValue(toUnits(latencyMs));
    if (errorCode !== undefined) bucket.addError(errorCode);
    this.lastRecordedAt = now;
    this.revision += 1;
  }

  /** Drops the buckets whose first outcome is older than the window at `now`. */
  expire(now: number): void {
    while (this.size > 0 && now - (this.slots[this.head] as Bucket).start > this.windowSize) this.evictOldest();
  }

  /** Sums over the window (call {@link expire} first). */
  get sums(): Readonly<Totals> {
    if (this.totalsRevision !== this.revision) {
      this.totals.clear();
      this.totals.addAll(this.closedTotals);
      if (this.size > 0) this.totals.addAll(this.slots[(this.head + this.size - 1) % this.bucketCount] as Bucket);
      this.totalsRevision = this.revision;
    }
    return this.totals;
  }

  /** Start of the oldest bucket, `null` when the window is empty. */
  get start(): number | null {
    return this.size === 0 ? null : (this.slots[this.head] as Bucket).start;
  }

  /** Latency percentiles over the window, `null` when it is empty. */
  percentiles(): LatencyPercentiles | null {
    if (this.size === 0) return null;
    return percentilesOf(this.closed, this.slots[(this.head + this.size - 1) % this.bucketCount]?.histogram);
  }

  /** Error and decline codes counted over the window. */
  errorCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let i = 0; i < this.size; i++) {
      const errors = (this.slots[(this.head + i) % this.bucketCount] as Bucket).errors;
      if (errors === undefined) continue;
      for (const [code, count] of errors) counts[code] = (counts[code] ?? 0) + count;
    }
    return counts;
  }

  private open(now: number): Bucket {
    if (this.size === this.bucketCount) this.evictOldest();
    if (this.size > 0) {
      const newest = this.slots[(this.head + this.size - 1) % this.bucketCount] as Bucket;
      this.closed.add(newest.histogram);
      this.closedTotals.addAll(newest);
    }
    const slot = (this.head + this.size) % this.bucketCount;
    const bucket = (this.slots[slot] ??= new Bucket());
    bucket.open(now);
    this.size += 1;
    this.layoutRevision += 1;
    return bucket;
  }

  private evictOldest(): void {
    const oldest = this.slots[this.head] as Bucket;
    // The newest bucket is never part of `closed`; when it is the last one, `closed` is empty.
    if (this.size > 1) this.closed.subtract(oldest.histogram);
    this.head = (this.head + 1) % this.bucketCount;
    this.size -= 1;
    // Recomputing the sums from the remaining buckets keeps floating-point drift from piling up.
    this.closedTotals.clear();
    for (let i = 0; i < this.size - 1; i++) this.closedTotals.addAll(this.slots[(this.head + i) % this.bucketCount] as Bucket);
    this.layoutRevision += 1;
    this.revision += 1;
  }
}
