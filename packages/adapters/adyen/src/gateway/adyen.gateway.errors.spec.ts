import { GatewayTransportError } from '@aegispay/domain';
import { useAdyenHarness, type AdyenHarness } from '../__fixtures__/adyen-harness';
import { AdyenConnectionError, AdyenGateway } from '../index';

describe(AdyenGateway, () => {
  const harness = useAdyenHarness({}, { timeoutMs: 2_000, connectTimeoutMs: 500 });
  let h: AdyenHarness;
  beforeEach(() => (h = harness()));

  describe('.charge', () => {
    describe.each([
      ['a transient 503 (errorCode 703)', { kind: 'error' as const }, 'ADYEN.TRANSIENT', true],
      ['a 429', { kind: 'error' as const, status: 429 as const }, 'ADYEN.RATE_LIMITED', true],
      ['a 502', { kind: 'error' as const, status: 502 as const }, 'ADYEN.UNAVAILABLE', true],
    ])('when Adyen answers %s', (_case, fault, errorCode, retryable) => {
      it('should be a technical failure, with nothing charged', async () => {
        await h.stub.control.inject(fault);

        await expect(h.gateway.charge(h.charge('STUB_APPROVED', 'fault:1'))).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode, retryable });
        await expect(h.stub.control.chargeSummary('fault:1')).resolves.toEqual({ charges: 0, refundedMinor: 0 });
      });
    });

    describe('when Adyen answers a 500 it does not mark transient, after acting on the payment', () => {
      it('should be UNKNOWN (never a failover), and the replay answers the stored error again', async () => {
        const request = h.charge('STUB_APPROVED', 'io:1');
        await h.stub.control.inject({ kind: 'error', status: 500, processed: true });

        await expect(h.gateway.charge(request)).resolves.toMatchObject({ outcome: 'UNKNOWN', reason: expect.stringContaining('may have been processed') });
        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN' });
        await expect(h.stub.control.chargeSummary('io:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });
    });

    describe('when the API key is wrong (401)', () => {
      it('should be a technical failure that is not retryable and says what to check', async () => {
        const result = await h.gatewayWith({ apiKey: 'wrong_key' }).charge(h.charge('STUB_APPROVED', 'auth:1'));

        expect(result).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.UNAUTHORIZED', retryable: false, message: expect.stringContaining('check apiKey') });
      });
    });

    describe('when the merchant account is not the API key\'s (403)', () => {
      it('should be a technical failure that is not retryable and names merchantAccount', async () => {
        const result = await h.gatewayWith({ merchantAccount: 'SomeoneElse' }).charge(h.charge('STUB_APPROVED', 'merchant:1'));

        expect(result).toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'ADYEN.FORBIDDEN', retryable: false, message: expect.stringContaining('merchantAccount') });
      });
    });

    describe('when the connection is refused', () => {
      it('should throw a GatewayTransportError saying nothing was sent', async () => {
        const error: unknown = await h.gatewayWith({ baseUrl: 'http://127.0.0.1:9' }).charge(h.charge('STUB_APPROVED', 'refused:1')).catch((thrown: unknown) => thrown);

        expect(GatewayTransportError.is(error)).toBe(true);
        expect(error).toMatchObject({ code: 'ADYEN.CONNECTION_FAILED', mayHaveBeenSent: false });
      });
    });

    describe('when no answer comes within the timeout', () => {
      it('should be UNKNOWN, and the charge Adyen then makes is found by replay', async () => {
        const request = h.charge('STUB_APPROVED', 'timeout:1');
        const hold = h.stub.holdNext();
        const pending = h.gateway.charge(request);
        await hold.arrived;

        await h.clock.advance(2_000);
        const result = await pending;
        hold.release();

        expect(result).toMatchObject({ outcome: 'UNKNOWN', reason: expect.stringContaining('no answer from Adyen within 2000 ms') });
        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'APPROVED' });
        await expect(h.stub.control.chargeSummary('timeout:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });

      it('should shorten the call to the request deadline', async () => {
        const request = h.charge('STUB_APPROVED', 'timeout:2', { deadline: h.clock.now() + 300 });
        const hold = h.stub.holdNext();
        const pending = h.gateway.charge(request);
        await hold.arrived;

        await h.clock.advance(300);

        await expect(pending).resolves.toMatchObject({ outcome: 'UNKNOWN', reason: expect.stringContaining('300 ms') });
        hold.release();
      });
    });

    describe('when the caller aborts', () => {
      it('should throw "not sent" for a signal aborted before the call', async () => {
        const controller = new AbortController();
        controller.abort(new Error('budget spent'));

        const error: unknown = await h.gateway.charge(h.charge('STUB_APPROVED', 'abort:1'), controller.signal).catch((thrown: unknown) => thrown);

        expect(error).toMatchObject({ code: 'ADYEN.ABORTED', mayHaveBeenSent: false });
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });

      it('should throw "may have been sent" for a signal aborted while Adyen works', async () => {
        const controller = new AbortController();
        const hold = h.stub.holdNext();
        const pending = h.gateway.charge(h.charge('STUB_APPROVED', 'abort:2'), controller.signal).catch((thrown: unknown) => thrown);
        await hold.arrived;

        controller.abort(new Error('budget spent'));
        const error = await pending;
        hold.release();

        expect(error).toBeInstanceOf(AdyenConnectionError);
        expect(error).toMatchObject({ code: 'ADYEN.ABORTED', mayHaveBeenSent: true });
      });
    });
  });
});
