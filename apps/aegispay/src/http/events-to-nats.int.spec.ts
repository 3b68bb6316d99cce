import { findNatsServer, readStoredEvents, startNatsServer, type NatsServer } from '@aegispay/nats/testing';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, startApi, type ApiHarness } from './__fixtures__/api-harness';

const natsServer = findNatsServer();
if (natsServer === undefined) process.stderr.write('HTTP API on NATS JetStream skipped: nats-server was not found (set NATS_SERVER_BIN or install nats-server).\n');
const describeWithNats = natsServer === undefined ? describe.skip : describe;

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeWithNats('the HTTP API with events to NATS JetStream (AEGISPAY_NATS_URL)', () => {
  let nats: NatsServer;
  let api: ApiHarness;

  beforeAll(async () => {
    nats = await startNatsServer();
    api = await startApi('sqlite', { settings: { natsUrl: nats.url } });
  });
  afterAll(async () => {
    await api?.stop();
    await nats?.dispose();
  });

  const pay = (key: string) =>
    api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', key).send(aPaymentBody()).expect(201);
  const broker = () => api.app.get(TOKENS.EventBroker);
  const relay = () => api.app.get(TOKENS.OutboxRelay);

  it('should publish each payment’s events by merchant, keep taking payments while NATS is down, hold their events in the outbox, and publish them once it is back', async () => {
    const first = await pay('order-1');
    await relay().drain();

    const stored = await readStoredEvents(nats.url);
    expect(stored.map(({ subject, msgId, event }) => [subject, msgId === event.id, event.aggregateId])).toEqual([
      ['aegispay.events.merchant_a.PaymentCreated', true, first.body.payment.id],
      ['aegispay.events.merchant_a.PaymentProcessingStarted', true, first.body.payment.id],
      ['aegispay.events.merchant_a.PaymentSucceeded', true, first.body.payment.id],
    ]);
    expect((await api.http().get('/healthz')).body).toMatchObject({ status: 'ok', events: { publisher: 'nats', broker: 'connected', brokerError: null, unpublished: 0 } });

    await nats.stop();
    await waitFor('the broker connection to be lost', () => broker()?.status().state === 'reconnecting');
    const second = await pay('order-2');
    expect(await relay().drain()).toBe(0);

    const health = await api.http().get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', events: { publisher: 'nats', broker: 'reconnecting', unpublished: 3 } });
    const metrics = (await api.http().get('/metrics')).text;
    expect(metrics).toContain('aegispay_event_broker_connected 0');
    expect(metrics).toContain('aegispay_outbox_unpublished_events 3');
    expect(api.logs()).toContain('event broker unavailable');

    await nats.restart();
    await waitFor('the broker to reconnect', () => broker()?.status().state === 'connected');
    expect(await relay().drain()).toBe(3);

    expect((await api.http().get('/healthz')).body).toMatchObject({ events: { broker: 'connected', unpublished: 0 } });
    const after = (await api.http().get('/metrics')).text;
    expect(after).toContain('aegispay_event_broker_connected 1');
    expect(after).toContain('aegispay_outbox_unpublished_events 0');
    const all = await readStoredEvents(nats.url);
    expect(all.map((message) => message.event.aggregateId)).toEqual([...Array(3).fill(first.body.payment.id), ...Array(3).fill(second.body.payment.id)]);
    expect(new Set(all.map((message) => message.msgId)).size).toBe(6);
  });
});
