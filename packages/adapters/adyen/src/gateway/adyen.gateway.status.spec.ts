import { AdyenConnectionError } from '../errors/adyen.errors';
import { useAdyenHarness, type AdyenHarness } from '../__fixtures__/adyen-harness';
import { AdyenGateway } from '../index';

describe(AdyenGateway, () => {
  const harness = useAdyenHarness();
  let h: AdyenHarness;
  beforeEach(() => (h = harness()));

  describe('.getStatus', () => {
    describe('when the answer of a charge was lost after Adyen made it', () => {
      it('should resolve it by replay to the charge Adyen made, and never charge twice', async () => {
        const request = h.charge('STUB_APPROVED', 'lost:1');
        await h.stub.control.inject({ kind: 'lose-answer' });

        const first = await h.gateway.charge(request);
        const status = await h.gateway.getStatus({ reference: request.reference, request });
        const again = await h.gateway.getStatus({ reference: request.reference, request });

        expect(first).toMatchObject({ outcome: 'UNKNOWN' });
        expect(status).toEqual({ status: 'APPROVED', gatewayReference: (await h.stub.control.ledger()).payments[0]?.pspReference, amount: request.amount });
        expect(again).toEqual(status);
        await expect(h.stub.control.chargeSummary('lost:1')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });
    });

    describe('when the first request never reached Adyen', () => {
      it('should make the one charge by replaying it (no NOT_FOUND)', async () => {
        const request = h.charge('STUB_NOT_ENOUGH_BALANCE', 'never:1');

        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toEqual({ status: 'DECLINED', declineCode: 'not_enough_balance', declineType: 'SOFT' });
        expect((await h.stub.control.ledger()).payments).toHaveLength(1);
      });
    });

    describe('when Adyen is still processing the first request (error 704)', () => {
      it('should answer PENDING, then the outcome once the first request is done', async () => {
        const request = h.charge('STUB_APPROVED', 'slow:1');
        const hold = h.stub.holdNext();
        const first = h.gateway.charge(request);
        await hold.arrived;

        const meanwhile = await h.gateway.getStatus({ reference: request.reference, request });
        hold.release();
        const answered = await first;

        expect(meanwhile).toEqual({ status: 'PENDING' });
        expect(answered).toMatchObject({ outcome: 'APPROVED' });
        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'APPROVED' });
      });

      it('should answer a second charge with the same reference PENDING, never a failure to fail over on', async () => {
        const request = h.charge('STUB_APPROVED', 'slow:2');
        const hold = h.stub.holdNext();
        const first = h.gateway.charge(request);
        await hold.arrived;

        const second = await h.gateway.charge(request);
        hold.release();
        await first;

        expect(second).toMatchObject({ outcome: 'PENDING', reason: expect.stringContaining('704') });
      });
    });

    describe('when the charge waits for the shopper', () => {
      it('should answer the first answer (the action) on replay, and the outcome once the AUTHORISATION webhook came', async () => {
        const request = h.charge('STUB_3DS2_CHALLENGE', 'act:1');
        const charged = await h.gateway.charge(request);
        if (charged.outcome !== 'REQUIRES_ACTION') throw new Error('expected an action');
        await h.stub.control.resolvePayment(charged.gatewayReference, 'Authorised');

        const replayed = await h.gateway.getStatus({ reference: request.reference, request });
        await h.webhooks();
        const told = await h.gateway.getStatus({ reference: request.reference });

        expect(replayed).toMatchObject({ status: 'REQUIRES_ACTION', gatewayReference: charged.gatewayReference });
        expect(told).toEqual({ status: 'APPROVED', gatewayReference: charged.gatewayReference, amount: request.amount });
      });
    });

    describe('when the original request is not given', () => {
      it('should answer UNKNOWN and send nothing', async () => {
        await expect(h.gateway.getStatus({ reference: 'nothing:1' })).resolves.toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('original request') });
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });
    });

    describe('when the deadline of the request has passed', () => {
      it('should answer UNKNOWN rather than replay it into a charge Adyen must no longer make', async () => {
        const request = h.charge('STUB_APPROVED', 'old:1', { deadline: h.clock.now() + 1_000 });
        await h.clock.advance(1_001);

        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN', reason: expect.stringContaining('deadline has passed') });
        expect((await h.stub.control.ledger()).payments).toEqual([]);
      });

      it('should still learn a charge that landed before it from the AUTHORISATION webhook', async () => {
        const request = h.charge('STUB_APPROVED', 'old:2', { deadline: h.clock.now() + 1_000 });
        await h.stub.control.inject({ kind: 'lose-answer' });
        await h.gateway.charge(request);
        await h.clock.advance(1_001);
        await h.webhooks();

        await expect(h.gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'APPROVED' });
        await expect(h.stub.control.chargeSummary('old:2')).resolves.toEqual({ charges: 1, refundedMinor: 0 });
      });
    });

    describe('when Adyen cannot be reached', () => {
      it('should answer UNKNOWN', async () => {
        const gateway = h.gatewayWith({ baseUrl: 'http://127.0.0.1:9' });
        const request = h.charge('STUB_APPROVED', 'down:1');

        await expect(gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN' });
      });
    });

    describe('when the caller aborts', () => {
      it('should reject with an AdyenConnectionError', async () => {
        const request = h.charge('STUB_APPROVED', 'abort:s');
        const controller = new AbortController();
        controller.abort(new Error('enough'));

        await expect(h.gateway.getStatus({ reference: request.reference, request }, controller.signal)).rejects.toBeInstanceOf(AdyenConnectionError);
      });
    });
  });
});
