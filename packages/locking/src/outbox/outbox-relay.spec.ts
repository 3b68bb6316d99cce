import { EventPublisherUnavailableError, type DomainEvent } from '@aegispay/domain';
import { aPendingPayment, FakeClock, SeededRandom, testPaymentDependencies } from '@aegispay/domain/testing';
import { InMemoryOutboxStore } from '../memory/in-memory-outbox.store';
import { InMemoryPaymentRepository } from '../memory/in-memory-payment.repository';
import { RecordingEventPublisher } from '../testing/recording-event-publisher';
import { OutboxRelay } from './outbox-relay';

describe(OutboxRelay, () => {
  let clock: FakeClock;
  let outbox: InMemoryOutboxStore;
  let repository: InMemoryPaymentRepository;
  let publisher: RecordingEventPublisher;
  const deps = testPaymentDependencies();

  beforeEach(() => {
    clock = new FakeClock();
    outbox = new InMemoryOutboxStore({ clock });
    repository = new InMemoryPaymentRepository({ outbox });
    publisher = new RecordingEventPublisher();
  });

  async function storePayments(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) await repository.insert(aPendingPayment({}, deps));
  }

  /** One payment with three events in the outbox: created, processing, action required. */
  async function storeThreeEventPayment(): Promise<void> {
    const payment = await repository.insert(aPendingPayment({}, deps));
    payment.startProcessing();
    payment.requireAction('3ds');
    await repository.updateWithVersion(payment.id, payment, payment.version);
  }

  describe('.start', () => {
    it('should publish at once, keep going while batches are full, then poll at the interval', async () => {
      await storePayments(5);
      const relay = new OutboxRelay(outbox, publisher, { batchSize: 2, pollIntervalMs: 1_000, clock, relayId: 'r' });

      relay.start();
      await clock.advance(0);

      expect(publisher.published).toHaveLength(5);
      expect(relay.getStats()).toMatchObject({ batches: 3, published: 5 });
      await storePayments(1);
      await clock.advance(999);
      expect(publisher.published).toHaveLength(5);
      await clock.advance(1);
      expect(publisher.published).toHaveLength(6);
      await relay.stop();
    });

    it('should do nothing before start and be idempotent', async () => {
      await storePayments(1);
      const relay = new OutboxRelay(outbox, publisher, { clock });

      await clock.advance(10_000);
      expect(publisher.published).toHaveLength(0);
      relay.start();
      relay.start();
      await clock.advance(0);

      expect(publisher.calls).toBe(1);
      expect(relay.isRunning).toBe(true);
      await relay.stop();
    });
  });

  describe('.start after a .stop that has not finished yet', () => {
    it('should keep one polling loop, and leave no timer once stopped', async () => {
      await storePayments(1);
      let finishPublish: () => void = () => undefined;
      const slowPublisher = { publish: () => new Promise<void>((resolve) => (finishPublish = resolve)) };
      const relay = new OutboxRelay(outbox, slowPublisher, { pollIntervalMs: 100, clock });
      relay.start();
      await clock.advance(0);

      const stopping = relay.stop();
      relay.start();
      finishPublish();
      await stopping;
      await clock.advance(0);

      expect(clock.pendingTimers()).toBe(1);
      await relay.stop();
      expect(clock.pendingTimers()).toBe(0);
    });
  });

  describe('.stop', () => {
    it('should stop polling and leave no timer behind', async () => {
      const relay = new OutboxRelay(outbox, publisher, { pollIntervalMs: 100, clock });
      relay.start();
      await clock.advance(0);

      await relay.stop();
      await storePayments(1);
      await clock.advance(10_000);

      expect(relay.isRunning).toBe(false);
      expect(publisher.published).toHaveLength(0);
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should wait for the batch in flight', async () => {
      await storePayments(1);
      let finishPublish: () => void = () => undefined;
      const slowPublisher = { publish: () => new Promise<void>((resolve) => (finishPublish = resolve)) };
      const relay = new OutboxRelay(outbox, slowPublisher, { clock });
      relay.start();
      await clock.advance(0);

      let stopped = false;
      const stopping = relay.stop().then(() => (stopped = true));
      await clock.advance(0);
      expect(stopped).toBe(false);
      finishPublish();
      await stopping;

      expect(await outbox.countUnpublished()).toBe(0);
    });
  });

  describe('when the store fails', () => {
    it('should report the error, back off and try again', async () => {
      jest.spyOn(outbox, 'claim').mockRejectedValueOnce(new Error('database is locked'));
      await storePayments(1);
      const errors: unknown[] = [];
      const relay = new OutboxRelay(outbox, publisher, { errorBackoffMs: 5_000, clock, onError: (e) => errors.push(e) });

      relay.start();
      await clock.advance(0);
      expect(errors).toEqual([new Error('database is locked')]);
      expect(relay.getStats().storeErrors).toBe(1);
      await clock.advance(5_000);

      expect(publisher.published).toHaveLength(1);
      await relay.stop();
    });
  });

  describe('when an observer throws', () => {
    it('should keep polling after a throwing onError', async () => {
      jest.spyOn(outbox, 'claim').mockRejectedValueOnce(new Error('database is locked'));
      await storePayments(1);
      const relay = new OutboxRelay(outbox, publisher, {
        errorBackoffMs: 5_000,
        clock,
        onError: () => {
          throw new Error('the logger is broken');
        },
      });

      relay.start();
      await clock.advance(0);
      await clock.advance(5_000);

      expect(publisher.published).toHaveLength(1);
      await expect(relay.stop()).resolves.toBeUndefined();
    });

    it('should still mark a batch published when onPublished or onPublishFailed throws, and report what they threw to onError', async () => {
      await storePayments(2);
      const [, second] = outbox.allEvents();
      publisher.failWhen((event) => event.id === second?.id);
      const reported: unknown[] = [];
      const relay = new OutboxRelay(outbox, publisher, {
        clock,
        random: new SeededRandom(1),
        onPublished: () => {
          throw new Error('metrics down (published)');
        },
        onPublishFailed: () => {
          throw new Error('metrics down (failed)');
        },
        onError: (error) => reported.push(error),
      });

      const result = await relay.runOnce();

      expect(result).toMatchObject({ claimed: 2, published: 1, failed: 1 });
      expect(await outbox.countUnpublished()).toBe(1);
      expect(reported).toEqual([new Error('metrics down (failed)'), new Error('metrics down (published)')]);
      expect(relay.getStats().storeErrors).toBe(0);
    });
  });

  describe('.runOnce', () => {
    describe('when a publish fails with a jittered backoff', () => {
      it('should hand the store a retry time in whole milliseconds, never before the backoff ends', async () => {
        await storePayments(1);
        publisher.failWhen(() => true);
        const markFailed = jest.spyOn(outbox, 'markFailed');
        const failures: number[] = [];
        const relay = new OutboxRelay(outbox, publisher, {
          clock,
          random: { next: () => 0.123_456_789 },
          retry: { initialBackoffMs: 1_000, jitterFactor: 0.2 },
          onPublishFailed: (failure) => failures.push(failure.retryAt),
        });
        const now = clock.now();

        await relay.runOnce();

        const retryAt = markFailed.mock.calls[0]?.[2].retryAt;
        // 1 000 × (1 + 0.2 × (2 × 0.123456789 − 1)) = 849.38… ms
        expect(retryAt).toBe(now + 850);
        expect(failures).toEqual([now + 850]);
      });
    });

    describe('when a batch of one aggregate fails part-way', () => {
      it('should publish the events before the failing one and hold the ones after it', async () => {
        const payment = await repository.insert(aPendingPayment({}, deps));
        payment.startProcessing();
        payment.requireAction('3ds');
        await repository.updateWithVersion(payment.id, payment, payment.version);
        publisher.failWhen((event) => event.type === 'PaymentProcessingStarted');
        const failures: unknown[] = [];
        const relay = new OutboxRelay(outbox, publisher, { clock, random: new SeededRandom(1), onPublishFailed: (f) => failures.push(f.message.event.type) });

        const result = await relay.runOnce();

        expect(result).toEqual({ claimed: 3, published: 1, failed: 1, deadLettered: 0, lostClaims: 0, held: 0 });
        expect(publisher.published.map((e) => e.type)).toEqual(['PaymentCreated']);
        expect(failures).toEqual(['PaymentProcessingStarted']);
        expect(await outbox.countUnpublished()).toBe(2);
      });
    });

    describe('when the claim expired and another relay took over', () => {
      it('should count the lost claims', async () => {
        await storePayments(1);
        const other = new OutboxRelay(outbox, publisher, { clock, relayId: 'fast' });
        const slow = {
          publish: async () => {
            await clock.advance(61_000);
            await other.runOnce();
          },
        };
        const relay = new OutboxRelay(outbox, slow, { clock, relayId: 'slow' });

        const result = await relay.runOnce();

        expect(result.lostClaims).toBe(1);
        expect(publisher.published).toHaveLength(1);
      });
    });
  });

  describe('when the publisher is unavailable (its broker is down)', () => {
    it('should keep every message without charging an attempt, report the outage once, and publish them all once it is back', async () => {
      await storePayments(3);
      publisher.becomeUnavailable();
      const errors: unknown[] = [];
      const relay = new OutboxRelay(outbox, publisher, { maxAttempts: 2, errorBackoffMs: 5_000, pollIntervalMs: 100, clock, onError: (e) => errors.push(e) });

      relay.start();
      for (let poll = 0; poll < 4; poll += 1) await clock.advance(poll === 0 ? 0 : 5_000);

      expect(publisher.published).toHaveLength(0);
      expect(await outbox.countUnpublished()).toBe(3);
      expect(await outbox.listDeadLetters()).toEqual([]);
      expect(relay.getStats()).toMatchObject({ batches: 4, published: 0, failedAttempts: 0, held: 12, publisherUnavailable: 4, storeErrors: 0 });
      expect(errors).toEqual([expect.objectContaining({ code: 'EVENTS.PUBLISHER_UNAVAILABLE' })]);

      publisher.recover();
      await clock.advance(4_999);
      expect(publisher.published).toHaveLength(0);
      await clock.advance(1);

      expect(publisher.ids()).toEqual(outbox.allEvents().map((event) => event.id));
      expect(await outbox.countUnpublished()).toBe(0);
      await relay.stop();
    });

    it('should hold the whole batch when a call is refused part-way, and publish it again in order (the broker de-duplicates what it had stored)', async () => {
      await storeThreeEventPayment();
      await storePayments(1);
      publisher.becomeUnavailable(1);
      const relay = new OutboxRelay(outbox, publisher, { clock });

      const result = await relay.runOnce();

      expect(result).toEqual({ claimed: 4, published: 0, failed: 0, deadLettered: 0, lostClaims: 0, held: 4 });
      expect(await outbox.countUnpublished()).toBe(4);
      publisher.recover();
      await relay.drain();
      const [first] = outbox.allEvents();
      expect(publisher.ids()).toEqual([first?.id, ...outbox.allEvents().map((event) => event.id)]);
    });

    it('should mark the events published one by one before the outage and hold the rest of the batch', async () => {
      await storeThreeEventPayment();
      await storePayments(1);
      let calls = 0;
      const failing = {
        publish: async (events: readonly DomainEvent[]): Promise<void> => {
          calls += 1;
          // The run is refused for a reason of its own, then the broker goes away after one event.
          if (calls === 1) throw new Error('broker rejected the batch');
          if (calls === 2) return publisher.publish(events);
          throw new EventPublisherUnavailableError('the broker', 'connection lost');
        },
      };

      const result = await new OutboxRelay(outbox, failing, { clock, relayId: 'first' }).runOnce();

      expect(result).toEqual({ claimed: 4, published: 1, failed: 0, deadLettered: 0, lostClaims: 0, held: 3 });
      expect(await outbox.countUnpublished()).toBe(3);
      await new OutboxRelay(outbox, publisher, { clock, relayId: 'second' }).drain();
      expect(publisher.published.map((event) => event.type)).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentActionRequired', 'PaymentCreated']);
      expect(publisher.ids()).toEqual(outbox.allEvents().map((event) => event.id));
    });

    it('should end a drain instead of claiming the held messages again', async () => {
      await storePayments(2);
      publisher.becomeUnavailable();
      const relay = new OutboxRelay(outbox, publisher, { clock });

      await expect(relay.drain()).resolves.toBe(0);
      expect(relay.getStats()).toMatchObject({ batches: 1, held: 2 });
    });
  });

  describe('constructor', () => {
    it('should refuse invalid options', () => {
      expect(() => new OutboxRelay(outbox, publisher, { batchSize: 0 })).toThrow(/batchSize/);
      expect(() => new OutboxRelay(outbox, publisher, { leaseMs: -1 })).toThrow(/leaseMs/);
      expect(() => new OutboxRelay(outbox, publisher, { leaseMs: 0 })).toThrow(expect.objectContaining({ code: 'LOCKING.INVALID_OPTION', field: 'leaseMs' }) as Error);
      expect(() => new OutboxRelay(outbox, publisher, { maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    });
  });
});
