import { Money } from '@aegispay/domain';
import { observe, settle } from '../__fixtures__/settle';
import { InvalidGatewayRequestError } from '../errors/gateway.errors';
import { aChargeRequest, createTestGateway } from '../testing';
import { SimulatedGateway } from './simulated-gateway';

describe(SimulatedGateway, () => {
  describe('.getStatus', () => {
    describe('when the reference never arrived', () => {
      it('should answer NOT_FOUND when asked by reference alone (the caller vouches it can no longer arrive)', async () => {
        const { gateway } = createTestGateway();
        await expect(gateway.getStatus({ reference: 'pay_9:1' })).resolves.toEqual({ status: 'NOT_FOUND' });
      });

      it('should answer UNKNOWN while the request it is asked about may still arrive, and NOT_FOUND once its deadline has passed', async () => {
        const { gateway, clock } = createTestGateway();
        const request = aChargeRequest({ deadline: clock.now() + 1_000 });

        await expect(gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN' });
        await clock.advance(1_000);
        await expect(gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN' });
        await clock.advance(1);
        await expect(gateway.getStatus({ reference: request.reference, request })).resolves.toEqual({ status: 'NOT_FOUND' });
        await expect(gateway.charge(request)).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED' });
      });

      it('should answer UNKNOWN for a request without a deadline, which could arrive at any time', async () => {
        const { gateway } = createTestGateway();
        const request = aChargeRequest();

        await expect(gateway.getStatus({ reference: request.reference, request })).resolves.toMatchObject({ status: 'UNKNOWN' });
      });
    });

    describe('when the charge was approved', () => {
      it('should answer APPROVED with the gateway reference, amount and fee from the ledger', async () => {
        const { gateway } = createTestGateway({ fees: { currencies: { EUR: { percentage: 2, fixed: 10 } } } });
        await gateway.charge(aChargeRequest());

        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toEqual({
          status: 'APPROVED',
          gatewayReference: 'ch_000001',
          amount: Money.of(15000, 'EUR'),
          fee: Money.of(310, 'EUR'),
        });
      });
    });

    describe('when the charge was declined', () => {
      it('should answer DECLINED with the code and type', async () => {
        const { gateway } = createTestGateway();
        await gateway.charge(aChargeRequest({ paymentMethod: { type: 'CARD', token: 'tok_decline_insufficient_funds' } }));

        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toEqual({ status: 'DECLINED', declineCode: 'insufficient_funds', declineType: 'SOFT' });
      });
    });

    describe('when the charge is being processed', () => {
      it('should answer PENDING, then the decision', async () => {
        const { gateway, clock } = createTestGateway({ latency: { medianMs: 100, p95Ms: 100 } });
        observe(gateway.charge(aChargeRequest()));
        await clock.advance(20); // arrived at 15, decides at 85

        const during = observe(gateway.getStatus({ reference: 'pay_1:1' })); // arrives at 35: still processing
        await clock.advance(100);
        expect(during.value).toEqual({ status: 'PENDING' });
        await expect(settle(clock, gateway.getStatus({ reference: 'pay_1:1' }))).resolves.toMatchObject({ status: 'APPROVED' });
      });
    });

    describe('when the charge failed before processing', () => {
      it('should answer NOT_FOUND: nothing was charged', async () => {
        const { gateway } = createTestGateway({ technicalFailureRate: 1 });
        await gateway.charge(aChargeRequest());
        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toEqual({ status: 'NOT_FOUND' });
      });
    });

    describe('when the gateway is down in FAST_FAIL mode', () => {
      it('should answer UNKNOWN, and the truth once it is back', async () => {
        const { gateway } = createTestGateway();
        await gateway.charge(aChargeRequest());
        gateway.takeDown('FAST_FAIL');
        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toEqual({ status: 'UNKNOWN', reason: 'SERVICE_UNAVAILABLE' });

        gateway.bringUp();
        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toMatchObject({ status: 'APPROVED' });
      });
    });

    describe('when the gateway is a blackhole', () => {
      it('should hang until the signal aborts, and answer UNKNOWN to those still waiting when it comes back', async () => {
        const { gateway, clock } = createTestGateway();
        gateway.takeDown('BLACKHOLE');
        const controller = new AbortController();
        const reason = new Error('status timeout');
        const abandoned = observe(gateway.getStatus({ reference: 'pay_1:1' }, controller.signal));
        const patient = observe(gateway.getStatus({ reference: 'pay_1:1' }));
        await clock.advance(60_000);
        expect([abandoned.state, patient.state]).toEqual(['pending', 'pending']);

        controller.abort(reason);
        gateway.bringUp();
        await clock.advance(0);
        expect(abandoned.reason).toBe(reason);
        expect(patient.value).toEqual({ status: 'UNKNOWN', reason: 'CONNECTION_RESET' });
        await expect(gateway.getStatus({ reference: 'pay_1:1' })).resolves.toEqual({ status: 'NOT_FOUND' });
      });
    });

    describe('when the reference is empty', () => {
      it('should reject with an InvalidGatewayRequestError', async () => {
        const { gateway } = createTestGateway();
        await expect(gateway.getStatus({ reference: '' })).rejects.toThrow(InvalidGatewayRequestError);
      });
    });
  });
});
