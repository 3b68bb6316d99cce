import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { StripeStubControl } from './stub-control';
import { connectStripeStub } from './stub-control.http';
import { STRIPE_STUB_DEFAULTS } from './stripe-stub';

/** Options of {@link startStripeStubProcess}: those of the `aegispay-stripe-stub` command. */
export interface StripeStubProcessOptions {
  /** The SQLite file of the ledger; the same file after a restart brings the stub back as it was. Required. */
  readonly databaseFile: string;
  /** Defaults to 0 (any free port); give the port of a stub that was stopped to restart it at the same URL. */
  readonly port?: number;
  /** Defaults to `STRIPE_STUB_DEFAULTS.secretKey`. */
  readonly secretKey?: string;
  /** Where the stub POSTs its signed events, and the signing secret (`STRIPE_STUB_DEFAULTS.webhookSecret` by default). No webhooks without it. */
  readonly webhook?: { readonly url: string; readonly secret?: string };
}

/** A Stripe stub running as its own process. */
export interface StripeStubProcess {
  readonly url: string;
  readonly port: number;
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly pid: number;
  /** Its control API, over HTTP. */
  readonly control: StripeStubControl;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing survives but what the ledger committed), then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts the Stripe stub as its own Node.js process (the `aegispay-stripe-stub` command) and
 * resolves once it listens. From sources (tests) it runs the TypeScript entry with tsx; installed,
 * the built one.
 */
export async function startStripeStubProcess(options: StripeStubProcessOptions): Promise<StripeStubProcess> {
  const fromSource = __filename.endsWith('.ts');
  const main = join(__dirname, fromSource ? 'stripe-stub.main.ts' : 'stripe-stub.main.js');
  const secretKey = options.secretKey ?? STRIPE_STUB_DEFAULTS.secretKey;
  const webhookSecret = options.webhook?.secret ?? STRIPE_STUB_DEFAULTS.webhookSecret;
  const args = [...(fromSource ? ['--conditions=@aegispay/source', '--import', 'tsx'] : []), main, '--database', options.databaseFile, '--port', String(options.port ?? 0), '--secret-key', secretKey];
  if (options.webhook !== undefined) args.push('--webhook-url', options.webhook.url, '--webhook-secret', webhookSecret);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await readyLine(child, exited);
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url: ready.url,
    port: ready.port,
    secretKey,
    webhookSecret,
    pid: ready.pid,
    control: connectStripeStub({ url: ready.url, secretKey }),
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

interface ReadyLine {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
}

/** The JSON line the stub prints once it listens. */
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
    void exited.then(() => reject(new Error(`the Stripe stub process exited before listening: ${err.trim()}`)));
  });
}
