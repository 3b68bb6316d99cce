import { StripeGateway } from '../../index';
import { aCharge, aDatabaseFile } from '../../__fixtures__/stub-harness';
import { startStripeStubProcess, type StripeStubProcess } from './stripe-stub.process';

describe(startStripeStubProcess, () => {
  const database = aDatabaseFile();
  const started: StripeStubProcess[] = [];

  afterAll(async () => {
    for (const stub of started) await stub.kill();
    database.remove();
  });

  it('should start the stub process, drive it remotely, and bring it back on its ledger after a SIGKILL', async () => {
    const first = await startStripeStubProcess({ databaseFile: database.file, secretKey: 'sk_test_process_spec_0001' });
    started.push(first);
    const gateway = new StripeGateway({ secretKey: first.secretKey, api: first.url });
    const request = aCharge('pm_card_visa', { deadline: Date.now() + 60_000 });
    await first.control.injectFault({ kind: 'drop' });
    const heard = await gateway.charge(request);

    await first.kill();
    const second = await startStripeStubProcess({ databaseFile: database.file, port: first.port, secretKey: first.secretKey });
    started.push(second);
    const status = await gateway.getStatus({ reference: request.reference, request });
    gateway.close();

    expect(heard).toMatchObject({ outcome: 'UNKNOWN' });
    expect(status).toMatchObject({ status: 'APPROVED' });
    expect(second.url).toBe(first.url);
    expect(second.pid).not.toBe(first.pid);
    expect(await second.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
    await second.stop();
  }, 60_000);
});
