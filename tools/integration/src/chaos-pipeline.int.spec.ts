import { ChaosErrorType, ChaosGateway, ChaosScope, sumStats } from '@aegispay/chaos';
import { paymentIdOf, storedOf } from '@aegispay/orchestrator/testing';
import { PAYMENT_STATUSES, VirtualClock, type CreatePaymentInput, type Payment } from '@aegispay/domain';
import { SeededRandom, SequentialIdGenerator, aPaymentRequest } from '@aegispay/domain/testing';
import { createSimulatedGateways, findDoubleCharges, type SimulatedGateway } from '@aegispay/gateways';
import { PaymentOrchestrator, PaymentRecovery, type PaymentResult, type RecoveryReport } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { TypeOrmIdempotencyStore, TypeOrmOutboxStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { createTestDatabase, testDialects, type TestDatabase } from '@aegispay/typeorm/testing';

/**
 * `target` with each of its methods run under `clock.hold`: a database round trip takes no virtual
 * time, however long it takes on a busy machine (auto-advance would otherwise jump to the next
 * deadline while a query is on the wire, and time out gateway calls that real time never timed out).
 */
function holdingTheClock<T extends object>(target: T, clock: VirtualClock): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => clock.hold(async () => (value as (...inner: unknown[]) => unknown).apply(object, args));
    },
  });
}

/**
 * Payments per run. On PostgreSQL every query is a real round trip during which virtual time stands
 * still, so the run is bound by the database's speed: fewer payments keep it within the test's time
 * on a busy machine, and are still enough for the ≥ 95 % figure to mean something.
 */
const PAYMENTS_BY_DIALECT = { sqlite: 2_000, postgres: 1_000 } as const;
const CONCURRENCY = 16;
const STUCK_AFTER_MS = 300_000;

/** The events one payment must have in the outbox, given how it ended. */
const EXPECTED_EVENTS: Partial<Record<string, readonly string[]>> = {
  PAID: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'],
  FAILED: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentFailed'],
};

for (const dialect of testDialects('chaos through the whole pipeline')) {
  describe(`chaos through the whole pipeline (TypeORM on ${dialect})`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.dispose();
    });

    it('should never charge twice, lose nothing, agree with the ledgers and succeed ≥ 95 % with 30 % injected failures', async () => {
      const PAYMENTS = PAYMENTS_BY_DIALECT[dialect];
      const clock = new VirtualClock({ autoAdvance: true });
      const random = new SeededRandom(2026);
      const ids = new SequentialIdGenerator();
      const { dataSource } = database;

      // Four honest acquirers (every processed charge approved, so the success rate measures
      // resilience, not card quality), each behind chaos: 20 % injected errors and 10 % timeouts,
      // half of them after the charge went through — on status checks too, so some outcomes stay
      // unknown and are left to recovery.
      const simulated = createSimulatedGateways({
        clock,
        random,
        ids,
        profiles: Object.fromEntries(
          ['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'].map((name) => [name, { approvalRate: 1, technicalFailureRate: 0 }]),
        ),
      });
      const inner: SimulatedGateway[] = Object.values(simulated);
      const scope = new ChaosScope({ boost: 0.1, durationMs: 2_000 });
      const gateways = inner.map(
        (gateway, index) =>
          new ChaosGateway(
            gateway,
            {
              failureRate: 0.2,
              errorTypes: [ChaosErrorType.NETWORK_ERROR, ChaosErrorType.SERVICE_UNAVAILABLE, ChaosErrorType.RATE_LIMITED, ChaosErrorType.INTERNAL_ERROR],
              timeoutRate: 0.1,
              timeoutMs: 3_000,
              timeoutPhase: 'MIXED',
              operations: ['charge', 'getStatus'],
              seed: 100 + index,
            },
            { clock, scope },
          ),
      );

      const repository = holdingTheClock(new TypeOrmPaymentRepository(dataSource, { clock, dependencies: { clock, ids } }), clock);
      const idempotency = holdingTheClock(new TypeOrmIdempotencyStore(dataSource, { clock }), clock);
      const metrics = new GatewayMetricsCollector({ clock });
      // At a 30 % failure rate, five failures in a row happen every few hundred calls: open on ten
      // in a row or on a majority of the window, and probe again after five seconds.
      const breakers = new CircuitBreakerManager({ clock, failureThreshold: 10, openTimeout: 5_000 });
      const orchestrator = new PaymentOrchestrator(
        { repository, idempotency, gateways, routing: new IntelligentRoutingEngine(metrics, { clock, random }), metrics, breakers, clock, random, ids },
        { gatewayTimeoutMs: 5_000, maxAttempts: 4, statusCheck: { attempts: 2, intervalMs: 200 } },
      );

      const requestOf = (n: number): CreatePaymentInput =>
        aPaymentRequest({ amount: 500 + (n % 997), customerId: `customer_${n % 113}`, idempotencyKey: `chaos-${n}` });
      const results: PaymentResult[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < PAYMENTS) {
            results.push(await orchestrator.processPayment(requestOf(next++)));
          }
        }),
      );
      expect(results).toHaveLength(PAYMENTS);

      // Whatever is left in flight is resolved by recovery, from the gateways themselves — which
      // still fail 30 % of status checks, so it may take a few runs.
      const recovery = new PaymentRecovery({ repository, idempotency, gateways, orchestrator, clock }, { stuckAfterMs: STUCK_AFTER_MS, batchSize: 1_000 });
      await clock.advance(STUCK_AFTER_MS + 1);
      const recovered = new Map<string, 'PAID' | 'FAILED'>();
      let report: RecoveryReport;
      let runs = 0;
      do {
        if (runs > 0) await clock.advance(30_000);
        report = await recovery.recoverOnce();
        runs += 1;
        expect(report.doubleCharges).toEqual([]);
        expect(report.errors).toEqual([]);
        for (const id of report.paid) recovered.set(id, 'PAID');
        for (const id of report.failed) recovered.set(id, 'FAILED');
      } while (report.unresolved.length > 0 && runs < 20);
      expect(report.unresolved).toEqual([]);

      // 1. Nobody was charged twice, across all four ledgers.
      expect(findDoubleCharges(inner, { includePending: true })).toEqual([]);

      // 2. Nothing was lost and nothing is left in flight.
      const stored = new Map<string, Payment>();
      for (const status of PAYMENT_STATUSES) {
        for (const payment of await repository.findByStatus(status, { limit: 10 * PAYMENTS })) stored.set(payment.id, payment);
      }
      expect(stored.size).toBe(PAYMENTS);
      const byStatus = countBy([...stored.values()], (payment) => payment.status);
      expect(byStatus['PROCESSING'] ?? 0).toBe(0);
      expect(byStatus['PENDING'] ?? 0).toBe(0);

      // 3. Every stored status agrees with the ledgers.
      const approvedByPayment = new Map<string, { gateway: string; gatewayReference: string | null }[]>();
      for (const gateway of inner) {
        for (const entry of gateway.getLedger()) {
          if (entry.outcome !== 'APPROVED') continue;
          approvedByPayment.set(entry.paymentId, [...(approvedByPayment.get(entry.paymentId) ?? []), { gateway: entry.gateway, gatewayReference: entry.gatewayReference }]);
        }
      }
      for (const payment of stored.values()) {
        const charges = approvedByPayment.get(payment.id) ?? [];
        if (payment.status === 'PAID') {
          expect(charges).toEqual([{ gateway: payment.gateway, gatewayReference: payment.gatewayReference }]);
        } else {
          expect([payment.id, payment.status, charges]).toEqual([payment.id, 'FAILED', []]);
        }
      }

      // 3b. Every answer agrees with what is stored: one payment per request, and an outcome left
      // pending only for payments recovery then finished.
      expect(new Set(results.map((result) => paymentIdOf(result))).size).toBe(PAYMENTS);
      const pendingRecovery = results.filter((result) => result.outcome === 'PENDING_RECOVERY');
      for (const result of results) {
        const id = paymentIdOf(result);
        const payment = stored.get(id);
        const expected = result.outcome === 'SUCCEEDED' ? 'PAID' : result.outcome === 'PENDING_RECOVERY' ? recovered.get(id) : 'FAILED';
        expect([id, result.outcome, payment?.status]).toEqual([id, result.outcome, expected]);
      }
      expect(pendingRecovery.length).toBeGreaterThan(0); // the recovery path really ran
      expect(recovered.size).toBe(pendingRecovery.length);

      // 3c. Every idempotency key answers with its payment's final state, and replaying them all
      // sends nothing to any gateway.
      const callsBefore = sumStats(gateways.map((gateway) => gateway.getStats())).calls;
      const byKey = new Map([...stored.values()].map((payment) => [payment.idempotencyKey, payment]));
      for (let n = 0; n < PAYMENTS; n += 1) {
        const replay = await orchestrator.processPayment(requestOf(n));
        const payment = byKey.get(`chaos-${n}`);
        const answer = storedOf(replay);
        expect([n, answer.replayed, answer.paymentId, answer.status]).toEqual([n, true, payment?.id, payment?.status]);
      }
      expect(sumStats(gateways.map((gateway) => gateway.getStats())).calls).toBe(callsBefore);

      // 4. Every state change has its outbox event, in order.
      const outbox = new TypeOrmOutboxStore(dataSource);
      const messages = await outbox.claim({ owner: 'check', limit: 100 * PAYMENTS, now: clock.now(), leaseUntil: clock.now() + 60_000 });
      const events = new Map<string, string[]>();
      for (const message of messages) events.set(message.event.aggregateId, [...(events.get(message.event.aggregateId) ?? []), message.event.type]);
      for (const payment of stored.values()) {
        expect([payment.id, events.get(payment.id)]).toEqual([payment.id, EXPECTED_EVENTS[payment.status]]);
      }

      // 5. End to end, at least 95 % succeed despite 30 % of gateway calls failing.
      const successRate = (byStatus['PAID'] ?? 0) / PAYMENTS;
      expect(successRate).toBeGreaterThanOrEqual(0.95);

      // The run really exercised the dangerous paths.
      const chaos = sumStats(gateways.map((gateway) => gateway.getStats()));
      expect(chaos.timeoutPhases.after).toBeGreaterThan(20);
      expect(chaos.timeoutPhases.before).toBeGreaterThan(20);
      const injectedShare = (chaos.injections.errors + chaos.injections.timeouts + chaos.injections.cascading) / chaos.calls;
      expect(injectedShare).toBeGreaterThanOrEqual(0.28);
      process.stderr.write(
        `chaos pipeline (${dialect}): ${PAYMENTS} payments, ${chaos.calls} gateway calls, ${(injectedShare * 100).toFixed(1)} % injected failures, ` +
          `${(successRate * 100).toFixed(2)} % PAID, ` +
          `${chaos.timeoutPhases.after} after-charge timeouts, ${chaos.timeoutPhases.before} before-charge timeouts, ` +
          `${pendingRecovery.length} left to recovery (${[...recovered.values()].filter((status) => status === 'PAID').length} found charged), 0 double charges\n`,
      );
    }, 300_000);
  });
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
