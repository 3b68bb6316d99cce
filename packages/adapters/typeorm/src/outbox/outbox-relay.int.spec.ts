import type { DomainEvent, EventPublisher } from '@aegispay/domain';
import { FakeClock } from '@aegispay/domain/testing';
import { OutboxRelay } from '@aegispay/locking';
import type { DataSource } from 'typeorm';
import { describeWithPostgres } from '../__fixtures__/postgres';
import { useTestDatabase, type TestDatabase } from '../testing/test-database';
import { TypeOrmOutboxStore } from './typeorm-outbox.store';

const AGGREGATES = 500;
const EVENTS = 5_000;

/**
 * The relays' time, standing still: the seeded events are due, and a lease never expires while
 * the test runs, however slowly the machine runs it (an expired lease would let another relay
 * take a batch over and publish it twice, which is the relay's documented behaviour, not a bug).
 */
const relayClock = (): FakeClock => new FakeClock(Date.UTC(2026, 0, 1));

/**
 * Records every publication with the relay that made it; yields to the event loop like a network
 * call would. Each relay's first publication waits until `relays` relays have one in hand, so
 * that every relay provably claimed a share while the others held theirs.
 */
class SharedBroker {
  readonly log: { readonly event: DomainEvent; readonly relay: string }[] = [];
  private readonly arrived = new Set<string>();
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });

  constructor(private readonly relays = 1) {}

  publisherFor(relay: string): EventPublisher {
    return {
      publish: async (events) => {
        this.arrived.add(relay);
        if (this.arrived.size >= this.relays) this.open();
        await this.gate;
        await new Promise((resolve) => setImmediate(resolve));
        for (const event of events) this.log.push({ event, relay });
      },
    };
  }
}

/** Inserts `events` synthetic events of `aggregates` payments, interleaved: event g is the (g / aggregates)-th of payment g % aggregates. */
async function seedEvents(database: TestDatabase, events: number, aggregates: number): Promise<void> {
  const table = database.connection.schema === undefined ? 'outbox_messages' : `"${database.connection.schema}".outbox_messages`;
  const rows = database.dialect === 'postgres' ? `generate_series(0, ${events - 1}) AS s(g)` : `(WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s WHERE g < ${events - 1}) SELECT g FROM s)`;
  const payload = database.dialect === 'postgres' ? `json_build_object('n', g / ${aggregates})::text` : `json_object('n', g / ${aggregates})`;
  await database.dataSource.query(
    `INSERT INTO ${table} (event_id, aggregate_type, aggregate_id, event_type, payload, occurred_at, created_at, available_at, attempts) ` +
      `SELECT 'evt_' || g, 'Payment', 'pay_' || (g % ${aggregates}), 'Test', ${payload}, 0, 0, 0, 0 FROM ${rows} ORDER BY g`,
  );
}

/** Asserts every event was published once and each payment's events came out as 0, 1, 2, … */
function expectExactlyOnceInOrder(broker: SharedBroker, events: number, aggregates: number): void {
  const ids = broker.log.map((entry) => entry.event.id);
  expect(ids).toHaveLength(events);
  expect(new Set(ids).size).toBe(events);
  const positions = new Map<string, number[]>();
  for (const { event } of broker.log) positions.set(event.aggregateId, [...(positions.get(event.aggregateId) ?? []), event.payload['n'] as number]);
  expect(positions.size).toBe(aggregates);
  const inOrder = Array.from({ length: events / aggregates }, (_, i) => i);
  for (const list of positions.values()) expect(list).toEqual(inOrder);
}

describe('OutboxRelay over TypeOrmOutboxStore on SQLite', () => {
  const database = useTestDatabase('sqlite');

  describe('when one relay drains 2 000 events of 200 payments', () => {
    it('should publish each event exactly once, in order per payment', async () => {
      await seedEvents(database(), 2_000, 200);
      const broker = new SharedBroker();
      const relay = new OutboxRelay(new TypeOrmOutboxStore(database().dataSource), broker.publisherFor('relay'), { relayId: 'relay', batchSize: 50, clock: relayClock() });

      expect(await relay.drain()).toBe(2_000);

      expectExactlyOnceInOrder(broker, 2_000, 200);
      expect(await new TypeOrmOutboxStore(database().dataSource).countUnpublished()).toBe(0);
    }, 60_000);
  });
});

describeWithPostgres('OutboxRelay over TypeOrmOutboxStore on PostgreSQL', () => {
  const database = useTestDatabase('postgres');
  let connections: DataSource[] = [];

  beforeAll(async () => {
    connections = await Promise.all(Array.from({ length: 3 }, () => database().open({ poolSize: 2 })));
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.destroy()));
  });

  describe('when 3 relays on 3 connections drain 5 000 events of 500 payments at once, each holding a claim while the others take theirs', () => {
    it('should publish each event exactly once, in order per payment', async () => {
      await seedEvents(database(), EVENTS, AGGREGATES);
      const broker = new SharedBroker(connections.length);
      const relays = connections.map(
        (connection, index) =>
          new OutboxRelay(new TypeOrmOutboxStore(connection), broker.publisherFor(`relay-${index}`), { relayId: `relay-${index}`, batchSize: 100, clock: relayClock() }),
      );

      await Promise.all(relays.map((relay) => relay.drain()));

      expectExactlyOnceInOrder(broker, EVENTS, AGGREGATES);
      const perRelay = relays.map((relay) => relay.getStats().published);
      expect(perRelay.reduce((a, b) => a + b, 0)).toBe(EVENTS);
      expect(perRelay.every((count) => count > 0)).toBe(true);
      expect(relays.map((relay) => relay.getStats().lostClaims)).toEqual([0, 0, 0]);
      expect(await new TypeOrmOutboxStore(database().dataSource).countUnpublished()).toBe(0);
    }, 60_000);
  });
});
