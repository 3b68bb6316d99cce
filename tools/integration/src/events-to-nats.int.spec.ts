import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Payment, SystemClock, type PaymentDependencies } from '@aegispay/domain';
import { aPaymentRequest, SequentialIdGenerator } from '@aegispay/domain/testing';
import { OutboxRelay } from '@aegispay/locking';
import { JetStreamEventPublisher } from '@aegispay/nats';
import { findNatsServer, startNatsServer, type NatsServer } from '@aegispay/nats/testing';
import { TypeOrmOutboxStore, TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { createTestDatabase, testDialects, type TestDatabase } from '@aegispay/typeorm/testing';
import { JetStreamLog, streamMessageCount } from './support/jetstream-log';

const CHILD = join(__dirname, 'support', 'relay-child.ts');
const MERCHANTS = ['merchant_1', 'shop.de', 'acme:eu-1', 'merchant_4'];
/** What each payment records, in order: a 3-D Secure round trip that ends in a failure. */
const STEPS = ['PaymentCreated', 'PaymentProcessingStarted:PENDING', 'PaymentActionRequired', 'PaymentProcessingStarted:REQUIRES_ACTION', 'PaymentFailed'];
const BEFORE_OUTAGE = 40;
const DURING_OUTAGE = 10;
/** Events the killed relay gets the broker to store before it stops, mid-batch and mid-payment. */
const STORED_BY_KILLED_RELAY = 7;
const KILLED_RELAY_BATCH = 20;
/** The killed relay's lease: its claim is taken over this long after it was made. */
const KILLED_RELAY_LEASE_MS = 1_500;

const natsServer = findNatsServer();
if (natsServer === undefined) process.stderr.write('Events-to-NATS test skipped: nats-server was not found (set NATS_SERVER_BIN or install nats-server).\n');
const describeWithNats = natsServer === undefined ? describe.skip : describe;

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Stores `count` payments, each with the five events of {@link STEPS}, merchants in turn. */
async function storePayments(repository: TypeOrmPaymentRepository, deps: PaymentDependencies, first: number, count: number): Promise<void> {
  for (let n = first; n < first + count; n += 1) {
    const payment = await repository.insert(Payment.create(aPaymentRequest({ merchantId: MERCHANTS[n % MERCHANTS.length] as string, amount: 1_000 + n, idempotencyKey: `order-${n}` }), deps));
    payment.startProcessing();
    payment.requireAction('3ds');
    payment.startProcessing();
    payment.markFailed({ code: 'card_declined', reason: 'declined', gateway: 'STRIPE' });
    await repository.updateWithVersion(payment.id, payment, payment.version);
  }
}

/** Starts the relay process and resolves once the broker stored its first events and it stopped mid-batch. */
function startKilledRelay(database: TestDatabase, natsUrl: string): Promise<{ child: ChildProcess; stored: readonly string[]; exited: Promise<NodeJS.Signals | null> }> {
  const args = [database.connection.url as string, database.connection.schema ?? '-', natsUrl, String(STORED_BY_KILLED_RELAY), String(KILLED_RELAY_BATCH), String(KILLED_RELAY_LEASE_MS)];
  const child = fork(CHILD, args, { execArgv: ['--conditions=@aegispay/source', '--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  return new Promise((resolve, reject) => {
    child.on('message', (message: { kind?: string; ids?: string[] }) => {
      if (message.kind === 'stored') resolve({ child, stored: message.ids ?? [], exited });
      else reject(new Error(`the relay process ${message.kind ?? 'said something unexpected'} instead of stopping mid-batch`));
    });
    void exited.then(() => reject(new Error(`the relay process exited on its own:\n${stderr}`)));
  });
}

for (const dialect of testDialects('events to NATS JetStream')) {
  describeWithNats(`outbox relays in three instances publishing to NATS JetStream (TypeORM on ${dialect})`, () => {
    let database: TestDatabase;
    let server: NatsServer;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      server = await startNatsServer();
    });
    afterAll(async () => {
      await server?.dispose();
      await database?.dispose();
    });

    it('should get every event to a consumer once, in order per payment, through a relay killed mid-batch and a broker restart', async () => {
      const clock = new SystemClock();
      const deps: PaymentDependencies = { clock, ids: new SequentialIdGenerator() };
      const repository = new TypeOrmPaymentRepository(database.dataSource, { clock, dependencies: deps });
      const outbox = new TypeOrmOutboxStore(database.dataSource);
      await storePayments(repository, deps, 0, BEFORE_OUTAGE);

      const publishers = ['b', 'c'].map((name) => new JetStreamEventPublisher({ servers: server.url, name: `relay-${name}`, reconnectWaitMs: 50, ackTimeoutMs: 5_000 }));
      await publishers[0]?.connect(); // makes the stream, so the consumer can be made on it
      const log = await JetStreamLog.start(server.url, 'AEGISPAY_EVENTS', 'fleet-test');
      const relays = publishers.map(
        (publisher, index) => new OutboxRelay(outbox, publisher, { batchSize: 15, pollIntervalMs: 20, errorBackoffMs: 100, leaseMs: 30_000, relayId: `relay-${index === 0 ? 'b' : 'c'}`, clock }),
      );
      try {
        // Relay A, in its own process, claims a batch, gets the broker to store part of it, and stops.
        const killed = await startKilledRelay(database, server.url);
        relays.forEach((relay) => relay.start());
        await waitFor('relays B and C to publish alongside the stopped one', () => log.distinctEvents() >= STORED_BY_KILLED_RELAY + 50);
        killed.child.kill('SIGKILL');
        expect(await killed.exited).toBe('SIGKILL');
        // After its lease, B and C take its batch over: the events it had stored are dropped by the server.
        await waitFor('every event stored before the outage to reach the consumer', () => log.distinctEvents() === BEFORE_OUTAGE * STEPS.length);
        expect(publishers.reduce((sum, publisher) => sum + publisher.status().duplicates, 0)).toBe(STORED_BY_KILLED_RELAY);

        // The broker goes down; payments go on and their events wait in the outbox.
        await server.stop('SIGKILL');
        await storePayments(repository, deps, BEFORE_OUTAGE, DURING_OUTAGE);
        await waitFor('both relays to find the broker unavailable', () => relays.every((relay) => relay.getStats().held > 0));
        expect(await outbox.countUnpublished()).toBe(DURING_OUTAGE * STEPS.length);
        expect(await outbox.listDeadLetters()).toEqual([]);
        expect(relays.map((relay) => relay.getStats().failedAttempts)).toEqual([0, 0]);

        await server.restart();
        await waitFor('every event to reach the consumer after the restart', () => log.distinctEvents() === (BEFORE_OUTAGE + DURING_OUTAGE) * STEPS.length);
      } finally {
        await Promise.all(relays.map((relay) => relay.stop()));
        await Promise.all(publishers.map((publisher) => publisher.close()));
        await log.close();
      }

      const total = (BEFORE_OUTAGE + DURING_OUTAGE) * STEPS.length;
      expect(await outbox.countUnpublished()).toBe(0);
      expect(relays.map((relay) => relay.getStats().published > 0)).toEqual([true, true]);
      expect(await streamMessageCount(server.url, 'AEGISPAY_EVENTS')).toBe(total);
      // Exactly once: each event is one message of the stream (a redelivery is the same message).
      const seqsByEvent = new Map<string, Set<number>>();
      for (const delivery of log.deliveries) seqsByEvent.set(delivery.eventId, (seqsByEvent.get(delivery.eventId) ?? new Set()).add(delivery.seq));
      expect(seqsByEvent.size).toBe(total);
      expect([...seqsByEvent.values()].filter((seqs) => seqs.size !== 1)).toEqual([]);
      expect(log.deliveries.every((delivery) => delivery.msgId === delivery.eventId)).toBe(true);
      // In order per payment: the stream holds each payment's events as it recorded them.
      const byPayment = new Map<string, { seq: number; step: string }[]>();
      for (const { aggregateId, seq, step } of new Map(log.deliveries.map((delivery) => [delivery.seq, delivery])).values()) {
        byPayment.set(aggregateId, [...(byPayment.get(aggregateId) ?? []), { seq, step }]);
      }
      expect(byPayment.size).toBe(BEFORE_OUTAGE + DURING_OUTAGE);
      for (const steps of byPayment.values()) expect(steps.sort((a, b) => a.seq - b.seq).map((entry) => entry.step)).toEqual(STEPS);
      // By merchant: the subject names each payment's merchant, escaped.
      expect(new Set(log.deliveries.map((delivery) => delivery.subject.split('.')[2]))).toEqual(new Set(['merchant_1', 'shop%2Ede', 'acme%3Aeu-1', 'merchant_4']));
    });
  });
}
