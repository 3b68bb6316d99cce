import { aPendingPayment, FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';
import { OutboxRelay, RetentionSweeper } from '@aegispay/locking';
import { RecordingEventPublisher } from '@aegispay/locking/testing';
import { testDialects } from './__fixtures__/postgres';
import { TypeOrmIdempotencyStore } from './idempotency/typeorm-idempotency.store';
import { TypeOrmOutboxStore } from './outbox/typeorm-outbox.store';
import { TypeOrmPaymentRepository } from './payment/typeorm-payment.repository';
import { useTestDatabase } from './testing/test-database';

const DAY = 86_400_000;

/** Resolves once `condition` holds: the sweeper's batches run on real database I/O after the fake clock fires them. */
async function until(condition: () => boolean): Promise<void> {
  do await new Promise((resolve) => setImmediate(resolve));
  while (!condition());
}

describe.each(testDialects('Retention'))('RetentionSweeper over the TypeORM stores on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let clock: FakeClock;
  let repository: TypeOrmPaymentRepository;
  let outbox: TypeOrmOutboxStore;
  let idempotency: TypeOrmIdempotencyStore;
  const deps = testPaymentDependencies();

  beforeEach(async () => {
    await database().reset();
    clock = new FakeClock();
    const { dataSource } = database();
    repository = new TypeOrmPaymentRepository(dataSource, { clock });
    outbox = new TypeOrmOutboxStore(dataSource);
    idempotency = new TypeOrmIdempotencyStore(dataSource, { clock, defaultTtlMs: DAY });
  });

  async function rows(table: 'outbox_messages' | 'idempotency_keys', where = '1 = 1'): Promise<number> {
    const { schema } = database().connection;
    const name = schema === undefined ? table : `"${schema}".${table}`;
    const [row] = await database().dataSource.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM ${name} WHERE ${where}`);
    return Number(row?.n);
  }

  /** `count` payments, each with its key completed and its one event published now. */
  async function paymentsPublishedNow(count: number, prefix: string): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      await idempotency.begin('merchant_1', `${prefix}-${i}`, 'fp');
      await repository.insert(aPendingPayment({ idempotencyKey: `${prefix}-${i}` }, deps));
      await idempotency.complete('merchant_1', `${prefix}-${i}`, { paid: true });
    }
    await new OutboxRelay(outbox, new RecordingEventPublisher(), { clock, relayId: 'relay' }).drain();
  }

  it('should purge old published events and expired keys in bounded batches, with payments written in between, and keep everything recent', async () => {
    await paymentsPublishedNow(12, 'old');
    await clock.advance(8 * DAY);
    await paymentsPublishedNow(2, 'recent');
    const sweeper = new RetentionSweeper({ outbox, idempotency }, { outboxRetentionMs: 7 * DAY, batchSize: 5, batchPauseMs: 50, intervalMs: 60_000, clock });

    sweeper.start();
    await clock.advance(0);
    await until(() => sweeper.getStats().batches === 1);

    // One batch: at most five rows per table, then a pause in which a payment and its key are written.
    expect(sweeper.getStats()).toMatchObject({ batches: 1, outboxMessages: 5, idempotencyKeys: 5 });
    expect(await rows('outbox_messages')).toBe(14 - 5);
    await idempotency.begin('merchant_1', 'meanwhile', 'fp');
    await repository.insert(aPendingPayment({ idempotencyKey: 'meanwhile' }, deps));
    expect(sweeper.getStats().batches).toBe(1);

    await clock.advance(50);
    await until(() => sweeper.getStats().batches === 2);
    await clock.advance(50);
    await until(() => sweeper.getStats().batches === 3);

    expect(sweeper.getStats()).toMatchObject({ batches: 3, outboxMessages: 12, idempotencyKeys: 12, errors: 0 });
    expect(await rows('outbox_messages')).toBe(3);
    expect(await rows('outbox_messages', 'published_at IS NULL')).toBe(1);
    expect(await rows('idempotency_keys')).toBe(3);
    expect(await idempotency.begin('merchant_1', 'recent-0', 'fp')).toEqual({ status: 'COMPLETED', response: { paid: true } });
    await sweeper.stop();
  });

  it('should delete nothing published within the retention period, however many batches run', async () => {
    await paymentsPublishedNow(3, 'young');
    await clock.advance(DAY - 1);
    const sweeper = new RetentionSweeper({ outbox, idempotency }, { outboxRetentionMs: DAY, batchSize: 1, clock });

    expect(await sweeper.sweep()).toEqual({ outboxMessages: 0, idempotencyKeys: 0 });
    await clock.advance(1);
    expect(await sweeper.sweep()).toEqual({ outboxMessages: 3, idempotencyKeys: 3 });
  });
});
