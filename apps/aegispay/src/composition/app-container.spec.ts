import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PaymentRepository } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { InMemoryPaymentRepository } from '@aegispay/locking';
import { JetStreamEventPublisher } from '@aegispay/nats';
import { paymentIdOf } from '@aegispay/orchestrator/testing';
import { createDataSource, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { announcePostgresSkip, postgresTestUrl } from '@aegispay/typeorm/testing';
import { ConfigurationError, loadConfig } from '../config/app-config';
import { createAppContainer, type AppContainer } from './app-container';
import { TOKENS } from './tokens';

type Binding = 'memory' | 'typeorm';

describe(createAppContainer, () => {
  let directory: string;
  let app: AppContainer | undefined;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-app-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  async function compose(persistence: Binding): Promise<AppContainer> {
    const config = loadConfig({
      env: {},
      // Seed 1: the simulated acquirer approves the first payment (the run is reproducible).
      overrides: { persistence, databaseUrl: `sqlite:${join(directory, 'aegispay.sqlite')}`, zeroLatency: true, seed: 1 },
    });
    app = await createAppContainer(config);
    return app;
  }

  describe.each<[Binding, new (...args: never[]) => PaymentRepository]>([
    ['memory', InMemoryPaymentRepository],
    ['typeorm', TypeOrmPaymentRepository],
  ])('when the repository is bound to %s', (persistence, repositoryClass) => {
    it('should run the same payment scenario end to end', async () => {
      const composed = await compose(persistence);
      const orchestrator = composed.get(TOKENS.PaymentOrchestrator);
      const repository = composed.get(TOKENS.PaymentRepository);

      const paid = await orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'scenario-1', paymentMethod: { type: 'CARD', token: 'tok_visa' } }));
      const replay = await orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'scenario-1', paymentMethod: { type: 'CARD', token: 'tok_visa' } }));
      const declined = await orchestrator.processPayment(aPaymentRequest({ paymentMethod: { type: 'CARD', token: 'tok_decline_stolen_card' } }));
      const refund = await orchestrator.refund(paymentIdOf(paid), { amount: 500, idempotencyKey: 'refund-1' });
      const published = await composed.get(TOKENS.OutboxRelay).drain();

      expect(repository).toBeInstanceOf(repositoryClass);
      expect(paid).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID' });
      expect(replay).toMatchObject({ paymentId: paymentIdOf(paid), replayed: true });
      expect(declined).toMatchObject({ outcome: 'DECLINED', code: 'stolen_card' });
      expect(refund).toMatchObject({ amount: 500, status: 'PARTIALLY_REFUNDED' });
      expect((await repository.findById(paymentIdOf(paid)))?.refunds).toHaveLength(1);
      expect(published).toBe(7);
      expect(composed.get(TOKENS.EventLog).countsByType().get('RefundProcessed')).toBe(1);
    });
  });

  describe('.start / .close', () => {
    it('should start and stop the recovery and relay loops and close the database', async () => {
      const composed = await compose('typeorm');

      composed.start();
      expect(composed.get(TOKENS.PaymentRecovery).isRunning).toBe(true);
      await composed.close();

      expect(composed.get(TOKENS.PaymentRecovery).isRunning).toBe(false);
      expect(composed.dataSource?.isInitialized).toBe(false);
    });
  });

  describe('when a loop refuses a configured setting', () => {
    it('should fail at once with a configuration error naming the variable', async () => {
      const config = loadConfig({ env: { AEGISPAY_STUCK_AFTER_MS: '1000' }, overrides: { persistence: 'memory' } });

      const composing = createAppContainer(config);

      await expect(composing).rejects.toThrow(ConfigurationError);
      await expect(composing).rejects.toThrow(/AEGISPAY_STUCK_AFTER_MS: stuckAfterMs must exceed the orchestrator's worst-case processing time \(\d+ ms\).* \(got 1000\)\./);
    });
  });

  describe('when the migrations fail', () => {
    const pgUrl = postgresTestUrl();
    if (pgUrl === undefined) announcePostgresSkip('createAppContainer');
    (pgUrl === undefined ? it.skip : it)('should close the connections it opened before rethrowing', async () => {
      const schema = `aegispay_broken_${process.pid}_${Date.now()}`;
      const applicationName = `aegispay-broken-start-${process.pid}`;
      const admin = await createDataSource({ url: pgUrl as string });
      try {
        // A table of the first migration already there, not made by it: the migration fails.
        await admin.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".payments (x int)`);
        const databaseUrl = `${pgUrl as string}${(pgUrl as string).includes('?') ? '&' : '?'}application_name=${applicationName}&options=${encodeURIComponent(`-c search_path=${schema}`)}`;

        await expect(createAppContainer(loadConfig({ env: {}, overrides: { databaseUrl } }))).rejects.toThrow(/already exists/);

        // A closed connection's server process exits a moment after the client hung up, so the count
        // is awaited rather than read once. A pool left open would keep its idle connections for its
        // 10 s idle timeout, longer than this wait, and fail the test.
        const open = await settledCount(() => admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]) as Promise<{ n: number }[]>);
        expect(open).toBe(0);
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.destroy();
      }
    });
  });

  describe('events', () => {
    it('should publish to the in-process event log without NATS', async () => {
      app = await createAppContainer(loadConfig({ env: {}, overrides: { persistence: 'memory' } }));

      expect(app.get(TOKENS.EventBroker)).toBeNull();
      expect(app.get(TOKENS.EventPublisher)).toBe(app.get(TOKENS.EventLog));
    });

    it('should bind the JetStream publisher as the event publisher when NATS is configured, without connecting before start', async () => {
      app = await createAppContainer(
        loadConfig({ env: { AEGISPAY_NATS_URL: 'nats://127.0.0.1:1', AEGISPAY_NATS_STREAM: 'EVENTS_APP' }, overrides: { persistence: 'memory' } }),
      );

      const broker = app.get(TOKENS.EventBroker);
      expect(broker).toBeInstanceOf(JetStreamEventPublisher);
      expect(app.get(TOKENS.EventPublisher)).toBe(broker);
      expect(broker?.status()).toMatchObject({ state: 'idle', stream: 'EVENTS_APP' });
    });
  });

  describe('with chaos configured', () => {
    it('should wrap every gateway in chaos, leaving the simulated acquirers underneath', async () => {
      const config = loadConfig({ env: {}, overrides: { persistence: 'memory', chaos: { failureRate: 0.5, seed: 3 }, zeroLatency: true, gateways: 'STRIPE,ADYEN' } });
      app = await createAppContainer(config);

      expect(app.get(TOKENS.PaymentGateways).map((gateway) => gateway.constructor.name)).toEqual(['ChaosGateway', 'ChaosGateway']);
      expect(app.get(TOKENS.SimulatedGateways).map((gateway) => gateway.name)).toEqual(['STRIPE', 'ADYEN']);
    });
  });
});

/** Polls a count until it is zero or 5 s have passed, and returns the last count seen. */
async function settledCount(read: () => Promise<{ n: number }[]>): Promise<number> {
  const giveUpAt = Date.now() + 5_000;
  for (;;) {
    const count = (await read())[0]?.n ?? 0;
    if (count === 0 || Date.now() >= giveUpAt) return count;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
