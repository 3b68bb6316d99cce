import { fork } from 'node:child_process';
import { join } from 'node:path';
import { PAYMENT_STATUSES, SystemClock, VirtualClock, type DomainEvent, type Payment } from '@aegispay/domain';
import { SeededRandom, SequentialIdGenerator, aPaymentRequest } from '@aegispay/domain/testing';
import { createSimulatedGateways, findDoubleCharges, type SimulatedGateway } from '@aegispay/gateways';
import { OutboxRelay } from '@aegispay/locking';
import { RecordingEventPublisher } from '@aegispay/locking/testing';
import { PaymentOrchestrator, PaymentRecovery } from '@aegispay/orchestrator';
import { storedOf } from '@aegispay/orchestrator/testing';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { TypeOrmIdempotencyStore, TypeOrmOutboxStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { createTestDatabase, testDialects, type TestDatabase } from '@aegispay/typeorm/testing';
import { serveGateways } from './support/ipc-gateway';

const CHILD = join(__dirname, 'support', 'crash-child.ts');
const RESULTS_BEFORE_KILL = 150;

/** The events a payment holds in the outbox, given how it ended. */
const EXPECTED_EVENTS: Partial<Record<string, readonly string[]>> = {
  PAID: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'],
  FAILED: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentFailed'],
  CANCELLED: ['PaymentCreated', 'PaymentCancelled'],
};

for (const dialect of testDialects('the orchestrator crash test')) {
  describe(`an orchestrator process killed with SIGKILL mid-run (TypeORM on ${dialect})`, () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.dispose();
    });

    it('should let another process recover every payment: no double charge, nothing lost or in flight, ledgers and outbox agree', async () => {
      // The gateways are the outside world: they live here and outlive the payment process.
      const simulated = createSimulatedGateways({
        clock: new SystemClock(),
        random: new SeededRandom(9),
        ids: new SequentialIdGenerator(),
        profiles: Object.fromEntries(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'].map((name) => [name, { latency: { medianMs: 12, p95Ms: 45 } }])),
      });
      const gateways: SimulatedGateway[] = Object.values(simulated);

      const child = fork(CHILD, [database.connection.url as string, database.connection.schema ?? '-'], {
        execArgv: ['--conditions=@aegispay/source', '--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const settled = serveGateways(child, gateways);
      const reported = new Map<string, string>();
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        child.on('message', (message: { kind?: string; paymentId?: string; status?: string }) => {
          if (message.kind !== 'result') return;
          reported.set(message.paymentId as string, message.status as string);
          if (reported.size === RESULTS_BEFORE_KILL) resolve();
        });
        void exited.then(() => reject(new Error(`the payment process exited on its own:\n${stderr}`)));
      });

      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await settled(); // charges the gateways received keep going, as they would in the world

      // Another process (this one) recovers, later: the stuck threshold has passed.
      const clock = new VirtualClock({ start: Date.now() + 3_600_000 });
      const repository = new TypeOrmPaymentRepository(database.dataSource, { clock });
      const idempotency = new TypeOrmIdempotencyStore(database.dataSource, { clock });
      const recovery = new PaymentRecovery({ repository, idempotency, gateways, clock }, { stuckAfterMs: 60_000, batchSize: 10_000 });
      const report = await recovery.recoverOnce();
      expect(report).toMatchObject({ unresolved: [], doubleCharges: [], errors: [] });

      const stored = new Map<string, Payment>();
      for (const status of PAYMENT_STATUSES) {
        for (const payment of await repository.findByStatus(status, { limit: 100_000 })) stored.set(payment.id, payment);
      }
      // Nothing lost: every payment the process reported is stored, as reported or finished since.
      for (const [id, status] of reported) {
        const payment = stored.get(id);
        expect(payment).toBeDefined();
        if (status !== 'PROCESSING') expect([id, payment?.status]).toEqual([id, status]);
      }
      // Nothing in flight, nobody charged twice.
      expect([...stored.values()].filter((payment) => payment.status === 'PROCESSING' || payment.status === 'PENDING')).toEqual([]);
      expect(findDoubleCharges(gateways, { includePending: true })).toEqual([]);

      // Every stored status agrees with the ledgers, down to the gateway's charge id.
      const approved = new Map<string, { gateway: string; gatewayReference: string | null }[]>();
      for (const gateway of gateways) {
        for (const entry of gateway.getLedger()) {
          if (entry.outcome !== 'APPROVED') continue;
          approved.set(entry.paymentId, [...(approved.get(entry.paymentId) ?? []), { gateway: entry.gateway, gatewayReference: entry.gatewayReference }]);
        }
      }
      for (const payment of stored.values()) {
        expect([payment.id, payment.status, approved.get(payment.id) ?? []]).toEqual([
          payment.id,
          payment.status,
          payment.status === 'PAID' ? [{ gateway: payment.gateway, gatewayReference: payment.gatewayReference }] : [],
        ]);
      }

      // Every payment's idempotency key answers with its final state — also a key the killed
      // process held between storing the outcome and storing the answer — and no retry charges.
      const ledgerSize = gateways.reduce((sum, gateway) => sum + gateway.getLedger().length, 0);
      const metrics = new GatewayMetricsCollector({ clock });
      const retries = new PaymentOrchestrator({
        repository,
        idempotency,
        gateways,
        routing: new IntelligentRoutingEngine(metrics, { clock, random: new SeededRandom(10) }),
        metrics,
        breakers: new CircuitBreakerManager({ clock }),
        clock,
        random: new SeededRandom(11),
      });
      for (const payment of stored.values()) {
        const replay = await retries.processPayment(aPaymentRequest({ amount: payment.amount, idempotencyKey: payment.idempotencyKey as string }));
        const answer = storedOf(replay);
        expect([answer.replayed, answer.paymentId, answer.status]).toEqual([true, payment.id, payment.status]);
      }
      expect(gateways.reduce((sum, gateway) => sum + gateway.getLedger().length, 0)).toBe(ledgerSize);

      // Every committed state change has its event, published once by a relay after the crash.
      const publisher = new RecordingEventPublisher();
      await new OutboxRelay(new TypeOrmOutboxStore(database.dataSource), publisher, { relayId: 'after-crash', clock }).drain();
      expect(new Set(publisher.ids()).size).toBe(publisher.published.length);
      const events = new Map<string, string[]>();
      for (const event of publisher.published as DomainEvent[]) events.set(event.aggregateId, [...(events.get(event.aggregateId) ?? []), event.type]);
      for (const payment of stored.values()) {
        expect([payment.id, events.get(payment.id)]).toEqual([payment.id, EXPECTED_EVENTS[payment.status]]);
      }

      process.stderr.write(
        `crash test (${dialect}): killed after ${reported.size} reported payments; ${stored.size} stored; ` +
          `recovery resolved ${report.paid.length} paid, ${report.failed.length} failed, ${report.cancelled.length} cancelled; 0 double charges\n`,
      );
    }, 90_000);
  });
}
