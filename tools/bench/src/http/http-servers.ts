/**
 * The servers the HTTP benchmarks drive, each a child process reached only over HTTP: the real
 * AegisPay server (`node apps/aegispay/dist/main.js serve`, configured by its documented
 * environment variables) and the raw baseline (`raw-server.ts`). Nothing here knows the app's
 * internals: start, wait for `/healthz`, read the process's CPU and memory from `/proc`, stop
 * with SIGTERM as an operator would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (this file is `tools/bench/src/http/http-servers.ts`). */
export const REPO_ROOT = resolve(__dirname, '../../../..');
const APP_MAIN = join(REPO_ROOT, 'apps/aegispay/dist/main.js');

/** One API key, one merchant: what the load sends as `Authorization: Bearer …`. */
export const BENCH_API_KEY = 'sk_bench_http_0123456789abcdef';
export const BENCH_MERCHANT = 'merchant_bench';

/** Where a server keeps its data: an SQLite file, or a PostgreSQL URL and a schema of its own. */
export type BenchDatabase = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };

/** A started server: its base URL, process id, log file, and how to stop it. */
export interface RunningServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`, default 40 000 ms). Resolves to the exit code or signal. */
  stop(graceMs?: number): Promise<string>;
}

/** Builds the app and the packages it loads (`nx run aegispay:build`); its output goes to stderr so stdout stays the bench's. */
export function buildApp(): void {
  const started = Date.now();
  const result = spawnSync('npx', ['nx', 'run', 'aegispay:build', '--outputStyle=static'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
    env: { ...process.env, NX_NO_CLOUD: process.env['NX_NO_CLOUD'] ?? 'true', NX_DAEMON: process.env['NX_DAEMON'] ?? 'false' },
  });
  if (result.status !== 0 || !existsSync(APP_MAIN)) throw new Error(`building the app failed (nx run aegispay:build exited ${String(result.status)})`);
  console.error(`built the app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** `-c` options every PostgreSQL connection of a server gets (through `PGOPTIONS`, which node-postgres reads). */
function pgOptions(database: BenchDatabase): Record<string, string> {
  if (database.kind !== 'postgres') return {};
  return { PGOPTIONS: `-c search_path=${database.schema} -c synchronous_commit=on` };
}

/** Options of {@link startAegisPay}. */
export interface AegisPayServerOptions {
  readonly database: BenchDatabase;
  readonly logFile: string;
  /** Extra `node` flags (`--cpu-prof`, `--require <probe>`, `--expose-gc`). */
  readonly nodeFlags?: readonly string[];
  /** Opens an IPC channel to the server (for a preloaded probe). Defaults to false. */
  readonly ipc?: boolean;
}

/**
 * Starts `aegispay serve` with zero-latency simulated gateways and the default durability
 * (SQLite `synchronous = FULL`, the adapter's default; PostgreSQL `synchronous_commit = on`),
 * `NODE_ENV=production`, one API key, default logging (pino lines to `logFile`).
 */
export async function startAegisPay(options: AegisPayServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const { database } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...pgOptions(database),
    NODE_ENV: 'production',
    AEGISPAY_DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
    AEGISPAY_PERSISTENCE: 'typeorm',
    AEGISPAY_ZERO_LATENCY: 'true',
    AEGISPAY_HOST: '127.0.0.1',
    AEGISPAY_PORT: String(port),
    AEGISPAY_API_KEYS: `${BENCH_API_KEY}=${BENCH_MERCHANT}`,
  };
  for (const name of ['AEGISPAY_CONFIG_FILE', 'AEGISPAY_CHAOS', 'AEGISPAY_BINDINGS', 'AEGISPAY_GATEWAYS', 'AEGISPAY_SEED']) delete env[name];
  return launch(`AegisPay (${database.kind})`, [...(options.nodeFlags ?? []), APP_MAIN, 'serve'], env, port, options.logFile, options.ipc ?? false);
}

/** Starts the raw baseline (`raw-server.ts`, under the same `tsx` loader as the bench) on `database`. */
export async function startRaw(database: BenchDatabase, logFile: string, pgPoolSize: number): Promise<RunningServer> {
  const port = await freePort();
  const env = {
    ...process.env,
    ...pgOptions(database),
    NODE_ENV: 'production',
    RAW_PORT: String(port),
    RAW_DATABASE_URL: database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url,
    RAW_PG_SCHEMA: database.kind === 'postgres' ? database.schema : '',
    RAW_PG_POOL_SIZE: String(pgPoolSize),
  };
  return launch(`raw (${database.kind})`, ['--import', 'tsx', join(__dirname, 'raw-server.ts')], env, port, logFile, false);
}

async function launch(name: string, args: readonly string[], env: NodeJS.ProcessEnv, port: number, logFile: string, ipc: boolean): Promise<RunningServer> {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', log, log, ...(ipc ? (['ipc'] as const) : [])] });
  closeSync(log);
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? String(code))));
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    name,
    url,
    pid: child.pid ?? -1,
    logFile,
    child,
    stop: async (graceMs = 40_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before listening:\n${tail(logFile)}`);
    if (await healthy(url)) return server;
    if (Date.now() > deadline) {
      await server.stop(1_000);
      throw new Error(`${name} did not answer /healthz within 90 s:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** The last lines of a log file, for an error message. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms, from `/proc/<pid>/stat`. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000) / TICKS_PER_SECOND;
}

/** Resident set size of a process in bytes, from `/proc/<pid>/status` (`VmRSS`). */
export function processRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? Number.NaN : Number(match[1]) * 1024;
}

/**
 * Waits until every process in `pids` is idle — less than 5 % of a core over 300 ms, twice in a
 * row — or `timeoutMs` passed (default 15 000 ms): after a round, the server may still be
 * publishing its outbox, and that work must not run during the other server's round.
 */
export async function waitIdle(pids: readonly number[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let before = pids.map(processCpuMs);
  while (quiet < 2 && Date.now() < deadline) {
    await sleep(300);
    const now = pids.map(processCpuMs);
    const busiest = Math.max(...now.map((cpu, i) => cpu - (before[i] ?? 0)));
    quiet = busiest < 15 ? quiet + 1 : 0;
    before = now;
  }
}
