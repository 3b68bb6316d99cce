import { join } from 'node:path';
import { SystemClock, type Payment } from '@aegispay/domain';
import { aPaidPayment, SeededRandom, testPaymentDependencies } from '@aegispay/domain/testing';
import { VersionedPaymentService } from '@aegispay/locking';
import type { DataSource } from 'typeorm';
import { forkTypeScript, type TypeScriptChild } from '../__fixtures__/child-process';
import { describeWithPostgres } from '../__fixtures__/postgres';
import { TypeOrmOutboxStore } from '../outbox/typeorm-outbox.store';
import { useTestDatabase, type TestDatabase } from '../testing/test-database';
import { TypeOrmPaymentRepository } from './typeorm-payment.repository';

/*
 * These suites prove that concurrent read-modify-write updates of one payment lose nothing: every
 * update is applied exactly once, with its event, while conflicts really happen. They are sized
 * by conditions, not by counts that take a fixed time: each writer keeps updating until every
 * writer has made MIN_UPDATES and at least one conflict has been seen, then all stop, and the
 * totals are checked against what the writers report. On a fast machine that takes a second; on
 * a loaded one it takes longer, and nothing asserted depends on which.
 */

/** Updates each writer makes at least, so that all of them really take part. */
const MIN_UPDATES = 10;
/** A guard only: a writer stops here even if no conflict was ever seen (the test then fails on that). */
const CAP = 1_000;
/** Jest's timeout here only catches a hang: the tests wait for conditions, and a loaded machine may take minutes. */
const HANG_GUARD_MS = 300_000;
/** A claim time later than anything the writers stamped, so every event is due whatever the wall clock says. */
const FAR_FUTURE = Date.UTC(2100, 0, 1);

interface Progress {
  readonly succeeded: number;
  readonly conflicts: number;
}

interface WriterReport extends Progress {
  readonly type: 'done';
  readonly idempotency: string;
}

const WRITER = join(__dirname, '..', '__fixtures__', 'refund-writer.ts');

/** True once every writer has made MIN_UPDATES and the writers together have seen a conflict. */
function enough(progress: readonly Progress[]): boolean {
  return progress.every((p) => p.succeeded >= MIN_UPDATES) && progress.reduce((sum, p) => sum + p.conflicts, 0) > 0;
}

async function seedPaidPayment(database: TestDatabase): Promise<Payment> {
  return new TypeOrmPaymentRepository(database.dataSource).insert(aPaidPayment({ amount: 1_000_000 }, testPaymentDependencies()));
}

/** Claims and publishes every outbox message and counts those of `type`. */
async function countEvents(dataSource: DataSource, type: string): Promise<number> {
  const outbox = new TypeOrmOutboxStore(dataSource);
  let count = 0;
  for (;;) {
    const batch = await outbox.claim({ owner: 'count', limit: 5_000, now: FAR_FUTURE, leaseUntil: FAR_FUTURE + 60_000 });
    if (batch.length === 0) return count;
    count += batch.filter((m) => m.event.type === type).length;
    await outbox.markPublished('count', batch.map((m) => m.sequence), FAR_FUTURE);
  }
}

/** Resolves when `enough` holds for the writers' latest progress, or when every writer is done anyway. */
function untilEnough(writers: readonly TypeScriptChild[]): Promise<void> {
  const progress: Progress[] = writers.map(() => ({ succeeded: 0, conflicts: 0 }));
  const reached = new Promise<void>((resolve) => {
    writers.forEach((writer, index) =>
      writer.process.on('message', (message: { type?: string } & Progress) => {
        if (message.type !== 'progress') return;
        progress[index] = message;
        if (enough(progress)) resolve();
      }),
    );
  });
  return Promise.race([reached, Promise.all(writers.map((writer) => writer.exited)).then(() => undefined)]);
}

async function expectEveryUpdateOnce(database: TestDatabase, paymentId: string, applied: number): Promise<void> {
  const final = (await new TypeOrmPaymentRepository(database.dataSource).findById(paymentId)) as Payment;
  expect(final.refunds).toHaveLength(applied);
  expect(new Set(final.refunds.map((refund) => refund.id)).size).toBe(applied);
  expect(final.refundedAmount.amount).toBe(applied);
  expect(final.version).toBe(1 + applied);
  expect(await countEvents(database.dataSource, 'RefundProcessed')).toBe(applied);
}

describe('VersionedPaymentService over TypeORM under real concurrency', () => {
  describe('when 4 OS processes update one payment in one SQLite file until each made 10 updates and a conflict was seen', () => {
    const processes = 4;
    const database = useTestDatabase('sqlite');

    it('should apply every reported update exactly once, with its event, and let one process own the idempotency key', async () => {
      const payment = await seedPaidPayment(database());
      const writers = Array.from({ length: processes }, () => forkTypeScript(WRITER, [database().connection.url as string, '-', payment.id, String(CAP)]));
      await Promise.all(writers.map((writer) => writer.message<{ type: string }>((m) => m.type === 'ready')));

      const stopped = untilEnough(writers);
      for (const writer of writers) writer.process.send({ type: 'go' });
      await stopped;
      for (const writer of writers) if (writer.process.connected) writer.process.send({ type: 'stop' });
      const reports = await Promise.all(writers.map((writer) => writer.message<WriterReport>((m) => m.type === 'done')));
      const exits = await Promise.all(writers.map((writer) => writer.exited));

      expect(exits.map((e) => e.code)).toEqual(Array.from({ length: processes }, () => 0));
      expect(reports.every((r) => r.succeeded >= MIN_UPDATES)).toBe(true);
      expect(reports.reduce((sum, r) => sum + r.conflicts, 0)).toBeGreaterThan(0);
      expect(reports.filter((r) => r.idempotency === 'STARTED')).toHaveLength(1);
      await expectEveryUpdateOnce(database(), payment.id, reports.reduce((sum, r) => sum + r.succeeded, 0));
    }, HANG_GUARD_MS);
  });

  describeWithPostgres('when 8 PostgreSQL connections update one payment until each made 10 updates and a conflict was seen', () => {
    const database = useTestDatabase('postgres');
    let connections: DataSource[] = [];

    beforeAll(async () => {
      connections = await Promise.all(Array.from({ length: 8 }, () => database().open({ poolSize: 1 })));
    });
    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.destroy()));
    });

    it('should apply every reported update exactly once, with its event, and really conflict', async () => {
      const payment = await seedPaidPayment(database());
      const services = connections.map(
        (connection, index) =>
          new VersionedPaymentService(new TypeOrmPaymentRepository(connection), {
            // Real backoff between real connections: the production behaviour under contention.
            clock: new SystemClock(),
            random: new SeededRandom(index),
            maxRetries: 1_000,
            initialBackoffMs: 2,
            maxBackoffMs: 50,
            jitter: 'full',
          }),
      );
      const progress = (): Progress[] => services.map((service) => ({ succeeded: service.getStats().succeeded, conflicts: service.getStats().conflicts }));

      await Promise.all(
        services.map(async (service) => {
          while (!enough(progress()) && service.getStats().succeeded < CAP) {
            await service.update(payment.id, (current: Payment) => void current.refund({ amount: 1 }));
          }
        }),
      );

      const stats = progress();
      expect(stats.every((s) => s.succeeded >= MIN_UPDATES)).toBe(true);
      expect(stats.reduce((sum, s) => sum + s.conflicts, 0)).toBeGreaterThan(0);
      await expectEveryUpdateOnce(database(), payment.id, stats.reduce((sum, s) => sum + s.succeeded, 0));
    }, HANG_GUARD_MS);
  });
});
