import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A process started by a test: how it ended, and what it printed. */
export interface TestProcess {
  readonly child: ChildProcess;
  /** Resolves when it has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stdout and stderr so far (for a failure's message). */
  output(): string;
}

/** A server process and the URL it listens on. */
export interface ListeningProcess extends TestProcess {
  readonly url: string;
}

const APP_MAIN = join(__dirname, '..', '..', 'main.ts');
const STRIPE_STUB_MAIN = require.resolve('@aegispay/stripe/package.json').replace(/package\.json$/, join('src', 'testing', 'stub', 'stripe-stub.main.ts'));

/** Forks a TypeScript file through tsx, on the workspace sources (the app's tsconfig: its decorators). */
function forkTypeScript(script: string, args: readonly string[], env: Readonly<Record<string, string>>): TestProcess {
  const child = fork(script, [...args], {
    execArgv: ['--conditions=@aegispay/source', '--import', 'tsx'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(__dirname, '..', '..', '..', 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

/** Resolves with what `found` finds in the output once it finds something; rejects if the process exits first. */
function waitFor<T>(process: TestProcess, found: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const look = (): boolean => {
      const value = found();
      if (value === undefined) return false;
      resolve(value);
      return true;
    };
    if (look()) return;
    const onData = (): void => {
      if (look()) {
        process.child.stdout?.off('data', onData);
        process.child.off('message', onData);
      }
    };
    process.child.stdout?.on('data', onData);
    process.child.on('message', onData);
    void process.exited.then(({ code, signal }) => reject(new Error(`the process exited (${code ?? signal}) before it was ready:\n${process.output()}`)));
  });
}

/**
 * `aegispay serve` in its own process, from the sources, with `args` and `env` over the current
 * environment; resolves once it logs the URL it listens on.
 */
export async function startServerProcess(args: readonly string[], env: Readonly<Record<string, string>>): Promise<ListeningProcess> {
  const server = forkTypeScript(APP_MAIN, ['serve', '--port', '0', ...args], { AEGISPAY_LOG_LEVEL: 'info', ...env });
  const url = await waitFor(server, () => /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"AegisPay API listening on/.exec(server.output())?.[1]);
  return { ...server, url };
}

/** The Stripe stub of `@aegispay/stripe/testing` in its own process, its ledger in `databaseFile`; resolves once it listens. */
export async function startStripeStubProcess(databaseFile: string): Promise<ListeningProcess> {
  const stub = forkTypeScript(STRIPE_STUB_MAIN, ['--port', '0', '--database', databaseFile], {});
  let ready: string | undefined;
  stub.child.on('message', (message: { kind?: string; url?: string }) => {
    if (message.kind === 'ready') ready = message.url;
  });
  const url = await waitFor(stub, () => ready);
  return { ...stub, url };
}

/** Kills `process` with SIGKILL (if still running) and resolves once it is gone. */
export async function killHard(process: TestProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
  return process.exited;
}
