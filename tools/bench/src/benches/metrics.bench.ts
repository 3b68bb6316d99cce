/**
 * `npm run bench -- metrics`: cost of `GatewayMetricsCollector.recordPayment` and of
 * `getMetrics` (with p50/p95/p99) at 10 000 outcomes in the window, against a naive reference
 * measured in the same run (every entry kept, latencies sorted on each query), and the heap
 * growth between 10⁵ and 10⁶ recorded outcomes.
 *
 * A query is measured right after a record, so no cache can answer it: both implementations pay
 * `record + query`, and their own record cost is subtracted.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { GatewayMetricsCollector, type GatewayAttemptOutcome } from '@aegispay/routing';
import { SystemClock, VirtualClock } from '@aegispay/domain';
import { measure, printTable, round } from '../harness';

const WINDOW_ENTRIES = 10_000;
const BATCH = 256;

/** The naive reference: what a first implementation does (keep every entry, sort per query). */
class NaiveMetrics {
  private readonly entries: { at: number; success: boolean; latency: number; amount: number; cost: number }[] = [];
  private head = 0;

  constructor(
    private readonly windowSize: number,
    private readonly maxEntries: number,
  ) {}

  record(at: number, outcome: GatewayAttemptOutcome): void {
    const entry = { at, success: outcome.success, latency: outcome.latency, amount: outcome.amount, cost: outcome.cost ?? 0 };
    if (this.entries.length < this.maxEntries) this.entries.push(entry);
    else {
      this.entries[this.head] = entry;
      this.head = (this.head + 1) % this.maxEntries;
    }
  }

  query(now: number): { successRate: number; p50: number; p95: number; p99: number; averageLatency: number; totalCost: number } {
    const latencies: number[] = [];
    let successes = 0;
    let latencySum = 0;
    let totalCost = 0;
    for (const entry of this.entries) {
      if (now - entry.at > this.windowSize) continue;
      latencies.push(entry.latency);
      if (entry.success) successes += 1;
      latencySum += entry.latency;
      totalCost += entry.cost;
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number): number => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
    return { successRate: successes / latencies.length, p50: at(50), p95: at(95), p99: at(99), averageLatency: latencySum / latencies.length, totalCost };
  }
}

function outcomes(count: number): GatewayAttemptOutcome[] {
  // Deterministic spread of latencies (log-normal-ish around 250 ms) and outcomes.
  return Array.from({ length: count }, (_, i) => {
    const u = ((i * 7_919) % 10_007) / 10_007;
    const latency = 80 * Math.exp(2.2 * u * u);
    return i % 13 === 0
      ? { success: false, latency: latency * 4, amount: 2_500, errorCode: 'HTTP_503' }
      : { success: true, latency, amount: 2_500 + (i % 50) * 100, cost: 75 };
  });
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

export async function run(): Promise<Record<string, unknown>> {
  const samples = outcomes(4_096);
  const clock = new SystemClock();
  const collector = new GatewayMetricsCollector({ clock, windowSize: 3_600_000, maxEntries: WINDOW_ENTRIES });
  const naive = new NaiveMetrics(3_600_000, WINDOW_ENTRIES);
  for (let i = 0; i < WINDOW_ENTRIES; i++) {
    const outcome = samples[i % samples.length] as GatewayAttemptOutcome;
    collector.recordPayment('STRIPE', outcome);
    naive.record(clock.now(), outcome);
  }
  const volume = collector.getMetrics('STRIPE').volume;

  let k = 0;
  let sink = 0;
  const next = (): GatewayAttemptOutcome => samples[(k = (k + 1) & 4_095)] as GatewayAttemptOutcome;
  const results = await measure(
    {
      'record (aegispay)': () => {
        for (let i = 0; i < BATCH; i++) collector.recordPayment('STRIPE', next());
      },
      'record + query (aegispay)': () => {
        for (let i = 0; i < 16; i++) {
          collector.recordPayment('STRIPE', next());
          sink += collector.getMetrics('STRIPE').p99Latency ?? 0;
        }
      },
      'query, cached (aegispay)': () => {
        for (let i = 0; i < BATCH; i++) sink += collector.getMetrics('STRIPE').p95Latency ?? 0;
      },
      'record (naive)': () => {
        for (let i = 0; i < BATCH; i++) naive.record(clock.now(), next());
      },
      'record + query (naive)': () => {
        naive.record(clock.now(), next());
        sink += naive.query(clock.now()).p99;
      },
    },
    { time: 1_500 },
  );
  if (Number.isNaN(sink)) throw new Error('unreachable');
  const ns = (name: string, perCall: number): number => (results[name]?.medianNs ?? Number.NaN) / perCall;
  const recordNs = ns('record (aegispay)', BATCH);
  const queryNs = ns('record + query (aegispay)', 16) - recordNs;
  const naiveRecordNs = ns('record (naive)', BATCH);
  const naiveQueryNs = ns('record + query (naive)', 1) - naiveRecordNs;

  // Heap: one collector, four gateways, outcomes every 5 ms of virtual time (so both the
  // time-based and the size-based rotation run), measured after 10⁵ and after 10⁶ outcomes.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const virtual = new VirtualClock();
  const heapCollector = new GatewayMetricsCollector({ clock: virtual });
  const gateways = ['STRIPE', 'ADYEN', 'SQUARE', 'PAYPAL'];
  const feed = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      heapCollector.recordPayment(gateways[i & 3] as string, samples[i & 4_095] as GatewayAttemptOutcome);
      virtual.tick(5);
    }
  };
  feed(0, 100_000);
  const heapAt1e5 = heapAfterGc(gc);
  feed(100_000, 1_000_000);
  const heapAt1e6 = heapAfterGc(gc);
  if (heapCollector.getMetrics('STRIPE').volume > WINDOW_ENTRIES) throw new Error('window exceeded maxEntries');
  const heapGrowth = heapAt1e6 - heapAt1e5;

  printTable(`metrics: one gateway with ${volume} outcomes in the window (ns per call, medians)`, [
    { operation: 'recordPayment', aegispay: round(recordNs, 0), naive: round(naiveRecordNs, 0) },
    { operation: 'getMetrics after a record (p50/p95/p99)', aegispay: round(queryNs, 0), naive: round(naiveQueryNs, 0) },
    { operation: 'getMetrics, nothing changed (cached)', aegispay: round(ns('query, cached (aegispay)', BATCH), 0), naive: '-' },
  ]);
  printTable('heap (4 gateways, default options, after gc)', [
    { after: '10^5 outcomes', 'heapUsed MB': round(heapAt1e5 / 1e6, 2) },
    { after: '10^6 outcomes', 'heapUsed MB': round(heapAt1e6 / 1e6, 2) },
    { after: 'growth', 'heapUsed MB': round(heapGrowth / 1e6, 3) },
  ]);
  return {
    bench: 'metrics',
    record_ns: round(recordNs, 0),
    query_ns: round(queryNs, 0),
    naive_query_ns: round(naiveQueryNs, 0),
    query_speedup: round(naiveQueryNs / queryNs, 1),
    heap_growth_bytes: heapGrowth,
  };
}
