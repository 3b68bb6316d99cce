import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money } from '@aegispay/domain';
import { AdyenGateway } from '../../gateway/adyen.gateway';
import { startAdyenStubProcess, type AdyenStubProcess } from '../index';

describe(startAdyenStubProcess, () => {
  let folder: string;
  let stub: AdyenStubProcess | undefined;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'aegispay-adyen-process-'));
  });
  afterEach(async () => {
    await stub?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('when the stub process is killed (SIGKILL) and started again on its ledger file', () => {
    it('should answer the replay of a payment it made before the crash, without charging again', async () => {
      const databaseFile = join(folder, 'adyen-stub.sqlite');
      stub = await startAdyenStubProcess({ databaseFile, notificationDelivery: 'manual' });
      const request = {
        reference: 'pay_p:1',
        paymentId: 'pay_p',
        merchantId: 'merchant_42',
        amount: Money.of(2500, 'EUR'),
        paymentMethod: { type: 'CARD' as const, token: 'shopper_1:STUB_APPROVED' },
      };
      const gatewayAt = (url: string, apiKey: string, merchantAccount: string): AdyenGateway =>
        new AdyenGateway({ apiKey, merchantAccount, returnUrl: 'https://shop.example/return', baseUrl: url });
      const before = gatewayAt(stub.url, stub.apiKey, stub.merchantAccount);
      const first = await before.charge(request);
      before.close();

      await stub.kill();
      stub = await startAdyenStubProcess({ databaseFile, notificationDelivery: 'manual' });
      const after = gatewayAt(stub.url, stub.apiKey, stub.merchantAccount);
      const status = await after.getStatus({ reference: request.reference, request });
      after.close();

      expect(first).toMatchObject({ outcome: 'APPROVED' });
      expect(status).toMatchObject({ status: 'APPROVED', gatewayReference: first.outcome === 'APPROVED' ? first.gatewayReference : '' });
      await expect(stub.control.chargeSummary('pay_p:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      await expect(stub.control.notifications()).resolves.toHaveLength(1);
    }, 60_000); // two Node.js processes start (with tsx compiling the sources)
  });
});
