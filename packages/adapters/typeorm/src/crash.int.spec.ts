import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DomainEvent, Payment, PaymentStatus } from '@aegispay/domain';
import { FakeClock } from '@aegispay/domain/testing';
import { OutboxRelay } from '@aegispay/locking';
import { RecordingEventPublisher } from '@aegispay/locking/testing';
import { forkTypeScript } from './__fixtures__/child-process';
import { TypeOrmOutboxStore } from './outbox/typeorm-outbox.store';
import { TypeOrmPaymentRepository } from './payment/typeorm-payment.repository';
import { testDialects } from './__fixtures__/postgres';
import { useTestDatabase, type TestDatabase } from './testing/test-database';

const STREAM = join(__dirname, '__fixtures__', 'payment-stream.ts');
const COMMITS_BEFORE_KILL = 60;

/** What the stream writes at each version: the status and the events recorded so far. */
const EXPECTED: Readonly<Record<number, { status: PaymentStatus; events: readonly string[]; attempts: number; refunds: number }>> = {
  1: { status: 'PENDING', events: ['PaymentCreated'], attempts: 0, refunds: 0 },
  2: { status: 'PROCESSING', events: ['PaymentCreated', 'PaymentProcessingStarted'], attempts: 0, refunds: 0 },
  3: { status: 'PAID', events: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded'], attempts: 1, refunds: 0 },
  4: { status: 'PARTIALLY_REFUNDED', events: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded', 'RefundProcessed'], attempts: 1, refunds: 1 },
};

/** The relay's time: later than anything the writer stamped, and still (leases never expire while the test runs, however slow). */
const FAR_FUTURE = Date.UTC(2100, 0, 1);

const dialects = testDialects('The crash test');

/**
 * The writer's URL: on PostgreSQL tagged with an application name, by which the test finds the
 * writer's server process after the kill.
 */
function writerUrl(database: TestDatabase, applicationName: string): string {
  if (database.dialect !== 'postgres') return database.connection.url as string;
  const url = new URL(database.connection.url as string);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

/**
 * Resolves once PostgreSQL has ended the server process of `applicationName`. A client killed
 * with SIGKILL may have sent a COMMIT the server has not yet processed; reading before its
 * backend is gone could see that commit land half-way through the checks.
 */
async function backendGone(database: TestDatabase, applicationName: string): Promise<void> {
  if (database.dialect !== 'postgres') return;
  for (;;) {
    const [row] = (await database.dataSource.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])) as { n: number }[];
    if (row?.n === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.each(dialects)('a writer killed with SIGKILL mid-stream (%s)', (dialect) => {
  const db = useTestDatabase(dialect);

  it('should leave every committed payment with all its events, nothing half-written, and a relay publishing what was left', async () => {
    const database = db();
    const applicationName = `aegispay_crash_${randomBytes(4).toString('hex')}`;
    const child = forkTypeScript(STREAM, [writerUrl(database, applicationName), database.connection.schema ?? '-']);
    const acknowledged = new Map<string, number>();
    await child.message<{ type: string; paymentId: string; version: number }>((message) => {
      acknowledged.set(message.paymentId, message.version);
      return acknowledged.size > 1 && [...acknowledged.values()].reduce((a, b) => a + b, 0) >= COMMITS_BEFORE_KILL;
    });
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    await backendGone(database, applicationName);

    const outbox = new TypeOrmOutboxStore(database.dataSource);
    const repository = new TypeOrmPaymentRepository(database.dataSource);
    const stored = await repository.findByStatus('PENDING', { limit: 10_000 });
    const all: Payment[] = [...stored];
    for (const status of ['PROCESSING', 'PAID', 'PARTIALLY_REFUNDED'] as const) all.push(...(await repository.findByStatus(status, { limit: 10_000 })));

    // Every acknowledged commit is durable.
    for (const [id, version] of acknowledged) {
      expect(all.find((p) => p.id === id)?.version ?? 0).toBeGreaterThanOrEqual(version);
    }

    // A relay (the crashed process never ran one) publishes everything that was committed, once.
    const publisher = new RecordingEventPublisher();
    await new OutboxRelay(outbox, publisher, { relayId: 'after-crash', clock: new FakeClock(FAR_FUTURE) }).drain();
    expect(new Set(publisher.ids()).size).toBe(publisher.published.length);
    expect(await outbox.countUnpublished()).toBe(0);

    // Each payment is exactly one of the stream's committed states, with exactly its events, in order.
    const byPayment = new Map<string, DomainEvent[]>();
    for (const event of publisher.published) byPayment.set(event.aggregateId, [...(byPayment.get(event.aggregateId) ?? []), event]);
    expect([...byPayment.keys()].sort()).toEqual(all.map((p) => p.id).sort());
    for (const payment of all) {
      const expected = EXPECTED[payment.version];
      expect(expected).toBeDefined();
      expect({ status: payment.status, events: byPayment.get(payment.id)?.map((e) => e.type), attempts: payment.attempts.length, refunds: payment.refunds.length }).toEqual(
        expected,
      );
    }
    expect(all.length).toBeGreaterThanOrEqual(acknowledged.size);
  }, 180_000); // a hang guard only: the test waits for conditions, and a loaded machine may take minutes
});
