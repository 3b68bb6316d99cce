import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SeededRandom } from '@aegispay/domain/testing';
import { aDatabaseFile } from '../../__fixtures__/stub-harness';
import { aPaymentIntentForm, rawStripe } from '../../__fixtures__/raw-stripe';
import { startWebhookReceiver, type WebhookReceiver } from '../../__fixtures__/webhook-receiver';
import { StubControlError, connectStripeStub, startStripeStub, type StripeStub } from '../index';

describe(startStripeStub, () => {
  let stub: StripeStub;
  let database: ReturnType<typeof aDatabaseFile>;

  afterEach(async () => {
    await stub.close();
    database.remove();
  });

  describe('faults', () => {
    beforeEach(async () => {
      database = aDatabaseFile();
      stub = await startStripeStub({ databaseFile: database.file, random: new SeededRandom(7) });
    });

    it.each([
      [429, 'true'],
      [503, 'true'],
      [502, null],
      [504, null],
    ] as const)('should answer %s before the endpoint runs: nothing created, nothing saved under the key', async (status, shouldRetry) => {
      await stub.control.injectFault({ kind: 'error', status });

      const failed = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });
      const retried = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });

      expect([failed.status, failed.headers.get('stripe-should-retry')]).toEqual([status, shouldRetry]);
      expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([200, null]);
      expect(await stub.control.ledger('k')).toHaveLength(1);
    });

    it('should answer a 500 from inside the endpoint, save it under the key and replay it, with nothing charged', async () => {
      await stub.control.injectFault({ kind: 'error', status: 500 });

      const failed = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });
      const replayed = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });

      expect([failed.status, failed.headers.get('stripe-should-retry'), failed.body['error']]).toEqual([500, 'false', expect.objectContaining({ type: 'api_error' })]);
      expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([500, 'true']);
      expect(await stub.control.ledger()).toEqual([]);
    });

    it('should carry out a request whose answer it then cuts mid-body (truncate)', async () => {
      await stub.control.injectFault({ kind: 'drop', mode: 'truncate' });

      await expect(rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' })).rejects.toThrow();

      expect(await stub.control.chargesFor('k')).toEqual({ charges: 1, refunded: 0 });
    });

    it('should carry out a request whose connection it then closes before answering (reset)', async () => {
      await stub.control.injectFault({ kind: 'drop', mode: 'reset' });

      await expect(rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' })).rejects.toThrow();

      expect(await stub.control.chargesFor('k')).toEqual({ charges: 1, refunded: 0 });
    });

    it('should answer a delayed request once the delay is over, having carried it out', async () => {
      await stub.control.injectFault({ kind: 'delay', ms: 20 });

      expect((await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' })).status).toBe(200);
      expect(await stub.control.chargesFor('k')).toEqual({ charges: 1, refunded: 0 });
    });

    it('should apply a fault only to the operation it names, and for as many calls as asked', async () => {
      await stub.control.injectFault({ kind: 'error', status: 503 }, { operation: 'refunds.create', times: 2 });

      const created = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm());
      const refunds = [];
      for (let call = 0; call < 3; call += 1) refunds.push((await rawStripe(stub, 'POST', '/v1/refunds', { payment_intent: String(created.body['id']), amount: '100' })).status);

      expect([created.status, ...refunds]).toEqual([200, 503, 503, 200]);
    });

    it('should fail a share of calls at a rate, drawn from its Random', async () => {
      await stub.control.setFaultRate({ kind: 'error', status: 503 }, 0.5);
      const draws = new SeededRandom(7);
      const expected = Array.from({ length: 20 }, () => (draws.next() < 0.5 ? 503 : 200));

      const statuses = [];
      for (let call = 0; call < 20; call += 1) statuses.push((await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm())).status);

      expect(statuses).toEqual(expected);
      await stub.control.clearFaults();
      expect((await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm())).status).toBe(200);
    });

    it('should refuse a fault it does not know', async () => {
      await expect(stub.control.injectFault({ kind: 'error', status: 418 } as never)).rejects.toThrow('429, 500, 502, 503 or 504');
      await expect(stub.control.setFaultRate({ kind: 'hold' }, 2)).rejects.toThrow('rate must be a number from 0 to 1');
    });
  });

  describe('durability', () => {
    it('should answer as before after a restart on the same file: saved answers, PaymentIntents, refunds', async () => {
      database = aDatabaseFile();
      stub = await startStripeStub({ databaseFile: database.file });
      const created = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });
      await rawStripe(stub, 'POST', '/v1/refunds', { payment_intent: String(created.body['id']), amount: '500' }, { idempotencyKey: 'r' });
      const port = stub.port;
      await stub.close();

      stub = await startStripeStub({ databaseFile: database.file, port });

      const replayed = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k' });
      expect([replayed.body, replayed.headers.get('idempotent-replayed')]).toEqual([created.body, 'true']);
      expect(await stub.control.chargesFor('k')).toEqual({ charges: 1, refunded: 500 });
      expect((await rawStripe(stub, 'GET', `/v1/payment_intents/${String(created.body['id'])}`)).body).toEqual(created.body);
    });
  });

  describe('webhooks', () => {
    let receiver: WebhookReceiver;

    beforeEach(async () => {
      receiver = await startWebhookReceiver();
      database = aDatabaseFile();
      stub = await startStripeStub({ databaseFile: database.file, webhook: { url: receiver.url, secret: 'whsec_by_hand' } });
    });
    afterEach(async () => {
      await receiver.close();
    });

    it('should sign each event as Stripe documents: t and v1 = HMAC-SHA256 of "t.body" with the endpoint secret', async () => {
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm());
      await stub.control.flushWebhooks();

      expect(receiver.received.map((request) => JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as { type: string })).toEqual([
        expect.objectContaining({ object: 'event', type: 'payment_intent.created', data: { object: expect.objectContaining({ object: 'payment_intent' }) } }),
        expect.objectContaining({ object: 'event', type: 'payment_intent.succeeded' }),
      ]);
      for (const request of receiver.received) {
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['stripe-signature'])) ?? [];
        expect(v1).toBe(createHmac('sha256', 'whsec_by_hand').update(`${t ?? ''}.${Buffer.from(request.rawBody).toString('utf8')}`).digest('hex'));
      }
    });

    it('should keep undelivered events in the ledger and deliver them after a restart', async () => {
      receiver.answer(500);
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm());
      await stub.control.flushWebhooks();
      await stub.close();
      receiver.answer(200);

      stub = await startStripeStub({ databaseFile: database.file, webhook: { url: receiver.url, secret: 'whsec_by_hand' } });
      await stub.control.flushWebhooks();

      expect(receiver.received.map((request) => (JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as { type: string }).type)).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
      expect((await stub.control.events()).map((event) => event.delivered)).toEqual([true, true]);
    });
  });

  describe('control over HTTP', () => {
    beforeEach(async () => {
      database = aDatabaseFile();
      stub = await startStripeStub({ databaseFile: database.file });
    });

    it('should refuse a control call without the secret key', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest(`${stub.url}/_stub/health`, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });

      expect(status).toBe(401);
    });

    it('should refuse an unknown settlement with StubControlError', async () => {
      const remote = connectStripeStub({ url: stub.url, secretKey: stub.secretKey });

      await expect(remote.settleRefund('re_missing', 'succeeded')).rejects.toBeInstanceOf(StubControlError);
    });
  });
});
