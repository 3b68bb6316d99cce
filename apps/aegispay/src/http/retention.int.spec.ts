import { randomUUID } from 'node:crypto';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

const HOUR = 3_600_000;
/** The loops' interval in this test: the fake clock moves by it, and SQLite's loops run once per move. */
const STEP = 600_000;

describe.each(testDialects('HTTP API retention'))('retention in the server, on %s', (dialect) => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi(dialect, {
      settings: { retentionIntervalMs: STEP, outboxRetentionMs: HOUR, retentionBatchSize: 2, outboxPollIntervalMs: STEP, recoveryIntervalMs: HOUR },
    });
  });
  afterAll(async () => {
    await api.stop();
  });

  async function pay(): Promise<PaymentResponseBody> {
    const response = await api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', randomUUID()).send(aPaymentBody({ customerId: randomUUID() }));
    return response.body as PaymentResponseBody;
  }

  /** Resolves once `condition` holds, without moving the clock (a batch already due finishing on database I/O). */
  async function settled(condition: () => boolean): Promise<void> {
    do await new Promise((resolve) => setImmediate(resolve));
    while (!condition());
  }

  /**
   * Moves the fake clock a step at a time until `condition` holds, each time waiting for the
   * sweeper's batch that the move made due to finish on database I/O before looking: time never
   * runs ahead of the sweeper. Nothing is asserted about how many moves it takes.
   */
  async function until(condition: () => Promise<boolean>): Promise<void> {
    const sweeper = api.app.get(TOKENS.RetentionSweeper);
    while (!(await condition())) {
      const before = sweeper?.getStats().batches ?? 0;
      await api.clock.advance(STEP);
      await settled(() => (sweeper?.getStats().batches ?? 0) > before);
    }
  }

  it('should purge published events once past their retention and expired keys, in bounded batches, while payments go on', async () => {
    const sweeper = api.app.get(TOKENS.RetentionSweeper);
    for (let n = 0; n < 3; n += 1) expect((await pay()).outcome).toBe('SUCCEEDED');
    await api.app.get(TOKENS.OutboxRelay).drain();
    expect([await api.count('outbox_messages'), await api.count('idempotency_keys')]).toEqual([9, 3]);
    expect(sweeper?.isRunning).toBe(true);

    // Within the retention period nothing goes. (The loops' first runs are due at once, on the first move of the clock.)
    await api.clock.advance(HOUR - STEP);
    await settled(() => (sweeper?.getStats().batches ?? 0) >= 1);
    expect(await api.count('outbox_messages')).toBe(9);

    // Past it, the nine published events go, two per statement, and a payment made meanwhile keeps its own.
    await api.clock.advance(STEP);
    const later = await pay();
    await until(async () => (await api.count('outbox_messages')) === 3);
    expect(later.outcome).toBe('SUCCEEDED');
    expect(sweeper?.getStats()).toMatchObject({ outboxMessages: 9, idempotencyKeys: 0, errors: 0 });
    expect(sweeper?.getStats().batches).toBeGreaterThanOrEqual(5);
    expect(await api.count('idempotency_keys')).toBe(4);

    // Keys expire after 24 hours: the three first go, the later one stays until its own day is over.
    await api.clock.advance(22 * HOUR);
    await until(async () => (await api.count('idempotency_keys')) === 1);
    expect(sweeper?.getStats()).toMatchObject({ idempotencyKeys: 3, errors: 0 });
    expect(await api.count('outbox_messages')).toBe(0);
  });
});

describe('retention switched off', () => {
  it('should bind no sweeper and run no retention loop', async () => {
    const api = await startApi('sqlite', { settings: { retentionIntervalMs: 0 } });
    try {
      expect(api.app.get(TOKENS.RetentionSweeper)).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
