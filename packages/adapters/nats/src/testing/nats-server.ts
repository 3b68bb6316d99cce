import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** The `nats-server` executable. Defaults to {@link findNatsServer}'s answer. */
  readonly binary?: string;
  /** Client port on 127.0.0.1; 0 lets the server pick a free one (kept across restarts). Defaults to 0. */
  readonly port?: number;
  /** JetStream's store directory. Defaults to a new temporary directory, removed by `dispose()`. */
  readonly storeDir?: string;
  /** Where that temporary directory is made (without `storeDir`). Defaults to the system's temporary directory. */
  readonly tempDir?: string;
  /** How long the server may take to say it is ready. Defaults to 20 000 ms. */
  readonly readyTimeoutMs?: number;
}

/** A `nats-server` with JetStream, run as a child process for tests. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Whether the process is running. */
  readonly isRunning: boolean;
  /** Stops the process (`SIGTERM`: a clean shutdown; `SIGKILL`: a crash) and waits for it to exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and store (what JetStream stored on file is still there). */
  restart(): Promise<void>;
  /** Stops it and removes a store directory it created. */
  dispose(): Promise<void>;
}

const DEFAULT_LOCATIONS = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'];

/**
 * Where `nats-server` is: `$NATS_SERVER_BIN`, then the usual locations, then the `PATH`; `undefined`
 * when there is none (tests that need one skip with a line saying so).
 */
export function findNatsServer(): string | undefined {
  const candidates = [process.env['NATS_SERVER_BIN'], ...DEFAULT_LOCATIONS, ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'nats-server'))];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && isExecutable(candidate));
}

/**
 * Starts `nats-server -js` on 127.0.0.1 with its own store directory and resolves once it
 * accepts clients. It can be stopped — cleanly or with `SIGKILL` — and restarted on the same port
 * and store mid-test.
 *
 * @throws Error when there is no `nats-server`, or it exits or stays silent before it is ready.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = options.binary ?? findNatsServer();
  if (binary === undefined) throw new Error('nats-server was not found (set NATS_SERVER_BIN, or install it: apt-get install nats-server).');
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(options.tempDir ?? tmpdir(), 'aegispay-nats-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  let port = options.port ?? 0;
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = await launchServer(binary, port, storeDir, readyTimeoutMs);
    child = started.child;
    port = started.port;
  };
  try {
    await launch();
  } catch (error) {
    if (ownStore) rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };

  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storeDir,
    get isRunning() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    dispose: async () => {
      await stop();
      if (ownStore) rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Starts one server process and resolves with it and its port once it says it is ready. */
function launchServer(binary: string, port: number, storeDir: string, readyTimeoutMs: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', port === 0 ? '-1' : String(port), '-js', '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let listening: number | undefined;
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => fail(new Error(`nats-server was not ready within ${readyTimeoutMs} ms:\n${log}`)), readyTimeoutMs);
    deadline.unref();
    const fail = (error: Error): void => {
      clearTimeout(deadline);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`nats-server exited (${signal ?? String(code)}) before it was ready:\n${log}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (log.length < 20_000) log += chunk.toString();
      listening ??= Number(/Listening for client connections on [^\s]+:(\d+)/.exec(log)?.[1] ?? Number.NaN) || undefined;
      if (listening !== undefined && log.includes('Server is ready')) {
        clearTimeout(deadline);
        child.removeAllListeners('exit');
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve({ child, port: listening });
      }
    });
  });
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
