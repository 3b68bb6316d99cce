import { Money, WebhookVerificationError } from '@aegispay/domain';
import { AdyenWebhookVerifier, createAdyenConnector } from '../index';
import { signedAdyenWebhook, type UnsignedNotificationItem } from '../testing';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OTHER_KEY = '00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF';

const item = (overrides: Partial<UnsignedNotificationItem> = {}): UnsignedNotificationItem => ({
  pspReference: '7914073381342284',
  merchantAccountCode: 'ShopECOM',
  merchantReference: 'pay_1:1',
  eventCode: 'AUTHORISATION',
  eventDate: '2026-01-01T10:00:00+01:00',
  success: 'true',
  reason: '',
  amount: { value: 1130, currency: 'EUR' },
  additionalData: { 'metadata.paymentId': 'pay_1' },
  ...overrides,
});

const request = (body: string) => ({ rawBody: Buffer.from(body, 'utf8'), headers: { 'content-type': 'application/json' } });

describe(AdyenWebhookVerifier, () => {
  const verifier = new AdyenWebhookVerifier({ hmacKey: HMAC_KEY, merchantAccount: 'ShopECOM' });

  describe('.verify', () => {
    describe('when an AUTHORISATION is signed with the webhook key', () => {
      it('should read an approval with the event id, payment id, reference and time', () => {
        expect(verifier.verify(request(signedAdyenWebhook([item()], HMAC_KEY)))).toEqual([
          {
            gateway: 'ADYEN',
            type: 'CHARGE',
            eventId: '7914073381342284:AUTHORISATION:true',
            paymentId: 'pay_1',
            reference: 'pay_1:1',
            occurredAt: Date.parse('2026-01-01T09:00:00Z'),
            gatewayReference: '7914073381342284',
            status: { status: 'APPROVED', gatewayReference: '7914073381342284', amount: Money.of(1130, 'EUR') },
          },
        ]);
      });

      it('should read a refused one as a decline by its refusal reason', () => {
        const [notification] = verifier.verify(request(signedAdyenWebhook([item({ success: 'false', reason: 'Blocked Card' })], HMAC_KEY)));

        expect(notification).toMatchObject({ eventId: '7914073381342284:AUTHORISATION:false', status: { status: 'DECLINED', declineCode: 'blocked_card', declineType: 'HARD' } });
      });
    });

    describe.each([
      ['CANCELLATION', { eventCode: 'CANCELLATION', originalReference: 'P1' }, { type: 'CHARGE', gatewayReference: 'P1', status: { status: 'DECLINED', declineCode: 'cancelled', declineType: 'HARD' } }],
      ['CAPTURE', { eventCode: 'CAPTURE', originalReference: 'P1' }, { type: 'CHARGE', gatewayReference: 'P1', status: { status: 'APPROVED' } }],
      ['CAPTURE_FAILED', { eventCode: 'CAPTURE_FAILED', originalReference: 'P1' }, { type: 'CHARGE', status: { status: 'DECLINED', declineCode: 'capture_failed' } }],
      ['OFFER_CLOSED', { eventCode: 'OFFER_CLOSED' }, { type: 'CHARGE', status: { status: 'DECLINED', declineCode: 'offer_closed', declineType: 'SOFT' } }],
      ['REFUND', { eventCode: 'REFUND', originalReference: 'P1', merchantReference: 'refund_1' }, { type: 'REFUND', chargeReference: 'P1', reference: 'refund_1', status: { status: 'REFUNDED' } }],
      ['REFUND failed', { eventCode: 'REFUND', success: 'false' as const, reason: 'Insufficient balance on payment' }, { type: 'REFUND', status: { status: 'REJECTED', code: 'refund_failed', message: 'Insufficient balance on payment' } }],
      ['REFUND_FAILED', { eventCode: 'REFUND_FAILED' }, { type: 'REFUND', status: { status: 'REJECTED', code: 'refund_failed' } }],
      ['REFUNDED_REVERSED', { eventCode: 'REFUNDED_REVERSED' }, { type: 'REFUND', status: { status: 'REJECTED', code: 'refunded_reversed' } }],
    ])('when the event is %s', (_case, overrides, expected) => {
      it('should read it as the table says', () => {
        expect(verifier.verify(request(signedAdyenWebhook([item(overrides)], HMAC_KEY)))).toMatchObject([expected]);
      });
    });

    describe('when the event is one AegisPay does not act on', () => {
      it('should verify it and return nothing', () => {
        expect(verifier.verify(request(signedAdyenWebhook([item({ eventCode: 'REPORT_AVAILABLE' })], HMAC_KEY)))).toEqual([]);
        expect(verifier.verify(request(signedAdyenWebhook([item({ eventCode: 'CANCELLATION', success: 'false' })], HMAC_KEY)))).toEqual([]);
      });
    });

    describe('when the item belongs to another merchant account', () => {
      it('should verify it and apply nothing', () => {
        expect(verifier.verify(request(signedAdyenWebhook([item({ merchantAccountCode: 'OtherECOM' })], HMAC_KEY)))).toEqual([]);
      });
    });

    describe('when Adyen sends the same item again', () => {
      it('should give it the same event id, so it is applied once', () => {
        const body = signedAdyenWebhook([item()], HMAC_KEY);

        expect(verifier.verify(request(body))[0]?.eventId).toBe(verifier.verify(request(body))[0]?.eventId);
      });
    });

    describe('when the webhook is forged', () => {
      const refusal = (body: string): unknown => {
        try {
          verifier.verify(request(body));
        } catch (error) {
          return error;
        }
        return undefined;
      };

      it.each([
        ['signed with another key', signedAdyenWebhook([item()], OTHER_KEY)],
        ['with an amount changed after signing', signedAdyenWebhook([item()], HMAC_KEY).replace('"value":1130', '"value":1')],
        ['with success flipped after signing', signedAdyenWebhook([item({ success: 'false' })], HMAC_KEY).replace('"success":"false"', '"success":"true"')],
        ['without a signature', JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item() }] })],
      ])('should refuse one %s with WEBHOOK.INVALID_SIGNATURE', (_case, body) => {
        const error = refusal(body);

        expect(WebhookVerificationError.is(error) && error.code).toBe('WEBHOOK.INVALID_SIGNATURE');
        expect(JSON.stringify(error)).not.toContain(HMAC_KEY);
      });

      it('should refuse the whole webhook when one item of several is forged', () => {
        const good = JSON.parse(signedAdyenWebhook([item()], HMAC_KEY)) as { notificationItems: unknown[] };
        const bad = JSON.parse(signedAdyenWebhook([item({ pspReference: '8888888888888888' })], OTHER_KEY)) as { notificationItems: unknown[] };
        const body = JSON.stringify({ live: 'false', notificationItems: [...good.notificationItems, ...bad.notificationItems] });

        expect(refusal(body)).toMatchObject({ code: 'WEBHOOK.INVALID_SIGNATURE' });
      });
    });

    describe('when the webhook is malformed', () => {
      it.each([
        ['not JSON', 'pspReference=1'],
        ['without items', '{"live":"false","notificationItems":[]}'],
        ['with an item without eventCode', JSON.stringify({ notificationItems: [{ NotificationRequestItem: { ...item(), eventCode: undefined } }] })],
        ['with an unreadable eventDate', signedAdyenWebhook([item({ eventDate: 'yesterday' })], HMAC_KEY)],
        ['with an unknown currency', signedAdyenWebhook([item({ amount: { value: 1, currency: 'XYZ' } })], HMAC_KEY)],
      ])('should refuse one %s with WEBHOOK.MALFORMED', (_case, body) => {
        expect(() => verifier.verify(request(body))).toThrow(expect.objectContaining({ code: 'WEBHOOK.MALFORMED' }));
      });
    });

    describe('when the item is old', () => {
      it('should still apply it (Adyen retries for days, and eventDate is not signed), relying on the event id against replays', () => {
        expect(verifier.verify(request(signedAdyenWebhook([item({ eventDate: '2020-01-01T00:00:00+00:00' })], HMAC_KEY)))).toHaveLength(1);
      });
    });
  });

  describe('constructor', () => {
    it('should refuse an HMAC key that is not hex, without echoing it', () => {
      expect(() => new AdyenWebhookVerifier({ hmacKey: 'not-hex-secret' })).toThrow(expect.objectContaining({ code: 'ADYEN.INVALID_OPTION', message: expect.not.stringContaining('not-hex-secret') }));
    });
  });
});

describe(createAdyenConnector, () => {
  it('should build the gateway and a verifier of the same account and name', () => {
    const { gateway, webhookVerifier } = createAdyenConnector({ apiKey: 'key', merchantAccount: 'ShopECOM', returnUrl: 'https://shop.example/r', hmacKey: HMAC_KEY, name: 'ADYEN_EU' });

    expect(gateway.name).toBe('ADYEN_EU');
    expect(webhookVerifier.toJSON()).toEqual({ gateway: 'ADYEN_EU', merchantAccount: 'ShopECOM' });
  });
});
