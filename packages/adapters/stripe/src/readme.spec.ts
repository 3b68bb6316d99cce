import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { GatewayNotification } from '@aegispay/domain';
import { createStripeConnector } from './index';
import { startStripeStub } from './testing';
import { aCharge, aDatabaseFile } from './__fixtures__/stub-harness';
import { main, webhookEndpoint } from './readme.example';

describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

  it('should run the connector example and do what the README says', async () => {
    const database = aDatabaseFile();
    try {
      await expect(main(database.file)).resolves.toEqual({ heard: 'UNKNOWN', status: 'APPROVED', declined: 'insufficient_funds SOFT', refund: 'REFUNDED', charges: 1 });
    } finally {
      database.remove();
    }
  });

  it('should run the webhook endpoint example: notifications from signed webhooks, 400 for forged ones', async () => {
    const applied: GatewayNotification[] = [];
    const { gateway, webhooks } = createStripeConnector({ secretKey: 'sk_test_unused', webhookSecret: 'whsec_readme' });
    const server = webhookEndpoint(webhooks as NonNullable<typeof webhooks>, (notification) => applied.push(notification));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const database = aDatabaseFile();
    const stripe = await startStripeStub({ databaseFile: database.file, webhook: { url, secret: 'whsec_readme' } });
    const payer = createStripeConnector({ secretKey: stripe.secretKey, api: { host: stripe.host, port: stripe.port, protocol: 'http' } }).gateway;
    try {
      await payer.charge(aCharge('pm_card_visa'));
      await stripe.control.flushWebhooks();
      const forged = await fetch(url, { method: 'POST', headers: { 'Stripe-Signature': 't=1,v1=00' }, body: '{}' });

      expect(applied.map((notification) => `${notification.type} ${notification.status.status}`)).toEqual(['CHARGE APPROVED']);
      expect(forged.status).toBe(400);
    } finally {
      payer.close();
      gateway.close();
      await stripe.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.remove();
    }
  });

  it('should be the code shown in the README', () => {
    expect(readme).toContain(readFileSync(join(__dirname, 'readme.example.ts'), 'utf8').trim());
  });
});
