import { jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describeWithNats } from '../__fixtures__/nats-harness';
import { startNatsServer, type NatsServer } from '../testing';
import { ensureEventStream, eventStreamConfig } from './event-stream';

describeWithNats(ensureEventStream, () => {
  let server: NatsServer;
  let connection: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startNatsServer();
    connection = await connect({ servers: server.url });
    jsm = await jetstreamManager(connection);
  });
  afterAll(async () => {
    await connection?.close();
    await server?.dispose();
  });

  it('should create the stream once, leave it alone when it matches, and update the limits that differ', async () => {
    const config = eventStreamConfig({ name: 'STREAM_A' }, 'a.events.>');

    expect(await ensureEventStream(jsm, config)).toBe('created');
    expect(await ensureEventStream(jsm, config)).toBe('unchanged');
    expect(await ensureEventStream(jsm, eventStreamConfig({ name: 'STREAM_A', maxAgeMs: 3_600_000, maxBytes: 1_000_000 }, 'a.events.>'))).toBe('updated');

    expect((await jsm.streams.info('STREAM_A')).config).toMatchObject({ max_age: 3_600_000_000_000, max_bytes: 1_000_000 });
  });

  it('should keep subjects an operator added, adding the events’ own when missing', async () => {
    await jsm.streams.add({ name: 'STREAM_B', subjects: ['audit.>'], storage: eventStreamConfig({}, 'x.>').storage });

    expect(await ensureEventStream(jsm, eventStreamConfig({ name: 'STREAM_B' }, 'b.events.>'))).toBe('updated');

    expect((await jsm.streams.info('STREAM_B')).config.subjects).toEqual(['audit.>', 'b.events.>']);
  });

  it('should refuse a stream whose retention cannot be changed in place', async () => {
    await jsm.streams.add({ name: 'STREAM_C', subjects: ['c.events.>'], retention: RetentionPolicy.Workqueue, storage: eventStreamConfig({}, 'x.>').storage });

    await expect(ensureEventStream(jsm, eventStreamConfig({ name: 'STREAM_C' }, 'c.events.>'))).rejects.toMatchObject({
      code: 'NATS.STREAM_CONFLICT',
      setting: 'retention',
      actual: 'workqueue',
      expected: 'limits',
    });
  });

  it('should let several instances make the same stream at once', async () => {
    const config = eventStreamConfig({ name: 'STREAM_D' }, 'd.events.>');

    const outcomes = await Promise.all([1, 2, 3].map(() => ensureEventStream(jsm, config)));

    expect(outcomes.filter((outcome) => outcome === 'created').length).toBeGreaterThanOrEqual(1);
    expect((await jsm.streams.info('STREAM_D')).config.subjects).toEqual(['d.events.>']);
  });
});
