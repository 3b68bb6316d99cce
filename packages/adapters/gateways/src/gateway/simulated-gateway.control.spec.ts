import { type ChargeResult, InvalidOptionError, Money } from '@aegispay/domain';
import { observe, settle } from '../__fixtures__/settle';
import { aChargeRequest, createTestGateway } from '../testing';
import { SimulatedGateway } from './simulated-gateway';
import type { DownMode } from './simulated-gateway.options';

const charges = (count: number, prefix = 'r'): ReturnType<typeof aChargeRequest>[] =>
  Array.from({ length: count }, (_, i) => aChargeRequest({ reference: `${prefix}${i}`, paymentId: `${prefix}p${i}` }));

const approvals = (results: readonly ChargeResult[]): number => results.filter((r) => r.outcome === 'APPROVED').length;

describe(SimulatedGateway, () => {
  describe('.degrade', () => {
    describe('when the approval rate is lowered', () => {
      it('should decline accordingly until the rates are restored', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0.95 });
        const healthy = await Promise.all(charges(400, 'a').map((c) => gateway.charge(c)));
        gateway.degrade({ approvalRate: 0.2 });
        const degraded = await Promise.all(charges(400, 'b').map((c) => gateway.charge(c)));
        gateway.restoreRates();
        const restored = await Promise.all(charges(400, 'c').map((c) => gateway.charge(c)));

        expect(approvals(healthy) / 400).toBeGreaterThan(0.9);
        expect(approvals(degraded) / 400).toBeLessThan(0.3);
        expect(approvals(restored) / 400).toBeGreaterThan(0.9);
        expect(gateway.getControlState().approvalRate).toBe(0.95);
      });
    });

    describe('when the technical failure rate is raised', () => {
      it('should fail that share of charges, retryably', async () => {
        const { gateway } = createTestGateway();
        gateway.degrade({ technicalFailureRate: 1 });
        const results = await Promise.all(charges(20).map((c) => gateway.charge(c)));

        expect(results.every((r) => r.outcome === 'TECHNICAL_FAILURE' && r.retryable)).toBe(true);
        expect(gateway.getControlState()).toMatchObject({ approvalRate: 1, technicalFailureRate: 1 });
      });
    });

    describe('when a rate is out of range', () => {
      it('should throw an InvalidOptionError naming it and change nothing', () => {
        const { gateway } = createTestGateway({ approvalRate: 0.9 });
        expect(() => gateway.degrade({ approvalRate: 0.5, technicalFailureRate: 2 })).toThrow(/Invalid option technicalFailureRate/);
        expect(gateway.getControlState()).toMatchObject({ approvalRate: 0.9, technicalFailureRate: 0 });
      });
    });

    describe('when a charge is already processing', () => {
      it('should decide it with the rate in force at decision time', async () => {
        const { gateway, clock } = createTestGateway({ latency: { medianMs: 100, p95Ms: 100 } });
        const charge = observe(gateway.charge(aChargeRequest()));
        await clock.advance(50);
        gateway.degrade({ approvalRate: 0 });
        await clock.advance(50);
        expect(charge.value?.outcome).toBe('DECLINED');
      });
    });
  });

  describe('.addLatency', () => {
    it('should slow every call by the amount added, cumulatively, until removed', async () => {
      const { gateway, clock } = createTestGateway();
      gateway.addLatency(300);
      gateway.addLatency(200);
      const slow = observe(gateway.charge(aChargeRequest()));
      await clock.advance(499);
      expect(slow.state).toBe('pending');
      await clock.advance(1);
      expect(slow.state).toBe('fulfilled');

      gateway.removeLatency();
      await expect(gateway.charge(aChargeRequest({ reference: 'quick' }))).resolves.toMatchObject({ outcome: 'APPROVED' });
      expect(gateway.getControlState().extraLatencyMs).toBe(0);
    });

    it('should refuse a negative latency', () => {
      const { gateway } = createTestGateway();
      expect(() => gateway.addLatency(-1)).toThrow(InvalidOptionError);
    });
  });

  describe('.takeDown', () => {
    describe("when in 'FAST_FAIL' mode", () => {
      it('should answer every call at once with a retryable 503 and record nothing', async () => {
        const { gateway } = createTestGateway();
        gateway.takeDown();
        const results = await Promise.all(charges(3).map((c) => gateway.charge(c)));
        const refund = await gateway.refund({ reference: 'rf', chargeReference: 'ch_1', paymentId: 'p', amount: aChargeRequest().amount });

        expect(new Set([...results, refund])).toEqual(
          new Set([{ outcome: 'TECHNICAL_FAILURE', errorCode: 'SERVICE_UNAVAILABLE', retryable: true, message: expect.stringContaining('503') as string }]),
        );
        expect(gateway.getLedger()).toEqual([]);
        expect(gateway.getControlState().availability).toBe('FAST_FAIL');
        expect(gateway.getCallStats().unavailable).toBe(4);
      });

      it('should still finish the charges that were already processing', async () => {
        const { gateway, clock } = createTestGateway({ latency: { medianMs: 100, p95Ms: 100 } });
        const inFlight = observe(gateway.charge(aChargeRequest()));
        await clock.advance(50);
        gateway.takeDown('FAST_FAIL');
        await clock.advance(50);

        expect(inFlight.value?.outcome).toBe('APPROVED');
        expect(gateway.getLedgerEntry('pay_1:1')?.outcome).toBe('APPROVED');
      });
    });

    describe("when in 'BLACKHOLE' mode", () => {
      it('should hang each call until its signal aborts, charging nothing', async () => {
        const { gateway, clock } = createTestGateway({ latency: { medianMs: 100, p95Ms: 100 } });
        gateway.takeDown('BLACKHOLE');
        const controller = new AbortController();
        const timeout = new Error('timed out after 5 s');
        clock.setTimer(5_000, () => controller.abort(timeout));
        const charge = observe(gateway.charge(aChargeRequest(), controller.signal));

        await clock.advance(4_999);
        expect(charge.state).toBe('pending');
        await clock.advance(1);
        expect(charge.reason).toBe(timeout);
        expect(gateway.getLedger()).toEqual([]);
        expect(gateway.getCallStats().blackholed).toBe(1);
      });

      it('should answer the calls still hanging with CONNECTION_RESET when brought back, and work normally after', async () => {
        const { gateway, clock } = createTestGateway();
        gateway.takeDown('BLACKHOLE');
        const hanging = observe(gateway.charge(aChargeRequest()));
        await clock.advance(60_000);
        expect(hanging.state).toBe('pending');

        gateway.bringUp();
        await clock.advance(0);
        expect(hanging.value).toEqual({ outcome: 'TECHNICAL_FAILURE', errorCode: 'CONNECTION_RESET', retryable: true, message: expect.any(String) as string });
        await expect(gateway.charge(aChargeRequest())).resolves.toMatchObject({ outcome: 'APPROVED' });
        expect(gateway.getLedger()).toHaveLength(1);
      });

      it('should release the hanging calls when switched to FAST_FAIL', async () => {
        const { gateway, clock } = createTestGateway();
        gateway.takeDown('BLACKHOLE');
        const hanging = observe(gateway.charge(aChargeRequest()));
        gateway.takeDown('FAST_FAIL');
        await clock.advance(0);
        expect(hanging.value).toMatchObject({ errorCode: 'CONNECTION_RESET' });
      });
    });

    describe('when the mode is unknown', () => {
      it('should throw an InvalidOptionError naming mode', () => {
        const { gateway } = createTestGateway();
        expect(() => gateway.takeDown('SLOW' as DownMode)).toThrow(/Invalid option mode/);
        expect(gateway.getControlState().availability).toBe('UP');
      });
    });
  });

  describe('.reset', () => {
    it('should undo every control and keep the ledger', async () => {
      const { gateway, clock } = createTestGateway({ approvalRate: 0.7 });
      await gateway.charge(aChargeRequest());
      gateway.degrade({ approvalRate: 0, technicalFailureRate: 0.5 });
      gateway.addLatency(1_000);
      gateway.takeDown('BLACKHOLE');
      gateway.reset();

      expect(gateway.getControlState()).toEqual({ availability: 'UP', approvalRate: 0.7, technicalFailureRate: 0, extraLatencyMs: 0 });
      expect(gateway.getLedger()).toHaveLength(1);
      await expect(settle(clock, gateway.getStatus({ reference: 'pay_1:1' }), 0)).resolves.not.toEqual({ status: 'NOT_FOUND' });
    });
  });

  describe('.getTotals', () => {
    it('should count the charges and add up the money per currency', async () => {
      const { gateway } = createTestGateway({ fees: { currencies: { EUR: { percentage: 1, fixed: 10 }, USD: { percentage: 2 } } } });
      const first = await gateway.charge(aChargeRequest({ reference: 'a', paymentId: 'a' }));
      await gateway.charge(aChargeRequest({ reference: 'b', paymentId: 'b', amount: Money.of(30000, 'EUR') }));
      await gateway.charge(aChargeRequest({ reference: 'c', paymentId: 'c', paymentMethod: { type: 'CARD', token: 'tok_decline_lost_card' } }));
      await gateway.charge(aChargeRequest({ reference: 'd', paymentId: 'd', amount: Money.of(10000, 'USD') }));
      await gateway.refund({ reference: 'rf', chargeReference: (first as { gatewayReference: string }).gatewayReference, paymentId: 'a', amount: Money.of(5000, 'EUR') });

      const totals = gateway.getTotals();
      expect(totals).toMatchObject({ gateway: 'TEST', approved: 3, declined: 1, pending: 0, refunds: 1 });
      expect(Object.keys(totals.byCurrency)).toEqual(['EUR', 'USD']);
      expect(Object.fromEntries(Object.entries(totals.byCurrency['EUR'] ?? {}).map(([key, value]) => [key, String(value)]))).toEqual({
        currency: 'EUR',
        charged: '450.00 EUR',
        refunded: '50.00 EUR',
        net: '400.00 EUR',
        fees: '4.70 EUR', // (1.50 + 0.10) + (3.00 + 0.10)
      });
      expect(totals.byCurrency['USD']?.fees.toString()).toBe('2.00 USD');
    });
  });
});
