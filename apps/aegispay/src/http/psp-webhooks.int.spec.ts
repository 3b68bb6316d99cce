import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayWebhookVerifier, Payment, PaymentGateway } from '@aegispay/domain';
import { createAdyenConnector } from '@aegispay/adyen';
import { startAdyenStub, type AdyenStub } from '@aegispay/adyen/testing';
import { createStripeConnector } from '@aegispay/stripe';
import { startStripeStub, stripeSignatureHeader, type StripeStub } from '@aegispay/stripe/testing';
import { ContainerModule } from 'inversify';
import { TOKENS } from '../composition/tokens';
import { apiTestClock, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import { startWebhookRelay, type WebhookRelay } from './__fixtures__/webhook-relay';
import type { PaymentResponseBody } from './payment.view';

/** Binds real connectors as the only gateways, with their webhook verifiers. */
function connectorsModule(gateways: readonly PaymentGateway[], verifiers: ReadonlyMap<string, GatewayWebhookVerifier>): ContainerModule {
  return new ContainerModule(({ rebindSync }) => {
    rebindSync(TOKENS.PaymentGateways).toConstantValue(Object.freeze([...gateways]));
    rebindSync(TOKENS.WebhookVerifiers).toConstantValue(verifiers);
  });
}

/** Waits, turn by turn, until `condition` holds: no wall-clock sleeps (a deadline only bounds a failure). */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.each(testDialects('PSP webhooks over HTTP'))('POST /v1/psp-webhooks, on %s', (dialect) => {
  describe('stripe', () => {
    let api: ApiHarness;
    let stub: StripeStub;
    let relay: WebhookRelay;
    let directory: string;
    const clock = apiTestClock(Date.UTC(2026, 11, 1));

    beforeAll(async () => {
      directory = mkdtempSync(join(tmpdir(), 'aegispay-stripe-webhooks-'));
      relay = await startWebhookRelay();
      stub = await startStripeStub({ databaseFile: join(directory, 'stripe.sqlite'), clock, webhook: { url: relay.url } });
      const connector = createStripeConnector({ secretKey: stub.secretKey, api: stub.url, webhookSecret: stub.webhookSecret, returnUrl: 'https://shop.example/return', clock });
      api = await startApi(dialect, { clock, startLoops: false, modules: [connectorsModule([connector.gateway], new Map([['stripe', connector.webhooks as GatewayWebhookVerifier]]))] });
      relay.forwardTo(`${api.url}/v1/psp-webhooks/stripe`);
    });
    afterAll(async () => {
      await api.stop();
      await stub.close();
      await relay.close();
      rmSync(directory, { recursive: true, force: true });
    });

    const pay = (key: string, token: string): Promise<{ status: number; body: PaymentResponseBody }> =>
      api
        .http()
        .post('/v1/payments')
        .set('Authorization', `Bearer ${MERCHANT_A.key}`)
        .set('Idempotency-Key', key)
        .send({ amount: 2_500, currency: 'EUR', paymentMethod: { type: 'CARD', token } })
        .then((response) => ({ status: response.status, body: response.body as PaymentResponseBody }));
    const stored = async (id: string): Promise<Payment> => (await api.app.get(TOKENS.PaymentRepository).findById(id)) as Payment;
    const allDelivered = async (): Promise<boolean> => (await stub.control.events()).every((event) => event.delivered);

    it('should settle a payment awaiting 3-D Secure once Stripe reports it, and answer its key with the outcome', async () => {
      const first = await pay('webhook-3ds', 'pm_card_threeDSecure2Required');
      const paymentIntent = (await stored(first.body.payment.id)).attempts[0]?.gatewayReference as string;

      await stub.control.completeAction(paymentIntent, 'succeed');
      await until('the payment is PAID', async () => (await stored(first.body.payment.id)).status === 'PAID');
      await until('every event is delivered', allDelivered);
      const replay = await pay('webhook-3ds', 'pm_card_threeDSecure2Required');

      expect(first).toMatchObject({ status: 202, body: { outcome: 'REQUIRES_ACTION' } });
      expect(replay).toMatchObject({ status: 201, body: { outcome: 'SUCCEEDED', payment: { id: first.body.payment.id, status: 'PAID' } } });
      expect((await stub.control.chargesFor(`${first.body.payment.id}:1`)).charges).toBe(1);
    });

    it('should answer a redelivered event as a duplicate and change nothing', async () => {
      const first = await pay('webhook-redelivered', 'pm_card_threeDSecure2Required');
      const paymentIntent = (await stored(first.body.payment.id)).attempts[0]?.gatewayReference as string;
      await stub.control.completeAction(paymentIntent, 'succeed');
      await until('the payment is PAID', async () => (await stored(first.body.payment.id)).status === 'PAID');
      await until('every event is delivered', allDelivered);
      const succeeded = (await stub.control.events()).find((event) => event.type === 'payment_intent.succeeded' && event.objectId === paymentIntent);
      const version = (await stored(first.body.payment.id)).version;
      const answered = relay.answers.length;

      const status = await stub.control.redeliverEvent(succeeded?.id as string);

      expect(status).toBe(200);
      expect(relay.answers.length).toBe(answered + 1);
      expect((await stored(first.body.payment.id)).version).toBe(version);
    });

    it('should settle a refund Stripe confirms later', async () => {
      const paid = await pay('webhook-refund', 'pm_card_visa');
      await stub.control.refundNextAsync(1);
      const refund = await api.http().post(`/v1/payments/${paid.body.payment.id}/refunds`).set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', 'refund-later').send({ amount: 1_000 });
      const refundId = (await stored(paid.body.payment.id)).refunds[0]?.gatewayReference as string;

      await stub.control.settleRefund(refundId, 'succeeded');
      await until('the refund is settled', async () => (await stored(paid.body.payment.id)).refunds[0]?.status === 'SUCCEEDED');

      expect(refund.status).toBe(202);
      expect(await stored(paid.body.payment.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: { amount: 1_000 } });
    });

    describe('a webhook that is not Stripe’s', () => {
      const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', created: 1, data: { object: { id: 'pi_forged', object: 'payment_intent' } } });
      const post = (signature: string | undefined): ReturnType<ReturnType<ApiHarness['http']>['post']> => {
        const request = api.http().post('/v1/psp-webhooks/stripe').set('Content-Type', 'application/json');
        return (signature === undefined ? request : request.set('Stripe-Signature', signature)).send(body);
      };

      it.each<[string, () => string | undefined, string]>([
        ['unsigned', () => undefined, 'WEBHOOK.INVALID_SIGNATURE'],
        ['signed with another secret', () => stripeSignatureHeader(body, 'whsec_not_the_secret', Math.floor(clock.now() / 1_000)), 'WEBHOOK.INVALID_SIGNATURE'],
        ['signed an hour ago', () => stripeSignatureHeader(body, stub.webhookSecret, Math.floor(clock.now() / 1_000) - 3_600), 'WEBHOOK.STALE'],
      ])('should refuse one %s with 400 and apply nothing, without an API key', async (_case, signature, code) => {
        await until('every event is delivered', allDelivered);
        const before = await api.count('idempotency_keys');

        const response = await post(signature());

        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code });
        expect(await api.count('idempotency_keys')).toBe(before);
        expect(api.logs()).not.toContain(stub.webhookSecret);
      });
    });

    it('should answer 404 for a connector with no webhooks configured', async () => {
      const response = await api.http().post('/v1/psp-webhooks/paypal').set('Content-Type', 'application/json').send('{}');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'WEBHOOK.UNKNOWN_CONNECTOR' });
    });
  });

  describe('adyen', () => {
    let api: ApiHarness;
    let stub: AdyenStub;
    let directory: string;
    const clock = apiTestClock(Date.UTC(2026, 11, 1));

    beforeAll(async () => {
      directory = mkdtempSync(join(tmpdir(), 'aegispay-adyen-webhooks-'));
      stub = await startAdyenStub({ databaseFile: join(directory, 'adyen.sqlite'), notificationDelivery: 'manual', clock });
      const connector = createAdyenConnector({ apiKey: stub.apiKey, merchantAccount: stub.merchantAccount, hmacKey: stub.hmacKey, baseUrl: stub.url, returnUrl: 'https://shop.example/return', clock });
      api = await startApi(dialect, { clock, startLoops: false, modules: [connectorsModule([connector.gateway], new Map([['adyen', connector.webhookVerifier]]))] });
    });
    afterAll(async () => {
      await api.stop();
      await stub.close();
      rmSync(directory, { recursive: true, force: true });
    });

    it('should settle a payment Adyen received and authorised later, once, however often the webhook comes', async () => {
      const first = await api
        .http()
        .post('/v1/payments')
        .set('Authorization', `Bearer ${MERCHANT_A.key}`)
        .set('Idempotency-Key', 'adyen-pending')
        .send({ amount: 2_500, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'shopper_1:STUB_RESULT_PENDING' } });
      const id = (first.body as PaymentResponseBody).payment.id;
      const pspReference = ((await api.app.get(TOKENS.PaymentRepository).findById(id)) as Payment).attempts[0]?.gatewayReference as string;
      await stub.control.resolvePayment(pspReference, 'Authorised');
      const queued = await stub.control.notifications();
      const deliver = (body: string) => api.http().post('/v1/psp-webhooks/adyen').set('Content-Type', 'application/json').send(body);

      const firstRound = [];
      for (const notification of queued) firstRound.push(await deliver(notification.body));
      const secondRound = [];
      for (const notification of queued) secondRound.push(await deliver(notification.body));

      expect(first.status).toBe(202);
      expect([...firstRound, ...secondRound].map((answer) => answer.status)).toEqual([...queued, ...queued].map(() => 200));
      expect(firstRound.flatMap((answer) => (answer.body as { outcomes: { outcome: string }[] }).outcomes.map((outcome) => outcome.outcome))).toContain('APPLIED');
      expect(secondRound.flatMap((answer) => (answer.body as { outcomes: { outcome: string }[] }).outcomes.map((outcome) => outcome.outcome))).toEqual(
        expect.arrayContaining(['DUPLICATE']),
      );
      expect(secondRound.flatMap((answer) => (answer.body as { outcomes: { outcome: string }[] }).outcomes.map((outcome) => outcome.outcome)).every((kind) => kind === 'DUPLICATE')).toBe(true);
      expect(await api.app.get(TOKENS.PaymentRepository).findById(id)).toMatchObject({ status: 'PAID' });
    });

    it('should refuse a notification whose HMAC does not match, changing nothing', async () => {
      const queued = await stub.control.notifications();
      // The signature of another amount: Adyen's HMAC covers the amount.
      const tampered = (queued[0]?.body ?? '{}').replace(/"value":\s*2500/, '"value":1');

      const response = await api.http().post('/v1/psp-webhooks/adyen').set('Content-Type', 'application/json').send(tampered);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'WEBHOOK.INVALID_SIGNATURE' });
    });
  });
});
