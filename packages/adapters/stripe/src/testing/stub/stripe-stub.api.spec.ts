import { VirtualClock } from '@aegispay/domain';
import { aDatabaseFile } from '../../__fixtures__/stub-harness';
import { aPaymentIntentForm, rawStripe } from '../../__fixtures__/raw-stripe';
import { startStripeStub, type StripeStub } from '../index';

/*
 * The Stripe behaviours the stub reproduces on the wire (the README's table), checked with plain
 * HTTP rather than the SDK.
 */
describe(startStripeStub, () => {
  let stub: StripeStub;
  let database: ReturnType<typeof aDatabaseFile>;
  let clock: VirtualClock;

  beforeEach(async () => {
    database = aDatabaseFile();
    clock = new VirtualClock({ start: Date.UTC(2026, 4, 1) });
    stub = await startStripeStub({ databaseFile: database.file, clock });
  });
  afterEach(async () => {
    await stub.close();
    database.remove();
  });

  describe('authentication', () => {
    it('should refuse a request without an API key with 401 and Stripe error envelope', async () => {
      const answer = await rawStripe(stub, 'GET', '/v1/payment_intents/pi_1', undefined, { authorization: null });

      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') } });
    });

    it('should refuse another key with 401 and show it masked as Stripe does', async () => {
      const answer = await rawStripe(stub, 'GET', '/v1/payment_intents/pi_1', undefined, { authorization: 'Bearer sk_test_wrongwrongwrong1234' });

      expect(answer.status).toBe(401);
      expect(JSON.stringify(answer.body)).toMatch(/sk_test_\*+1234/);
      expect(JSON.stringify(answer.body)).not.toContain('wrongwrong');
    });

    it('should accept the key as the user name of Basic authentication, as Stripe does', async () => {
      const basic = `Basic ${Buffer.from(`${stub.secretKey}:`).toString('base64')}`;

      expect((await rawStripe(stub, 'GET', '/v1/payment_intents/pi_1', undefined, { authorization: basic })).status).toBe(404);
    });
  });

  describe('POST /v1/payment_intents', () => {
    it('should create and confirm a PaymentIntent from a form-encoded body', async () => {
      const answer = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_visa'));

      expect(answer.status).toBe(200);
      expect(answer.headers.get('request-id')).toMatch(/^req_/);
      expect(answer.body).toMatchObject({
        id: expect.stringMatching(/^pi_/),
        object: 'payment_intent',
        amount: 2000,
        amount_received: 2000,
        currency: 'usd',
        status: 'succeeded',
        capture_method: 'automatic',
        client_secret: expect.stringMatching(/^pi_.+_secret_/),
        latest_charge: expect.stringMatching(/^ch_/),
        metadata: { order: 'order_1' },
        created: Math.floor(clock.now() / 1_000),
        livemode: false,
      });
    });

    it('should answer a decline with 402, the card error and the PaymentIntent left in requires_payment_method', async () => {
      const answer = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_visa_chargeDeclinedLostCard'));

      expect(answer.status).toBe(402);
      expect(answer.body['error']).toMatchObject({
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'lost_card',
        charge: expect.stringMatching(/^ch_/),
        payment_intent: { object: 'payment_intent', status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'lost_card' } },
      });
    });

    it.each([
      ['an unknown parameter', aPaymentIntentForm('pm_card_visa', { colour: 'blue' }), 'parameter_unknown', 'colour'],
      ['no amount', { currency: 'usd' }, 'parameter_missing', 'amount'],
      ['an amount that is not an integer', aPaymentIntentForm('pm_card_visa', { amount: '12.5' }), 'parameter_invalid_integer', 'amount'],
      ['a PaymentMethod Stripe does not know', aPaymentIntentForm('pm_card_nope'), 'resource_missing', 'payment_method'],
      ['an ISK amount that is not whole krónur', aPaymentIntentForm('pm_card_visa', { currency: 'isk', amount: '550' }), 'invalid_charge_amount_no_decimal_compatible', 'amount'],
    ])('should refuse %s with 400 invalid_request_error', async (_case, form, code, param) => {
      const answer = await rawStripe(stub, 'POST', '/v1/payment_intents', form);

      expect(answer.status).toBe(400);
      expect(answer.body['error']).toMatchObject({ type: 'invalid_request_error', code, param });
    });

    it('should refuse a confirmation that could redirect but has no return_url', async () => {
      const answer = await rawStripe(stub, 'POST', '/v1/payment_intents', { amount: '2000', currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true' });

      expect(answer.status).toBe(400);
      expect(answer.body['error']).toMatchObject({ param: 'return_url', message: expect.stringContaining('allow_redirects') });
    });

    it('should leave a 3-D Secure card in requires_action with a redirect when a return_url is given', async () => {
      const answer = await rawStripe(stub, 'POST', '/v1/payment_intents', { amount: '2000', currency: 'eur', payment_method: 'pm_card_threeDSecure2Required', confirm: 'true', return_url: 'https://shop.example/back' });

      expect(answer.body).toMatchObject({
        status: 'requires_action',
        next_action: { type: 'redirect_to_url', redirect_to_url: { url: `${stub.url}/_stub/3ds/${String(answer.body['id'])}`, return_url: 'https://shop.example/back' } },
      });
    });
  });

  describe('GET /v1/payment_intents/:id', () => {
    it('should answer the PaymentIntent as it is now, and 404 resource_missing for an unknown id', async () => {
      const created = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm());

      expect((await rawStripe(stub, 'GET', `/v1/payment_intents/${String(created.body['id'])}`)).body).toEqual(created.body);
      expect(await rawStripe(stub, 'GET', '/v1/payment_intents/pi_missing')).toMatchObject({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing' } } });
    });
  });

  describe('POST /v1/refunds and GET /v1/refunds/:id', () => {
    it('should refund what is left by default, then refuse with charge_already_refunded', async () => {
      const created = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm());
      const paymentIntent = String(created.body['id']);

      const refund = await rawStripe(stub, 'POST', '/v1/refunds', { payment_intent: paymentIntent });

      expect(refund.body).toMatchObject({ object: 'refund', amount: 2000, status: 'succeeded', payment_intent: paymentIntent, charge: created.body['latest_charge'] });
      expect((await rawStripe(stub, 'GET', `/v1/refunds/${String(refund.body['id'])}`)).body).toEqual(refund.body);
      expect((await rawStripe(stub, 'POST', '/v1/refunds', { payment_intent: paymentIntent })).body['error']).toMatchObject({ code: 'charge_already_refunded' });
    });

    it('should refuse a refund of a PaymentIntent that has not succeeded', async () => {
      const created = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_threeDSecure2Required'));

      expect((await rawStripe(stub, 'POST', '/v1/refunds', { payment_intent: String(created.body['id']) })).body['error']).toMatchObject({ code: 'charge_not_refundable' });
    });
  });

  describe('idempotency', () => {
    it('should replay the saved answer with Idempotent-Replayed: true and create nothing more', async () => {
      const first = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-1' });
      const again = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-1' });

      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.headers.get('idempotency-key')).toBe('key-1');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(await stub.control.ledger('key-1')).toHaveLength(1);
    });

    it('should replay a saved card error too', async () => {
      const first = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_chargeDeclined'), { idempotencyKey: 'key-2' });
      const again = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_chargeDeclined'), { idempotencyKey: 'key-2' });

      expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([402, 'true']);
      expect(again.body).toEqual(first.body);
    });

    it.each([
      ['other parameters', '/v1/payment_intents', aPaymentIntentForm('pm_card_visa', { amount: '2001' })],
      ['another endpoint', '/v1/refunds', { payment_intent: 'pi_1' }],
    ])('should refuse the key with %s: 400 idempotency_error', async (_case, path, form) => {
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-3' });

      const reused = await rawStripe(stub, 'POST', path, form, { idempotencyKey: 'key-3' });

      expect(reused.status).toBe(400);
      expect(reused.body['error']).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining("other than 'key-3'") });
    });

    it('should not save a request refused before the endpoint ran: the same key runs it again', async () => {
      const refused = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_nope'), { idempotencyKey: 'key-4' });
      const again = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm('pm_card_nope'), { idempotencyKey: 'key-4' });

      expect([refused.status, again.status]).toEqual([400, 400]);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
    });

    it('should answer 409 idempotency_key_in_use while the first request with the key is being carried out', async () => {
      await stub.control.injectFault({ kind: 'hold' });
      const first = rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-5' });
      await stub.control.waitForHeld();

      const concurrent = await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-5' });

      expect(concurrent.status).toBe(409);
      expect(concurrent.body['error']).toMatchObject({ code: 'idempotency_key_in_use' });
      await stub.control.releaseHeld();
      expect((await first).status).toBe(200);
    });

    it('should forget a key after 24 hours: the same request then creates a second PaymentIntent', async () => {
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-6' });
      await clock.advance(24 * 3_600_000 - 1);
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-6' });
      expect(await stub.control.ledger('key-6')).toHaveLength(1);

      await clock.advance(2);
      await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'key-6' });

      expect(await stub.control.ledger('key-6')).toHaveLength(2);
    });

    it('should refuse a key longer than 255 characters', async () => {
      expect((await rawStripe(stub, 'POST', '/v1/payment_intents', aPaymentIntentForm(), { idempotencyKey: 'k'.repeat(256) })).status).toBe(400);
    });
  });

  describe('unknown endpoints', () => {
    it('should answer 404 with Stripe message', async () => {
      expect(await rawStripe(stub, 'POST', '/v1/charges', { amount: '1' })).toMatchObject({ status: 404, body: { error: { message: 'Unrecognized request URL (POST: /v1/charges).' } } });
    });
  });
});
