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
 * `orchestration_overhead_us` is the time per payment spent outside persistence (repository and
 * idempotency store) and outside the gateway: one payment at a time, every port call is timed,
 * and what remains of the wall time is the orchestrator's own work (validation, fingerprint,
 * routing, breaker, deadline, metrics, result).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CryptoIdGenerator, CryptoRandom, SystemClock, type CreatePaymentInput } from '@aegispay/domain';
import { createSimulatedGateways } from '@aegispay/gateways';
import { PaymentOrchestrator } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { createDataSource, migrate, TypeOrmIdempotencyStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { printTable, round } from '../harness';
import { compare, lifecycleRaw, rawSqlite } from './locking.bench';

const OVERHEAD_PAYMENTS = 2_000;

/** Time spent inside the wrapped objects' async methods, in nanoseconds. */
interface Meter {
  ns: bigint;
}

/** Wraps every method of `target` so the time until its promise settles is added to `meter`. */
function timed<T extends object>(target: T, meter: Meter): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = process.hrtime.bigint();
        const result = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (result instanceof Promise) {
          return result.finally(() => {
            meter.ns += process.hrtime.bigint() - started;
          });
        }
        meter.ns += process.hrtime.bigint() - started;
        return result;
      };
    },
  });
}

let sequence = 0;
function request(): CreatePaymentInput {
  sequence += 1;
  return {
    merchantId: 'merchant_bench',
    amount: 12_500,
    currency: 'EUR',
    paymentMethod: { type: 'CARD', token: 'tok_bench' },
    customerId: 'customer_1',
    metadata: { country: 'DE', region: 'EU' },
    idempotencyKey: `bench-${process.pid}-${sequence}`,
  };
}

async function orchestrator(file: string, meters?: { persistence: Meter; gateway: Meter }): Promise<{ pay(): Promise<void>; close(): Promise<void> }> {
  const dataSource = await createDataSource({ url: `sqlite:${file}` });
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
  let repository = new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } });
  let idempotency = new TypeOrmIdempotencyStore(dataSource, { clock });
  let gatewayPorts = gateways;
  if (meters !== undefined) {
    repository = timed(repository, meters.persistence);
    idempotency = timed(idempotency, meters.persistence);
    gatewayPorts = gateways.map((gateway) => timed(gateway, meters.gateway));
  }
  const metrics = new GatewayMetricsCollector({ clock });
  const pipeline = new PaymentOrchestrator({
    repository,
    idempotency,
    gateways: gatewayPorts,
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
      if (result.outcome !== 'SUCCEEDED') throw new Error(`pipeline: unexpected ${result.outcome} ${result.code ?? ''}`);
    },
    close: () => dataSource.destroy(),
  };
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

    // Overhead: one payment at a time, every port call timed.
    const meters = { persistence: { ns: 0n }, gateway: { ns: 0n } };
    const metered = await orchestrator(join(directory, 'metered.sqlite'), meters);
    for (let i = 0; i < 200; i += 1) await metered.pay(); // warm-up
    meters.persistence.ns = 0n;
    meters.gateway.ns = 0n;
    const started = process.hrtime.bigint();
    for (let i = 0; i < OVERHEAD_PAYMENTS; i += 1) await metered.pay();
    const wallNs = Number(process.hrtime.bigint() - started);
    await metered.close();
    const perPayment = (ns: number): number => ns / OVERHEAD_PAYMENTS / 1_000;
    const persistenceUs = perPayment(Number(meters.persistence.ns));
    const gatewayUs = perPayment(Number(meters.gateway.ns));
    const overheadUs = perPayment(wallNs) - persistenceUs - gatewayUs;

    printTable('payments through the pipeline vs the raw persistence work (SQLite, synchronous FULL)', [
      { path: 'PaymentOrchestrator (idempotency key, 3 versioned writes, gateway)', 'payments/s': round(comparison.ours, 1), 'median ms': round(comparison.oursMs, 3) },
      { path: 'raw better-sqlite3 (create + 3 transitions)', 'payments/s': round(comparison.raw, 1), 'median ms': round(comparison.rawMs, 3) },
    ]);
    printTable(`where one payment's time goes (${OVERHEAD_PAYMENTS} payments, one at a time)`, [
      { part: 'persistence (repository + idempotency store)', 'µs per payment': round(persistenceUs, 1) },
      { part: 'gateway (zero-latency simulation)', 'µs per payment': round(gatewayUs, 1) },
      { part: 'orchestration (everything else)', 'µs per payment': round(overheadUs, 1) },
      { part: 'total', 'µs per payment': round(perPayment(wallNs), 1) },
    ]);
    return {
      bench: 'pipeline',
      payments_per_s: round(comparison.ours, 1),
      ratio_vs_raw_persistence: round(comparison.ratio, 3),
      orchestration_overhead_us: round(overheadUs, 1),
      raw_persistence_per_s: round(comparison.raw, 1),
      persistence_us: round(persistenceUs, 1),
      gateway_us: round(gatewayUs, 1),
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
