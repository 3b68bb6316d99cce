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

        expect(result).toEqual({ claimed: 3, published: 1, failed: 1, deadLettered: 0, lostClaims: 0 });
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

  describe('constructor', () => {
    it('should refuse invalid options', () => {
      expect(() => new OutboxRelay(outbox, publisher, { batchSize: 0 })).toThrow(/batchSize/);
      expect(() => new OutboxRelay(outbox, publisher, { leaseMs: -1 })).toThrow(/leaseMs/);
      expect(() => new OutboxRelay(outbox, publisher, { leaseMs: 0 })).toThrow(expect.objectContaining({ code: 'LOCKING.INVALID_OPTION', field: 'leaseMs' }) as Error);
      expect(() => new OutboxRelay(outbox, publisher, { maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    });
  });
});
