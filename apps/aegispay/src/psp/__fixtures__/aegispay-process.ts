import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (this file is `apps/aegispay/src/psp/__fixtures__/aegispay-process.ts`). */
const REPO_ROOT = resolve(__dirname, '../../../../..');
const APP_ROOT = join(REPO_ROOT, 'apps/aegispay');

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

/** `aegispay serve` running as its own process. */
export interface AegisPayProcess {
  readonly url: string;
  readonly pid: number;
  /** SIGKILL: a crash, nothing flushed or closed; resolves once the process is gone. */
  kill(): Promise<NodeJS.Signals | number | null>;
  /** SIGTERM (a graceful shutdown); resolves with the exit code. */
  stop(): Promise<NodeJS.Signals | number | null>;
}

/**
 * Starts `aegispay serve` as its own process on `port`, configured only by environment variables
 * as an operator would, and resolves once `/healthz` answers (within `readyWithinMs`, 90 s by
 * default: a start on a loaded machine). It runs the app's sources through tsx (the README's
 * "the API runs the same under tsc and under esbuild/tsx"), so it is the code under test, not a
 * build that may be stale. Its output goes to `logFile`.
 */
export async function startAegisPayProcess(options: { readonly port: number; readonly env: Readonly<Record<string, string>>; readonly logFile: string; readonly readyWithinMs?: number }): Promise<AegisPayProcess> {
  const log = openSync(options.logFile, 'a');
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: join(APP_ROOT, 'tsconfig.json'), AEGISPAY_HOST: '127.0.0.1', AEGISPAY_PORT: String(options.port), ...options.env };
  for (const name of ['AEGISPAY_CONFIG_FILE', 'AEGISPAY_CHAOS', 'AEGISPAY_BINDINGS', 'AEGISPAY_SEED']) if (!(name in options.env)) delete env[name];
  const child = spawn(process.execPath, ['--conditions=@aegispay/source', '--import', 'tsx', join(APP_ROOT, 'src/main.ts'), 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<NodeJS.Signals | number | null>((done) => child.once('exit', (code, signal) => done(signal ?? code)));
  const url = `http://127.0.0.1:${options.port}`;
  const end = async (signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  await untilHealthy(child, url, options.readyWithinMs ?? 90_000, options.logFile);
  return { url, pid: child.pid ?? -1, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

async function untilHealthy(child: ChildProcess, url: string, withinMs: number, logFile: string): Promise<void> {
  const giveUpAt = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`aegispay serve exited before answering /healthz:\n${tail(logFile)}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > giveUpAt) {
      child.kill('SIGKILL');
      throw new Error(`aegispay serve did not answer /healthz within ${withinMs} ms:\n${tail(logFile)}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

/** The last lines of a log file. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
