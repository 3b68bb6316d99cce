/**
 * `npm run bench -- breaker [rounds]`: per-call overhead of a circuit breaker's `execute` over a
 * bare async call, on the success path (breaker closed) and on the fail-fast path (breaker open),
 * for @aegispay/resilience, opossum 9 and cockatiel 3, all in the same process run.
 *
 * The three breakers are configured as equivalently as they allow: a 50 % failure-rate threshold
 * with a 20-call minimum (count window of 100 where the library has one; opossum only has a
 * time-based rolling window), no per-call timeout, no latency percentiles, no listeners, and a
 * long open period so the open path never probes. Each is opened the same way: by failing calls.
 * Each measured function awaits a batch of BATCH sequential calls; figures are per call.
 *
 * Two of our defaults are lighter than the peers' fixed behaviour: calls are not timed unless
 * slow-call detection is on, and refusals carry no stack trace unless `rejectionStackTraces` is
 * on. The table also shows ours with both turned on (informational rows, not in the ratio).
 */
import { EnhancedCircuitBreaker } from '@aegispay/resilience';
import { CircuitState, CountBreaker, circuitBreaker, handleAll } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { measure, printTable, round } from '../harness';

const BATCH = 1_000;
const OPEN_FOR_MS = 3_600_000;

const ok = (): Promise<number> => Promise.resolve(1);
const boom = new Error('gateway down');
const fail = (): Promise<number> => Promise.reject(boom);

interface Breakers {
  ours: EnhancedCircuitBreaker;
  opossum: CircuitBreaker<[], number>;
  cockatiel: ReturnType<typeof circuitBreaker>;
}

function createBreakers(action: () => Promise<number>): Breakers {
  return {
    ours: new EnhancedCircuitBreaker('BENCH', {
      failureThreshold: 1_000_000, // rate-based only, as the peers
      failureRateThreshold: 0.5,
      minimumNumberOfCalls: 20,
      slidingWindowSize: 100,
      openTimeout: OPEN_FOR_MS,
    }),
    opossum: new CircuitBreaker(action, {
      timeout: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 20,
      resetTimeout: OPEN_FOR_MS,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    }),
    cockatiel: circuitBreaker(handleAll, {
      halfOpenAfter: OPEN_FOR_MS,
      breaker: new CountBreaker({ threshold: 0.5, size: 100, minimumNumberOfCalls: 20 }),
    }),
  };
}

async function swallow(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch {
    // the open path rejects by design
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const rounds = Math.max(1, Number(args[0] ?? 3) || 3);
  const closed = createBreakers(ok);
  const open = createBreakers(fail);
  const oursTimed = new EnhancedCircuitBreaker('BENCH', { failureThreshold: 1_000_000, minimumNumberOfCalls: 20, openTimeout: OPEN_FOR_MS, slowCallDurationThreshold: 60_000 });
  const oursWithStacks = new EnhancedCircuitBreaker('BENCH', { failureThreshold: 1_000_000, minimumNumberOfCalls: 20, openTimeout: OPEN_FOR_MS, rejectionStackTraces: true });
  for (let i = 0; i < 40; i += 1) {
    await swallow(oursWithStacks.execute(fail));
    await swallow(open.ours.execute(fail));
    await swallow(open.opossum.fire());
    await swallow(open.cockatiel.execute(fail));
  }
  if (oursWithStacks.state !== 'OPEN' || open.ours.state !== 'OPEN' || !open.opossum.opened || open.cockatiel.state !== CircuitState.Open) {
    throw new Error('benchmark setup: every open-path breaker must be open');
  }

  const tasks: Record<string, () => Promise<void>> = {
    'bare async call': async () => {
      for (let i = 0; i < BATCH; i += 1) await ok();
    },
    'aegispay success': async () => {
      for (let i = 0; i < BATCH; i += 1) await closed.ours.execute(ok);
    },
    'opossum success': async () => {
      for (let i = 0; i < BATCH; i += 1) await closed.opossum.fire();
    },
    'cockatiel success': async () => {
      for (let i = 0; i < BATCH; i += 1) await closed.cockatiel.execute(ok);
    },
    'aegispay success, slow-call timing on (info)': async () => {
      for (let i = 0; i < BATCH; i += 1) await oursTimed.execute(ok);
    },
    'aegispay open reject': async () => {
      for (let i = 0; i < BATCH; i += 1) await swallow(open.ours.execute(ok));
    },
    'opossum open reject': async () => {
      for (let i = 0; i < BATCH; i += 1) await swallow(open.opossum.fire());
    },
    'cockatiel open reject': async () => {
      for (let i = 0; i < BATCH; i += 1) await swallow(open.cockatiel.execute(ok));
    },
    'aegispay open reject, stack traces on (info)': async () => {
      for (let i = 0; i < BATCH; i += 1) await swallow(oursWithStacks.execute(ok));
    },
  };

  const perCall: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r += 1) {
    const results = await measure(tasks, { time: 600, warmupTime: 200 });
    for (const [name, m] of Object.entries(results)) (perCall[name] ??= []).push(m.medianNs / BATCH);
  }
  closed.opossum.shutdown();
  open.opossum.shutdown();

  const ns = (name: string): number => median(perCall[name] ?? [Number.NaN]);
  const bare = ns('bare async call');
  const overhead = (name: string): number => ns(name) - bare;
  const figures = {
    success_overhead_ns: overhead('aegispay success'),
    opossum_success_overhead_ns: overhead('opossum success'),
    cockatiel_success_overhead_ns: overhead('cockatiel success'),
    open_reject_ns: overhead('aegispay open reject'),
    opossum_open_reject_ns: overhead('opossum open reject'),
    cockatiel_open_reject_ns: overhead('cockatiel open reject'),
  };
  const successRatio = figures.success_overhead_ns / Math.min(figures.opossum_success_overhead_ns, figures.cockatiel_success_overhead_ns);
  const openRatio = figures.open_reject_ns / Math.min(figures.opossum_open_reject_ns, figures.cockatiel_open_reject_ns);

  printTable(
    `Per-call cost, ns (median of ${rounds} round(s), batches of ${BATCH}; overhead = call − bare async call)`,
    Object.keys(tasks).map((name) => ({
      task: name,
      'ns/call': round(ns(name), 1),
      'overhead ns': name === 'bare async call' ? '—' : round(overhead(name), 1),
      rounds: (perCall[name] ?? []).map((v) => v.toFixed(0)).join(' / '),
    })),
  );
  printTable('Ratios (ours / faster peer; ≤ 1.0 means at least as fast)', [
    { path: 'success', ratio: round(successRatio, 3) },
    { path: 'open reject', ratio: round(openRatio, 3) },
  ]);

  return {
    bench: 'breaker',
    ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v, 1)])),
    ratio_vs_best_peer: round(Math.max(successRatio, openRatio), 3),
  };
}
