import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentSnapshot, PaymentStatus } from '@aegispay/domain';
import { createTestDatabase, testDialects, type TestDatabase } from '@aegispay/typeorm/testing';
import { TypeOrmPaymentRepository } from '@aegispay/typeorm';
import { freePort, startAegisPayProcess, tail, type AegisPayProcess } from './__fixtures__/aegispay-process';
import type { GatewayCharge } from './gateway-charges';
import { compareWithLedgers } from './ledger-comparison';
import { startPspStubs, type PspStubs } from './psp-stubs';

const API_KEY = 'sk_test_crash_test_0123456789';
const MERCHANT = 'merchant_crash';
/** Payments in flight at once while the server is killed. */
const CONCURRENCY = 8;
/** Answers received before the kill (the server dies mid-load: `CONCURRENCY` requests are in flight). */
const ANSWERS_BEFORE_KILL = 40;
/** Payments sent to the restarted server, beside the retries of those whose answer was lost. */
const PAYMENTS_AFTER_RESTART = 16;
const FINAL: readonly PaymentStatus[] = ['PAID', 'FAILED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/**
 * The orchestrator's deadlines: short, the stubs being on this machine, so that recovery may judge
 * a payment stuck after 10.5 s (longer than the worst case these allow: 2 × (1 000 + 4 × 400 +
 * 2 × 500 + 1) + 3 × 1 000 = 10 202 ms).
 */
const TIMING = {
  AEGISPAY_GATEWAY_TIMEOUT_MS: '1000',
  AEGISPAY_MAX_ATTEMPTS: '2',
  AEGISPAY_STATUS_CHECK_TIMEOUT_MS: '400',
  AEGISPAY_CLOCK_SKEW_MS: '0',
  AEGISPAY_STUCK_AFTER_MS: '10500',
  AEGISPAY_RECOVERY_INTERVAL_MS: '500',
};

/** The `n`-th payment's token: cards stored at Stripe and at Adyen in turn, one in eight declined by its issuer. */
function tokenOf(n: number): string {
  const declined = n % 8 === 7;
  if (n % 2 === 0) return declined ? 'pm_card_chargeDeclinedInsufficientFunds' : 'pm_card_visa';
  return `shopper_${n}:${declined ? 'STUB_NOT_ENOUGH_BALANCE' : 'STUB_APPROVED'}`;
}

/** What the client heard for one request: the 2xx answer, or nothing (the connection died with the server). */
interface Heard {
  readonly key: string;
  readonly status: number | null;
  readonly outcome?: string;
  /** The answer's `code`: a decline code, or a problem's (`IDEMPOTENCY.REQUEST_IN_PROGRESS`). */
  readonly code?: string;
  readonly paymentId?: string;
  readonly paymentStatus?: string;
}

async function pay(server: AegisPayProcess, n: number): Promise<Heard> {
  const key = `crash-${n}`;
  try {
    const response = await fetch(`${server.url}/v1/payments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'Idempotency-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: 1_000 + n, currency: 'EUR', paymentMethod: { type: 'CARD', token: tokenOf(n) } }),
    });
    const body = (await response.json()) as { outcome?: string; code?: string | null; payment?: { id: string; status: string } };
    return { key, status: response.status, ...(body.outcome === undefined ? {} : { outcome: body.outcome }), ...(typeof body.code === 'string' ? { code: body.code } : {}), ...(body.payment === undefined ? {} : { paymentId: body.payment.id, paymentStatus: body.payment.status }) };
  } catch {
    return { key, status: null };
  }
}

/** The status a final answer promises the payment keeps. */
const PROMISED: Readonly<Record<string, PaymentStatus>> = { SUCCEEDED: 'PAID', DECLINED: 'FAILED', FAILED: 'FAILED', REJECTED: 'FAILED' };

describe.each(testDialects('The crash test through the PSP stubs'))('aegispay serve killed with SIGKILL mid-load, paying through the Stripe and Adyen stub processes (%s)', (dialect) => {
  let directory: string;
  let database: TestDatabase;
  let stubs: PspStubs | undefined;
  let server: AegisPayProcess | undefined;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'aegispay-crash-'));
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await server?.kill();
    await stubs?.stop();
    await database.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  it('should leave no double charge, no captured payment stored as failed and no lost 2xx answer once restarted and recovered', async () => {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    stubs = await startPspStubs({ directory, webhooksTo: appUrl });
    const env = {
      ...stubs.settings(),
      ...TIMING,
      AEGISPAY_DATABASE_URL: database.connection.url as string,
      ...(database.connection.schema === undefined ? {} : { PGOPTIONS: `-c search_path=${database.connection.schema}` }),
      AEGISPAY_API_KEYS: `${API_KEY}=${MERCHANT}`,
      AEGISPAY_GATEWAYS: 'STRIPE_PSP,ADYEN_PSP',
      AEGISPAY_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };
    const logFile = join(directory, 'aegispay.log');
    // The PSPs lose some answers after charging: unknown outcomes in flight when the server dies.
    await stubs.stripe.control.setFaultRate({ kind: 'drop', mode: 'truncate' }, 0.1, { operation: 'payment_intents.create' });
    await stubs.adyen.control.setFaultRates({ lostAnswer: 0.1 }, 7);

    // 1. Load, then SIGKILL while CONCURRENCY requests are in flight.
    server = await startAegisPayProcess({ port, env, logFile });
    const heard: Heard[] = [];
    let sent = 0;
    let answered = 0;
    let killing: Promise<unknown> | undefined;
    const first = server;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (killing === undefined) {
          const answer = await pay(first, sent++);
          heard.push(answer);
          if (answer.status !== null) answered += 1;
          if (answered >= ANSWERS_BEFORE_KILL && killing === undefined) killing = first.kill();
        }
      }),
    );
    expect(await killing).toBe('SIGKILL');
    const beforeKill = sent;

    // 2. Restart on the same database and port (the stubs' webhooks reach it again); the PSPs are healthy now.
    await stubs.stripe.control.clearFaults();
    await stubs.adyen.control.clearFaults();
    server = await startAegisPayProcess({ port, env, logFile });
    const restarted = server;
    const lost = heard.filter((answer) => answer.status === null).map((answer) => Number(answer.key.slice('crash-'.length)));
    // A client whose answer was lost retries with the same key; new payments keep coming.
    const retried = await Promise.all(lost.map((n) => pay(restarted, n)));
    const after = await Promise.all(Array.from({ length: PAYMENTS_AFTER_RESTART }, (_, index) => pay(restarted, beforeKill + index)));

    // 3. Recovery settles what the crash left: wait for it, as long as it may legitimately take. A
    // charge caught in flight at Adyen is settled by recovery's lookup once Adyen's webhook has told
    // the restarted server; the PSPs' webhook retries are nudged rather than waited for (the Adyen
    // stub's backoff doubles up to 30 s, Adyen's own to hours).
    const nudge = (): Promise<unknown> => Promise.all([(stubs as PspStubs).adyen.control.deliverNotifications(), (stubs as PspStubs).stripe.control.flushWebhooks()]);
    const repository = new TypeOrmPaymentRepository(database.dataSource);
    const keys = Array.from({ length: beforeKill + PAYMENTS_AFTER_RESTART }, (_, n) => `crash-${n}`);
    const stored = async (): Promise<PaymentSnapshot[]> =>
      (await Promise.all(keys.map(async (key) => (await repository.findByIdempotencyKey(MERCHANT, key))?.toSnapshot()))).filter((payment): payment is PaymentSnapshot => payment !== undefined);
    let payments: PaymentSnapshot[] = [];
    let charges: GatewayCharge[] = [];
    const giveUpAt = Date.now() + 120_000;
    for (;;) {
      await nudge();
      [payments, charges] = await Promise.all([stored(), stubs.charges()]);
      if (payments.every((payment) => FINAL.includes(payment.status) || neverReachedAdyen(payment, charges))) break;
      if (Date.now() > giveUpAt) throw new Error(`recovery did not settle the payments within 120 s: ${compareWithLedgers(payments, charges).unfinished.join('; ')}\n${tail(logFile)}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }

    // 4. The stubs' durable ledgers against the database.
    const comparison = compareWithLedgers(payments, charges);
    expect(comparison.doubleCharges).toEqual([]);
    expect(comparison.capturedButFailed).toEqual([]);
    expect(comparison.paidWithoutCharge).toEqual([]);
    expect(comparison.strayCharges).toEqual([]);
    // What is still unfinished never reached Adyen: its connector cannot say "never received"
    // (Adyen has no lookup by reference), so no one may fail it; nothing was charged.
    expect(payments.filter((payment) => !FINAL.includes(payment.status)).every((payment) => neverReachedAdyen(payment, charges))).toBe(true);

    // No lost 2xx: every payment answered 2xx is stored, and a final answer is what the database
    // says — also the answers of the clients who retry once more now that recovery is done.
    const again = await Promise.all(retried.filter((answer) => answer.status === 409).map((answer) => pay(restarted, Number(answer.key.slice('crash-'.length)))));
    const byId = new Map(payments.map((payment) => [payment.id, payment]));
    const lostAnswers = [...heard, ...retried, ...after, ...again]
      .filter((answer) => answer.status !== null && answer.status >= 200 && answer.status < 300)
      .filter((answer) => {
        const payment = answer.paymentId === undefined ? undefined : byId.get(answer.paymentId);
        const promised = answer.outcome === undefined ? undefined : PROMISED[answer.outcome];
        return payment === undefined || (promised !== undefined && payment.status !== promised);
      });
    expect(lostAnswers).toEqual([]);

    // The test did what it says: the server died with requests in flight, both PSPs charged, the restarted server answered.
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(charges.filter((charge) => charge.state === 'CAPTURED').map((charge) => charge.gateway))).toEqual(new Set(['STRIPE_PSP', 'ADYEN_PSP']));
    expect(after.every((answer) => answer.status === 201 || answer.status === 202)).toBe(true);
    expect(retried.every((answer) => answer.status !== null && answer.status < 500)).toBe(true);
    const stillUnfinished = new Set(payments.filter((payment) => !FINAL.includes(payment.status)).map((payment) => payment.idempotencyKey));
    expect(again.filter((answer) => answer.status !== 201 && !stillUnfinished.has(answer.key))).toEqual([]);
    expect(await server.stop()).toBe(0);
  }, 240_000);
});

/** A payment whose live attempt is at Adyen and that Adyen's ledger has no record of: the request never reached Adyen. */
function neverReachedAdyen(payment: PaymentSnapshot, charges: readonly GatewayCharge[]): boolean {
  const live = payment.attempts.at(-1);
  if (live === undefined || live.gateway !== 'ADYEN_PSP') return false;
  return !charges.some((charge) => charge.paymentId === payment.id || charge.reference.startsWith(`${payment.id}:`));
}
