/**
 * `npm run bench -- http [--profile]`: `POST /v1/payments` over HTTP against the real server,
 * beside a raw baseline server, in the same run (issue 14 §1).
 *
 * It builds the app (`nx run aegispay:build`), then, per database — SQLite (fresh files) and
 * PostgreSQL (fresh schemas; skipped with one printed line when unreachable) — starts two child
 * processes: `node apps/aegispay/dist/main.js serve` (zero-latency simulated gateways, default
 * durability: SQLite `synchronous = FULL`, PostgreSQL `synchronous_commit = on`; `NODE_ENV=production`,
 * one API key, default logging to a file) and the raw baseline (`src/http/raw-server.ts`: `node:http`
 * and the bare driver — better-sqlite3 with the same pragmas, pg with a pool of the app's size —
 * one INSERT of a payment row per request). autocannon (in this process) sends valid payments,
 * each with its own `Idempotency-Key`, at each concurrency. After a warm-up of each server, rounds
 * are interleaved — AegisPay, raw, then raw, AegisPay in the next round, at each concurrency — and
 * before every round both servers are left to go idle (the AegisPay server publishes its outbox
 * after a round; that work must not land in the raw server's round). Figures are medians over
 * rounds; a round with a non-2xx answer or a request without an answer is kept out of the
 * medians and reported (table and warning line), never averaged in silently.
 *
 * Last line: `{"bench":"http","sqlite_payments_per_s","sqlite_ratio_vs_raw","sqlite_p99_ms","pg_…"}`:
 * payments per second and p99 at concurrency 16 (AegisPay's), each ratio (AegisPay ÷ raw payments
 * per second) the worse of the two concurrencies; `null` for a skipped database.
 *
 * `--profile` then runs the AegisPay server once more on SQLite under `node --cpu-prof` for one
 * concurrency-16 round (after its warm-up) and prints the top self-time functions and areas.
 *
 * Environment (defaults finish both databases in about four minutes on two cores, build included):
 * `BENCH_HTTP_ROUND_SECONDS` (5), `BENCH_HTTP_ROUNDS` (3), `BENCH_HTTP_WARMUP_SECONDS` (5, per
 * server and concurrency), `BENCH_HTTP_CONCURRENCY` (`16,64`), `BENCH_HTTP_DATABASES`
 * (`sqlite,postgres`), `BENCH_PG_URL` (else `AEGISPAY_TEST_PG_URL`, else
 * `postgres://postgres@127.0.0.1:5432/test`), `BENCH_SKIP_BUILD=1` (use the built app as it is).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable, round } from '../harness';
import { summariseCpuProfile } from '../http/cpu-profile';
import { APP_PG_POOL_SIZE, BenchDatabases, benchPostgresUrl, postgresUnreachable } from '../http/http-databases';
import { runLoad, type LoadResult } from '../http/http-load';
import { buildApp, startAegisPay, startRaw, waitIdle, type BenchDatabase, type RunningServer } from '../http/http-servers';

type Kind = 'sqlite' | 'postgres';

interface Settings {
  readonly roundSeconds: number;
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly concurrencies: readonly number[];
  readonly databases: readonly Kind[];
}

function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, got ${raw}`);
  return value;
}

function settings(): Settings {
  const concurrencies = (process.env['BENCH_HTTP_CONCURRENCY'] ?? '16,64').split(',').map((value) => Number(value.trim()));
  if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('BENCH_HTTP_CONCURRENCY must list whole numbers ≥ 1, e.g. 16,64');
  const databases = (process.env['BENCH_HTTP_DATABASES'] ?? 'sqlite,postgres').split(',').map((value) => value.trim());
  for (const database of databases) if (database !== 'sqlite' && database !== 'postgres') throw new Error(`BENCH_HTTP_DATABASES: unknown database ${database} (sqlite, postgres)`);
  return {
    roundSeconds: envNumber('BENCH_HTTP_ROUND_SECONDS', 5, 1),
    rounds: Math.round(envNumber('BENCH_HTTP_ROUNDS', 3, 1)),
    warmupSeconds: envNumber('BENCH_HTTP_WARMUP_SECONDS', 5, 0),
    concurrencies,
    databases: databases as Kind[],
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One server at one concurrency, over the rounds. */
interface Series {
  readonly server: 'AegisPay' | 'raw';
  readonly concurrency: number;
  readonly rounds: LoadResult[];
}

interface Summary {
  readonly server: string;
  readonly concurrency: number;
  readonly paymentsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cleanRounds: number;
  readonly failedRounds: number;
  readonly problems: string;
}

function summarise(series: Series): Summary {
  const clean = series.rounds.filter((r) => r.non2xx === 0 && r.errors === 0);
  const bad = series.rounds.filter((r) => r.non2xx > 0 || r.errors > 0);
  const problems = bad
    .map((r) => [r.errors > 0 ? `${r.errors} without answer` : '', ...Object.entries(r.statuses).map(([status, n]) => `${n}×${status}`)].filter(Boolean).join(' '))
    .join('; ');
  return {
    server: series.server,
    concurrency: series.concurrency,
    paymentsPerSecond: median(clean.map((r) => r.paymentsPerSecond)),
    p50Ms: median(clean.map((r) => r.p50Ms)),
    p99Ms: median(clean.map((r) => r.p99Ms)),
    cleanRounds: clean.length,
    failedRounds: bad.length,
    problems,
  };
}

/** Payments the AegisPay server says it answered, by outcome, from its Prometheus metrics. */
async function outcomesOf(server: RunningServer): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const outcomes: Record<string, number> = {};
  for (const match of text.matchAll(/^aegispay_payments_total\{[^}]*outcome="([A-Z_]+)"[^}]*\} (\d+)/gm)) {
    outcomes[match[1] as string] = (outcomes[match[1] as string] ?? 0) + Number(match[2]);
  }
  return outcomes;
}

interface DatabaseResult {
  readonly kind: Kind;
  readonly summaries: readonly Summary[];
  readonly outcomes: Record<string, number>;
  readonly answered2xx: number;
}

async function benchDatabase(kind: Kind, databases: BenchDatabases, directory: string, s: Settings): Promise<DatabaseResult> {
  const database = async (name: string): Promise<BenchDatabase> => (kind === 'sqlite' ? databases.sqlite(name) : databases.postgres(name));
  const ours = await startAegisPay({ database: await database('aegispay'), logFile: join(directory, `aegispay-${kind}.log`) });
  const raw = await startRaw(await database('raw'), join(directory, `raw-${kind}.log`), APP_PG_POOL_SIZE);
  const servers = { AegisPay: ours, raw } as const;
  const series = new Map<string, Series>();
  let runs = 0;
  let answered2xx = 0;
  const load = async (name: 'AegisPay' | 'raw', connections: number, seconds: number): Promise<LoadResult> => {
    await waitIdle([ours.pid, raw.pid]);
    runs += 1;
    const result = await runLoad({ url: servers[name].url, connections, seconds, keyPrefix: `bench-${kind}-${name}-${process.pid}-${runs}` });
    if (name === 'AegisPay') answered2xx += result.answered - result.non2xx;
    return result;
  };
  try {
    if (s.warmupSeconds > 0) {
      for (const c of s.concurrencies) for (const name of ['AegisPay', 'raw'] as const) await load(name, c, s.warmupSeconds);
    }
    for (let r = 0; r < s.rounds; r += 1) {
      for (const c of s.concurrencies) {
        for (const name of r % 2 === 0 ? (['AegisPay', 'raw'] as const) : (['raw', 'AegisPay'] as const)) {
          const result = await load(name, c, s.roundSeconds);
          const key = `${name}@${c}`;
          const entry = series.get(key) ?? { server: name, concurrency: c, rounds: [] };
          entry.rounds.push(result);
          series.set(key, entry);
          console.error(
            `${kind} round ${r + 1}/${s.rounds} c=${c} ${name}: ${result.paymentsPerSecond.toFixed(0)}/s p99 ${result.p99Ms} ms` +
              (result.non2xx + result.errors > 0 ? ` — ${result.non2xx} non-2xx, ${result.errors} errors` : ''),
          );
        }
      }
    }
    await waitIdle([ours.pid]);
    const outcomes = await outcomesOf(ours);
    return { kind, summaries: [...series.values()].map(summarise), outcomes, answered2xx };
  } finally {
    await Promise.all([ours.stop(), raw.stop()]);
  }
}

/** One AegisPay server on SQLite under `--cpu-prof`, one concurrency-16 round after its warm-up; prints where its time went. */
async function profile(databases: BenchDatabases, directory: string, s: Settings): Promise<void> {
  const profileDir = join(directory, 'cpu-profile');
  const window = { fromUs: 0, toUs: 0 };
  const server = await startAegisPay({
    database: databases.sqlite('profiled'),
    logFile: join(directory, 'aegispay-profiled.log'),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=200'],
  });
  try {
    await runLoad({ url: server.url, connections: 16, seconds: Math.max(s.warmupSeconds, 1), keyPrefix: `bench-profile-warm-${process.pid}` });
    await waitIdle([server.pid]);
    window.fromUs = Number(process.hrtime.bigint() / 1000n);
    const result = await runLoad({ url: server.url, connections: 16, seconds: s.roundSeconds, keyPrefix: `bench-profile-${process.pid}` });
    window.toUs = Number(process.hrtime.bigint() / 1000n);
    console.log(`\nprofiled round (SQLite, c=16, under --cpu-prof): ${result.paymentsPerSecond.toFixed(0)} payments/s, p99 ${result.p99Ms} ms`);
  } finally {
    await server.stop();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('the profiled server wrote no .cpuprofile (did it exit cleanly?)');
  const summary = summariseCpuProfile(join(profileDir, file), 25, window);
  const row = (x: { name: string; ms: number; share: number }): Record<string, string | number> => ({ 'self ms': round(x.ms, 0), 'busy %': round(x.share * 100, 1), where: x.name });
  const span = summary.windowed ? 'the measured round only' : 'the whole server life (no sample fell in the round: clocks differ?)';
  console.log(`(${span}: busy ${round(summary.busyMs / 1000, 1)} s, idle ${round(summary.idleMs / 1000, 1)} s of the event loop's thread)`);
  printTable('self time by area (share of busy time)', summary.areas.map(row));
  printTable('top functions by self time', summary.functions.map(row));
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const s = settings();
  if (process.env['BENCH_SKIP_BUILD'] !== '1') buildApp();
  const directory = mkdtempSync(join(tmpdir(), 'aegispay-bench-http-'));
  const pgUrl = benchPostgresUrl();
  const databases = new BenchDatabases(directory, pgUrl);
  const results = new Map<Kind, DatabaseResult>();
  try {
    for (const kind of s.databases) {
      if (kind === 'postgres') {
        const why = await postgresUnreachable(pgUrl);
        if (why !== null) {
          console.log(`PostgreSQL: skipped — ${pgUrl.replace(/\/\/[^@/]*@/, '//***@')} is unreachable (${why}); set BENCH_PG_URL to measure it.`);
          continue;
        }
        console.error(`PostgreSQL synchronous_commit (database default): ${await databases.postgresSetting('synchronous_commit')}; both servers set it to on`);
      }
      results.set(kind, await benchDatabase(kind, databases, directory, s));
    }
    printResults(results, s);
    if (args.includes('--profile')) await profile(databases, directory, s);
  } finally {
    await databases.drop().catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
  const figures = (kind: Kind): { perSecond: number | null; ratio: number | null; p99: number | null } => {
    const result = results.get(kind);
    if (result === undefined) return { perSecond: null, ratio: null, p99: null };
    const at = (server: string, c: number): Summary | undefined => result.summaries.find((x) => x.server === server && x.concurrency === c);
    const ratios = s.concurrencies.map((c) => (at('AegisPay', c)?.paymentsPerSecond ?? Number.NaN) / (at('raw', c)?.paymentsPerSecond ?? Number.NaN));
    const c16 = at('AegisPay', 16) ?? at('AegisPay', s.concurrencies[0] ?? 16);
    const finite = (value: number | undefined, digits: number): number | null => (value === undefined || !Number.isFinite(value) ? null : round(value, digits));
    return { perSecond: finite(c16?.paymentsPerSecond, 1), ratio: ratios.some((x) => !Number.isFinite(x)) ? null : finite(Math.min(...ratios), 3), p99: finite(c16?.p99Ms, 1) };
  };
  const sqlite = figures('sqlite');
  const pg = figures('postgres');
  return {
    bench: 'http',
    sqlite_payments_per_s: sqlite.perSecond,
    sqlite_ratio_vs_raw: sqlite.ratio,
    sqlite_p99_ms: sqlite.p99,
    pg_payments_per_s: pg.perSecond,
    pg_ratio_vs_raw: pg.ratio,
    pg_p99_ms: pg.p99,
  };
}

function printResults(results: ReadonlyMap<Kind, DatabaseResult>, s: Settings): void {
  const rows: Record<string, string | number>[] = [];
  const warnings: string[] = [];
  for (const result of results.values()) {
    for (const c of s.concurrencies) {
      const ours = result.summaries.find((x) => x.server === 'AegisPay' && x.concurrency === c);
      const raw = result.summaries.find((x) => x.server === 'raw' && x.concurrency === c);
      if (ours === undefined || raw === undefined) continue;
      const cell = (x: Summary): string => (Number.isFinite(x.paymentsPerSecond) ? `${x.paymentsPerSecond.toFixed(0)} (p50 ${x.p50Ms} / p99 ${x.p99Ms} ms)` : 'no clean round');
      rows.push({
        database: result.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL',
        concurrency: c,
        'AegisPay payments/s (p50 / p99)': cell(ours),
        'raw payments/s (p50 / p99)': cell(raw),
        ratio: round(ours.paymentsPerSecond / raw.paymentsPerSecond, 3),
        'rounds with errors': `${ours.failedRounds} / ${raw.failedRounds}`,
      });
      for (const x of [ours, raw]) {
        if (x.failedRounds > 0) warnings.push(`WARNING ${result.kind} c=${c} ${x.server}: ${x.failedRounds} of ${x.failedRounds + x.cleanRounds} rounds had errors, kept out of the medians: ${x.problems}`);
      }
    }
    const outcomes = Object.entries(result.outcomes).map(([outcome, n]) => `${n} ${outcome}`).join(', ');
    console.log(`${result.kind}: the AegisPay server counted ${outcomes || 'no payments'} (its /metrics) for ${result.answered2xx} 2xx answers received, warm-up included`);
  }
  printTable(`POST /v1/payments over HTTP: medians of ${s.rounds} rounds of ${s.roundSeconds} s, interleaved; ratio = AegisPay ÷ raw`, rows);
  for (const warning of warnings) console.log(warning);
}
