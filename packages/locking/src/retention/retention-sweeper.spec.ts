import type { IdempotencyStore, OutboxStore } from '@aegispay/domain';
import { aPendingPayment, FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';
import { InMemoryIdempotencyStore } from '../memory/in-memory-idempotency.store';
import { InMemoryOutboxStore } from '../memory/in-memory-outbox.store';
import { InMemoryPaymentRepository } from '../memory/in-memory-payment.repository';
import { OutboxRelay } from '../outbox/outbox-relay';
import { RecordingEventPublisher } from '../testing/recording-event-publisher';
import { RetentionSweeper, type RetentionBatchResult } from './retention-sweeper';

const HOUR = 3_600_000;

describe(RetentionSweeper, () => {
  let clock: FakeClock;
  let outbox: InMemoryOutboxStore;
  let repository: InMemoryPaymentRepository;
  let idempotency: InMemoryIdempotencyStore;
  const deps = testPaymentDependencies();

  beforeEach(() => {
    clock = new FakeClock();
    outbox = new InMemoryOutboxStore({ clock });
    repository = new InMemoryPaymentRepository({ outbox });
    idempotency = new InMemoryIdempotencyStore({ clock, defaultTtlMs: HOUR });
  });

  /** Stores `count` payments (one event each) and publishes their events now. */
  async function publishPayments(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) await repository.insert(aPendingPayment({}, deps));
    await new OutboxRelay(outbox, new RecordingEventPublisher(), { clock, relayId: 'relay' }).drain();
  }

  describe('.start', () => {
    it('should delete one bounded batch at a time, pausing between full batches, then wait for the interval', async () => {
      await publishPayments(7);
      await clock.advance(2 * HOUR);
      const sweeper = new RetentionSweeper({ outbox }, { outboxRetentionMs: HOUR, batchSize: 3, batchPauseMs: 50, intervalMs: 60_000, clock });

      sweeper.start();
      await clock.advance(0);
      expect(outbox.allEvents()).toHaveLength(4);
      await clock.advance(49);
      expect(outbox.allEvents()).toHaveLength(4);
      await clock.advance(1);
      expect(outbox.allEvents()).toHaveLength(1);
      await clock.advance(50);
      expect(outbox.allEvents()).toHaveLength(0);

      expect(sweeper.getStats()).toEqual({ batches: 3, outboxMessages: 7, idempotencyKeys: 0, errors: 0 });
      await clock.advance(59_999);
      expect(sweeper.getStats().batches).toBe(3);
      await clock.advance(1);
      expect(sweeper.getStats().batches).toBe(4);
      await sweeper.stop();
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should do nothing before start', async () => {
      await publishPayments(1);
      await clock.advance(2 * HOUR);
      const sweeper = new RetentionSweeper({ outbox }, { outboxRetentionMs: HOUR, clock });

      await clock.advance(HOUR);

      expect(outbox.allEvents()).toHaveLength(1);
      expect(sweeper.isRunning).toBe(false);
    });
  });

  describe('.runOnce', () => {
    it('should keep messages published within the retention period and every message not yet published', async () => {
      await publishPayments(2);
      await clock.advance(HOUR);
      await publishPayments(1);
      await repository.insert(aPendingPayment({}, deps));
      const sweeper = new RetentionSweeper({ outbox }, { outboxRetentionMs: HOUR, clock });

      expect(await sweeper.runOnce()).toEqual({ outboxMessages: 2, idempotencyKeys: 0, more: false });

      expect(outbox.allEvents()).toHaveLength(2);
      expect(await outbox.countUnpublished()).toBe(1);
    });

    it('should delete expired idempotency keys and keep the others', async () => {
      await idempotency.begin('merchant_1', 'old', 'fp');
      await idempotency.complete('merchant_1', 'old', { paid: true });
      await clock.advance(HOUR / 2);
      await idempotency.begin('merchant_1', 'young', 'fp');
      await idempotency.complete('merchant_1', 'young', { paid: true });
      await clock.advance(HOUR / 2);
      const sweeper = new RetentionSweeper({ idempotency }, { clock });

      expect(await sweeper.runOnce()).toEqual({ outboxMessages: 0, idempotencyKeys: 1, more: false });

      expect(await idempotency.peek('merchant_1', 'young', 'fp')).toEqual({ status: 'COMPLETED', response: { paid: true } });
      expect(await idempotency.begin('merchant_1', 'old', 'another body')).toEqual({ status: 'STARTED' });
    });

    it('should say there is more when a table gave a full batch, and hand each batch that deleted something to onPurged', async () => {
      for (const key of ['a', 'b', 'c']) await idempotency.begin('merchant_1', key, 'fp');
      await clock.advance(HOUR);
      const purged: RetentionBatchResult[] = [];
      const sweeper = new RetentionSweeper({ outbox, idempotency }, { batchSize: 2, clock, onPurged: (batch) => purged.push(batch) });

      const totals = await sweeper.sweep();

      expect(totals).toEqual({ outboxMessages: 0, idempotencyKeys: 3 });
      expect(purged).toEqual([
        { outboxMessages: 0, idempotencyKeys: 2, more: true },
        { outboxMessages: 0, idempotencyKeys: 1, more: false },
      ]);
    });
  });

  describe('when a store fails', () => {
    it('should report it, count it, and try again after errorDelayMs', async () => {
      const errors: unknown[] = [];
      let failures = 1;
      const flaky: IdempotencyStore = Object.assign(Object.create(idempotency) as IdempotencyStore, {
        purgeExpired: async (limit: number) => {
          if (failures-- > 0) throw new Error('database is away');
          return idempotency.purgeExpired(limit);
        },
      });
      await idempotency.begin('merchant_1', 'old', 'fp');
      await clock.advance(HOUR);
      const sweeper = new RetentionSweeper({ idempotency: flaky }, { intervalMs: 60_000, errorDelayMs: 5_000, clock, onError: (error) => errors.push(error) });

      sweeper.start();
      await clock.advance(0);
      expect(errors).toEqual([new Error('database is away')]);
      await clock.advance(5_000);

      expect(sweeper.getStats()).toMatchObject({ errors: 1, idempotencyKeys: 1 });
      await sweeper.stop();
    });
  });

  describe('.stop', () => {
    it('should wait for the batch in flight', async () => {
      let finish: (count: number) => void = () => undefined;
      const slow = { purgePublished: () => new Promise<number>((resolve) => (finish = resolve)) } as unknown as OutboxStore;
      const sweeper = new RetentionSweeper({ outbox: slow }, { clock });
      sweeper.start();
      await clock.advance(0);

      let stopped = false;
      const stopping = sweeper.stop().then(() => (stopped = true));
      await Promise.resolve();
      expect(stopped).toBe(false);
      finish(0);
      await stopping;

      expect(sweeper.getStats().batches).toBe(1);
      expect(clock.pendingTimers()).toBe(0);
    });
  });

  describe('constructor', () => {
    it.each([
      ['no store', {}, {}, 'stores'],
      ['a batch size of 0', { outbox: new InMemoryOutboxStore() }, { batchSize: 0 }, 'batchSize'],
      ['a negative retention', { outbox: new InMemoryOutboxStore() }, { outboxRetentionMs: -1 }, 'outboxRetentionMs'],
      ['an interval of 0', { outbox: new InMemoryOutboxStore() }, { intervalMs: 0 }, 'intervalMs'],
      ['a store without purgePublished', { outbox: {} as OutboxStore }, {}, 'stores.outbox'],
    ])('should refuse %s', (_case, stores, options, field) => {
      expect(() => new RetentionSweeper(stores, options)).toThrow(expect.objectContaining({ code: 'LOCKING.INVALID_OPTION', field }));
    });
  });
});
