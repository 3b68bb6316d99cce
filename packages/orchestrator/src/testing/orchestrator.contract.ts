/// <reference types="jest" />
import { IdempotencyKeyReuseError, Money, Payment, type OutboxStore } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { createOrchestratorHarness, type HarnessDependencies, type HarnessPersistence, type OrchestratorHarness } from './orchestrator-harness';

/** One persistence the orchestrator suite runs on, fresh for each test. */
export interface OrchestratorContractFixture {
  /** Builds the repository and idempotency store on the harness clock and ids. */
  readonly persistence: (deps: HarnessDependencies) => HarnessPersistence & { readonly outbox: OutboxStore };
  dispose(): Promise<void>;
}

const TEN_MINUTES = 600_000;

/**
 * The orchestrator suite: the pipeline's outcomes, idempotency, refunds and recovery, and the
 * outbox holding one event per state change — run against any persistence, so the in-memory
 * implementation and every real adapter prove the same behaviour.
 */
export function orchestratorContract(name: string, createFixture: () => Promise<OrchestratorContractFixture>): void {
  describe(`PaymentOrchestrator suite: ${name}`, () => {
    let fixture: OrchestratorContractFixture;
    let outbox: OutboxStore | undefined;
    let h: OrchestratorHarness;

    beforeEach(async () => {
      fixture = await createFixture();
      h = createOrchestratorHarness({
        persistence: (deps) => {
          const persistence = fixture.persistence(deps);
          outbox = persistence.outbox;
          return persistence;
        },
      });
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    async function eventTypes(paymentId: string): Promise<string[]> {
      const messages = await (outbox as OutboxStore).claim({ owner: 'suite', limit: 10_000, now: h.clock.now(), leaseUntil: h.clock.now() + 60_000 });
      await (outbox as OutboxStore).release(
        'suite',
        messages.map((message) => message.sequence),
      );
      return messages.filter((message) => message.event.aggregateId === paymentId).map((message) => message.event.type);
    }

    describe('when the first gateway approves', () => {
      it('should store the payment PAID at version 3 with one outbox event per state change', async () => {
        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID', gateway: 'STRIPE' });
        const stored = await h.repository.findById(result.paymentId as string);
        expect(stored).toMatchObject({ status: 'PAID', version: 3, gateway: 'STRIPE' });
        expect(stored?.toSnapshot()).toEqual(result.payment);
        expect(await eventTypes(result.paymentId as string)).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded']);
      });
    });

    describe('when a gateway fails technically', () => {
      it('should fail over and store both attempts in order', async () => {
        h.gateway('STRIPE').script('FAIL');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN' });
        const stored = await h.repository.findById(result.paymentId as string);
        expect(stored?.attempts.map((attempt) => [attempt.attemptNumber, attempt.gateway, attempt.outcome, attempt.errorCode])).toEqual([
          [1, 'STRIPE', 'TECHNICAL_FAILURE', 'HTTP_503'],
          [2, 'ADYEN', 'APPROVED', null],
        ]);
      });
    });

    describe('when the gateway declines', () => {
      it('should store the payment FAILED with the decline and its event', async () => {
        h.gateway('STRIPE').script('DECLINE_HARD');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'DECLINED', code: 'stolen_card' });
        expect(await h.repository.findById(result.paymentId as string)).toMatchObject({ status: 'FAILED', failureCode: 'stolen_card' });
        expect(await eventTypes(result.paymentId as string)).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentFailed']);
      });
    });

    describe('when the outcome of a charge is unknown', () => {
      it('should learn it from the same gateway and charge once', async () => {
        h.gateway('STRIPE').script('HANG_AFTER');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'STRIPE' });
        expect(h.approvedCharges(result.paymentId as string)).toBe(1);
      });

      it('should wait for recovery when the gateway cannot say, and recovery should finish it and its idempotency key', async () => {
        h.gateway('STRIPE').script('HANG_AFTER').setStatusAvailable(false);
        const request = aPaymentRequest({ idempotencyKey: 'suite-pending' });

        const pending = await h.orchestrator.processPayment(request);
        h.gateway('STRIPE').setStatusAvailable(true);
        await h.clock.advance(TEN_MINUTES + 1);
        const report = await h.recovery.recoverOnce();
        const replay = await h.orchestrator.processPayment(request);

        expect(pending).toMatchObject({ outcome: 'PENDING_RECOVERY', status: 'PROCESSING' });
        expect(report.paid).toEqual([pending.paymentId]);
        expect(replay).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID', replayed: true });
        expect(h.approvedCharges(pending.paymentId as string)).toBe(1);
        expect(h.gateway('ADYEN').chargeCalls + h.gateway('PAYPAL').chargeCalls).toBe(0);
      });
    });

    describe('with idempotency keys', () => {
      it('should replay the same request and refuse the key with another body', async () => {
        const first = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-1' }));

        const replay = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-1' }));

        expect(replay).toEqual({ ...first, replayed: true });
        await expect(h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-1', amount: 1 }))).rejects.toThrow(IdempotencyKeyReuseError);
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });

      it('should charge exactly once for 50 concurrent requests with one key', async () => {
        const request = aPaymentRequest({ idempotencyKey: 'suite-concurrent' });

        const results = await Promise.all(Array.from({ length: 50 }, () => h.orchestrator.processPayment({ ...request })));

        expect([...h.gateways.values()].reduce((sum, gateway) => sum + gateway.charges().length, 0)).toBe(1);
        expect(results.filter((result) => result.outcome === 'SUCCEEDED' && !result.replayed)).toHaveLength(1);
        expect(results.every((result) => result.outcome === 'SUCCEEDED' || result.outcome === 'IN_PROGRESS')).toBe(true);
      });
    });

    describe('when the idempotency record is gone but its payment exists', () => {
      it('should answer with the existing payment instead of charging again', async () => {
        const request = aPaymentRequest({ idempotencyKey: 'suite-expired' });
        const first = await h.orchestrator.processPayment(request);
        // The idempotency store forgets the key (it expired, or a lease was taken over).
        await h.clock.advance(h.orchestrator.settings.idempotencyTtlMs + 1);

        const again = await h.orchestrator.processPayment(request);

        expect(again).toMatchObject({ outcome: 'SUCCEEDED', paymentId: first.paymentId, replayed: true });
        expect([...h.gateways.values()].reduce((sum, gateway) => sum + gateway.charges().length, 0)).toBe(1);
      });

      it('should refuse the key with another body instead of answering with that payment', async () => {
        await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-expired-other', amount: 15_000 }));
        await h.clock.advance(h.orchestrator.settings.idempotencyTtlMs + 1);

        await expect(h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-expired-other', amount: 1_500 }))).rejects.toThrow(
          IdempotencyKeyReuseError,
        );
        await expect(
          h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-expired-other', metadata: { country: 'FR' } })),
        ).rejects.toThrow(IdempotencyKeyReuseError);
        expect([...h.gateways.values()].reduce((sum, gateway) => sum + gateway.charges().length, 0)).toBe(1);
        // The refused requests gave the key back: the original body is still answered from its payment.
        await expect(h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'suite-expired-other', amount: 15_000 }))).resolves.toMatchObject({
          outcome: 'SUCCEEDED',
          replayed: true,
        });
      });

      it('should keep the key open while that payment is unfinished, so the retry after recovery gets the final answer', async () => {
        // A process stored the payment and died before processing it; its idempotency record is gone.
        const request = aPaymentRequest({ idempotencyKey: 'suite-abandoned' });
        const abandoned = await h.repository.insert(Payment.create(request, { clock: h.clock, ids: h.ids }));

        const meanwhile = await h.orchestrator.processPayment(request);
        await h.clock.advance(TEN_MINUTES + 1);
        const report = await h.recovery.recoverOnce();
        const after = await h.orchestrator.processPayment(request);

        expect(meanwhile).toMatchObject({ outcome: 'IN_PROGRESS', paymentId: abandoned.id, status: 'PENDING' });
        expect(report.cancelled).toEqual([abandoned.id]);
        expect(after).toMatchObject({ outcome: 'FAILED', paymentId: abandoned.id, status: 'CANCELLED', replayed: true });
        expect([...h.gateways.values()].every((gateway) => gateway.chargeCalls === 0)).toBe(true);
      });
    });

    describe('when refunding', () => {
      it('should refund in parts, replay a repeated key, and store one event per refund', async () => {
        const { paymentId } = await h.orchestrator.processPayment(aPaymentRequest({ amount: 9_000 }));
        const id = paymentId as string;

        await h.orchestrator.refund(id, { amount: 4_000, idempotencyKey: 'suite-r1' });
        const replay = await h.orchestrator.refund(id, { amount: 4_000, idempotencyKey: 'suite-r1' });
        const last = await h.orchestrator.refund(id, { idempotencyKey: 'suite-r2' });

        expect(replay.replayed).toBe(true);
        expect(last).toMatchObject({ amount: 5_000, status: 'REFUNDED' });
        expect(h.gateway('STRIPE').charges()[0]?.refunded).toBe(9_000);
        expect((await h.repository.findById(id))?.refunds.map((refund) => refund.amount)).toEqual([4_000, 5_000]);
        expect((await eventTypes(id)).filter((type) => type === 'RefundProcessed')).toHaveLength(2);
      });
    });

    describe('when a process crashed mid-payment', () => {
      it('should let recovery find a charge that was never recorded, and fail one that never happened', async () => {
        const charged = Payment.create(aPaymentRequest(), { clock: h.clock, ids: h.ids });
        charged.startProcessing();
        const untouched = Payment.create(aPaymentRequest(), { clock: h.clock, ids: h.ids });
        untouched.startProcessing();
        await h.repository.insert(charged);
        await h.repository.insert(untouched);
        await h.gateway('PAYPAL').charge({
          reference: `${charged.id}:1`,
          paymentId: charged.id,
          merchantId: charged.merchantId,
          amount: Money.of(charged.amount, charged.currency),
          paymentMethod: charged.paymentMethod,
        });
        await h.clock.advance(TEN_MINUTES + 1);

        const report = await h.recovery.recoverOnce();

        expect(report.paid).toEqual([charged.id]);
        expect(report.failed).toEqual([untouched.id]);
        expect(await h.repository.findById(charged.id)).toMatchObject({ status: 'PAID', gateway: 'PAYPAL' });
        expect(await h.repository.findById(untouched.id)).toMatchObject({ status: 'FAILED', failureCode: 'INTERRUPTED' });
      });
    });

    describe('under concurrent traffic with failures', () => {
      it('should charge every payment at most once and leave none in flight', async () => {
        h.gateway('STRIPE').script(...Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? ('FAIL' as const) : i % 5 === 0 ? ('HANG_AFTER' as const) : ('APPROVE' as const))));

        const results: { paymentId: string | null; outcome: string }[] = [];
        const queue = Array.from({ length: 60 }, (_, i) => aPaymentRequest({ amount: 1_000 + i }));
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            for (let request = queue.shift(); request !== undefined; request = queue.shift()) {
              results.push(await h.orchestrator.processPayment(request));
            }
          }),
        );

        expect(results).toHaveLength(60);
        for (const result of results) {
          expect(h.approvedCharges(result.paymentId as string)).toBe(result.outcome === 'SUCCEEDED' ? 1 : 0);
        }
        expect(await h.repository.findByStatus('PROCESSING')).toEqual([]);
      });
    });
  });
}
