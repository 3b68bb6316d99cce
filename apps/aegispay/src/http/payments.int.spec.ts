import type { Test } from 'supertest';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, MERCHANT_B, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody, PaymentView, RefundResponseBody } from './payment.view';

const as = (merchant: { readonly key: string }) => (test: Test): Test => test.set('Authorization', `Bearer ${merchant.key}`);
const asA = as(MERCHANT_A);
const asB = as(MERCHANT_B);

describe.each(testDialects('HTTP API end to end'))('HTTP API on %s', (dialect) => {
  let api: ApiHarness;
  let keys = 0;
  const newKey = (): string => `key-${dialect}-${(keys += 1)}`;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api.stop();
  });

  async function pay(body: Record<string, unknown> = aPaymentBody(), merchant = asA): Promise<PaymentResponseBody> {
    const response = await merchant(api.http().post('/v1/payments')).set('Idempotency-Key', newKey()).send(body);
    expect(response.status).toBe(201);
    return response.body as PaymentResponseBody;
  }

  describe('POST /v1/payments', () => {
    describe('when the request is valid', () => {
      it('should charge once and answer 201 with the payment, its Location and the request id', async () => {
        const charges = api.charges();

        const response = await asA(api.http().post('/v1/payments'))
          .set('Idempotency-Key', 'order-1001')
          .send(aPaymentBody({ customerId: 'cus_42', description: 'Order 1001', metadata: { country: 'DE', order: 1001 } }));

        const body = response.body as PaymentResponseBody;
        expect(response.status).toBe(201);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.headers['location']).toBe(`/v1/payments/${body.payment.id}`);
        expect(response.headers['x-request-id']).toMatch(/^req_/);
        expect(body).toMatchObject({
          outcome: 'SUCCEEDED',
          code: null,
          payment: {
            merchantId: MERCHANT_A.merchantId,
            status: 'PAID',
            amount: 1999,
            currency: 'EUR',
            refundedAmount: 0,
            refundableAmount: 1999,
            paymentMethod: { type: 'CARD', tokenLast4: '4242' },
            customerId: 'cus_42',
            description: 'Order 1001',
            idempotencyKey: 'order-1001',
            metadata: { country: 'DE', order: 1001 },
            failure: null,
            refunds: [],
          },
        });
        expect(body.payment.attempts).toEqual([expect.objectContaining({ attemptNumber: 1, outcome: 'APPROVED', gateway: body.payment.gateway })]);
        expect(api.charges()).toBe(charges + 1);
      });

      it('should never show the payment method token, only its last four characters', async () => {
        const response = await asA(api.http().post('/v1/payments'))
          .set('Idempotency-Key', newKey())
          .send(aPaymentBody({ paymentMethod: { type: 'WALLET', token: 'tok_wallet_secret_9876' } }));
        const short = await asA(api.http().post('/v1/payments'))
          .set('Idempotency-Key', newKey())
          .send(aPaymentBody({ paymentMethod: { type: 'UPI', token: 'tok_short' } }));

        expect(response.text).not.toContain('tok_wallet_secret');
        expect((response.body as PaymentResponseBody).payment.paymentMethod).toEqual({ type: 'WALLET', tokenLast4: '9876' });
        expect((short.body as PaymentResponseBody).payment.paymentMethod).toEqual({ type: 'UPI', tokenLast4: null });
        expect(short.text).not.toContain('tok_short');
        expect(api.logs()).not.toContain('tok_wallet_secret_9876');
      });
    });

    describe('when the issuer declines', () => {
      it('should answer 201 with outcome DECLINED, the decline code and a FAILED payment', async () => {
        const body = await pay(aPaymentBody({ paymentMethod: { type: 'CARD', token: 'tok_decline_insufficient_funds' } }));

        expect(body).toMatchObject({
          outcome: 'DECLINED',
          code: 'insufficient_funds',
          payment: { status: 'FAILED', refundableAmount: 0, failure: { code: 'insufficient_funds' } },
        });
      });
    });

    describe('when the currency is well-formed but unknown', () => {
      it('should answer 422 with the domain code naming the field, and store nothing', async () => {
        const payments = await api.count('payments');

        const response = await asA(api.http().post('/v1/payments')).set('Idempotency-Key', newKey()).send(aPaymentBody({ currency: 'XYZ' }));

        expect(response.status).toBe(422);
        expect(response.body).toMatchObject({ code: 'MONEY.UNKNOWN_CURRENCY', errors: [{ field: 'currency', code: 'MONEY.UNKNOWN_CURRENCY' }] });
        expect(await api.count('payments')).toBe(payments);
      });
    });
  });

  describe('GET /v1/payments/:id', () => {
    describe('when the payment is the merchant’s own', () => {
      it('should answer the payment as stored', async () => {
        const created = await pay();

        const response = await asA(api.http().get(`/v1/payments/${created.payment.id}`));

        expect(response.status).toBe(200);
        expect(response.body).toEqual(created.payment);
      });
    });

    describe('when the payment belongs to another merchant', () => {
      it('should answer 404 exactly as for a payment that does not exist', async () => {
        const created = await pay();

        const foreign = await asB(api.http().get(`/v1/payments/${created.payment.id}`));
        const missing = await asB(api.http().get('/v1/payments/pay_does_not_exist'));

        expect(foreign.status).toBe(404);
        expect(missing.status).toBe(404);
        const comparable = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, requestId: undefined, instance: undefined });
        expect(comparable(foreign.body as Record<string, unknown>)).toEqual(comparable(missing.body as Record<string, unknown>));
        expect(foreign.body).toMatchObject({ status: 404, code: 'PAYMENT.NOT_FOUND' });
        expect(foreign.text).not.toContain(MERCHANT_A.merchantId);
      });
    });
  });

  describe('POST /v1/payments/:id/refunds', () => {
    async function refund(paymentId: string, body: Record<string, unknown> | undefined, key = newKey(), merchant = asA): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
      const test = merchant(api.http().post(`/v1/payments/${paymentId}/refunds`)).set('Idempotency-Key', key);
      const response = await (body === undefined ? test : test.send(body));
      return { status: response.status, body: response.body as unknown, headers: response.headers as Record<string, string> };
    }

    describe('when refunding part, then the rest', () => {
      it('should refund through the capturing gateway and end REFUNDED', async () => {
        const { payment } = await pay(aPaymentBody({ amount: 5000 }));

        const partial = await refund(payment.id, { amount: 1200, reason: 'one item returned' });
        const rest = await refund(payment.id, undefined);

        expect(partial.status).toBe(201);
        expect(partial.body).toMatchObject({
          refund: { amount: 1200, currency: 'EUR', reason: 'one item returned' },
          payment: { status: 'PARTIALLY_REFUNDED', refundedAmount: 1200, refundableAmount: 3800 },
        });
        expect(rest.status).toBe(201);
        expect(rest.body).toMatchObject({ refund: { amount: 3800 }, payment: { status: 'REFUNDED', refundedAmount: 5000, refundableAmount: 0 } });
        expect((rest.body as RefundResponseBody).payment.refunds.map((entry) => entry.amount)).toEqual([1200, 3800]);
      });
    });

    describe('when the amount exceeds what is refundable', () => {
      it('should answer 422 with the refundable amount, refund nothing, and replay that answer for the same key', async () => {
        const { payment } = await pay(aPaymentBody({ amount: 1000 }));
        await refund(payment.id, { amount: 600 });
        const gatewayRefunds = api.gatewayRefunds();

        const over = await refund(payment.id, { amount: 500 }, 'over-refund-1');
        const again = await refund(payment.id, { amount: 500 }, 'over-refund-1');

        expect(over.status).toBe(422);
        expect(over.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(over.body).toMatchObject({ code: 'PAYMENT.REFUND_EXCEEDS_CAPTURED', requested: 500, refundable: 400, currency: 'EUR' });
        expect(again.status).toBe(422);
        expect(again.body).toEqual(over.body);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(api.gatewayRefunds()).toBe(gatewayRefunds);
      });
    });

    describe('when the same refund is sent again with its key', () => {
      it('should replay the first answer and refund once', async () => {
        const { payment } = await pay();
        const gatewayRefunds = api.gatewayRefunds();

        const first = await refund(payment.id, { amount: 999 }, 'refund-replay-1');
        const second = await refund(payment.id, { amount: 999 }, 'refund-replay-1');

        expect(first.status).toBe(201);
        expect(second.status).toBe(201);
        expect(second.body).toEqual(first.body);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(api.gatewayRefunds()).toBe(gatewayRefunds + 1);
        const stored = await asA(api.http().get(`/v1/payments/${payment.id}`));
        expect((stored.body as PaymentView).refunds).toHaveLength(1);
      });
    });

    describe('when the key is reused with another amount', () => {
      it('should answer 422 IDEMPOTENCY.KEY_REUSED and refund nothing more', async () => {
        const { payment } = await pay();
        await refund(payment.id, { amount: 100 }, 'refund-reuse-1');
        const gatewayRefunds = api.gatewayRefunds();

        const reused = await refund(payment.id, { amount: 200 }, 'refund-reuse-1');

        expect(reused.status).toBe(422);
        expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
        expect(api.gatewayRefunds()).toBe(gatewayRefunds);
      });
    });

    describe('when the payment was declined', () => {
      it('should answer 409 PAYMENT.ILLEGAL_TRANSITION naming the status', async () => {
        const { payment } = await pay(aPaymentBody({ paymentMethod: { type: 'CARD', token: 'tok_decline_do_not_honor' } }));

        const response = await refund(payment.id, {});

        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({ code: 'PAYMENT.ILLEGAL_TRANSITION', from: 'FAILED' });
      });
    });

    describe('when the payment belongs to another merchant', () => {
      it('should answer 404 as for a missing payment and refund nothing', async () => {
        const { payment } = await pay();
        const gatewayRefunds = api.gatewayRefunds();
        const keys = await api.count('idempotency_keys');

        const foreign = await refund(payment.id, { amount: 100 }, newKey(), asB);
        const missing = await refund('pay_missing', { amount: 100 }, newKey(), asB);

        expect(foreign.status).toBe(404);
        expect(foreign.body).toMatchObject({ code: 'PAYMENT.NOT_FOUND', detail: (missing.body as { detail: string }).detail });
        expect(api.gatewayRefunds()).toBe(gatewayRefunds);
        expect(await api.count('idempotency_keys')).toBe(keys);
        const still = await asA(api.http().get(`/v1/payments/${payment.id}`));
        expect((still.body as PaymentView).refundedAmount).toBe(0);
      });
    });
  });

  describe('authentication', () => {
    describe('when the Authorization header is missing', () => {
      it('should answer 401 with a Bearer challenge on every merchant endpoint', async () => {
        const responses = await Promise.all([
          api.http().post('/v1/payments').set('Idempotency-Key', newKey()).send(aPaymentBody()),
          api.http().get('/v1/payments/pay_1'),
          api.http().post('/v1/payments/pay_1/refunds').set('Idempotency-Key', newKey()).send({}),
          api.http().get('/v1/gateways'),
        ]);

        for (const response of responses) {
          expect(response.status).toBe(401);
          expect(response.headers['www-authenticate']).toBe('Bearer realm="aegispay"');
          expect(response.body).toMatchObject({ code: 'AUTH.MISSING_CREDENTIALS', status: 401 });
        }
      });
    });

    describe('when the key is wrong or malformed, or the scheme is not Bearer', () => {
      it.each([
        ['a wrong key', `Bearer ${MERCHANT_A.key}x`, 'AUTH.INVALID_API_KEY'],
        ['a prefix of a key', `Bearer ${MERCHANT_A.key.slice(0, -1)}`, 'AUTH.INVALID_API_KEY'],
        ['Basic credentials', `Basic ${Buffer.from(`${MERCHANT_A.key}:`).toString('base64')}`, 'AUTH.MISSING_CREDENTIALS'],
        ['a Bearer value over 512 characters', `Bearer ${MERCHANT_A.key}${'k'.repeat(500)}`, 'AUTH.INVALID_API_KEY'],
        ['a Bearer value with spaces', `Bearer ${MERCHANT_A.key.slice(0, -1)} x`, 'AUTH.INVALID_API_KEY'],
        ['a Bearer value with a non-ASCII character', `Bearer ${MERCHANT_A.key.slice(0, -1)}\u00e9`, 'AUTH.INVALID_API_KEY'],
      ])('should answer 401 for %s, store nothing and never log the key', async (_case, authorization, code) => {
        const payments = await api.count('payments');

        const response = await api.http().post('/v1/payments').set('Authorization', authorization).set('Idempotency-Key', newKey()).send(aPaymentBody());

        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code });
        expect(await api.count('payments')).toBe(payments);
        expect(api.logs()).not.toContain(MERCHANT_A.key.slice(0, -1));
      });
    });

    describe('when the scheme is written in another case', () => {
      it('should accept it (auth schemes are case-insensitive)', async () => {
        const response = await api.http().get('/v1/gateways').set('Authorization', `bearer ${MERCHANT_B.key}`);

        expect(response.status).toBe(200);
      });
    });
  });

  describe('GET /v1/gateways', () => {
    it('should list every gateway with its breaker state, routability and windowed metrics', async () => {
      await pay();

      const response = await asA(api.http().get('/v1/gateways'));

      expect(response.status).toBe(200);
      const gateways = (response.body as { gateways: { name: string; routable: boolean; breaker: { state: string }; metrics: { volume: number } }[] }).gateways;
      expect(gateways.map((gateway) => gateway.name)).toEqual(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
      for (const gateway of gateways) expect(gateway).toMatchObject({ routable: true, breaker: { state: 'CLOSED', isolated: false } });
      expect(gateways.reduce((sum, gateway) => sum + gateway.metrics.volume, 0)).toBeGreaterThan(0);
    });
  });

  describe('GET /healthz', () => {
    it('should answer 200 with the database up and both loops running, without authentication', async () => {
      const response = await api.http().get('/healthz');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'ok', database: 'up', loops: { recovery: true, outboxRelay: true } });
    });
  });

  describe('GET /metrics', () => {
    it('should expose payments by outcome, status and gateway, latency histograms and breaker states', async () => {
      const { payment } = await pay();
      await asA(api.http().get(`/v1/payments/${payment.id}`));

      const response = await api.http().get('/metrics');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      const text = response.text;
      expect(text).toMatch(new RegExp(`aegispay_payments_total\\{outcome="SUCCEEDED",status="PAID",gateway="${payment.gateway}"\\} \\d+`));
      expect(text).toMatch(/aegispay_payments_total\{outcome="DECLINED",status="FAILED",gateway="\w+"\} \d+/);
      expect(text).toMatch(/aegispay_payment_duration_seconds_bucket\{le="0.005",outcome="SUCCEEDED"\} \d+/);
      expect(text).toMatch(new RegExp(`aegispay_gateway_attempt_latency_seconds_count\\{gateway="${payment.gateway}",outcome="APPROVED"\\} \\d+`));
      expect(text).toMatch(/aegispay_http_request_duration_seconds_count\{method="GET",route="\/v1\/payments\/:id",status="200"\} \d+/);
      expect(text).toContain('aegispay_circuit_breaker_state{gateway="ADYEN",state="CLOSED"} 1');
      expect(text).toContain('aegispay_circuit_breaker_state{gateway="ADYEN",state="OPEN"} 0');
      expect(text).toMatch(/aegispay_gateway_health_score\{gateway="STRIPE"\} [\d.]+/);
      expect(text).toMatch(/aegispay_refunds_total\{result="REFUNDED"\} \d+/);
      // Route patterns, never raw paths: a payment id would make one series per payment.
      expect(text).not.toContain(payment.id);
    });
  });

  describe('when something unexpected fails', () => {
    it('should answer a 500 problem showing only the request id, and log the error with its type and stack', async () => {
      const orchestrator = api.app.get(TOKENS.PaymentOrchestrator);
      const failure = jest.spyOn(orchestrator, 'getPayment').mockRejectedValueOnce(new TypeError('relation "payments" is locked: SELECT * FROM payments WHERE secret_column'));

      const response = await asA(api.http().get('/v1/payments/pay_anything')).set('X-Request-Id', 'unexpected-1');
      failure.mockRestore();

      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ code: 'SERVER.INTERNAL_ERROR', requestId: 'unexpected-1', retryable: true });
      expect(response.text).not.toMatch(/secret_column|TypeError|\bat /);
      const logged = api.logs().split('\n').find((line) => line.includes('"msg":"unexpected error"') && line.includes('unexpected-1'));
      expect(JSON.parse(logged ?? '{}')).toMatchObject({ requestId: 'unexpected-1', route: '/v1/payments/:id', error: { type: 'TypeError', message: expect.stringContaining('secret_column'), stack: expect.stringContaining('TypeError') } });
    });
  });

  describe('request ids', () => {
    describe('when the client sends a well-formed X-Request-Id', () => {
      it('should use it, echo it and put it in problems and logs', async () => {
        const response = await api.http().get('/v1/gateways').set('X-Request-Id', 'client-trace.0001');

        expect(response.headers['x-request-id']).toBe('client-trace.0001');
        expect(response.body).toMatchObject({ requestId: 'client-trace.0001', instance: '/v1/gateways' });
        expect(api.logs()).toContain('"requestId":"client-trace.0001"');
      });
    });

    describe('when the X-Request-Id is malformed or holds a card number', () => {
      it.each([['has spaces and <tags>'], ['4111111111111111'], ['x'.repeat(200)]])('should replace %j with a generated id', async (header) => {
        const response = await api.http().get('/healthz').set('X-Request-Id', header);

        expect(response.headers['x-request-id']).toMatch(/^req_/);
        expect(api.logs()).not.toContain(header);
      });
    });
  });
});
