import { inspect } from 'node:util';
import { GatewayTransportError, InvalidOptionError } from '@aegispay/domain';
import { useAdyenHarness, type AdyenHarness } from '../__fixtures__/adyen-harness';
import { AdyenGateway, InvalidAdyenOptionError, InvalidAdyenRequestError } from '../index';

describe(AdyenGateway, () => {
  const harness = useAdyenHarness();
  let h: AdyenHarness;
  beforeEach(() => (h = harness()));

  describe('.charge', () => {
    describe('when Adyen authorises', () => {
      it('should approve with the pspReference and send what Adyen documents for a stored card', async () => {
        const result = await h.gateway.charge(h.charge('STUB_APPROVED', 'pay_1:1'));

        expect(result).toEqual({ outcome: 'APPROVED', gatewayReference: expect.stringMatching(/^[0-9A-Z]{16}$/) });
        const [payment] = (await h.stub.control.ledger()).payments;
        expect(payment).toMatchObject({
          merchantReference: 'pay_1:1',
          idempotencyKey: 'pay_1:1',
          amountValue: 1000,
          currency: 'EUR',
          shopperReference: 'shopper_1',
          storedPaymentMethodId: 'STUB_APPROVED',
          metadata: { paymentId: 'pay_pay_1:1', merchantId: 'merchant_42' },
        });
      });
    });

    describe('when the same reference is charged again', () => {
      it('should answer the first result and charge once (Idempotency-Key = reference)', async () => {
        const first = await h.gateway.charge(h.charge('STUB_APPROVED', 'pay_2:1'));
        const again = await h.gateway.charge(h.charge('STUB_APPROVED', 'pay_2:1'));

        expect(again).toEqual(first);
        await expect(h.stub.control.chargeSummary('pay_2:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });
    });

    describe.each([
      ['STUB_BLOCK_CARD', 'blocked_card', 'HARD', 'Blocked Card'],
      ['STUB_CARD_EXPIRED', 'expired_card', 'HARD', 'Expired Card'],
      ['STUB_FRAUD', 'fraud', 'HARD', 'FRAUD'],
      ['STUB_NOT_ENOUGH_BALANCE', 'not_enough_balance', 'SOFT', 'Not enough balance'],
      ['STUB_DECLINED', 'refused', 'SOFT', 'Refused'],
      ['STUB_ISSUER_UNAVAILABLE', 'issuer_unavailable', 'SOFT', 'Issuer Unavailable'],
      ['STUB_AUTHENTICATION_REQUIRED', 'authentication_required', 'SOFT', 'Authentication required'],
      ['STUB_FRAUD-CANCELLED', 'fraud_cancelled', 'HARD', 'FRAUD-CANCELLED'],
    ])('when Adyen refuses a card whose holder name is the refusal %s', (method, declineCode, declineType, message) => {
      it(`should decline ${declineType} with ${declineCode}`, async () => {
        await expect(h.gateway.charge(h.charge(method, `${method}:1`))).resolves.toEqual({ outcome: 'DECLINED', declineCode, declineType, message });
      });
    });

    describe('when Adyen answers Error', () => {
      it('should be a retryable technical failure', async () => {
        await expect(h.gateway.charge(h.charge('STUB_ERROR', 'err:1'))).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN_ERROR_ACQUIRER_ERROR', retryable: true });
      });
    });

    describe('when Adyen answers Received or Pending', () => {
      it('should be PENDING with the pspReference', async () => {
        await expect(h.gateway.charge(h.charge('STUB_PENDING', 'rcv:1'))).resolves.toMatchObject({ outcome: 'PENDING', gatewayReference: expect.any(String) });
        await expect(h.gateway.charge(h.charge('STUB_RESULT_PENDING', 'pnd:1'))).resolves.toMatchObject({ outcome: 'PENDING', gatewayReference: expect.any(String) });
      });
    });

    describe('when Adyen asks for 3-D Secure', () => {
      it('should hand a challenge to the client SDK with the whole action', async () => {
        const result = await h.gateway.charge(h.charge('STUB_3DS2_CHALLENGE', '3ds:1'));

        expect(result).toMatchObject({ outcome: 'REQUIRES_ACTION', action: { type: 'SDK', data: { type: 'threeDS2', subtype: 'challenge', token: expect.any(String) } } });
      });

      it('should hand a redirect as a REDIRECT with its url and method', async () => {
        const result = await h.gateway.charge(h.charge('STUB_3DS_REDIRECT', 'redir:1'));

        expect(result).toMatchObject({ outcome: 'REQUIRES_ACTION', action: { type: 'REDIRECT', method: 'GET', url: expect.stringContaining('/__stub/redirect/') } });
      });
    });

    describe('when the token carries its shopper reference', () => {
      it('should send that shopper reference, not the customer id', async () => {
        await h.gateway.charge(h.charge('shopper_9:STUB_APPROVED', 'tok:1'));

        expect((await h.stub.control.ledger()).payments[0]).toMatchObject({ shopperReference: 'shopper_9', storedPaymentMethodId: 'STUB_APPROVED' });
      });
    });

    describe('when the stored payment method belongs to another shopper', () => {
      it('should be a technical failure that is not retryable (Adyen 422, Contract not found)', async () => {
        const id = await h.stub.control.storePaymentMethod({ shopperReference: 'someone_else', holderName: 'APPROVED' });

        await expect(h.gateway.charge(h.charge(id, 'other:1'))).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.VALIDATION', retryable: false });
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });
    });

    describe('when the request cannot be sent as it is', () => {
      it.each([
        ['no shopper reference', { customerId: undefined as unknown as string }, 'customerId'],
        ['a token that is no stored payment method id', { paymentMethod: { type: 'CARD' as const, token: 'tok with spaces' } }, 'paymentMethod.token'],
        ['a reference longer than the 64 characters of an Idempotency-Key', { reference: 'x'.repeat(65) }, 'reference'],
      ])('should throw InvalidAdyenRequestError for %s, sending nothing', async (_case, overrides, field) => {
        const { customerId, ...rest } = h.charge('STUB_APPROVED', 'bad:1', overrides);
        const request = customerId === undefined ? rest : { ...rest, customerId };

        const error: unknown = await h.gateway.charge(request).catch((thrown: unknown) => thrown);

        expect(InvalidAdyenRequestError.is(error) && error.field).toBe(field);
        expect(GatewayTransportError.is(error) && error.mayHaveBeenSent).toBe(false);
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });
    });

    describe('when the deadline has passed', () => {
      it('should answer a technical failure without sending', async () => {
        const result = await h.gateway.charge(h.charge('STUB_APPROVED', 'late:1', { deadline: h.clock.now() }));

        expect(result).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.DEADLINE_PASSED', retryable: false });
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });
    });
  });

  describe('constructor', () => {
    describe('when an option is wrong', () => {
      it.each([
        [{ apiKey: '' }, 'apiKey'],
        [{ merchantAccount: ' ' }, 'merchantAccount'],
        [{ returnUrl: 'not a url' }, 'returnUrl'],
        [{ baseUrl: 'ftp://x' }, 'baseUrl'],
        [{ environment: 'LIVE' as const, baseUrl: undefined as unknown as string }, 'liveEndpointUrlPrefix'],
        [{ timeoutMs: 0 }, 'timeoutMs'],
        [{ recurringProcessingModel: 'Sometimes' as 'CardOnFile' }, 'recurringProcessingModel'],
      ])('should throw InvalidAdyenOptionError naming the option (%o)', (overrides, field) => {
        const options = { apiKey: 'key_123', merchantAccount: 'Shop', returnUrl: 'https://shop.example/r', baseUrl: 'http://127.0.0.1:1', ...overrides };
        if (options.baseUrl === undefined) delete (options as { baseUrl?: string }).baseUrl;

        expect(() => new AdyenGateway(options)).toThrow(expect.objectContaining({ code: 'ADYEN.INVALID_OPTION', field, owner: 'AdyenGateway' }));
        expect(() => new AdyenGateway(options)).toThrow(InvalidAdyenOptionError);
        expect(() => new AdyenGateway(options)).toThrow(InvalidOptionError);
        expect(() => new AdyenGateway(options)).toThrow(new RegExp(`^AdyenGateway: ${field} `));
      });
    });
  });

  describe('.toJSON', () => {
    it('should never show the API key, nor should inspect or errors', async () => {
      const secret = 'AQE_very_secret_key_value';
      const gateway = h.gatewayWith({ apiKey: secret });
      const failure = await gateway.charge(h.charge('STUB_APPROVED', 'secret:1'));

      expect(JSON.stringify(gateway)).not.toContain(secret);
      expect(inspect(gateway, { depth: 10, showHidden: true })).not.toContain(secret);
      expect(JSON.stringify(failure)).not.toContain(secret);
      expect(gateway.toJSON()).toEqual({ gateway: 'ADYEN', merchantAccount: h.stub.merchantAccount, endpoint: h.stub.url, timeoutMs: 30_000 });
      expect(() => new AdyenGateway({ apiKey: `${secret} x`, merchantAccount: 'M', returnUrl: 'https://s.example/r' })).toThrow(expect.not.objectContaining({ message: expect.stringContaining(secret) }));
    });
  });
});
