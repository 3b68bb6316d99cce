import { randomUUID } from 'node:crypto';
import { aPaymentBody, MERCHANT_A, MERCHANT_B, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

const TEN_MINUTES = 600_000;

describe.each(testDialects('HTTP API risk rules'))('the default risk rules of the server, on %s', (dialect) => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api.stop();
  });

  async function pay(body: Record<string, unknown>, merchant: { readonly key: string } = MERCHANT_A): Promise<{ status: number; body: PaymentResponseBody }> {
    const response = await api.http().post('/v1/payments').set('Authorization', `Bearer ${merchant.key}`).set('Idempotency-Key', randomUUID()).send(body);
    return { status: response.status, body: response.body as PaymentResponseBody };
  }

  describe('the maximum amount', () => {
    it('should refuse a 9 007 199 254 740 991 JPY charge before any gateway, saying which rule and which limit', async () => {
      const charges = api.charges();

      const refused = await pay(aPaymentBody({ amount: 9_007_199_254_740_991, currency: 'JPY' }));

      expect(refused.status).toBe(201);
      expect(refused.body).toMatchObject({
        outcome: 'REJECTED',
        code: 'FRAUD_REJECTED',
        reason: 'max-amount: Payment amount 9007199254740991 JPY (minor units) exceeds the high-value threshold of 1000000000 (risk 0.90)',
        payment: { status: 'FAILED', amount: 9_007_199_254_740_991, currency: 'JPY', gateway: null, attempts: [] },
      });
      expect(api.charges()).toBe(charges);
    });

    it('should take 1 000 000.00 EUR and refuse one cent more', async () => {
      expect((await pay(aPaymentBody({ amount: 100_000_000, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_ceiling_1' } }))).body.outcome).toBe('SUCCEEDED');
      expect((await pay(aPaymentBody({ amount: 100_000_001, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_ceiling_2' } }))).body).toMatchObject({
        outcome: 'REJECTED',
        code: 'FRAUD_REJECTED',
        reason: expect.stringContaining('max-amount: Payment amount 100000001 EUR (minor units) exceeds the high-value threshold of 100000000') as string,
      });
    });
  });

  describe('the velocity of one customer', () => {
    it('should take 20 payments of a customer in 10 minutes and refuse the 21st, count per merchant, and take them again once the window has passed', async () => {
      const customer = (n: number, customerId = 'cus_velocity'): Record<string, unknown> =>
        aPaymentBody({ customerId, paymentMethod: { type: 'CARD', token: `tok_customer_${customerId}_${n}` } });
      const outcomes: string[] = [];
      for (let n = 1; n <= 20; n += 1) outcomes.push((await pay(customer(n))).body.outcome);

      const twentyFirst = await pay(customer(21));
      const otherCustomer = await pay(customer(1, 'cus_other'));
      const otherMerchant = await pay(customer(22), MERCHANT_B);
      await api.clock.advance(TEN_MINUTES);
      const later = await pay(customer(23));

      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 'SUCCEEDED'));
      expect(twentyFirst.body).toMatchObject({
        outcome: 'REJECTED',
        code: 'FRAUD_REJECTED',
        reason: 'customer-velocity: Too many payments: 21 in the last 10 minutes (limit 20) (risk 0.90)',
        payment: { status: 'FAILED', customerId: 'cus_velocity' },
      });
      expect([otherCustomer.body.outcome, otherMerchant.body.outcome, later.body.outcome]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    });
  });

  describe('the velocity of one payment token', () => {
    it('should refuse the 21st payment with one token in 10 minutes, whoever pays with it', async () => {
      const withToken = (n: number): Record<string, unknown> => aPaymentBody({ customerId: `cus_token_${n}`, paymentMethod: { type: 'CARD', token: 'tok_card_tested_4242' } });
      const outcomes: string[] = [];
      for (let n = 1; n <= 20; n += 1) outcomes.push((await pay(withToken(n))).body.outcome);

      const twentyFirst = await pay(withToken(21));
      const anonymous = await pay(aPaymentBody({ paymentMethod: { type: 'CARD', token: 'tok_card_tested_4242' } }));

      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 'SUCCEEDED'));
      expect(twentyFirst.body).toMatchObject({ outcome: 'REJECTED', code: 'FRAUD_REJECTED', reason: 'token-velocity: Too many payments: 21 in the last 10 minutes (limit 20) (risk 0.90)' });
      expect(anonymous.body).toMatchObject({ outcome: 'REJECTED', reason: expect.stringContaining('token-velocity: Too many payments: 22') as string });
    });
  });
});

describe.each(testDialects('HTTP API risk rules from the configuration'))('risk rules from the configuration, on %s', (dialect) => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi(dialect, {
      settings: { maxAmounts: 'JPY=5000,merchant_b/JPY=100000', customerVelocityLimit: 3, customerVelocityWindowMs: 60_000, tokenVelocityLimit: 0 },
    });
  });
  afterAll(async () => {
    await api.stop();
  });

  async function outcome(body: Record<string, unknown>, merchant: { readonly key: string } = MERCHANT_A): Promise<string> {
    const response = await api.http().post('/v1/payments').set('Authorization', `Bearer ${merchant.key}`).set('Idempotency-Key', randomUUID()).send(body);
    const answer = response.body as PaymentResponseBody;
    return answer.outcome === 'REJECTED' ? `REJECTED ${answer.reason ?? ''}` : answer.outcome;
  }

  it('should apply a currency maximum to every merchant and a merchant maximum over it', async () => {
    const yen = (amount: number): Record<string, unknown> => aPaymentBody({ amount, currency: 'JPY', paymentMethod: { type: 'CARD', token: `tok_yen_${amount}` } });

    expect(await outcome(yen(5_000))).toBe('SUCCEEDED');
    expect(await outcome(yen(5_001))).toBe('REJECTED max-amount: Payment amount 5001 JPY (minor units) exceeds the high-value threshold of 5000 (risk 0.90)');
    expect(await outcome(yen(100_000), MERCHANT_B)).toBe('SUCCEEDED');
    expect(await outcome(yen(100_001), MERCHANT_B)).toBe(
      'REJECTED max-amount: Payment amount 100001 JPY (minor units) exceeds the high-value threshold of 100000 set for merchant merchant_b (risk 0.90)',
    );
  });

  it('should apply the configured customer limit and window, and no token limit', async () => {
    const body = aPaymentBody({ customerId: 'cus_configured', paymentMethod: { type: 'CARD', token: 'tok_one_card' } });
    const outcomes: string[] = [];
    for (let n = 0; n < 4; n += 1) outcomes.push(await outcome(body));
    await api.clock.advance(60_000);
    outcomes.push(await outcome(body));

    expect(outcomes).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'REJECTED customer-velocity: Too many payments: 4 in the last minute (limit 3) (risk 0.90)', 'SUCCEEDED']);
  });
});
