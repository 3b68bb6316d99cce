import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdyenStub, type AdyenStub } from '@aegispay/adyen/testing';
import { startStripeStub, type StripeStub } from '@aegispay/stripe/testing';
import request from 'supertest';
import { bufferIo } from './__fixtures__/buffer-io';
import type { HttpServer } from '../http/http-server';
import { createServeCommand, type SignalSource } from './serve.command';

const API_KEY = 'sk_test_serve_connectors_0001';
const STRIPE_WEBHOOK_SECRET = 'whsec_serve_connectors_signing_0002';

describe('aegispay serve with the Stripe and Adyen connectors', () => {
  let directory: string;
  let stripe: StripeStub;
  let adyen: AdyenStub;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-serve-psp-'));
    stripe = await startStripeStub({ databaseFile: join(directory, 'stripe.sqlite'), secretKey: 'sk_test_serve_connectors_stripe_key_0003' });
    adyen = await startAdyenStub({ databaseFile: join(directory, 'adyen.sqlite'), apiKey: 'AQE_serve_connectors_adyen_key_0004', notificationDelivery: 'manual' });
  });
  afterAll(async () => {
    await stripe.close();
    await adyen.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Every secret the server is given. */
  const secrets = (): string[] => [API_KEY, STRIPE_WEBHOOK_SECRET, stripe.secretKey, adyen.apiKey, adyen.hmacKey];

  function env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      AEGISPAY_DATABASE_URL: `sqlite:${join(directory, `aegispay-${Math.random().toString(36).slice(2)}.sqlite`)}`,
      AEGISPAY_LOG_LEVEL: 'trace',
      AEGISPAY_API_KEYS: `${API_KEY}=merchant_psp`,
      AEGISPAY_GATEWAYS: 'STRIPE_PSP,ADYEN_PSP',
      AEGISPAY_STRIPE_SECRET_KEY: stripe.secretKey,
      AEGISPAY_STRIPE_API_BASE: stripe.url,
      AEGISPAY_STRIPE_WEBHOOK_SECRET: STRIPE_WEBHOOK_SECRET,
      AEGISPAY_ADYEN_API_KEY: adyen.apiKey,
      AEGISPAY_ADYEN_MERCHANT_ACCOUNT: adyen.merchantAccount,
      AEGISPAY_ADYEN_RETURN_URL: 'https://shop.example/return',
      AEGISPAY_ADYEN_BASE_URL: adyen.url,
      AEGISPAY_ADYEN_HMAC_KEY: adyen.hmacKey,
      ...extra,
    };
  }

  describe('when both are configured', () => {
    it('should pay through them, log the gateways by name only, and never log a secret', async () => {
      const io = bufferIo(env());
      const signals = new EventEmitter();
      let listening!: (server: HttpServer) => void;
      const started = new Promise<HttpServer>((resolve) => (listening = resolve));

      const run = createServeCommand({ signals: signals as SignalSource, onListening: (server) => listening(server) }).run(['--port', '0'], io);
      const server = await started;
      const pay = (key: string, token: string) =>
        request(server.url).post('/v1/payments').set('Authorization', `Bearer ${API_KEY}`).set('Idempotency-Key', key).send({ amount: 2500, currency: 'EUR', paymentMethod: { type: 'CARD', token } });
      const byStripe = await pay('psp-1', 'pm_card_visa');
      const byAdyen = await pay('psp-2', 'shopper_42:STUB_APPROVED');
      signals.emit('SIGTERM');
      const code = await run;

      expect(code).toBe(0);
      expect([byStripe.status, byStripe.body.payment.gateway]).toEqual([201, 'STRIPE_PSP']);
      expect([byAdyen.status, byAdyen.body.payment.gateway]).toEqual([201, 'ADYEN_PSP']);
      const listeningLine = io
        .out()
        .split('\n')
        .find((line) => line.includes('AegisPay API listening'));
      expect(JSON.parse(listeningLine ?? '{}')).toMatchObject({ gateways: ['STRIPE_PSP', 'ADYEN_PSP'] });
      const everything = `${io.out()}${io.err()}`;
      for (const secret of secrets()) expect(everything).not.toContain(secret);
    });
  });

  describe('when a connector is named but not configured', () => {
    it('should exit 2 naming each missing variable, as for any bad setting', async () => {
      const { AEGISPAY_STRIPE_SECRET_KEY: _unset, ...withoutTheKey } = env();
      const io = bufferIo(withoutTheKey);

      const code = await createServeCommand().run(['--port', '0'], io);

      expect(code).toBe(2);
      expect(io.err()).toMatch(/^aegispay serve: Invalid configuration:\n {2}- AEGISPAY_STRIPE_SECRET_KEY: is required: AEGISPAY_GATEWAYS names STRIPE_PSP/);
    });
  });

  describe('when a connector refuses a secret', () => {
    it('should exit 2 naming the variable, without echoing the secret', async () => {
      const publishable = 'pk_live_serve_connectors_publishable_0005';
      const io = bufferIo(env({ AEGISPAY_STRIPE_SECRET_KEY: publishable }));

      const code = await createServeCommand().run(['--port', '0'], io);

      expect(code).toBe(2);
      expect(io.err()).toContain('AEGISPAY_STRIPE_SECRET_KEY: StripeGateway: secretKey must be a Stripe secret or restricted key');
      expect(`${io.out()}${io.err()}`).not.toContain(publishable);
    });
  });
});
