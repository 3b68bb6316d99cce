import type { Clock } from '@aegispay/domain';
import { aPendingPayment, FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';
import { OutboxRelay } from '@aegispay/locking';
import { RecordingEventPublisher } from '@aegispay/locking/testing';
import { testDialects } from '../__fixtures__/postgres';
import { TypeOrmIdempotencyStore } from '../idempotency/typeorm-idempotency.store';
import { TypeOrmOutboxStore } from '../outbox/typeorm-outbox.store';
import { TypeOrmPaymentRepository } from '../payment/typeorm-payment.repository';
import { useTestDatabase } from '../testing/test-database';
import { wholeMs } from './epoch-ms';

/** A clock half a millisecond ahead of `base`: what a clock built on `performance.now()` returns. */
function fractionalClock(base: FakeClock): Clock {
  return { now: () => base.now() + 0.5, sleep: (ms, signal) => base.sleep(ms, signal), setTimer: (ms, callback) => base.setTimer(ms, callback) };
}

describe(wholeMs, () => {
  it('should floor instants and round bounds up', () => {
    expect(wholeMs(1_000.5, 'now')).toBe(1_000);
    expect(wholeMs(1_000.5, 'retryAt', 'ceil')).toBe(1_001);
    expect(wholeMs(1_000, 'retryAt', 'ceil')).toBe(1_000);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('should refuse %p with a typed error naming the field', (value) => {
    expect(() => wholeMs(value, 'now')).toThrow(expect.objectContaining({ code: 'PERSISTENCE.INVALID_TIME', field: 'now' }) as Error);
  });
});

describe.each(testDialects('Whole milliseconds'))('a clock with fractional milliseconds on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  let base: FakeClock;
  let clock: Clock;
  beforeEach(async () => {
    await database().reset();
    base = new FakeClock();
    clock = fractionalClock(base);
  });

  async function storedTimes(table: string, columns: readonly string[]): Promise<unknown[]> {
    const qualified = database().connection.schema === undefined ? `"${table}"` : `"${database().connection.schema}"."${table}"`;
    const rows = await database().dataSource.query<Record<string, unknown>[]>(`SELECT ${columns.join(', ')} FROM ${qualified}`);
    return rows.flatMap((row) => columns.map((column) => row[column]));
  }

  function expectWholeNumbers(values: readonly unknown[]): void {
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) if (value !== null) expect(Number.isInteger(Number(value)) && !String(value).includes('.')).toBe(true);
  }

  describe('TypeOrmIdempotencyStore', () => {
    it('should claim, complete and replay a key, storing whole milliseconds', async () => {
      const store = new TypeOrmIdempotencyStore(database().dataSource, { clock, defaultTtlMs: 1_000.25 });

      expect(await store.begin('m', 'k', 'fp')).toEqual({ status: 'STARTED' });
      await store.complete('m', 'k', { ok: true });

      expect(await store.begin('m', 'k', 'fp')).toEqual({ status: 'COMPLETED', response: { ok: true } });
      expectWholeNumbers(await storedTimes('idempotency_keys', ['created_at', 'expires_at', 'completed_at']));
      await base.advance(1_001);
      expect(await store.begin('m', 'k', 'fp')).toEqual({ status: 'STARTED' });
    });
  });

  describe('TypeOrmPaymentRepository', () => {
    it('should stamp outbox rows in whole milliseconds and find payments updated before a fractional instant', async () => {
      const repository = new TypeOrmPaymentRepository(database().dataSource, { clock });
      const payment = await repository.insert(aPendingPayment({}, { ...testPaymentDependencies(), clock: base }));
      const updatedAt = payment.updatedAt.getTime();

      expectWholeNumbers(await storedTimes('outbox_messages', ['created_at', 'available_at']));
      expect((await repository.findByStatus('PENDING', { updatedBefore: updatedAt + 0.5 })).map((p) => p.id)).toEqual([payment.id]);
      expect(await repository.findByStatus('PENDING', { updatedBefore: updatedAt })).toEqual([]);
    });
  });

  describe('TypeOrmOutboxStore with an OutboxRelay', () => {
    it('should record failures with a jittered backoff and publish after it', async () => {
      await new TypeOrmPaymentRepository(database().dataSource, { clock: base }).insert(aPendingPayment({}, testPaymentDependencies()));
      const publisher = new RecordingEventPublisher().failWhen(() => true);
      const relay = new OutboxRelay(new TypeOrmOutboxStore(database().dataSource), publisher, {
        clock,
        random: { next: () => 0.3 },
        retry: { initialBackoffMs: 1_000, jitterFactor: 0.2 },
        leaseMs: 30_000.5,
      });

      expect(await relay.runOnce()).toMatchObject({ failed: 1 });
      expectWholeNumbers(await storedTimes('outbox_messages', ['available_at', 'claimed_until']));
      publisher.recover();
      // The backoff is 920 ms from a clock 0.5 ms past the fake one: due at +921 ms, not before.
      await base.advance(920);
      expect(await relay.drain()).toBe(0);
      await base.advance(1);
      expect(await relay.drain()).toBe(1);
      expectWholeNumbers(await storedTimes('outbox_messages', ['published_at']));
    });
  });
});
