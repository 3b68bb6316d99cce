import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@aegispay/domain/testing';
import { AdyenWebhookVerifier } from '../../webhooks/adyen-webhook.verifier';
import { refusalText, ADYEN_TEST_HOLDER_NAMES } from './stub-test-methods';
import { AdyenStubControlClient, startAdyenStub, type AdyenStub, type AdyenStubOptions } from '../index';

/** A raw call to the stub, as any Adyen client would make it. */
async function post(stub: AdyenStub, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${stub.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': stub.apiKey, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const payment = (stub: AdyenStub, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  merchantAccount: stub.merchantAccount,
  reference: 'order_1',
  amount: { value: 1000, currency: 'EUR' },
  paymentMethod: { type: 'scheme', storedPaymentMethodId: 'STUB_APPROVED' },
  shopperReference: 'shopper_1',
  shopperInteraction: 'ContAuth',
  recurringProcessingModel: 'CardOnFile',
  returnUrl: 'https://shop.example/return',
  ...overrides,
});

describe('startAdyenStub', () => {
  let folder: string;
  let stub: AdyenStub;
  const start = async (options: Partial<AdyenStubOptions> = {}): Promise<AdyenStub> =>
    startAdyenStub({ databaseFile: join(folder, 'ledger.sqlite'), notificationDelivery: 'manual', clock: new FakeClock(), ...options });

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'aegispay-adyen-stub-'));
    stub = await start();
  });
  afterEach(async () => {
    await stub.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe('POST /v72/payments', () => {
    describe('when the X-API-Key is wrong', () => {
      it("should answer 401 with Adyen's error JSON", async () => {
        const answer = await post(stub, '/v72/payments', payment(stub), { 'X-API-Key': 'wrong' });

        expect(answer).toMatchObject({ status: 401, body: { status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' } });
      });
    });

    describe.each([
      ['another merchant account', { merchantAccount: 'Other' }, 403, '901', 'security'],
      ['no returnUrl', { returnUrl: undefined }, 422, '14_030', 'validation'],
      ['an amount of zero', { amount: { value: 0, currency: 'EUR' } }, 422, '137', 'validation'],
      ['more than 20 metadata entries', { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, 422, '177', 'validation'],
      ['a stored method without shopperReference', { shopperReference: undefined }, 422, '000', 'validation'],
      ['an unknown stored method', { paymentMethod: { type: 'scheme', storedPaymentMethodId: 'NOPE' } }, 422, '800', 'validation'],
    ])('when the request has %s', (_case, overrides, status, errorCode, errorType) => {
      it(`should answer ${status} with errorCode ${errorCode}, and store nothing`, async () => {
        const answer = await post(stub, '/v72/payments', payment(stub, overrides));

        expect(answer).toMatchObject({ status, body: { status, errorCode, errorType, message: expect.any(String), pspReference: expect.any(String) } });
        expect((await stub.control.ledger()).payments).toEqual([]);
      });
    });

    describe('when the body is not JSON', () => {
      it('should answer 400 with errorCode 702', async () => {
        await expect(post(stub, '/v72/payments', '{')).resolves.toMatchObject({ status: 400, body: { errorCode: '702' } });
      });
    });

    describe("when a card's holder name is one of Adyen's test values", () => {
      it('should answer every value of the table with its resultCode and refusal reason', async () => {
        const answers: Record<string, unknown> = {};
        const expected: Record<string, unknown> = {};
        for (const [holderName, decision] of Object.entries(ADYEN_TEST_HOLDER_NAMES)) {
          const id = await stub.control.storePaymentMethod({ shopperReference: 'shopper_1', holderName });
          const { body } = await post(stub, '/v72/payments', payment(stub, { reference: holderName, paymentMethod: { type: 'scheme', storedPaymentMethodId: id } }));
          answers[holderName] = { resultCode: body['resultCode'], refusalReasonCode: body['refusalReasonCode'], refusalReason: body['refusalReason'] };
          const code = decision.refusalReasonCode;
          expected[holderName] = { resultCode: decision.resultCode, refusalReasonCode: code, refusalReason: code === undefined ? undefined : refusalText(code) };
        }

        expect(answers).toEqual(expected);
        expect(answers['NOT_ENOUGH_BALANCE']).toEqual({ resultCode: 'Refused', refusalReasonCode: '12', refusalReason: 'Not enough balance' });
      });
    });

    describe('when an Idempotency-Key is sent again', () => {
      it('should answer the first answer, echo the key, and make one payment', async () => {
        const first = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_1' });
        const again = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_1' });

        expect(again.body).toEqual(first.body);
        expect(again.headers.get('idempotency-key')).toBe('key_1');
        expect((await stub.control.ledger()).payments).toHaveLength(1);
      });

      it('should answer the first answer even for another body (Adyen documents no body check)', async () => {
        const first = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_2' });
        const other = await post(stub, '/v72/payments', payment(stub, { amount: { value: 5, currency: 'EUR' } }), { 'Idempotency-Key': 'key_2' });

        expect(other.body).toEqual(first.body);
        expect((await stub.control.ledger()).payments).toHaveLength(1);
      });
    });

    describe('when the first request with a key is still in flight', () => {
      it('should answer 422 with errorCode 704 and Transient-Error: true', async () => {
        const hold = stub.holdNext();
        const first = post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_3' });
        await hold.arrived;

        const second = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_3' });
        hold.release();
        await first;

        expect(second).toMatchObject({ status: 422, body: { errorCode: '704', message: 'request already processed or in progress' } });
        expect(second.headers.get('transient-error')).toBe('true');
      });
    });

    describe('when a transient error was answered', () => {
      it('should process the same key afresh on the retry (nothing was stored)', async () => {
        await stub.control.inject({ kind: 'error' });

        const failed = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_4' });
        const retried = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_4' });

        expect(failed).toMatchObject({ status: 503, body: { errorCode: '703' } });
        expect(failed.headers.get('transient-error')).toBe('true');
        expect(retried).toMatchObject({ status: 200, body: { resultCode: 'Authorised' } });
      });
    });
  });

  describe('POST /v72/payments/{pspReference}/refunds', () => {
    it('should answer 201 received with the refund pspReference', async () => {
      const paid = await post(stub, '/v72/payments', payment(stub));

      const refund = await post(stub, `/v72/payments/${String(paid.body['pspReference'])}/refunds`, { merchantAccount: stub.merchantAccount, reference: 'r1', amount: { value: 400, currency: 'EUR' } });

      expect(refund).toMatchObject({ status: 201, body: { status: 'received', paymentPspReference: paid.body['pspReference'], reference: 'r1', pspReference: expect.any(String), amount: { value: 400, currency: 'EUR' } } });
    });
  });

  describe('durability', () => {
    describe('when the stub is restarted on the same ledger file', () => {
      it('should replay stored answers and still hold its payments and queued webhooks', async () => {
        const first = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_5' });
        await stub.close();

        stub = await start();
        const replay = await post(stub, '/v72/payments', payment(stub), { 'Idempotency-Key': 'key_5' });

        expect(replay.body).toEqual(first.body);
        expect((await stub.control.ledger()).payments).toHaveLength(1);
        expect(await stub.control.notifications()).toHaveLength(1);
      });
    });
  });

  describe('webhooks', () => {
    let receiver: Server;
    let received: string[];
    let answerWith: number;

    beforeEach(async () => {
      received = [];
      answerWith = 200;
      receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          received.push(body);
          response.writeHead(answerWith).end('[accepted]');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      await stub.close();
      stub = await start({ notificationUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks` });
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('should POST one HMAC-signed item per webhook, which the connector verifies', async () => {
      await post(stub, '/v72/payments', payment(stub, { metadata: { paymentId: 'pay_9' } }));

      await expect(stub.control.deliverNotifications()).resolves.toEqual([{ id: 1, delivered: true }]);
      const verifier = new AdyenWebhookVerifier({ hmacKey: stub.hmacKey });
      expect(verifier.verify({ rawBody: Buffer.from(received[0] ?? ''), headers: {} })).toEqual([expect.objectContaining({ type: 'CHARGE', paymentId: 'pay_9', reference: 'order_1' })]);
    });

    it('should keep a webhook the receiver refused and deliver it on the next try', async () => {
      await post(stub, '/v72/payments', payment(stub));
      answerWith = 500;
      await expect(stub.control.deliverNotifications()).resolves.toEqual([{ id: 1, delivered: false, error: 'HTTP 500' }]);

      answerWith = 200;
      await expect(stub.control.deliverNotifications()).resolves.toEqual([{ id: 1, delivered: true }]);
      expect(received).toHaveLength(2);
    });
  });

  describe('fault rates', () => {
    it('should draw the same faults from the same seed', async () => {
      const outcomes = async (): Promise<number[]> => {
        await stub.control.setFaultRates({ error: 0.3, rateLimited: 0.2 }, 7);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i += 1) statuses.push((await post(stub, '/v72/payments', payment(stub, { reference: `r${i}` }))).status);
        return statuses;
      };

      const first = await outcomes();

      expect(await outcomes()).toEqual(first);
      expect(new Set(first)).toEqual(new Set([200, 429, 503]));
    });
  });

  describe('control over HTTP', () => {
    it('should drive the stub like the in-process control, and refuse a wrong key', async () => {
      const remote = new AdyenStubControlClient(stub.url, stub.apiKey);
      await remote.inject({ kind: 'error', status: 429 });

      await expect(post(stub, '/v72/payments', payment(stub))).resolves.toMatchObject({ status: 429 });
      await expect(remote.ledger()).resolves.toEqual({ payments: [], refunds: [] });
      await expect(new AdyenStubControlClient(stub.url, 'wrong').ledger()).rejects.toThrow('Adyen stub control ledger failed');
    });
  });
});
