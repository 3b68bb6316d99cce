import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { StripeGateway } from '../../index';
import { aCharge, aDatabaseFile } from '../../__fixtures__/stub-harness';
import { connectStripeStub, STRIPE_STUB_DEFAULTS } from '../index';

const MAIN = join(__dirname, 'stripe-stub.main.ts');

/** Starts the stub process on `database` and resolves once it says where it listens. */
function startProcess(database: string, port = 0): Promise<{ child: ChildProcess; url: string; port: number; printed: () => string }> {
  const child = fork(MAIN, ['--database', database, '--port', String(port)], {
    execArgv: ['--conditions=@aegispay/source', '--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('message', (message: { kind?: string; url?: string; port?: number }) => {
      if (message.kind === 'ready') resolve({ child, url: message.url as string, port: message.port as number, printed: () => stdout.trim() });
    });
    child.once('exit', (code) => reject(new Error(`the stub process exited (${String(code)}):\n${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('the Stripe stub process (stripe-stub.main)', () => {
  const database = aDatabaseFile();
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    database.remove();
  });

  it('should serve the connector and its control API, survive a SIGKILL on its ledger file, and stop on SIGTERM', async () => {
    const first = await startProcess(database.file);
    children.push(first.child);
    const address = { host: '127.0.0.1', port: first.port, protocol: 'http' as const };
    const gateway = new StripeGateway({ secretKey: STRIPE_STUB_DEFAULTS.secretKey, api: address });
    const control = connectStripeStub({ url: first.url, secretKey: STRIPE_STUB_DEFAULTS.secretKey });
    const request = aCharge('pm_card_visa', { deadline: Date.now() + 60_000 });
    await control.injectFault({ kind: 'drop' });
    expect(await gateway.charge(request)).toMatchObject({ outcome: 'UNKNOWN' });

    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toMatchObject({ signal: 'SIGKILL' });
    const second = await startProcess(database.file, first.port);
    children.push(second.child);

    const status = await gateway.getStatus({ reference: request.reference, request });
    expect(status).toMatchObject({ status: 'APPROVED' });
    expect(await connectStripeStub({ url: second.url, secretKey: STRIPE_STUB_DEFAULTS.secretKey }).chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
    gateway.close();

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(second.printed())).toEqual({ url: second.url, port: first.port, database: database.file, pid: second.child.pid });
    // Two process starts through tsx: seconds on a loaded machine.
  }, 60_000);
});
