import type { Response, Test } from 'supertest';
import { aPaymentBody, Gate, GatedGateway, MERCHANT_A, MERCHANT_B, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

const asA = (test: Test): Test => test.set('Authorization', `Bearer ${MERCHANT_A.key}`);

describe.each(testDialects('HTTP API idempotency'))('Idempotency-Key on %s', (dialect) => {
  let api: ApiHarness;
  let gate: Gate;

  beforeAll(async () => {
    gate = new Gate();
    gate.open();
    api = await startApi(dialect, { wrapGateways: (gateways) => gateways.map((gateway) => new GatedGateway(gateway, gate)) });
  });
  afterAll(async () => {
    gate.open();
    await api.stop();
  });
  afterEach(() => {
    gate.open();
  });

  const post = (key: string | undefined, body: unknown = aPaymentBody()): Test => {
    const test = asA(api.http().post('/v1/payments'));
    return (key === undefined ? test : test.set('Idempotency-Key', key)).send(body as object);
  };

  describe('POST /v1/payments', () => {
    describe('when the header is missing', () => {
      it('should answer 400 IDEMPOTENCY.KEY_MISSING and store nothing', async () => {
        const payments = await api.count('payments');

        const response = await post(undefined);

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_MISSING', errors: [{ field: 'header:Idempotency-Key' }] });
        expect(await api.count('payments')).toBe(payments);
      });
    });

    describe('when the header is malformed', () => {
      it.each([['with spaces'], ['x'.repeat(256)], ['"unterminated'], ['"one", "two"']])('should answer 400 IDEMPOTENCY.KEY_INVALID for %j', async (key) => {
        const response = await post(key);

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_INVALID' });
      });
    });

    describe('when the same key comes again with the same body', () => {
      it('should replay the stored status and body, say so in a header, and charge once', async () => {
        const charges = api.charges();

        const first = await post('replay-1', aPaymentBody({ metadata: { order: 7, country: 'FR' } }));
        // Same JSON in another key order: the fingerprint is canonical.
        const second = await post('replay-1', { paymentMethod: { token: 'tok_visa_test_4242', type: 'CARD' }, metadata: { country: 'FR', order: 7 }, currency: 'EUR', amount: 1999 });

        expect(first.status).toBe(201);
        expect(second.status).toBe(first.status);
        expect(second.body).toEqual(first.body);
        expect(second.headers['location']).toBe(first.headers['location']);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(api.charges()).toBe(charges + 1);
      });
    });

    describe('when the key is sent as a structured-field string', () => {
      it('should be the same key as its bare form', async () => {
        const bare = await post('sf-key-1');
        const quoted = await post('"sf-key-1"');

        expect(quoted.status).toBe(201);
        expect(quoted.body).toEqual(bare.body);
        expect(quoted.headers['idempotent-replayed']).toBe('true');
      });
    });

    describe('when the same key comes with a different body', () => {
      it('should answer 422 IDEMPOTENCY.KEY_REUSED, even for a difference deep in metadata, and charge nothing more', async () => {
        await post('reuse-1', aPaymentBody({ metadata: { order: 1 } }));
        const charges = api.charges();
        const payments = await api.count('payments');

        const response = await post('reuse-1', aPaymentBody({ metadata: { order: 2 } }));

        expect(response.status).toBe(422);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED', status: 422 });
        expect(api.charges()).toBe(charges);
        expect(await api.count('payments')).toBe(payments);
      });
    });

    describe('when another merchant uses the same key', () => {
      it('should be a different request: keys are per merchant', async () => {
        const mine = await post('shared-key-1');
        const theirs = await api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_B.key}`).set('Idempotency-Key', 'shared-key-1').send(aPaymentBody());

        expect(theirs.status).toBe(201);
        expect(theirs.headers['idempotent-replayed']).toBeUndefined();
        expect((theirs.body as PaymentResponseBody).payment.id).not.toBe((mine.body as PaymentResponseBody).payment.id);
      });
    });

    describe('when the first request with the key is still running', () => {
      it('should answer 409 with Retry-After, then replay the first answer once it is done', async () => {
        gate.close();
        const first = post('in-progress-1').then((response) => response);
        await gate.entered;

        const during = await post('in-progress-1');
        gate.open();
        const answered = await first;
        const after = await post('in-progress-1');

        expect(during.status).toBe(409);
        expect(during.headers['retry-after']).toBe('2');
        expect(during.body).toMatchObject({ code: 'IDEMPOTENCY.REQUEST_IN_PROGRESS', retryable: true });
        expect(answered.status).toBe(201);
        expect(after.status).toBe(201);
        expect(after.body).toEqual(answered.body);
      });
    });

    describe('when 50 requests with one key arrive at once', () => {
      it('should charge exactly once; every answer is the one answer or a 409', async () => {
        const charges = api.charges();
        const payments = await api.count('payments');

        const responses = await Promise.all(Array.from({ length: 50 }, () => post('burst-1', aPaymentBody({ amount: 4321 }))));

        expectOneAnswerOr409(responses);
        expect(api.charges()).toBe(charges + 1);
        expect(await api.count('payments')).toBe(payments + 1);
      });

      it('should answer 409 to all but the first while the first is held at the gateway', async () => {
        gate.close();
        const charges = api.charges();
        const first = post('burst-2', aPaymentBody({ amount: 1234 })).then((response) => response);
        await gate.entered;

        const others = await Promise.all(Array.from({ length: 49 }, () => post('burst-2', aPaymentBody({ amount: 1234 }))));
        gate.open();
        const answered = await first;

        expect(others.map((response) => response.status)).toEqual(Array.from({ length: 49 }, () => 409));
        expect(answered.status).toBe(201);
        expect(api.charges()).toBe(charges + 1);
      });
    });
  });

  describe('POST /v1/payments/:id/refunds', () => {
    describe('when the first refund with the key is still running', () => {
      it('should answer 409 to the second, refund once, then replay', async () => {
        const paid = (await post('refund-base-1')).body as PaymentResponseBody;
        const gatewayRefunds = api.gatewayRefunds();
        const refund = (): Test => asA(api.http().post(`/v1/payments/${paid.payment.id}/refunds`)).set('Idempotency-Key', 'refund-busy-1').send({ amount: 500 });
        gate.close();
        const first = refund().then((response) => response);
        await gate.entered;

        const during = await refund();
        gate.open();
        const answered = await first;
        const after = await refund();

        expect(during.status).toBe(409);
        expect(during.body).toMatchObject({ code: 'IDEMPOTENCY.REQUEST_IN_PROGRESS' });
        expect(answered.status).toBe(201);
        expect(after.status).toBe(201);
        expect(after.body).toEqual(answered.body);
        expect(api.gatewayRefunds()).toBe(gatewayRefunds + 1);
      });
    });

    describe('when 20 refunds with one key arrive at once', () => {
      it('should refund exactly once; every answer is the one answer or a 409', async () => {
        const paid = (await post('refund-base-2')).body as PaymentResponseBody;
        const gatewayRefunds = api.gatewayRefunds();

        const responses = await Promise.all(
          Array.from({ length: 20 }, () => asA(api.http().post(`/v1/payments/${paid.payment.id}/refunds`)).set('Idempotency-Key', 'refund-burst-1').send({ amount: 700 })),
        );

        expectOneAnswerOr409(responses);
        expect(api.gatewayRefunds()).toBe(gatewayRefunds + 1);
      });
    });

    describe('when the same key is used on two payments', () => {
      it('should treat them as two refunds: a refund key is scoped to its payment', async () => {
        const one = (await post('refund-base-3')).body as PaymentResponseBody;
        const two = (await post('refund-base-4')).body as PaymentResponseBody;

        const first = await asA(api.http().post(`/v1/payments/${one.payment.id}/refunds`)).set('Idempotency-Key', 'refund-shared').send({ amount: 100 });
        const second = await asA(api.http().post(`/v1/payments/${two.payment.id}/refunds`)).set('Idempotency-Key', 'refund-shared').send({ amount: 100 });

        expect(first.status).toBe(201);
        expect(second.status).toBe(201);
        expect(second.headers['idempotent-replayed']).toBeUndefined();
      });
    });
  });
});

function expectOneAnswerOr409(responses: readonly Response[]): void {
  const answers = responses.filter((response) => response.status !== 409);
  expect(answers.length).toBeGreaterThanOrEqual(1);
  for (const response of answers) {
    expect(response.status).toBe(201);
    expect(response.body).toEqual(answers[0]?.body);
  }
  for (const response of responses.filter((candidate) => candidate.status === 409)) {
    expect(response.body).toMatchObject({ code: 'IDEMPOTENCY.REQUEST_IN_PROGRESS' });
  }
}
