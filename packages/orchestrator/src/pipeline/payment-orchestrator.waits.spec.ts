import type { Payment } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { HookExecutor, HookRegistry } from '@aegispay/hooks';
import { InMemoryIdempotencyStore, InMemoryPaymentRepository, InMemoryUnitOfWork } from '@aegispay/locking';
import { createOrchestratorHarness, paymentIdOf } from '../testing';
import { PaymentOrchestrator } from './payment-orchestrator';

const TEN_MINUTES = 600_000;

describe(PaymentOrchestrator, () => {
  describe('.processPayment', () => {
    describe('when the gateway needs the customer to act', () => {
      it('should hand back the next action, keep the payment REQUIRES_ACTION, and try no other gateway', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('REQUIRE_ACTION');
        const request = aPaymentRequest({ idempotencyKey: 'order-3ds' });

        const result = await h.orchestrator.processPayment(request);
        const retried = await h.orchestrator.processPayment(request);

        expect(result).toMatchObject({ outcome: 'REQUIRES_ACTION', gateway: 'STRIPE', status: 'REQUIRES_ACTION', action: { type: 'REDIRECT', url: 'https://acs.example/3ds' } });
        expect(retried).toMatchObject({ outcome: 'REQUIRES_ACTION', replayed: true, action: { type: 'REDIRECT' } });
        const stored = (await h.repository.findById(paymentIdOf(result))) as Payment;
        expect(stored.nextAction).toEqual({ type: 'REDIRECT', url: 'https://acs.example/3ds', method: 'GET' });
        expect(stored.attempts).toEqual([expect.objectContaining({ gateway: 'STRIPE', outcome: 'REQUIRES_ACTION', gatewayReference: 'ch_STRIPE_1' })]);
        expect(h.gateway('ADYEN').chargeCalls + h.gateway('PAYPAL').chargeCalls).toBe(0);
      });

      it('should be settled by recovery once the customer has acted, and the key then answer the final outcome', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('REQUIRE_ACTION');
        const request = aPaymentRequest({ idempotencyKey: 'order-3ds-later' });
        const first = await h.orchestrator.processPayment(request);
        const id = paymentIdOf(first);

        await h.clock.advance(TEN_MINUTES + 1);
        const waiting = await h.recovery.recoverOnce();
        h.gateway('STRIPE').decide(`${id}:1`, 'APPROVE');
        const settled = await h.recovery.recoverOnce();
        const replay = await h.orchestrator.processPayment(request);

        expect(waiting.unresolved).toEqual([id]);
        expect(settled.paid).toEqual([id]);
        expect(await h.repository.findById(id)).toMatchObject({ status: 'PAID', gateway: 'STRIPE', nextAction: null });
        expect(replay).toMatchObject({ outcome: 'SUCCEEDED', replayed: true });
        expect(h.approvedCharges(id)).toBe(1);
      });
    });

    describe('when the gateway holds the payment and decides later', () => {
      it('should answer PENDING, keep the payment PROCESSING with its attempt pending, and let recovery settle it', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('HOLD');

        const result = await h.orchestrator.processPayment(aPaymentRequest());
        const id = paymentIdOf(result);
        await h.clock.advance(TEN_MINUTES + 1);
        const stillPending = await h.recovery.recoverOnce();
        h.gateway('STRIPE').decide(`${id}:1`, 'DECLINE');
        const settled = await h.recovery.recoverOnce();

        expect(result).toMatchObject({ outcome: 'PENDING', gateway: 'STRIPE', status: 'PROCESSING' });
        expect(stillPending.unresolved).toEqual([id]);
        expect(settled.failed).toEqual([id]);
        expect(await h.repository.findById(id)).toMatchObject({ status: 'FAILED', failureCode: 'authentication_failed' });
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
      });
    });

    describe('with a unit of work', () => {
      it('should claim the key and store the payment together, so a failed insert leaves the key free', async () => {
        const h = createOrchestratorHarness();
        const repository = new InMemoryPaymentRepository({ clock: h.clock });
        const idempotency = new InMemoryIdempotencyStore({ clock: h.clock });
        let failInsert = true;
        const failing = Object.assign(Object.create(repository) as InMemoryPaymentRepository, {
          insert: async (payment: Payment) => {
            if (failInsert) {
              failInsert = false;
              throw new Error('disk full');
            }
            return repository.insert(payment);
          },
        });
        const orchestrator = new PaymentOrchestrator({
          repository: failing,
          idempotency,
          unitOfWork: new InMemoryUnitOfWork(),
          gateways: [...h.gateways.values()],
          routing: h.routing,
          metrics: h.metrics,
          breakers: h.breakers,
          clock: h.clock,
          ids: h.ids,
        });
        const request = aPaymentRequest({ idempotencyKey: 'order-atomic' });

        await expect(orchestrator.processPayment(request)).rejects.toThrow('disk full');
        expect(await idempotency.peek(request.merchantId, 'order-atomic', 'anything')).toBeNull();
        await expect(orchestrator.processPayment(request)).resolves.toMatchObject({ outcome: 'SUCCEEDED' });
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });
    });

    describe('when a side task fails', () => {
      it('should report it through onError with what was being done, and still answer', async () => {
        class FailingMetricsExecutor extends HookExecutor {
          override executeMetricsCollectors(): ReturnType<HookExecutor['executeMetricsCollectors']> {
            return Promise.reject(new Error('exporter down'));
          }
        }
        const reported: string[] = [];
        const h = createOrchestratorHarness({
          hooks: new FailingMetricsExecutor(new HookRegistry()),
          onError: (error, context) => reported.push(`${context.operation} ${context.paymentId ?? ''}: ${error instanceof Error ? error.message : String(error)}`),
        });

        const result = await h.orchestrator.processPayment(aPaymentRequest());
        await Promise.resolve();

        expect(result.outcome).toBe('SUCCEEDED');
        expect(reported).toEqual([`metrics-hooks ${paymentIdOf(result)}: exporter down`]);
      });
    });
  });
});
