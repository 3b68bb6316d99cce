import { VirtualClock, WebhookVerificationError, type GatewayNotification, type WebhookRequest } from '@aegispay/domain';
import { InvalidStripeOptionError, StripeWebhookVerifier } from '../index';
import { stripeSignatureHeader } from '../testing';
import { aCharge, aRefund, startHarness, type Harness } from '../__fixtures__/stub-harness';
import { startWebhookReceiver, type WebhookReceiver } from '../__fixtures__/webhook-receiver';

const SECRET = 'whsec_test_endpoint_secret';
const START = Date.UTC(2026, 2, 1);

describe(StripeWebhookVerifier, () => {
  let clock: VirtualClock;
  let receiver: WebhookReceiver;
  let harness: Harness;
  let verifier: StripeWebhookVerifier;

  beforeEach(async () => {
    clock = new VirtualClock({ start: START });
    receiver = await startWebhookReceiver();
    harness = await startHarness({ clock, stub: { webhook: { url: receiver.url, secret: SECRET } } });
    verifier = new StripeWebhookVerifier({ webhookSecret: SECRET, clock });
  });
  afterEach(async () => {
    await harness.dispose();
    await receiver.close();
  });

  const deliveredNotifications = async (): Promise<GatewayNotification[]> => {
    await harness.stub.control.flushWebhooks();
    return receiver.received.flatMap((request) => verifier.verify(request));
  };

  describe('.verify', () => {
    describe('when the stub delivers the events of a charge', () => {
      it('should read payment_intent.succeeded as the charge approved, with the Stripe event id and our ids', async () => {
        const request = aCharge('pm_card_visa');
        const charged = await harness.gateway.charge(request);

        const notifications = await deliveredNotifications();

        expect(notifications).toEqual([
          {
            type: 'CHARGE',
            gateway: 'STRIPE',
            eventId: expect.stringMatching(/^evt_/),
            paymentId: request.paymentId,
            reference: request.reference,
            occurredAt: Math.floor(clock.now() / 1_000) * 1_000,
            gatewayReference: (charged as { gatewayReference: string }).gatewayReference,
            status: { status: 'APPROVED', gatewayReference: (charged as { gatewayReference: string }).gatewayReference, amount: request.amount },
          },
        ]);
        // payment_intent.created verified too, but carries no decision: it yields nothing.
        expect(receiver.received).toHaveLength(2);
      });

      it('should read payment_intent.payment_failed as the decline', async () => {
        await harness.gateway.charge(aCharge('pm_card_chargeDeclinedStolenCard'));

        expect((await deliveredNotifications()).map((notification) => notification.status)).toEqual([{ status: 'DECLINED', declineCode: 'stolen_card', declineType: 'HARD' }]);
      });

      it('should read the customer action and its outcome in order', async () => {
        const charged = await harness.gateway.charge(aCharge('pm_card_threeDSecure2Required'));
        await harness.stub.control.completeAction((charged as { gatewayReference: string }).gatewayReference, 'succeed');

        expect((await deliveredNotifications()).map((notification) => notification.status.status)).toEqual(['REQUIRES_ACTION', 'APPROVED']);
      });
    });

    describe('when the stub delivers the events of a refund', () => {
      it('should read refund.created and the later refund.updated as the refund status, with the charge', async () => {
        const charged = await harness.gateway.charge(aCharge('pm_card_visa'));
        const chargeReference = (charged as { gatewayReference: string }).gatewayReference;
        await harness.stub.control.refundNextAsync();
        const request = aRefund(chargeReference, 600);
        const refunded = await harness.gateway.refund(request);
        await harness.stub.control.settleRefund((refunded as { gatewayReference: string }).gatewayReference, 'succeeded');

        const refunds = (await deliveredNotifications()).filter((notification) => notification.type === 'REFUND');

        expect(refunds.map((notification) => notification.status.status)).toEqual(['PENDING', 'REFUNDED', 'REFUNDED']);
        expect(refunds[0]).toMatchObject({ chargeReference, reference: request.reference, paymentId: request.paymentId });
      });
    });

    describe('when the same event is delivered again', () => {
      it('should verify it again with the same event id, for the receiver to apply once', async () => {
        await harness.gateway.charge(aCharge('pm_card_visa'));
        const [first] = await deliveredNotifications();
        const event = (await harness.stub.control.events()).find((each) => each.type === 'payment_intent.succeeded');

        expect(await harness.stub.control.redeliverEvent(event?.id ?? '')).toBe(200);

        const again = verifier.verify(receiver.received[receiver.received.length - 1] as WebhookRequest);
        expect(again).toEqual([first]);
      });
    });

    describe('when the receiver was down', () => {
      it('should deliver the pending events once it answers again, in order', async () => {
        receiver.answer(503);
        await harness.gateway.charge(aCharge('pm_card_visa'));
        await harness.stub.control.flushWebhooks();
        expect(receiver.received).toEqual([]);

        receiver.answer(200);
        await harness.gateway.charge(aCharge('pm_card_visa'));

        expect((await deliveredNotifications()).map((notification) => notification.status.status)).toEqual(['APPROVED', 'APPROVED']);
        expect((await harness.stub.control.events()).every((event) => event.delivered)).toBe(true);
      });
    });

    describe('when the webhook is forged, stale or malformed', () => {
      const signed = (body: string, secret = SECRET, at = START): WebhookRequest => ({
        rawBody: new TextEncoder().encode(body),
        headers: { 'stripe-signature': stripeSignatureHeader(body, secret, Math.floor(at / 1_000)) },
      });
      const event = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', created: 1, data: { object: { id: 'pi_1', object: 'payment_intent', status: 'succeeded', amount: 100, amount_received: 100, currency: 'eur', metadata: {} } } });

      it.each([
        ['a body changed after signing', { ...signed(event), rawBody: new TextEncoder().encode(event.replace('"amount":100', '"amount":999')) }, 'WEBHOOK.INVALID_SIGNATURE'],
        ['a signature made with another secret', signed(event, 'whsec_someone_else'), 'WEBHOOK.INVALID_SIGNATURE'],
        ['no signature', { rawBody: new TextEncoder().encode(event), headers: {} }, 'WEBHOOK.INVALID_SIGNATURE'],
        ['an unreadable signature header', { rawBody: new TextEncoder().encode(event), headers: { 'stripe-signature': 'garbage' } }, 'WEBHOOK.MALFORMED'],
        ['two signature headers', { rawBody: new TextEncoder().encode(event), headers: { 'stripe-signature': ['t=1,v1=a', 't=2,v1=b'] } }, 'WEBHOOK.MALFORMED'],
        ['a signed body that is not an event', signed('not json'), 'WEBHOOK.MALFORMED'],
        ['a signed event whose object is not what its type says', signed(event.replace('"object":"payment_intent"', '"object":"charge"')), 'WEBHOOK.MALFORMED'],
      ])('should refuse %s', (_case, request, code) => {
        expect(() => verifier.verify(request)).toThrow(WebhookVerificationError);
        expect(() => verifier.verify(request)).toThrow(expect.objectContaining({ code, gateway: 'STRIPE' }));
      });

      it('should refuse a signature older than the tolerance as stale, and accept it within', () => {
        expect(verifier.verify(signed(event, SECRET, START - 299_000))).toHaveLength(1);
        expect(() => verifier.verify(signed(event, SECRET, START - 301_000))).toThrow(expect.objectContaining({ code: 'WEBHOOK.STALE' }));
      });

      it('should refuse a delivered webhook replayed after the tolerance', async () => {
        await harness.gateway.charge(aCharge('pm_card_visa'));
        await harness.stub.control.flushWebhooks();
        const captured = receiver.received[receiver.received.length - 1] as WebhookRequest;

        await clock.advance(10 * 60_000);

        expect(() => verifier.verify(captured)).toThrow(expect.objectContaining({ code: 'WEBHOOK.STALE' }));
      });

      it('should never put the secret in its errors or its JSON', () => {
        const error = ((): unknown => {
          try {
            return verifier.verify(signed(event, 'whsec_someone_else'));
          } catch (caught) {
            return caught;
          }
        })();

        expect(JSON.stringify(error)).not.toContain(SECRET);
        expect((error as Error).message).not.toContain(SECRET);
        expect(JSON.stringify(verifier)).not.toContain(SECRET);
      });
    });
  });

  describe('constructor', () => {
    it.each([
      [{ webhookSecret: '' }, 'webhookSecret'],
      [{ webhookSecret: 'sk_test_123' }, 'webhookSecret'],
      [{ webhookSecret: SECRET, toleranceSeconds: 0 }, 'toleranceSeconds'],
    ])('should refuse %p naming %s, without echoing the secret', (options, field) => {
      const build = (): StripeWebhookVerifier => new StripeWebhookVerifier(options);

      expect(build).toThrow(InvalidStripeOptionError);
      expect(build).toThrow(expect.objectContaining({ code: 'STRIPE.INVALID_OPTION', field, owner: 'StripeWebhookVerifier' }));
      // '\u0000' appears in no message: the empty secret has nothing to echo.
      expect(build).toThrow(expect.not.objectContaining({ message: expect.stringContaining(options.webhookSecret === '' ? '\u0000' : options.webhookSecret) }));
    });
  });
});
