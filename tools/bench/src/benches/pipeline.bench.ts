/**
 * `npm run bench -- pipeline [seconds per comparison, default 4]`: payments per second through
 * `PaymentOrchestrator` on SQLite (TypeORM, the adapter's default settings) with zero-latency
 * simulated gateways, against the raw persistence work alone — the locking benchmark's raw path,
 * create + three versioned transitions with outbox rows on bare better-sqlite3 — in the same run.
 *
 * Each orchestrated payment carries an idempotency key, as every API request does: it is claimed
 * and completed in the idempotency store, stored `PENDING`, moved to `PROCESSING`, charged, and
 * stored `PAID`, each write with its outbox rows.
 *
 * `orchestration_overhead_us` is the time per payment spent outside persistence and outside the
 * gateway, measured as a difference within one run: the median time of one payment through the
 * pipeline, minus the median time of exactly the persistence work the pipeline does for it
 * (claim the idempotency key, insert, two versioned updates through `VersionedPaymentService`,
 * complete the key — the same domain operations, the same stores, the same SQLite settings), minus
 * the median time of one zero-latency gateway charge. Both loops run one payment at a time in
 * alternating rounds, so disk, cache and garbage-collection effects of the database hit both alike.
 * (Timing each port call inside the pipeline instead would charge the timer's own promise hops and
 * the database's cache pollution to the orchestrator.)
 *
 * The headline overhead is measured with SQLite's `synchronous = NORMAL` on both sides; the same
 * figure with the default `FULL` is printed and returned alongside
 * (`orchestration_overhead_full_sync_us`). The orchestrator's code is the same in both; an fsync
 * per commit only adds jitter of its own size to the difference of two ~1 ms medians, plus the
 * cache and scheduling disruption every blocking fsync leaves behind for whatever code runs next.
 *
 * `orchestration_cpu_us` (issue 14 §3) is the figure that can show whether the orchestrator is
 * cheap enough, because it takes the database and the clock out of the measurement
 * (`src/pipeline/orchestration-cpu.ts`). Two loops take payments one at a time, entirely in memory
 * (the `@aegispay/locking` in-memory stores under an `InMemoryUnitOfWork`, a zero-latency simulated
 * acquirer approving every card), and each is charged the process CPU time (`process.cpuUsage()`,
 * user + system, all threads) it used over `BENCH_PIPELINE_CPU_PAYMENTS` payments (20 000):
 * - the pipeline: `PaymentOrchestrator.processPayment` as the app composes it (routing, breakers,
 *   metrics, a hook executor with no hooks, the idempotency protocol, versioned writes);
 * - the floor, which is what is subtracted: the work any implementation must do for the same
 *   approved payment, straight on the same ports — `Payment.create`, claim the idempotency key,
 *   insert, `startProcessing` written by compare-and-swap (one unit of work), one charge at the
 *   same zero-latency gateway, `recordAttempt` + `markSucceeded` written by compare-and-swap and
 *   the key completed with the answer (a second unit of work). The gateway's own work and the
 *   in-memory writes (codec copies, outbox appends) are in it: they are not orchestration.
 * `orchestration_cpu_us` is the median over `BENCH_PIPELINE_CPU_ROUNDS` rounds (5, after a
 * 5 000-payment warm-up of each loop) of pipeline − floor within the same round; the two loops
 * alternate which runs first and each round builds fresh stores for both, so they hold the same
 * live data and pay the same garbage collection. The difference is meaningful where the old
 * `orchestration_overhead_us` was not: CPU time does not count waiting (fsync, other processes on
 * the shared cores, timers), so neither side carries the other's I/O jitter; and each side is a
 * total over tens of thousands of payments (seconds of CPU), so timer resolution and one GC pause
 * are rounding errors. What remains is the code the orchestrator runs around the same writes.
 * The per-payment CPU of the pipeline, of the floor and of the charge alone are printed beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoIdGenerator, CryptoRandom, Payment, SystemClock, type CreatePaymentInput } from '@aegispay/domain';
import { createSimulatedGateways } from '@aegispay/gateways';
import { VersionedPaymentService } from '@aegispay/locking';
import { PaymentOrchestrator, requestFingerprint } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { createDataSource, migrate, TypeOrmIdempotencyStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { measure, printTable, round } from '../harness';
import { benchPaymentRequest, measureOrchestrationCpu } from '../pipeline/orchestration-cpu';
import { compare, lifecycleRaw, rawSqlite } from './locking.bench';

const request = (): CreatePaymentInput => benchPaymentRequest('bench');

async function orchestrator(file: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Promise<{ pay(): Promise<void>; close(): Promise<void> }> {
  const dataSource = await createDataSource({ url: `sqlite:${file}`, synchronous });
  await migrate(dataSource);
  const clock = new SystemClock();
  const random = new CryptoRandom();
  const ids = new CryptoIdGenerator();
  const gateways = Object.values(
    createSimulatedGateways({
      clock,
      random,
      ids,
      zeroLatency: true,
      profiles: Object.fromEntries(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'].map((name) => [name, { approvalRate: 1, technicalFailureRate: 0 }])),
    }),
  );
  const repository = new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } });
  const idempotency = new TypeOrmIdempotencyStore(dataSource, { clock });
  const metrics = new GatewayMetricsCollector({ clock });
  const pipeline = new PaymentOrchestrator({
    repository,
    idempotency,
    gateways,
    routing: new IntelligentRoutingEngine(metrics, { clock, random }),
    metrics,
    breakers: new CircuitBreakerManager({ clock }),
    clock,
    random,
    ids,
  });
  return {
    pay: async () => {
      const result = await pipeline.processPayment(request());
      if (result.outcome !== 'SUCCEEDED') throw new Error(`pipeline: unexpected ${result.outcome}: ${result.reason}`);
    },
    close: () => dataSource.destroy(),
  };
}

/**
 * Exactly the persistence work the pipeline does for one approved payment, without the pipeline:
 * the same stores on the same settings, the same domain operations, the same stored answer.
 */
async function persistenceOnly(file: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Promise<{ pay(): Promise<void>; close(): Promise<void> }> {
  const dataSource = await createDataSource({ url: `sqlite:${file}`, synchronous });
  await migrate(dataSource);
  const clock = new SystemClock();
  const ids = new CryptoIdGenerator();
  const deps = { clock, ids };
  const repository = new TypeOrmPaymentRepository(dataSource, { clock, dependencies: deps });
  const idempotency = new TypeOrmIdempotencyStore(dataSource, { clock });
  const payments = new VersionedPaymentService<Payment>(repository, { clock, random: new CryptoRandom() });
  return {
    pay: async () => {
      const input = request();
      const payment = Payment.create(input, deps);
      const key = payment.idempotencyKey as string;
      const fingerprint = requestFingerprint(input);
      await idempotency.peek(payment.merchantId, key, fingerprint);
      await idempotency.begin(payment.merchantId, key, fingerprint);
      payment.startProcessing();
      payment.beginAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, deadline: clock.now() + 10_000 });
      const stored = await repository.insert(payment);
      const paid = await payments.update(stored.id, (p) => {
        p.settleAttempt(`${p.id}:1`, { outcome: 'APPROVED', latencyMs: 0, gatewayReference: 'ch_1' });
        p.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
      });
      await idempotency.complete(paid.merchantId, key, { outcome: 'SUCCEEDED', paymentId: paid.id, payment: paid.toSnapshot() });
    },
    close: () => dataSource.destroy(),
  };
}

/** One zero-latency simulated charge, the gateway's share of a payment. */
async function gatewayOnly(): Promise<() => Promise<void>> {
  const clock = new SystemClock();
  const ids = new CryptoIdGenerator();
  const gateway = createSimulatedGateways({ clock, random: new CryptoRandom(), ids, zeroLatency: true, profiles: { STRIPE: { approvalRate: 1, technicalFailureRate: 0 } } }).STRIPE;
  return async () => {
    const payment = Payment.create(request(), { clock, ids });
    await gateway.charge({ reference: `${payment.id}:1`, paymentId: payment.id, merchantId: payment.merchantId, amount: payment.money, paymentMethod: payment.paymentMethod });
  };
}

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${String(raw)}`);
  return value;
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const time = Math.max(1_600, Number(args[0] ?? 4) * 1_000 || 4_000);
  const directory = mkdtempSync(join(tmpdir(), 'aegispay-bench-pipeline-'));
  try {
    // Throughput: the orchestrator against the raw persistence path, in alternating rounds.
    const ours = await orchestrator(join(directory, 'pipeline.sqlite'));
    const rawFile = join(directory, 'raw.sqlite');
    const rawSchema = await createDataSource({ url: `sqlite:${rawFile}` });
    await migrate(rawSchema);
    await rawSchema.destroy();
    const raw = rawSqlite(rawFile, 'FULL');
    const comparison = await compare(ours.pay, () => lifecycleRaw(raw.driver), time);
    raw.close();
    await ours.close();

    // Overhead: the pipeline against exactly its persistence work, in alternating rounds — with
    // SQLite's synchronous = NORMAL (headline) and with the default FULL (shown alongside).
    const overhead = async (sync: 'FULL' | 'NORMAL'): Promise<{ pipelineUs: number; persistenceUs: number }> => {
      const pipeline = await orchestrator(join(directory, `overhead-pipeline-${sync}.sqlite`), sync);
      const persistence = await persistenceOnly(join(directory, `overhead-persistence-${sync}.sqlite`), sync);
      const split = await compare(pipeline.pay, persistence.pay, time);
      await pipeline.close();
      await persistence.close();
      return { pipelineUs: split.oursMs * 1_000, persistenceUs: split.rawMs * 1_000 };
    };
    const normal = await overhead('NORMAL');
    const full = await overhead('FULL');
    const charge = await gatewayOnly();
    const gatewayUs = (((await measure({ charge }, { time: 500, warmupTime: 200 }))['charge']?.medianNs ?? 0) / 1e6) * 1_000;
    const overheadUs = normal.pipelineUs - normal.persistenceUs - gatewayUs;
    const overheadFullUs = full.pipelineUs - full.persistenceUs - gatewayUs;
    const cpu = await measureOrchestrationCpu(positiveEnv('BENCH_PIPELINE_CPU_PAYMENTS', 20_000), positiveEnv('BENCH_PIPELINE_CPU_ROUNDS', 5));

    printTable('payments through the pipeline vs the raw persistence work (SQLite, synchronous FULL)', [
      { path: 'PaymentOrchestrator (idempotency key, 3 versioned writes, gateway)', 'payments/s': round(comparison.ours, 1), 'median ms': round(comparison.oursMs, 3) },
      { path: 'raw better-sqlite3 (create + 3 transitions)', 'payments/s': round(comparison.raw, 1), 'median ms': round(comparison.rawMs, 3) },
    ]);
    printTable("where one payment's time goes (medians, one payment at a time, alternating rounds)", [
      { part: 'the whole pipeline', 'NORMAL µs': round(normal.pipelineUs, 1), 'FULL µs': round(full.pipelineUs, 1) },
      { part: 'its persistence work alone (idempotency, insert, 2 versioned updates)', 'NORMAL µs': round(normal.persistenceUs, 1), 'FULL µs': round(full.persistenceUs, 1) },
      { part: 'one zero-latency gateway charge', 'NORMAL µs': round(gatewayUs, 1), 'FULL µs': round(gatewayUs, 1) },
      { part: 'orchestration = pipeline − persistence − gateway', 'NORMAL µs': round(overheadUs, 1), 'FULL µs': round(overheadFullUs, 1) },
    ]);
    printTable(`CPU per payment in memory (process.cpuUsage over ${cpu.payments} payments per loop, median of ${cpu.rounds} rounds)`, [
      { loop: 'the pipeline (PaymentOrchestrator, in-memory stores, zero-latency gateway)', 'CPU µs': round(cpu.pipelineUs, 1) },
      { loop: 'the floor (domain work + the same writes + one charge, no orchestrator)', 'CPU µs': round(cpu.floorUs, 1) },
      { loop: '  of which one zero-latency charge', 'CPU µs': round(cpu.chargeUs, 1) },
      { loop: 'orchestration = pipeline − floor (median of per-round differences)', 'CPU µs': round(cpu.orchestrationUs, 1) },
    ]);
    console.log(`per round (pipeline / floor µs): ${cpu.perRound.map((x) => `${x.pipelineUs.toFixed(1)} / ${x.floorUs.toFixed(1)}`).join(', ')}`);
    return {
      bench: 'pipeline',
      payments_per_s: round(comparison.ours, 1),
      ratio_vs_raw_persistence: round(comparison.ratio, 3),
      orchestration_overhead_us: round(overheadUs, 1),
      orchestration_overhead_full_sync_us: round(overheadFullUs, 1),
      raw_persistence_per_s: round(comparison.raw, 1),
      persistence_us: round(normal.persistenceUs, 1),
      gateway_us: round(gatewayUs, 1),
      orchestration_cpu_us: round(cpu.orchestrationUs, 1),
      pipeline_cpu_us: round(cpu.pipelineUs, 1),
      floor_cpu_us: round(cpu.floorUs, 1),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
