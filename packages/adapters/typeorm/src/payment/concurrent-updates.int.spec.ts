import { join } from 'node:path';
import { SystemClock, type Payment } from '@aegispay/domain';
import { aPaidPayment, SeededRandom, testPaymentDependencies } from '@aegispay/domain/testing';
import { VersionedPaymentService } from '@aegispay/locking';
import type { DataSource } from 'typeorm';
import { forkTypeScript } from '../__fixtures__/child-process';
import { TypeOrmOutboxStore } from '../outbox/typeorm-outbox.store';
import { describeWithPostgres } from '../__fixtures__/postgres';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { TypeOrmPaymentRepository } from './typeorm-payment.repository';

interface WriterReport {
  readonly type: 'done';
  readonly idempotency: string;
  readonly conflicts: number;
  readonly attempts: number;
}

const WRITER = join(__dirname, '..', '__fixtures__', 'refund-writer.ts');

async function seedPaidPayment(database: TestDatabase): Promise<Payment> {
  return new TypeOrmPaymentRepository(database.dataSource).insert(aPaidPayment({ amount: 1_000_000 }, testPaymentDependencies()));
}

async function countEvents(dataSource: DataSource, type: string): Promise<number> {
  const outbox = new TypeOrmOutboxStore(dataSource);
  const now = Date.now();
  let count = 0;
  for (;;) {
    const batch = await outbox.claim({ owner: 'count', limit: 5_000, now, leaseUntil: now + 60_000 });
    if (batch.length === 0) return count;
    count += batch.filter((m) => m.event.type === type).length;
    await outbox.markPublished('count', batch.map((m) => m.sequence), now);
  }
}

describe('VersionedPaymentService over TypeORM under real concurrency', () => {
  describe('when 4 OS processes each make 500 read-modify-write updates of one payment in one SQLite file', () => {
    const processes = 4;
    const updates = 500;
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
    });
    afterAll(async () => {
      await database.dispose();
    });

    it('should apply every update exactly once, with conflicts resolved, and let one process own the idempotency key', async () => {
      const payment = await seedPaidPayment(database);
      const writers = Array.from({ length: processes }, () => forkTypeScript(WRITER, [database.connection.url as string, '-', payment.id, String(updates)]));
      await Promise.all(writers.map((writer) => writer.message<{ type: string }>((m) => m.type === 'ready')));

      for (const writer of writers) writer.process.send({ type: 'go' });
      const reports = await Promise.all(writers.map((writer) => writer.message<WriterReport>((m) => m.type === 'done')));
      const exits = await Promise.all(writers.map((writer) => writer.exited));

      expect(exits.map((e) => e.code)).toEqual(Array.from({ length: processes }, () => 0));
      const final = (await new TypeOrmPaymentRepository(database.dataSource).findById(payment.id)) as Payment;
      expect(final.refunds).toHaveLength(processes * updates);
      expect(final.refundedAmount.amount).toBe(processes * updates);
      expect(final.version).toBe(1 + processes * updates);
      expect(reports.reduce((sum, r) => sum + r.conflicts, 0)).toBeGreaterThan(0);
      expect(reports.filter((r) => r.idempotency === 'STARTED')).toHaveLength(1);
      expect(await countEvents(database.dataSource, 'RefundProcessed')).toBe(processes * updates);
    }, 90_000);
  });

  describeWithPostgres('when 8 PostgreSQL connections each make 250 read-modify-write updates of one payment', () => {
    let database: TestDatabase;
    let connections: DataSource[];

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      connections = await Promise.all(Array.from({ length: 8 }, () => database.open({ poolSize: 1 })));
    });
    afterAll(async () => {
      await Promise.all(connections.map((connection) => connection.destroy()));
      await database.dispose();
    });

    it('should apply exactly 2 000, lose none, and really conflict', async () => {
      const payment = await seedPaidPayment(database);
      const services = connections.map(
        (connection, index) =>
          new VersionedPaymentService(new TypeOrmPaymentRepository(connection), {
            // Real backoff between real connections: the production behaviour under contention.
            clock: new SystemClock(),
            random: new SeededRandom(index),
            maxRetries: 1_000,
            initialBackoffMs: 4,
            maxBackoffMs: 100,
            jitter: 'full',
          }),
      );

      await Promise.all(
        services.map(async (service) => {
          for (let i = 0; i < 250; i += 1) await service.update(payment.id, (current: Payment) => void current.refund({ amount: 1 }));
        }),
      );

      const final = (await new TypeOrmPaymentRepository(database.dataSource).findById(payment.id)) as Payment;
      const stats = services.map((service) => service.getStats());
      expect(final.refunds).toHaveLength(2_000);
      expect(final.refundedAmount.amount).toBe(2_000);
      expect(final.version).toBe(2_001);
      expect(new Set(final.refunds.map((refund) => refund.id)).size).toBe(2_000);
      expect(stats.reduce((sum, s) => sum + s.succeeded, 0)).toBe(2_000);
      expect(stats.reduce((sum, s) => sum + s.conflicts, 0)).toBeGreaterThan(0);
      expect(await countEvents(database.dataSource, 'RefundProcessed')).toBe(2_000);
    }, 120_000);
  });
});
