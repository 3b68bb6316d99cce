import { EventPublisherUnavailableError, type DomainEvent } from '@aegispay/domain';
import { aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import { InMemoryOutboxStore, InMemoryPaymentRepository, OutboxRelay } from '@aegispay/locking';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describeWithNats, readStream, waitFor } from '../__fixtures__/nats-harness';
import { startNatsServer, type NatsServer } from '../testing';
import { JetStreamEventPublisher } from './jetstream-event-publisher';
import type { JetStreamEventPublisherOptions } from './jetstream-event-publisher.options';

function anEvent(n: number, overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    id: `evt_${n}`,
    type: 'PaymentCreated',
    aggregateType: 'Payment',
    aggregateId: `pay_${n}`,
    occurredAt: '2026-01-01T00:00:00.000Z',
    payload: { merchantId: 'merchant_42', amount: 1000 + n, currency: 'EUR' },
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describeWithNats(JetStreamEventPublisher, () => {
  let server: NatsServer;
  const publishers: JetStreamEventPublisher[] = [];
  let streamNumber = 0;

  /** A publisher on its own stream and prefix, closed after the test. */
  function aPublisher(options: Partial<JetStreamEventPublisherOptions> = {}): JetStreamEventPublisher {
    streamNumber += 1;
    const publisher = new JetStreamEventPublisher({
      servers: server.url,
      stream: { name: `EVENTS_${streamNumber}` },
      subjectPrefix: `test${streamNumber}.events`,
      reconnectWaitMs: 50,
      connectTimeoutMs: 2_000,
      ackTimeoutMs: 2_000,
      ...options,
    });
    publishers.push(publisher);
    return publisher;
  }

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterEach(async () => {
    await Promise.all(publishers.splice(0).map((publisher) => publisher.close()));
  });
  afterAll(async () => {
    await server.dispose();
  });

  describe('.publish', () => {
    it('should store each event once its subject is by merchant and type, with its id as the message id and the event as the body', async () => {
      const publisher = aPublisher();
      const events = [anEvent(1), anEvent(2, { type: 'PaymentSucceeded', payload: { merchantId: 'shop.de', gateway: 'STRIPE' } })];

      await publisher.publish(events);

      const stored = await readStream(server.url, publisher.stream);
      expect(stored.map(({ subject, msgId, event }) => ({ subject, msgId, event }))).toEqual([
        { subject: `${publisher.subjects.prefix}.merchant_42.PaymentCreated`, msgId: 'evt_1', event: events[0] },
        { subject: `${publisher.subjects.prefix}.shop%2Ede.PaymentSucceeded`, msgId: 'evt_2', event: events[1] },
      ]);
      expect(publisher.status()).toMatchObject({ state: 'connected', streamReady: true, published: 2, duplicates: 0, lastError: null });
    });

    it('should let the server drop an event published again under the same id', async () => {
      const publisher = aPublisher();

      await publisher.publish([anEvent(1), anEvent(2)]);
      await publisher.publish([anEvent(2), anEvent(3)]);

      expect((await readStream(server.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(['evt_1', 'evt_2', 'evt_3']);
      expect(publisher.status()).toMatchObject({ published: 3, duplicates: 1 });
    });

    it('should ask merchantOf for the merchant of an event whose payload names none, and refuse one whose merchant stays unknown', async () => {
      const publisher = aPublisher({ merchantOf: (event) => (event.aggregateId === 'pay_1' ? 'merchant_7' : undefined) });

      await publisher.publish([anEvent(1, { payload: {} })]);
      const error = await rejection(publisher.publish([anEvent(2, { payload: {} })]));

      expect((await readStream(server.url, publisher.stream)).map((stored) => stored.subject)).toEqual([`${publisher.subjects.prefix}.merchant_7.PaymentCreated`]);
      expect(error).toMatchObject({ code: 'NATS.MERCHANT_UNKNOWN', eventId: 'evt_2' });
    });

    it('should refuse an event larger than the server takes with NatsPublishRefusedError, charged to that event', async () => {
      const publisher = aPublisher();

      const error = await rejection(publisher.publish([anEvent(1, { payload: { merchantId: 'm', blob: 'x'.repeat(2_000_000) } })]));

      expect(error).toMatchObject({ code: 'NATS.PUBLISH_REFUSED', eventId: 'evt_1' });
      expect(EventPublisherUnavailableError.is(error)).toBe(false);
    });

    it('should refuse to publish once closed, as unavailable', async () => {
      const publisher = aPublisher();
      await publisher.publish([anEvent(1)]);

      await publisher.close();

      expect(await rejection(publisher.publish([anEvent(2)]))).toMatchObject({ code: 'EVENTS.PUBLISHER_UNAVAILABLE' });
      expect(publisher.status().state).toBe('closed');
    });
  });

  describe('the stream', () => {
    it('should be created on connect with the documented configuration', async () => {
      const publisher = aPublisher({ stream: { name: 'EVENTS_CONFIG', duplicateWindowMs: 60_000, maxAgeMs: 86_400_000 } });

      await publisher.connect();

      const connection = await connect({ servers: server.url });
      const { config } = await (await jetstreamManager(connection)).streams.info('EVENTS_CONFIG');
      await connection.close();
      expect(config).toMatchObject({
        name: 'EVENTS_CONFIG',
        subjects: [`${publisher.subjects.prefix}.>`],
        storage: 'file',
        retention: 'limits',
        discard: 'old',
        duplicate_window: 60_000_000_000,
        max_age: 86_400_000_000_000,
        max_bytes: -1,
        num_replicas: 1,
      });
    });

    it('should be brought up to date by a publisher with other limits, and conflict on storage', async () => {
      const first = aPublisher({ stream: { name: 'EVENTS_SHARED' }, subjectPrefix: 'shared.events' });
      const second = aPublisher({ stream: { name: 'EVENTS_SHARED', duplicateWindowMs: 600_000 }, subjectPrefix: 'shared.events' });
      const third = aPublisher({ stream: { name: 'EVENTS_SHARED', storage: 'memory' }, subjectPrefix: 'shared.events' });

      await first.publish([anEvent(1)]);
      await second.publish([anEvent(2)]);
      const conflict = await rejection(third.publish([anEvent(3)]));

      expect(conflict).toMatchObject({ code: 'EVENTS.PUBLISHER_UNAVAILABLE', cause: expect.objectContaining({ code: 'NATS.STREAM_CONFLICT', setting: 'storage' }) as unknown });
      expect(third.status().lastError).toMatch(/storage/);
      expect((await readStream(server.url, 'EVENTS_SHARED')).map((stored) => stored.msgId)).toEqual(['evt_1', 'evt_2']);
      const connection = await connect({ servers: server.url });
      const { config } = await (await jetstreamManager(connection)).streams.info('EVENTS_SHARED');
      await connection.close();
      expect(config.duplicate_window).toBe(600_000_000_000);
    });

    it('should be made again when it disappears, with the event that found it missing held as unavailable', async () => {
      const publisher = aPublisher();
      await publisher.publish([anEvent(1)]);
      const connection = await connect({ servers: server.url });
      await (await jetstreamManager(connection)).streams.delete(publisher.stream);
      await connection.close();

      const error = await rejection(publisher.publish([anEvent(2)]));
      await publisher.publish([anEvent(2)]);

      expect(error).toMatchObject({ code: 'EVENTS.PUBLISHER_UNAVAILABLE' });
      expect((await readStream(server.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(['evt_2']);
    });
  });

  describe('when the broker is away', () => {
    it('should reject at once as unavailable when nothing listens, and connect on a later publish once the server is up', async () => {
      const later = await startNatsServer();
      const port = later.port;
      await later.stop();
      const publisher = aPublisher({ servers: `nats://127.0.0.1:${port}` });
      try {
        publisher.start();
        const error = await rejection(publisher.publish([anEvent(1)]));
        expect(error).toMatchObject({ code: 'EVENTS.PUBLISHER_UNAVAILABLE' });
        expect(error.message).toContain(`NATS JetStream at nats://127.0.0.1:${port} is unavailable`);

        await later.restart();
        await publisher.publish([anEvent(1)]);

        expect((await readStream(later.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(['evt_1']);
      } finally {
        await later.dispose();
      }
    });

    it('should report the lost connection, hold publishing as unavailable, and publish again after the server restarted', async () => {
      const own = await startNatsServer();
      const states: string[] = [];
      const publisher = aPublisher({ servers: own.url, onStateChange: (state) => states.push(state) });
      try {
        await publisher.publish([anEvent(1)]);

        await own.stop('SIGKILL');
        await waitFor('the publisher to see the connection lost', () => publisher.status().state === 'reconnecting');
        const error = await rejection(publisher.publish([anEvent(2)]));
        await own.restart();
        await waitFor('the publisher to reconnect', () => publisher.status().state === 'connected');
        await publisher.publish([anEvent(2)]);

        expect(error).toMatchObject({ code: 'EVENTS.PUBLISHER_UNAVAILABLE' });
        expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
        expect((await readStream(own.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(['evt_1', 'evt_2']);
      } finally {
        await own.dispose();
      }
    });
  });

  describe('when the broker was killed after storing an event', () => {
    it('should still drop the event published again after the restart (the duplicate window outlives the server)', async () => {
      const own = await startNatsServer();
      const publisher = aPublisher({ servers: own.url });
      try {
        await publisher.publish([anEvent(1)]);

        await own.stop('SIGKILL');
        await own.restart();
        await waitFor('the publisher to reconnect', () => publisher.status().state === 'connected');
        await publisher.publish([anEvent(1), anEvent(2)]);

        expect(publisher.status()).toMatchObject({ published: 2, duplicates: 1 });
        expect((await readStream(own.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(['evt_1', 'evt_2']);
      } finally {
        await own.dispose();
      }
    });
  });

  describe('under an OutboxRelay', () => {
    it('should have the relay mark events published only after the broker stored them, and keep them in the outbox while it is down', async () => {
      const own = await startNatsServer();
      const deps = testPaymentDependencies();
      const outbox = new InMemoryOutboxStore({ clock: deps.clock });
      const repository = new InMemoryPaymentRepository({ outbox });
      const publisher = aPublisher({ servers: own.url });
      const relay = new OutboxRelay(outbox, publisher, { clock: deps.clock });
      try {
        await repository.insert(aPendingPayment({}, deps));
        expect(await relay.drain()).toBe(1);

        await own.stop();
        await repository.insert(aPendingPayment({}, deps));
        const whileDown = await relay.runOnce();
        await own.restart();
        await waitFor('the publisher to reconnect', () => publisher.status().state === 'connected');
        const afterwards = await relay.drain();

        expect(whileDown).toMatchObject({ claimed: 1, published: 0, failed: 0, held: 1 });
        expect(afterwards).toBe(1);
        expect(await outbox.countUnpublished()).toBe(0);
        expect((await readStream(own.url, publisher.stream)).map((stored) => stored.msgId)).toEqual(outbox.allEvents().map((event) => event.id));
      } finally {
        await own.dispose();
      }
    });
  });
});
