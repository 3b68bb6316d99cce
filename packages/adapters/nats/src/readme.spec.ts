import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithNats } from './__fixtures__/nats-harness';
import { publishPaymentEvents, readMerchantEvents } from './readme.example';
import { startNatsServer, type NatsServer } from './testing';

describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('should be the code shown in the README', () => {
    expect(readme).toContain(readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim());
  });

  describeWithNats('on a NATS server', () => {
    let server: NatsServer;
    beforeAll(async () => {
      server = await startNatsServer();
    });
    afterAll(async () => {
      await server.dispose();
    });

    it('should publish through the relay and let a durable consumer read one merchant’s events once, in order', async () => {
      const handled = new Set<string>();

      expect(await publishPaymentEvents(server.url)).toBe(3);
      expect(await readMerchantEvents(server.url, handled)).toEqual(['PaymentCreated merchant_42', 'PaymentCancelled merchant_42']);
      // Durable: a second run resumes after what was acknowledged.
      expect(await readMerchantEvents(server.url, handled)).toEqual([]);
      expect(handled.size).toBe(2);
    });
  });
});
