import { GatewayTransportError, Money } from '@aegispay/domain';
import { InvalidStripeRequestError, StripeConnectionRefusedError, StripeIdempotencyConflictError, StripeGateway } from '../index';
import { aCharge, startHarness, type Harness } from '../__fixtures__/stub-harness';

describe('StripeGateway', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    await harness.dispose();
  });

  describe('.charge', () => {
    describe('when the PaymentMethod is approved', () => {
      it('should create and confirm one PaymentIntent keyed by the reference, with our ids in its metadata', async () => {
        const request = aCharge('pm_card_visa');

        const result = await harness.gateway.charge(request);

        expect(result).toEqual({ outcome: 'APPROVED', gatewayReference: expect.stringMatching(/^pi_/) });
        const [entry, ...others] = await harness.stub.control.ledger(request.reference);
        expect(others).toEqual([]);
        expect(entry).toMatchObject({
          status: 'succeeded',
          idempotencyKey: request.reference,
          amount: 1500,
          amountReceived: 1500,
          currency: 'eur',
          metadata: { aegispay_payment_id: request.paymentId, aegispay_reference: request.reference, aegispay_merchant_id: 'merchant_42' },
        });
      });

      it('should answer a repeated reference with the first PaymentIntent and charge once', async () => {
        const request = aCharge('pm_card_visa');

        const first = await harness.gateway.charge(request);
        const second = await harness.gateway.charge(request);

        expect(second).toEqual(first);
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should send ISK in Stripe two-decimal units', async () => {
        const request = aCharge('pm_card_visa', { amount: Money.of(5, 'ISK') });

        await harness.gateway.charge(request);

        expect(await harness.stub.control.ledger(request.reference)).toEqual([expect.objectContaining({ amount: 500, currency: 'isk' })]);
      });
    });

    describe('when the issuer declines', () => {
      it.each([
        ['pm_card_chargeDeclined', 'generic_decline', 'SOFT'],
        ['pm_card_visa_chargeDeclinedInsufficientFunds', 'insufficient_funds', 'SOFT'],
        ['pm_card_chargeDeclinedLostCard', 'lost_card', 'HARD'],
        ['pm_card_chargeDeclinedStolenCard', 'stolen_card', 'HARD'],
        ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'HARD'],
        ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'HARD'],
        ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'SOFT'],
        ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_velocity_exceeded', 'SOFT'],
        ['pm_card_radarBlock', 'fraudulent', 'HARD'],
      ])('should answer %s as a %s decline (%s) and charge nothing', async (token, declineCode, declineType) => {
        const request = aCharge(token);

        const result = await harness.gateway.charge(request);

        expect(result).toEqual({ outcome: 'DECLINED', declineCode, declineType, message: expect.any(String) });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 0, refunded: 0 });
      });

      it('should answer a repeated reference with the same decline (Stripe saved it)', async () => {
        const request = aCharge('pm_card_chargeDeclinedInsufficientFunds');

        await harness.gateway.charge(request);

        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'DECLINED', declineCode: 'insufficient_funds' });
        expect(await harness.stub.control.ledger(request.reference)).toHaveLength(1);
      });
    });

    describe('when the card needs 3-D Secure', () => {
      it('should hand back the client secret for Stripe.js when no return URL is configured', async () => {
        const result = await harness.gateway.charge(aCharge('pm_card_threeDSecure2Required'));

        expect(result).toEqual({
          outcome: 'REQUIRES_ACTION',
          gatewayReference: expect.stringMatching(/^pi_/),
          action: { type: 'SDK', data: { paymentIntentId: expect.stringMatching(/^pi_/), nextActionType: 'use_stripe_sdk', clientSecret: expect.stringMatching(/^pi_.+_secret_/) } },
        });
        expect(JSON.stringify(result)).not.toContain(harness.stub.secretKey);
      });

      it('should hand back Stripe redirect when a return URL is configured, and approve once the customer authenticates', async () => {
        const gateway = harness.gatewayWith({ returnUrl: 'https://shop.example/return' });
        const result = await gateway.charge(aCharge('pm_card_authenticationRequired'));
        if (result.outcome !== 'REQUIRES_ACTION') throw new Error(`expected REQUIRES_ACTION, got ${result.outcome}`);
        expect(result.action).toEqual({ type: 'REDIRECT', url: `${harness.stub.url}/_stub/3ds/${result.gatewayReference}`, method: 'GET' });

        const page = await fetch(`${result.action.url ?? ''}?outcome=succeed`, { redirect: 'manual' });

        expect(page.status).toBe(302);
        expect(page.headers.get('location')).toMatch(/^https:\/\/shop\.example\/return\?payment_intent=pi_.+&redirect_status=succeeded$/);
        expect(await gateway.getStatus({ reference: 'unused', gatewayReference: result.gatewayReference })).toMatchObject({ status: 'APPROVED' });
      });

      it('should report a failed authentication as a soft decline', async () => {
        const result = await harness.gateway.charge(aCharge('pm_card_threeDSecureRequired'));
        if (result.outcome !== 'REQUIRES_ACTION') throw new Error(`expected REQUIRES_ACTION, got ${result.outcome}`);

        await harness.stub.control.completeAction(result.gatewayReference, 'fail');

        expect(await harness.gateway.getStatus({ reference: 'unused', gatewayReference: result.gatewayReference })).toEqual({
          status: 'DECLINED',
          declineCode: 'payment_intent_authentication_failure',
          declineType: 'SOFT',
        });
      });

      it('should report the issuer decline that follows a successful authentication', async () => {
        const result = await harness.gateway.charge(aCharge('pm_card_authenticationRequiredChargeDeclinedInsufficientFunds'));
        if (result.outcome !== 'REQUIRES_ACTION') throw new Error(`expected REQUIRES_ACTION, got ${result.outcome}`);

        await harness.stub.control.completeAction(result.gatewayReference, 'succeed');

        expect(await harness.gateway.getStatus({ reference: 'unused', gatewayReference: result.gatewayReference })).toMatchObject({ status: 'DECLINED', declineCode: 'insufficient_funds' });
      });
    });

    describe('when Stripe processes the payment asynchronously', () => {
      it('should answer PENDING and resolve to APPROVED once Stripe settles it', async () => {
        await harness.stub.control.processNextAsync();

        const result = await harness.gateway.charge(aCharge('pm_card_visa'));
        if (result.outcome !== 'PENDING' || result.gatewayReference === undefined) throw new Error(`expected PENDING, got ${result.outcome}`);
        expect(await harness.gateway.getStatus({ reference: 'unused', gatewayReference: result.gatewayReference })).toEqual({ status: 'PENDING', gatewayReference: result.gatewayReference });

        await harness.stub.control.settlePaymentIntent(result.gatewayReference, 'succeeded');

        expect(await harness.gateway.getStatus({ reference: 'unused', gatewayReference: result.gatewayReference })).toMatchObject({ status: 'APPROVED', amount: Money.of(1500, 'EUR') });
      });
    });

    describe('when Stripe fails before carrying the request out', () => {
      it.each([
        [429, 'rate_limit'],
        [503, 'api_error'],
      ] as const)('should answer a %s as a retryable technical failure, charge nothing, and let the same reference go through', async (status, errorCode) => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'error', status });

        expect(await harness.gateway.charge(request)).toEqual({ outcome: 'TECHNICAL_FAILURE', errorCode, retryable: true, message: expect.any(String) });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 0, refunded: 0 });
        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'APPROVED' });
      });

      it('should answer a wrong secret key as a technical failure not worth retrying', async () => {
        const gateway = harness.gatewayWith({ secretKey: 'sk_test_not_the_right_one' });

        const result = await gateway.charge(aCharge('pm_card_visa'));

        expect(result).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'invalid_request_error', retryable: false });
        expect(JSON.stringify(result)).not.toContain('sk_test_not_the_right_one');
      });

      it('should answer a PaymentMethod Stripe does not know as a refused request, not worth retrying', async () => {
        expect(await harness.gateway.charge(aCharge('pm_card_unknown'))).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'resource_missing', retryable: false });
      });
    });

    describe('when Stripe may have carried the request out', () => {
      it.each([500, 502, 504] as const)('should answer a %s as an unknown outcome, never as a failure that allows fail-over', async (status) => {
        await harness.stub.control.injectFault({ kind: 'error', status });

        expect(await harness.gateway.charge(aCharge('pm_card_visa'))).toEqual({ outcome: 'UNKNOWN', reason: expect.stringContaining(`Stripe answered ${status}`) });
      });

      it('should answer an answer lost after the charge as an unknown outcome (the charge exists)', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'drop', mode: 'truncate' });

        expect(await harness.gateway.charge(request)).toEqual({ outcome: 'UNKNOWN', reason: expect.stringContaining('no answer from Stripe after sending') });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should approve once when the connection closes before the answer (the SDK resends it once, under the same key)', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'drop', mode: 'reset' });

        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'APPROVED' });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should answer UNKNOWN when the SDK timeout expires, and the charge lands once released', async () => {
        const gateway = harness.gatewayWith({ timeoutMs: 50 });
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'hold' });

        expect(await gateway.charge(request)).toEqual({ outcome: 'UNKNOWN', reason: expect.stringContaining('timeout') });
        expect(await harness.stub.control.releaseHeld()).toBe(1);
        expect(await gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED' });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should answer UNKNOWN while another request with the reference is still being carried out', async () => {
        const request = aCharge('pm_card_visa');
        await harness.stub.control.injectFault({ kind: 'hold' });
        const first = harness.gateway.charge(request);
        await harness.stub.control.waitForHeld();

        expect(await harness.gateway.charge(request)).toEqual({ outcome: 'UNKNOWN', reason: expect.stringContaining('still being carried out') });
        await harness.stub.control.releaseHeld();
        expect(await first).toMatchObject({ outcome: 'APPROVED' });
      });
    });

    describe('when the caller aborts', () => {
      it('should reject with the signal reason at once, and the charge goes on at Stripe', async () => {
        const request = aCharge('pm_card_visa');
        const controller = new AbortController();
        await harness.stub.control.injectFault({ kind: 'hold' });
        const call = harness.gateway.charge(request, controller.signal);
        await harness.stub.control.waitForHeld();

        controller.abort(new Error('caller gave up'));

        await expect(call).rejects.toThrow('caller gave up');
        await harness.stub.control.releaseHeld();
        expect(await harness.gateway.getStatus({ reference: request.reference, request })).toMatchObject({ status: 'APPROVED' });
        expect(await harness.stub.control.chargesFor(request.reference)).toEqual({ charges: 1, refunded: 0 });
      });

      it('should send nothing when the signal has already aborted', async () => {
        const request = aCharge('pm_card_visa');

        await expect(harness.gateway.charge(request, AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
        expect(await harness.stub.control.ledger(request.reference)).toEqual([]);
      });
    });

    describe('when the deadline has passed before sending', () => {
      it('should answer REQUEST_EXPIRED and send nothing', async () => {
        const request = aCharge('pm_card_visa', { deadline: Date.now() - 1 });

        expect(await harness.gateway.charge(request)).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED', retryable: true });
        expect(await harness.stub.control.ledger(request.reference)).toEqual([]);
      });
    });

    describe('when the reference was used with other parameters', () => {
      it('should throw StripeIdempotencyConflictError and leave the first charge alone', async () => {
        const request = aCharge('pm_card_visa');
        await harness.gateway.charge(request);

        const reused = harness.gateway.charge({ ...request, amount: Money.of(999, 'EUR') });

        await expect(reused).rejects.toBeInstanceOf(StripeIdempotencyConflictError);
        await expect(reused).rejects.toMatchObject({ code: 'STRIPE.IDEMPOTENCY_CONFLICT', reference: request.reference });
        expect(await harness.stub.control.ledger(request.reference)).toEqual([expect.objectContaining({ amount: 1500 })]);
      });
    });

    describe('when Stripe cannot be reached', () => {
      it('should throw a transport error saying nothing was sent', async () => {
        const port = harness.stub.port;
        await harness.stub.close();
        const gateway = new StripeGateway({ secretKey: 'sk_test_anything', api: { host: '127.0.0.1', port, protocol: 'http' } });

        const call = gateway.charge(aCharge('pm_card_visa'));

        await expect(call).rejects.toBeInstanceOf(StripeConnectionRefusedError);
        await expect(call).rejects.toMatchObject({ code: 'GATEWAY.CONNECTION_REFUSED', mayHaveBeenSent: false });
        expect(GatewayTransportError.is(await call.catch((error: unknown) => error))).toBe(true);
        gateway.close();
      });
    });

    describe('when the request cannot be expressed to Stripe', () => {
      it.each([
        ['a three-decimal amount not ending in 0', aCharge('pm_card_visa', { amount: Money.of(1005, 'KWD') }), 'amount'],
        ['an empty payment method token', aCharge(''), 'paymentMethod.token'],
        ['a zero amount', aCharge('pm_card_visa', { amount: Money.of(0, 'EUR') }), 'amount'],
        ['a reference longer than an idempotency key', aCharge('pm_card_visa', { reference: 'r'.repeat(256) }), 'reference'],
      ])('should refuse %s before sending', async (_case, request, field) => {
        const call = harness.gateway.charge(request);

        await expect(call).rejects.toBeInstanceOf(InvalidStripeRequestError);
        await expect(call).rejects.toMatchObject({ field, mayHaveBeenSent: false });
        expect(await harness.stub.control.ledger()).toEqual([]);
      });
    });
  });
});
