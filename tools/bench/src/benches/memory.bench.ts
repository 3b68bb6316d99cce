/**
 * `npm run bench -- memory`: does the server's memory stay flat? (issue 14 §4) Sends
 * `BENCH_MEMORY_PAYMENTS` (100 000) valid payments over HTTP to the real server
 * (`aegispay serve` on a fresh SQLite file, or PostgreSQL with `BENCH_MEMORY_DATABASE=postgres`;
 * zero-latency simulated gateways, as in the `http` bench) after a warm-up of
 * `BENCH_MEMORY_WARMUP` (10 000) payments, at concurrency `BENCH_MEMORY_CONCURRENCY` (16), and
 * samples the server's memory after the warm-up and every `BENCH_MEMORY_SAMPLE_EVERY` (10 000)
 * payments. Each sample waits for the server to go idle (its outbox relay done), then asks a probe
 * preloaded into the server (`src/http/memory-probe.cjs`, over IPC; the app exposes no process
 * metrics) for a full GC and `process.memoryUsage()`, and reads `VmRSS` from `/proc/<pid>/status`.
 *
 * Growth = last sample − the sample after warm-up. When the heap grew by 5 MB or more
 * (`BENCH_MEMORY_SNAPSHOTS=1` always, `0` never), a second server on a fresh database takes
 * `BENCH_MEMORY_DIAGNOSE_PAYMENTS` (20 000) payments between two heap snapshots and says where:
 * the classes whose objects grew, and the `Map`s, `Set`s and arrays whose backing stores grew,
 * named by what holds them. (Writing a snapshot leaves the server well over 100 MB of RSS larger,
 * so the measured server never takes one.) Last line: `{"bench":"memory","payments":…,"rss_growth_mb":…,"heap_growth_mb":…,…}`.
 * `BENCH_SKIP_BUILD=1` uses the built app as it is. At ~150 payments/s this takes about 12 minutes.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, round } from '../harness';
import { classTotals, collections, growthByHolder, readHeapSnapshot, type ClassTotal, type Collection, type HolderGrowth } from '../http/heap-snapshot';
import { BenchDatabases, benchPostgresUrl, postgresUnreachable } from '../http/http-databases';
import { runLoad } from '../http/http-load';
import { buildApp, processRssBytes, startAegisPay, waitIdle, type BenchDatabase, type RunningServer } from '../http/http-servers';

const MB = 1024 * 1024;

interface MemorySample {
  readonly payments: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly procRss: number;
}

function whole(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, got ${String(raw)}`);
  return value;
}

/** Sends `message` to the probe and resolves with its reply of the same type. */
function ask<T>(child: ChildProcess, message: { type: string; file?: string }, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`the memory probe did not answer ${message.type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: unknown): void => {
      if (typeof reply !== 'object' || reply === null || (reply as { type?: unknown }).type !== message.type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function sample(server: RunningServer, payments: number): Promise<MemorySample> {
  await waitIdle([server.pid], 60_000);
  const usage = await ask<{ rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }>(server.child, { type: 'sample' });
  return { payments, rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers, procRss: processRssBytes(server.pid) };
}

interface Phase {
  readonly payments: number;
  readonly warmup: number;
  readonly every: number;
  readonly concurrency: number;
  readonly snapshots: boolean;
  readonly label: string;
}

/** One server on a fresh database: warm-up, then payments in steps with a sample after each; heap snapshots around them when asked. */
async function runPhase(database: BenchDatabase, directory: string, phase: Phase): Promise<{ samples: MemorySample[]; failures: string[] }> {
  const server = await startAegisPay({
    database,
    logFile: join(directory, `aegispay-${phase.label}.log`),
    nodeFlags: ['--expose-gc', '--require', join(__dirname, '..', 'http', 'memory-probe.cjs')],
    ipc: true,
  });
  const samples: MemorySample[] = [];
  const failures: string[] = [];
  let loads = 0;
  const send = async (count: number, label: string): Promise<void> => {
    loads += 1;
    const result = await runLoad({ url: server.url, connections: phase.concurrency, amount: count, keyPrefix: `bench-memory-${process.pid}-${phase.label}-${loads}` });
    if (result.non2xx + result.errors > 0) failures.push(`${label}: ${result.non2xx} non-2xx ${JSON.stringify(result.statuses)}, ${result.errors} without answer`);
    console.error(`${phase.label} ${label}: ${count} payments at ${result.paymentsPerSecond.toFixed(0)}/s (p99 ${result.p99Ms} ms)`);
  };
  try {
    if (phase.warmup > 0) await send(phase.warmup, 'warm-up');
    samples.push(await sample(server, 0));
    const before = phase.snapshots ? readHeapSnapshot(await snapshot(server, join(directory, 'after-warmup.heapsnapshot'))) : null;
    for (let sent = 0; sent < phase.payments; ) {
      const count = Math.min(phase.every, phase.payments - sent);
      await send(count, `payments ${sent + 1}-${sent + count}`);
      sent += count;
      samples.push(await sample(server, sent));
    }
    if (before !== null) {
      const after = readHeapSnapshot(await snapshot(server, join(directory, 'end.heapsnapshot')));
      printGrowth(phase.payments, classTotals(before), classTotals(after), collections(before, 0), collections(after));
      printHolders(phase.payments, growthByHolder(before, after));
    }
  } finally {
    await server.stop();
  }
  return { samples, failures };
}

export async function run(): Promise<Record<string, unknown>> {
  const payments = whole('BENCH_MEMORY_PAYMENTS', 100_000, 1);
  const warmup = whole('BENCH_MEMORY_WARMUP', 10_000, 0);
  const every = whole('BENCH_MEMORY_SAMPLE_EVERY', 10_000, 1);
  const concurrency = whole('BENCH_MEMORY_CONCURRENCY', 16, 1);
  const diagnose = whole('BENCH_MEMORY_DIAGNOSE_PAYMENTS', 20_000, 1);
  const snapshots = process.env['BENCH_MEMORY_SNAPSHOTS'] ?? 'auto';
  const kind = process.env['BENCH_MEMORY_DATABASE'] ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`BENCH_MEMORY_DATABASE must be sqlite or postgres, got ${kind}`);
  if (process.env['BENCH_SKIP_BUILD'] !== '1') buildApp();

  const directory = mkdtempSync(join(tmpdir(), 'aegispay-bench-memory-'));
  const databases = new BenchDatabases(directory, benchPostgresUrl());
  const fresh = async (name: string): Promise<BenchDatabase> => (kind === 'sqlite' ? databases.sqlite(name) : databases.postgres(name));
  try {
    if (kind === 'postgres') {
      const why = await postgresUnreachable(benchPostgresUrl());
      if (why !== null) throw new Error(`PostgreSQL is unreachable (${why}); set BENCH_PG_URL or use BENCH_MEMORY_DATABASE=sqlite`);
    }
    const measured = await runPhase(await fresh('memory'), directory, { payments, warmup, every, concurrency, snapshots: false, label: 'measured' });
    const figures = report(measured.samples, payments, kind, measured.failures);
    const heapGrowthMb = Number(figures['heap_growth_mb']);
    if (snapshots === '1' || (snapshots === 'auto' && heapGrowthMb >= 5)) {
      // A snapshot costs the server well over 100 MB of RSS it keeps afterwards: never in the measured run.
      console.log(`\nwhere the heap grows: a second server, ${diagnose} payments between two heap snapshots (its RSS is not measured)`);
      await runPhase(await fresh('diagnosis'), directory, { payments: diagnose, warmup, every: diagnose, concurrency, snapshots: true, label: 'diagnosis' });
    }
    return figures;
  } finally {
    await databases.drop().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

async function snapshot(server: RunningServer, file: string): Promise<string> {
  await waitIdle([server.pid], 60_000);
  return (await ask<{ file: string }>(server.child, { type: 'snapshot', file })).file;
}

function report(samples: readonly MemorySample[], payments: number, kind: string, failures: readonly string[]): Record<string, unknown> {
  printTable(`AegisPay server memory (${kind}), sampled after a full GC once idle`, samples.map((x) => ({
    'payments after warm-up': x.payments,
    'RSS MB': round(x.rss / MB, 1),
    'heap used MB': round(x.heapUsed / MB, 1),
    'heap total MB': round(x.heapTotal / MB, 1),
    'external MB': round(x.external / MB, 1),
    'array buffers MB': round(x.arrayBuffers / MB, 1),
  })));
  for (const failure of failures) console.log(`WARNING ${failure}`);
  const first = samples[0] as MemorySample;
  const last = samples[samples.length - 1] as MemorySample;
  const perPayment = (bytes: number): number => (payments === 0 ? 0 : bytes / payments);
  console.log(`growth over ${payments} payments after warm-up: RSS ${round((last.rss - first.rss) / MB, 1)} MB, heap ${round((last.heapUsed - first.heapUsed) / MB, 1)} MB (${round(perPayment(last.heapUsed - first.heapUsed), 0)} bytes of heap per payment)`);
  return {
    bench: 'memory',
    database: kind,
    payments,
    rss_after_warmup_mb: round(first.rss / MB, 1),
    rss_end_mb: round(last.rss / MB, 1),
    rss_growth_mb: round((last.rss - first.rss) / MB, 1),
    heap_growth_mb: round((last.heapUsed - first.heapUsed) / MB, 1),
    external_growth_mb: round((last.external - first.external) / MB, 1),
    failed_requests: failures.length,
  };
}

function printGrowth(
  payments: number,
  beforeClasses: ReadonlyMap<string, ClassTotal>,
  afterClasses: ReadonlyMap<string, ClassTotal>,
  beforeCollections: ReadonlyMap<number, Collection>,
  afterCollections: ReadonlyMap<number, Collection>,
): void {
  const classes = [...afterClasses.values()]
    .map((x) => ({ x, before: beforeClasses.get(x.name) ?? { name: x.name, count: 0, bytes: 0 } }))
    .map(({ x, before }) => ({ name: x.name, count: x.count - before.count, bytes: x.bytes - before.bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 15);
  printTable(
    `heap growth by class over ${payments} payments (self size; heap snapshots after warm-up and at the end)`,
    classes.map((x) => ({ class: x.name, 'objects +': x.count, 'per payment': round(x.count / payments, 2), 'MB +': round(x.bytes / MB, 2) })),
  );
  const grown = [...afterCollections.values()]
    .map((x) => ({ x, before: beforeCollections.get(x.id)?.backingBytes ?? 0 }))
    .filter(({ x, before }) => x.backingBytes - before >= 256 * 1024)
    .sort((a, b) => b.x.backingBytes - b.before - (a.x.backingBytes - a.before))
    .slice(0, 12);
  printTable(
    'collections whose backing store grew (the entries they hold are counted in the classes above)',
    grown.map(({ x, before }) => ({ holder: x.label, kind: x.kind, 'backing MB before': round(before / MB, 2), 'backing MB after': round(x.backingBytes / MB, 2) })),
  );
}

function printHolders(payments: number, holders: readonly HolderGrowth[]): void {
  printTable(
    `new objects by what holds them over ${payments} payments (self size; first named holder up the retainer chain)`,
    holders.slice(0, 12).map((x) => ({ holder: x.holder, objects: x.objects, 'per payment': round(x.objects / payments, 2), MB: round(x.bytes / MB, 2), 'bytes per payment': round(x.bytes / payments, 0) })),
  );
}
