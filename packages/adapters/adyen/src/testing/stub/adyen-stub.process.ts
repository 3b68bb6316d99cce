import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AdyenStubControlClient } from './stub-control';

/** Options of {@link startAdyenStubProcess}: those of the stub, without an in-process clock. */
export interface AdyenStubProcessOptions {
  /** The SQLite file of the ledger; the same file after a restart brings the stub back as it was. Required. */
  readonly databaseFile: string;
  /** Defaults to 0 (any free port); give a port to restart the stub at the same URL. */
  readonly port?: number;
  readonly apiKey?: string;
  readonly merchantAccount?: string;
  readonly hmacKey?: string;
  readonly notificationUrl?: string;
  /** Defaults to `auto`. */
  readonly notificationDelivery?: 'auto' | 'manual';
  readonly seed?: number;
}

/** An Adyen stub running as a child process. */
export interface AdyenStubProcess {
  readonly url: string;
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly hmacKey: string;
  readonly pid: number;
  /** Its control API over HTTP. */
  readonly control: AdyenStubControlClient;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing is flushed but what the ledger committed), then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts the Adyen stub as its own Node.js process (the command in the package README) and resolves
 * once it serves. From sources (tests) it runs the TypeScript entry with tsx; installed, the built
 * one.
 */
export async function startAdyenStubProcess(options: AdyenStubProcessOptions): Promise<AdyenStubProcess> {
  const fromSource = __filename.endsWith('.ts');
  const main = join(__dirname, fromSource ? 'adyen-stub.main.ts' : 'adyen-stub.main.js');
  const args = [...(fromSource ? ['--conditions=@aegispay/source', '--import', 'tsx'] : []), main, '--database', options.databaseFile];
  const flags: Record<string, string | number | undefined> = {
    '--port': options.port,
    '--api-key': options.apiKey,
    '--merchant-account': options.merchantAccount,
    '--hmac-key': options.hmacKey,
    '--notification-url': options.notificationUrl,
    '--delivery': options.notificationDelivery,
    '--seed': options.seed,
  };
  for (const [flag, value] of Object.entries(flags)) if (value !== undefined) args.push(flag, String(value));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await readyLine(child, exited);
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    ...ready,
    control: new AdyenStubControlClient(ready.url, ready.apiKey),
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

interface ReadyLine {
  readonly url: string;
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly hmacKey: string;
  readonly pid: number;
}

function readyLine(child: ChildProcess, exited: Promise<void>): Promise<ReadyLine> {
  return new Promise<ReadyLine>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as ReadyLine);
    });
    void exited.then(() => reject(new Error(`the Adyen stub process exited before serving: ${err.trim()}`)));
  });
}
