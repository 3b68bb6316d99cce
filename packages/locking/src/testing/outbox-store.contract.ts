/// <reference types="jest" />
import { type OutboxMessage, type Payment } from '@aegispay/domain';
import { aPendingPayment, SeededRandom, testPaymentDependencies } from '@aegispay/domain/testing';
import { OutboxRelay } from '../outbox/outbox-relay';
import type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';
import { RecordingEventPublisher } from './recording-event-publisher';

const LEASE_MS = 30_000;

/**
 * The contract of `OutboxStore`: exclusive claims with leases, per-aggregate order (a head that is
 * claimed, waiting or parked blocks its aggregate), failures with retry times, dead letters and
 * re-drive; and an `OutboxRelay` draining it exactly once in order.
 */
export function outboxStoreContract(name: string, createFixture: PersistenceFixtureFactory): void {
  describe(`OutboxStore contract: ${name}`, () => {
    let fixture: PersistenceFixture;
    let deps: ReturnType<typeof testPaymentDependencies>;

    beforeEach(async () => {
      fixture = await createFixture();
      deps = testPaymentDependencies();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    /** Stores a payment that records `events` events (1 to 3), returns it. */
    async function paymentWithEvents(events: 1 | 2 | 3): Promise<Payment> {
      const payment = await fixture.repository.insert(aPendingPayment({}, deps));
      if (events >= 2) payment.startProcessing();
      if (events >= 3) payment.requireAction('3ds');
      if (events >= 2) await fixture.repository.updateWithVersion(payment.id, payment, payment.version);
      return payment;
    }

    function claim(owner: string, limit = 100, now = fixture.clock.now()): Promise<readonly OutboxMessage[]> {
      return fixture.outbox.claim({ owner, limit, now, leaseUntil: now + LEASE_MS });
    }

    describe('.claim', () => {
      it('should return messages oldest first, each aggregate in order', async () => {
        const a = await paymentWithEvents(3);
        const b = await paymentWithEvents(2);

        const messages = await claim('relay-1');

        expect(messages.map((m) => [m.event.aggregateId, m.event.type])).toEqual([
          [a.id, 'PaymentCreated'],
          [a.id, 'PaymentProcessingStarted'],
          [a.id, 'PaymentActionRequired'],
          [b.id, 'PaymentCreated'],
          [b.id, 'PaymentProcessingStarted'],
        ]);
        expect(messages.map((m) => m.attempts)).toEqual([0, 0, 0, 0, 0]);
        const sequences = messages.map((m) => m.sequence);
        expect([...sequences].sort((x, y) => x - y)).toEqual(sequences);
      });

      it('should respect the limit with a contiguous run per aggregate', async () => {
        const a = await paymentWithEvents(3);
        await paymentWithEvents(1);

        const first = await claim('relay-1', 2);
        const second = await claim('relay-2', 10);

        expect(first.map((m) => m.event.type)).toEqual(['PaymentCreated', 'PaymentProcessingStarted']);
        expect(first.every((m) => m.event.aggregateId === a.id)).toBe(true);
        // a's third event waits behind its claimed head; the other aggregate is free.
        expect(second.map((m) => m.event.aggregateId)).not.toContain(a.id);
        expect(second).toHaveLength(1);
      });

      describe('when another relay holds the claim', () => {
        it('should give nothing of that aggregate until the lease expires', async () => {
          await paymentWithEvents(2);
          const first = await claim('relay-1');

          expect(await claim('relay-2')).toEqual([]);
          const afterLease = await claim('relay-2', 100, fixture.clock.now() + LEASE_MS);

          expect(afterLease.map((m) => m.sequence)).toEqual(first.map((m) => m.sequence));
        });
      });
    });

    describe('.markPublished', () => {
      it('should mark only messages the owner still holds and never hand them out again', async () => {
        await paymentWithEvents(2);
        const messages = await claim('relay-1');

        expect(await fixture.outbox.markPublished('relay-2', messages.map((m) => m.sequence), fixture.clock.now())).toBe(0);
        expect(await fixture.outbox.markPublished('relay-1', messages.map((m) => m.sequence), fixture.clock.now())).toBe(2);

        expect(await claim('relay-1', 100, fixture.clock.now() + 10 * LEASE_MS)).toEqual([]);
        expect(await fixture.outbox.countUnpublished()).toBe(0);
      });
    });

    describe('.markFailed', () => {
      it('should count the attempt and hold the aggregate until the retry time', async () => {
        const a = await paymentWithEvents(2);
        const [head, follower] = await claim('relay-1');
        const now = fixture.clock.now();
        await fixture.outbox.markFailed('relay-1', head?.sequence ?? -1, { error: 'broker down', retryAt: now + 5_000, deadLetter: false, now });
        await fixture.outbox.release('relay-1', [follower?.sequence ?? -1]);

        expect(await claim('relay-2', 100, now + 4_999)).toEqual([]);
        const retried = await claim('relay-2', 100, now + 5_000);

        expect(retried.map((m) => [m.event.aggregateId, m.attempts])).toEqual([
          [a.id, 1],
          [a.id, 0],
        ]);
      });
    });

    describe('.release', () => {
      it('should let another relay claim at once', async () => {
        await paymentWithEvents(1);
        const messages = await claim('relay-1');

        await fixture.outbox.release('relay-1', messages.map((m) => m.sequence));

        expect(await claim('relay-2')).toHaveLength(1);
      });
    });

    describe('.listDeadLetters and .redrive', () => {
      it('should park a message, block its aggregate, list it, and put it back in line', async () => {
        const a = await paymentWithEvents(2);
        const b = await paymentWithEvents(1);
        const [head] = await claim('relay-1', 1);
        const now = fixture.clock.now();
        await fixture.outbox.markFailed('relay-1', head?.sequence ?? -1, { error: 'poison', retryAt: now, deadLetter: true, now });

        const dead = await fixture.outbox.listDeadLetters();
        const meanwhile = await claim('relay-2', 100, now + LEASE_MS);

        expect(dead).toEqual([{ sequence: head?.sequence, event: head?.event, attempts: 1, lastError: 'poison', deadLetteredAt: now }]);
        expect(meanwhile.map((m) => m.event.aggregateId)).toEqual([b.id]);
        await fixture.outbox.release('relay-2', meanwhile.map((m) => m.sequence));

        expect(await fixture.outbox.redrive('ALL', now)).toBe(1);
        expect(await fixture.outbox.listDeadLetters()).toEqual([]);
        const again = await claim('relay-3', 100, now);
        expect(again.map((m) => [m.event.aggregateId, m.attempts])).toEqual([
          [a.id, 0],
          [a.id, 0],
          [b.id, 0],
        ]);
      });

      it('should re-drive only the sequences given', async () => {
        await paymentWithEvents(1);
        await paymentWithEvents(1);
        const [first, second] = await claim('relay-1');
        const now = fixture.clock.now();
        for (const message of [first, second]) {
          await fixture.outbox.markFailed('relay-1', message?.sequence ?? -1, { error: 'x', retryAt: now, deadLetter: true, now });
        }

        expect(await fixture.outbox.redrive([second?.sequence ?? -1], now)).toBe(1);

        expect((await fixture.outbox.listDeadLetters()).map((d) => d.sequence)).toEqual([first?.sequence]);
      });
    });

    describe('.purgePublished', () => {
      it('should delete published messages up to the cutoff, oldest publication first and at most limit, and never one not yet published', async () => {
        const early = await paymentWithEvents(2);
        const late = await paymentWithEvents(1);
        const parked = await paymentWithEvents(1);
        const waiting = await paymentWithEvents(2);
        const messages = await claim('relay-1');
        const of = (payment: Payment): number[] => messages.filter((m) => m.event.aggregateId === payment.id).map((m) => m.sequence);
        const t0 = fixture.clock.now();
        await fixture.outbox.markPublished('relay-1', of(early), t0);
        await fixture.outbox.markPublished('relay-1', of(late), t0 + 1_000);
        await fixture.outbox.markFailed('relay-1', of(parked)[0] ?? -1, { error: 'poison', retryAt: t0, deadLetter: true, now: t0 });
        await fixture.outbox.release('relay-1', of(waiting));

        expect(await fixture.outbox.purgePublished(t0 + 999, 1)).toBe(1);
        expect(await fixture.outbox.purgePublished(t0 + 999, 10)).toBe(1);
        expect(await fixture.outbox.purgePublished(t0 + 999, 10)).toBe(0);
        expect(await fixture.outbox.purgePublished(t0 + 1_000, 10)).toBe(1);
        expect(await fixture.outbox.purgePublished(t0 + 100_000, 10)).toBe(0);

        expect(await fixture.outbox.countUnpublished()).toBe(3);
        expect((await fixture.outbox.listDeadLetters()).map((d) => d.event.aggregateId)).toEqual([parked.id]);
        const rest = await claim('relay-2', 100, t0 + LEASE_MS);
        expect(rest.map((m) => [m.event.aggregateId, m.event.type])).toEqual([
          [waiting.id, 'PaymentCreated'],
          [waiting.id, 'PaymentProcessingStarted'],
        ]);
      });

      it('should let an aggregate whose published head was purged go on in order', async () => {
        const payment = await paymentWithEvents(1);
        const [head] = await claim('relay-1');
        await fixture.outbox.markPublished('relay-1', [head?.sequence ?? -1], fixture.clock.now());
        payment.startProcessing();
        await fixture.repository.updateWithVersion(payment.id, payment, payment.version);

        expect(await fixture.outbox.purgePublished(fixture.clock.now(), 100)).toBe(1);

        expect((await claim('relay-2')).map((m) => m.event.type)).toEqual(['PaymentProcessingStarted']);
      });

      it('should delete nothing with a limit of 0', async () => {
        await paymentWithEvents(1);
        const messages = await claim('relay-1');
        await fixture.outbox.markPublished('relay-1', messages.map((m) => m.sequence), fixture.clock.now());

        expect(await fixture.outbox.purgePublished(fixture.clock.now(), 0)).toBe(0);
        expect(await fixture.outbox.purgePublished(fixture.clock.now(), 10)).toBe(1);
      });
    });

    describe('with an OutboxRelay', () => {
      it('should publish everything exactly once, in order per payment', async () => {
        const payments = [await paymentWithEvents(3), await paymentWithEvents(1), await paymentWithEvents(2)];
        const publisher = new RecordingEventPublisher();
        const relay = new OutboxRelay(fixture.outbox, publisher, { batchSize: 2, clock: fixture.clock, random: new SeededRandom(1), relayId: 'r1' });

        const published = await relay.drain();

        expect(published).toBe(6);
        expect(new Set(publisher.ids()).size).toBe(6);
        for (const payment of payments) {
          const types = publisher.published.filter((e) => e.aggregateId === payment.id).map((e) => e.type);
          expect(types).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentActionRequired'].slice(0, types.length));
        }
        expect(await fixture.outbox.countUnpublished()).toBe(0);
      });

      it('should keep a payment in order when marking fails after a later event used its last attempt', async () => {
        const payment = await paymentWithEvents(3);
        const publisher = new RecordingEventPublisher().failWhen((e) => e.type === 'PaymentProcessingStarted');
        const relay = new OutboxRelay(fixture.outbox, publisher, { maxAttempts: 1, leaseMs: LEASE_MS, clock: fixture.clock, random: new SeededRandom(1), relayId: 'r1' });
        jest.spyOn(fixture.outbox, 'markPublished').mockRejectedValueOnce(new Error('connection lost'));

        await expect(relay.runOnce()).rejects.toThrow('connection lost');
        publisher.recover();
        await fixture.clock.advance(LEASE_MS);
        await relay.drain();

        expect(publisher.published.filter((e) => e.aggregateId === payment.id).map((e) => e.type)).toEqual([
          'PaymentCreated',
          'PaymentCreated',
          'PaymentProcessingStarted',
          'PaymentActionRequired',
        ]);
        expect(await fixture.outbox.listDeadLetters()).toEqual([]);
      });

      it('should retry a failing event with backoff and park it after maxAttempts', async () => {
        const poisoned = await paymentWithEvents(2);
        const healthy = await paymentWithEvents(1);
        const publisher = new RecordingEventPublisher().failWhen((e) => e.aggregateId === poisoned.id && e.type === 'PaymentProcessingStarted');
        const relay = new OutboxRelay(fixture.outbox, publisher, {
          maxAttempts: 3,
          retry: { initialBackoffMs: 1_000, jitterFactor: 0 },
          clock: fixture.clock,
          random: new SeededRandom(1),
          relayId: 'r1',
        });

        const first = await relay.runOnce();
        await fixture.clock.advance(999);
        const tooEarly = await relay.runOnce();
        await fixture.clock.advance(1);
        const second = await relay.runOnce();
        await fixture.clock.advance(2_000);
        const third = await relay.runOnce();

        expect(first).toMatchObject({ claimed: 3, published: 2, failed: 1, deadLettered: 0 });
        expect(tooEarly.claimed).toBe(0);
        expect(second).toMatchObject({ claimed: 1, published: 0, failed: 1, deadLettered: 0 });
        expect(third).toMatchObject({ claimed: 1, published: 0, failed: 1, deadLettered: 1 });
        expect(publisher.published.map((e) => [e.aggregateId, e.type])).toEqual([
          [poisoned.id, 'PaymentCreated'],
          [healthy.id, 'PaymentCreated'],
        ]);
        const [dead] = await fixture.outbox.listDeadLetters();
        expect(dead).toMatchObject({ attempts: 3, lastError: expect.stringContaining('broker rejected') });

        publisher.recover();
        await fixture.outbox.redrive('ALL', fixture.clock.now());
        expect(await relay.drain()).toBe(1);
        expect(await fixture.outbox.countUnpublished()).toBe(0);
      });
    });
  });
}
