import { InvalidOptionError, Money, Payment } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';
import { createOrchestratorHarness, paymentIdOf, type OrchestratorHarness } from '../testing';
import { PaymentRecovery } from './payment-recovery';

const TEN_MINUTES = 600_000;

/** A payment left PROCESSING by a crash, with its first `recorded` attempts stored. */
async function stuckPayment(h: OrchestratorHarness, options: { idempotencyKey?: string } = {}): Promise<Payment> {
  const payment = Payment.create(aPaymentRequest(options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }), {
    clock: h.clock,
    ids: h.ids,
  });
  payment.startProcessing();
  return h.repository.insert(payment);
}

async function chargeDirectly(h: OrchestratorHarness, gateway: string, payment: Payment, attempt: number): Promise<void> {
  await h.gateway(gateway).charge({
    reference: `${payment.id}:${attempt}`,
    paymentId: payment.id,
    merchantId: payment.merchantId,
    amount: Money.of(payment.amount, payment.currency),
    paymentMethod: payment.paymentMethod,
  });
}

describe(PaymentRecovery, () => {
  describe('.recoverOnce', () => {
    describe('when a process crashed after a gateway charged but before the attempt was stored', () => {
      it('should find the charge on that gateway and mark the payment PAID', async () => {
        const h = createOrchestratorHarness();
        const payment = await stuckPayment(h);
        await chargeDirectly(h, 'ADYEN', payment, 1);
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await h.recovery.recoverOnce();

        expect(report).toMatchObject({ examined: 1, paid: [payment.id], failed: [], unresolved: [], doubleCharges: [], errors: [] });
        const stored = await h.repository.findById(payment.id);
        expect(stored).toMatchObject({ status: 'PAID', gateway: 'ADYEN' });
        expect(stored?.attempts.at(-1)).toMatchObject({ gateway: 'ADYEN', outcome: 'APPROVED', reference: `${payment.id}:1` });
        expect(h.approvedCharges(payment.id)).toBe(1);
      });
    });

    describe('when a process crashed before any gateway received the charge', () => {
      it('should fail the payment as interrupted, charging nothing', async () => {
        const h = createOrchestratorHarness();
        const payment = await stuckPayment(h);
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await h.recovery.recoverOnce();

        expect(report.failed).toEqual([payment.id]);
        expect(await h.repository.findById(payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'INTERRUPTED' });
        expect([...h.gateways.values()].every((gateway) => gateway.chargeCalls === 0)).toBe(true);
      });
    });

    describe('when the gateway had declined the charge', () => {
      it('should fail the payment with the decline code', async () => {
        const h = createOrchestratorHarness();
        const payment = await stuckPayment(h);
        h.gateway('STRIPE').script('DECLINE_SOFT');
        await chargeDirectly(h, 'STRIPE', payment, 1);
        await h.clock.advance(TEN_MINUTES + 1);

        await h.recovery.recoverOnce();

        expect(await h.repository.findById(payment.id)).toMatchObject({ status: 'FAILED', failureCode: 'insufficient_funds' });
      });
    });

    describe('when the pipeline left an unknown outcome', () => {
      it('should resolve it once the gateway answers, and complete the idempotency key with the final answer', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 1_000, statusCheck: { attempts: 1 } } });
        h.gateway('STRIPE').script('HANG_AFTER').setStatusAvailable(false);
        const request = aPaymentRequest({ idempotencyKey: 'order-9' });
        const pending = await h.orchestrator.processPayment(request);
        expect(pending.outcome).toBe('PENDING_RECOVERY');
        await h.clock.advance(TEN_MINUTES + 1);

        const stillDown = await h.recovery.recoverOnce();
        h.gateway('STRIPE').setStatusAvailable(true);
        const resolved = await h.recovery.recoverOnce();

        expect(stillDown.unresolved).toEqual([paymentIdOf(pending)]);
        expect(resolved.paid).toEqual([paymentIdOf(pending)]);
        const replay = await h.orchestrator.processPayment(request);
        expect(replay).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID', paymentId: paymentIdOf(pending), replayed: true });
        expect(h.approvedCharges(paymentIdOf(pending))).toBe(1);
        expect(h.gateway('ADYEN').chargeCalls + h.gateway('PAYPAL').chargeCalls).toBe(0);
      });
    });

    describe('when two gateways hold an approved charge for one payment stored before attempts were recorded ahead of sending', () => {
      it('should report the double charge', async () => {
        const h = createOrchestratorHarness();
        const payment = await stuckPayment(h);
        await chargeDirectly(h, 'STRIPE', payment, 1);
        await chargeDirectly(h, 'ADYEN', payment, 1);
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await h.recovery.recoverOnce();

        expect(report.doubleCharges).toEqual([
          {
            paymentId: payment.id,
            charges: [
              expect.objectContaining({ gateway: 'STRIPE', reference: `${payment.id}:1` }),
              expect.objectContaining({ gateway: 'ADYEN', reference: `${payment.id}:1` }),
            ],
          },
        ]);
        expect(report.paid).toEqual([payment.id]);
      });
    });

    describe('when an attempt of unknown outcome was made on a gateway recovery was not given', () => {
      it('should leave the payment unresolved rather than fail a payment that gateway may have charged', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 1_000, statusCheck: { attempts: 1 } } });
        h.gateway('STRIPE').script('HANG_AFTER').setStatusAvailable(false);
        const pending = await h.orchestrator.processPayment(aPaymentRequest());
        const recovery = new PaymentRecovery(
          { repository: h.repository, gateways: [h.gateway('ADYEN'), h.gateway('PAYPAL')], clock: h.clock },
          { stuckAfterMs: TEN_MINUTES },
        );
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await recovery.recoverOnce();

        expect(pending.outcome).toBe('PENDING_RECOVERY');
        expect(h.approvedCharges(paymentIdOf(pending))).toBe(1);
        expect(report).toMatchObject({ unresolved: [paymentIdOf(pending)], failed: [] });
        expect((await h.repository.findById(paymentIdOf(pending)))?.status).toBe('PROCESSING');
      });
    });

    describe('when a payment was abandoned before processing', () => {
      it('should cancel it', async () => {
        const h = createOrchestratorHarness();
        const payment = await h.repository.insert(Payment.create(aPaymentRequest(), { clock: h.clock, ids: h.ids }));
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await h.recovery.recoverOnce();

        expect(report.cancelled).toEqual([payment.id]);
        expect((await h.repository.findById(payment.id))?.status).toBe('CANCELLED');
      });
    });

    describe('when more payments than a batch cannot be resolved yet', () => {
      it('should move on to the next ones in the following run instead of asking about the same batch forever', async () => {
        const h = createOrchestratorHarness({ recovery: { batchSize: 2 } });
        const [first, second, third] = [await stuckPayment(h), await stuckPayment(h), await stuckPayment(h)] as [Payment, Payment, Payment];
        await chargeDirectly(h, 'ADYEN', third, 1);
        h.gateway('STRIPE').setStatusAvailable(false); // the first two cannot be settled while STRIPE cannot say
        await h.clock.advance(TEN_MINUTES + 1);

        const runs = [await h.recovery.recoverOnce(), await h.recovery.recoverOnce(), await h.recovery.recoverOnce()];

        expect(runs.map((run) => [run.examined, run.unresolved, run.paid])).toEqual([
          [2, [first.id, second.id], []],
          [1, [], [third.id]],
          [2, [first.id, second.id], []], // a new round: they are asked about again
        ]);
        expect(await h.repository.findById(third.id)).toMatchObject({ status: 'PAID', gateway: 'ADYEN' });
      });
    });

    describe('when payments are not idle long enough', () => {
      it('should leave them alone', async () => {
        const h = createOrchestratorHarness();
        const payment = await stuckPayment(h);
        await h.clock.advance(TEN_MINUTES - 1);

        const report = await h.recovery.recoverOnce();

        expect(report.examined).toBe(0);
        expect((await h.repository.findById(payment.id))?.status).toBe('PROCESSING');
      });
    });
  });

  describe('.start / .stop', () => {
    it('should run at start-up and then every interval until stopped', async () => {
      const h = createOrchestratorHarness({ recovery: { intervalMs: 60_000 } });
      h.clock.setAutoAdvance(false);
      const runs = jest.spyOn(h.recovery, 'recoverOnce');

      h.recovery.start();
      await h.clock.advance(0);
      expect(runs).toHaveBeenCalledTimes(1);
      await h.clock.advance(60_000);
      await h.clock.advance(60_000);
      expect(runs).toHaveBeenCalledTimes(3);
      await h.recovery.stop();
      await h.clock.advance(600_000);

      expect(runs).toHaveBeenCalledTimes(3);
      expect(h.recovery.isRunning).toBe(false);
      expect(h.clock.pendingTimers()).toBe(0);
    });
  });

  describe('when a background run fails and onError throws too', () => {
    it('should keep the failure inside the loop: no unhandled rejection, and the next run still happens', async () => {
      const onError = (): void => {
        throw new Error('the logger is down');
      };
      const h = createOrchestratorHarness({ recovery: { intervalMs: 60_000, onError } });
      h.clock.setAutoAdvance(false);
      const runs = jest.spyOn(h.recovery, 'recoverOnce').mockRejectedValue(new Error('database unavailable'));
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        h.recovery.start();
        await h.clock.advance(0);
        await h.clock.advance(60_000);
        await new Promise((resolve) => setImmediate(resolve)); // let Node report unhandled rejections
        await h.recovery.stop();
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }

      expect(runs).toHaveBeenCalledTimes(2);
      expect(unhandled).toEqual([]);
    });
  });

  describe('construction', () => {
    it('should refuse a stuck threshold shorter than the orchestrator\'s worst case', () => {
      const h = createOrchestratorHarness();

      expect(
        () => new PaymentRecovery({ repository: h.repository, gateways: [...h.gateways.values()], orchestrator: h.orchestrator }, { stuckAfterMs: 30_000 }),
      ).toThrow(expect.objectContaining({ code: 'ORCHESTRATOR.INVALID_OPTION', field: 'stuckAfterMs' }) as Error);
      expect(
        () => new PaymentRecovery({ repository: h.repository, gateways: [...h.gateways.values()], orchestrator: h.orchestrator }, { stuckAfterMs: 30_000 }),
      ).toThrow(/^PaymentRecovery: stuckAfterMs must exceed the orchestrator's worst-case processing time \(\d+ ms\), .* \(got 30000\)\.$/);
    });

    it('should refuse duplicate gateway names, which would hide one gateway from every probe', () => {
      const h = createOrchestratorHarness();

      expect(() => new PaymentRecovery({ repository: h.repository, gateways: [h.gateway('STRIPE'), h.gateway('STRIPE')] })).toThrow(
        expect.objectContaining({ code: 'ORCHESTRATOR.INVALID_OPTION', field: 'gateways' }) as Error,
      );
    });

    it.each([
      [{ intervalMs: 0 }, 'intervalMs'],
      [{ batchSize: 1.5 }, 'batchSize'],
      [{ statusTimeoutMs: -1 }, 'statusTimeoutMs'],
      [{ onError: 'log' as never }, 'onError'],
      [{ batchSize: 0 }, 'batchSize'],
      [{ stuckAfterMs: Number.NaN }, 'stuckAfterMs'],
      [{ abandonedAfterMs: 0 }, 'abandonedAfterMs'],
    ])('should refuse %p with an OrchestratorConfigurationError naming the option', (options, field) => {
      const h = createOrchestratorHarness();
      const build = (): unknown => new PaymentRecovery({ repository: h.repository, gateways: [...h.gateways.values()] }, options);

      expect(build).toThrow(expect.objectContaining({ code: 'ORCHESTRATOR.INVALID_OPTION', field, owner: 'PaymentRecovery' }) as Error);
      expect(build).toThrow(OrchestratorConfigurationError);
      expect(build).toThrow(InvalidOptionError);
    });
  });
});
