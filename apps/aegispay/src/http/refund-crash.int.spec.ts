import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStripeStub, STRIPE_STUB_DEFAULTS, type StripeStubControl, type StubLedgerEntry } from '@aegispay/stripe/testing';
import { createTestDatabase, type TestDatabase } from '@aegispay/typeorm/testing';
import request from 'supertest';
import { createAppContainer, type AppContainer } from '../composition/app-container';
import { TOKENS } from '../composition/tokens';
import { loadConfig } from '../config/app-config';
import { createAppLogger } from '../logging/app-logger';
import { killHard, startServerProcess, startStripeStubProcess, type ListeningProcess } from './__fixtures__/child-processes';
import { MERCHANT_A, RequestTimeClock, testDialects } from './__fixtures__/api-harness';
import { stripeStubBindings } from './__fixtures__/stripe-stub.bindings';
import { httpModule } from './http.module';
import { HTTP_TOKENS } from './http.tokens';
import type { PaymentResponseBody } from './payment.view';

const BINDINGS = join(__dirname, '__fixtures__', 'stripe-stub.bindings.ts');
const CAPTURED = 10_000;
const REFUND = 300;
const REQUESTS = 60;
const FIT = Math.floor(CAPTURED / REFUND);
/** Refunds Stripe receives and holds unanswered when the server is killed (it carries them out afterwards). */
const HELD = 8;
/**
 * The server is killed once Stripe holds its refunds and the clients have heard this many answers:
 * then some refunds are settled and answered, some held at Stripe, some perhaps on their way.
 */
const ANSWERS_BEFORE_KILL = 40;

/** The payment's refunds as stored, and its totals. */
interface StoredRefunds {
  readonly refunds: readonly { readonly id: string; readonly amount: number; readonly status: string; readonly gatewayReference: string | null }[];
  readonly refundedAmount: number;
  readonly pendingRefundAmount: number;
}

/** What a client of the killed server heard for one refund. */
type Heard = { readonly status: number; readonly outcome: string; readonly refundId: string | undefined } | 'NO ANSWER';

/** `201 SUCCEEDED`, `202 PENDING` (Stripe had not answered in time), `422 PAYMENT.REFUND_EXCEEDS_CAPTURED`… */
function heardOf(response: { status: number; body: unknown }): Exclude<Heard, 'NO ANSWER'> {
  const body = response.body as { code?: string; refund?: { id: string; status: string } };
  return { status: response.status, outcome: `${response.status} ${body.refund?.status ?? body.code ?? '?'}`, refundId: body.refund?.id };
}

/** The server's database URL: on PostgreSQL its schema, and an application name to find its connections by. */
function serverDatabaseUrl(database: TestDatabase, applicationName: string): string {
  const { url, schema } = database.connection;
  if (schema === undefined) return url as string;
  const withSchema = new URL(url as string);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  withSchema.searchParams.set('application_name', applicationName);
  return withSchema.toString();
}

/**
 * Resolves once PostgreSQL has ended the killed server's connections: a COMMIT it sent just before
 * the kill may not have been processed yet, and the checks below must not race it.
 */
async function backendGone(database: TestDatabase, applicationName: string): Promise<void> {
  if (database.dialect !== 'postgres') return;
  for (;;) {
    const [row] = (await database.dataSource.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])) as { n: number }[];
    if (row?.n === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The refunds Stripe made on the payment, succeeded ones only, by id. */
function stripeRefunds(ledger: readonly StubLedgerEntry[], paymentId: string): { id: string; amount: number }[] {
  const charge = ledger.find((entry) => entry.metadata['aegispay_payment_id'] === paymentId);
  return (charge?.refunds ?? []).filter((refund) => refund.status === 'succeeded').map(({ id, amount }) => ({ id, amount }));
}

describe.each(testDialects('HTTP API refunds killed mid-burst'))('a server killed with SIGKILL in the middle of 60 concurrent refunds, on %s', (dialect) => {
  let database: TestDatabase;
  let directory: string;
  let stub: ListeningProcess;
  let control: StripeStubControl;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    directory = mkdtempSync(join(tmpdir(), 'aegispay-refund-crash-'));
    stub = await startStripeStubProcess(join(directory, 'stripe.sqlite'));
    control = connectStripeStub({ url: stub.url, secretKey: STRIPE_STUB_DEFAULTS.secretKey });
  }, 120_000);
  afterAll(async () => {
    if (stub !== undefined) await killHard(stub);
    await database?.dispose();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('should never refund more than was captured, leave every refund Stripe made recorded, and after recovery and the clients retrying agree with Stripe on exactly 33', async () => {
    // 1. The real server, in its own process, paying through Stripe (a stub in its own process, with a durable ledger).
    const applicationName = `aegispay_refunds_${randomBytes(4).toString('hex')}`;
    const server = await startServerProcess(['--database-url', serverDatabaseUrl(database, applicationName), '--bindings', BINDINGS], {
      AEGISPAY_API_KEYS: `${MERCHANT_A.key}=${MERCHANT_A.merchantId}`,
      STRIPE_STUB_URL: stub.url,
    });
    const heard = new Map<string, Heard>();
    let paymentId: string;
    try {
      const paid = await request(server.url)
        .post('/v1/payments')
        .set('Authorization', `Bearer ${MERCHANT_A.key}`)
        .set('Idempotency-Key', 'crash-burst-payment')
        .send({ amount: CAPTURED, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'pm_card_visa' } });
      expect(paid.status).toBe(201);
      expect((paid.body as PaymentResponseBody).payment).toMatchObject({ status: 'PAID', gateway: 'STRIPE' });
      paymentId = (paid.body as PaymentResponseBody).payment.id;

      // 2. The burst; Stripe holds the first refunds it receives, unanswered; the server dies meanwhile.
      await control.injectFault({ kind: 'hold' }, { operation: 'refunds.create', times: HELD });
      let enoughHeard = (): void => undefined;
      const answered = new Promise<void>((resolve) => (enoughHeard = resolve));
      const hear = (key: string, answer: Heard): void => {
        heard.set(key, answer);
        if (heard.size >= ANSWERS_BEFORE_KILL) enoughHeard();
      };
      const burst = Array.from({ length: REQUESTS }, (_, n) =>
        request(server.url)
          .post(`/v1/payments/${paymentId}/refunds`)
          .set('Authorization', `Bearer ${MERCHANT_A.key}`)
          .set('Idempotency-Key', `crash-refund-${n}`)
          .send({ amount: REFUND })
          .then(
            (response) => hear(`crash-refund-${n}`, heardOf(response)),
            () => hear(`crash-refund-${n}`, 'NO ANSWER'),
          ),
      );
      await Promise.all([control.waitForHeld(HELD), answered]);
      expect((await killHard(server)).signal).toBe('SIGKILL');
      await Promise.all(burst);
    } finally {
      await killHard(server);
    }
    await backendGone(database, applicationName);
    // Stripe carries the held refunds out after all: money moved that no answer told us about.
    expect(await control.releaseHeld()).toBe(HELD);

    // 3. Another process (this one), an hour later, on the same database and the same Stripe.
    const clock = new RequestTimeClock(Date.now() + 3_600_000);
    const config = loadConfig({ env: {}, overrides: { databaseUrl: serverDatabaseUrl(database, `${applicationName}_after`), apiKeys: { [MERCHANT_A.key]: MERCHANT_A.merchantId } } });
    const app = await createAppContainer(config, {
      clock,
      logger: createAppLogger('silent', { write: () => undefined }),
      modules: [httpModule(), stripeStubBindings(stub.url)],
    });
    const httpServer = await app.getAsync(HTTP_TOKENS.HttpServer);
    try {
      const stored = await paymentOf(app, paymentId);
      const reserved = stored.refunds.filter((refund) => refund.status === 'SUCCEEDED' || refund.status === 'PENDING');
      // Before recovery: never more reserved than captured, and nothing at Stripe that we did not record first.
      expect(reserved.reduce((sum, refund) => sum + refund.amount, 0)).toBeLessThanOrEqual(CAPTURED);
      expect(reserved.filter((refund) => refund.status === 'PENDING').length).toBeGreaterThanOrEqual(HELD);
      const atStripe = stripeRefunds(await control.ledger(), paymentId);
      expect(atStripe.length).toBeLessThanOrEqual(reserved.length);
      expect(atStripe.reduce((sum, refund) => sum + refund.amount, 0)).toBeLessThanOrEqual(reserved.reduce((sum, refund) => sum + refund.amount, 0));
      const stripeIds = new Set(atStripe.map((refund) => refund.id));
      for (const refund of stored.refunds) if (refund.gatewayReference !== null) expect(stripeIds.has(refund.gatewayReference)).toBe(true);
      // What the clients heard before the kill: refunds made, refunds still at Stripe, refunds refused by our accounting, or a broken connection.
      for (const answer of heard.values()) {
        expect(answer === 'NO ANSWER' ? answer : answer.outcome).toMatch(/^(201 SUCCEEDED|202 PENDING|422 PAYMENT\.REFUND_EXCEEDS_CAPTURED|NO ANSWER)$/);
      }

      // 4. Recovery settles every pending refund from Stripe; then we and Stripe agree, refund by refund.
      await recoverRefunds(app, paymentId);
      const recovered = await paymentOf(app, paymentId);
      expect(recovered.refunds.filter((refund) => refund.status === 'PENDING')).toEqual([]);
      expectAgreement(recovered, stripeRefunds(await control.ledger(), paymentId));
      // Every refund a client was told about is there, made.
      for (const answer of heard.values()) {
        if (answer !== 'NO ANSWER' && answer.refundId !== undefined) expect(recovered.refunds.find((refund) => refund.id === answer.refundId)?.status).toBe('SUCCEEDED');
      }

      // 5. The clients retry every refund with its key: exactly 33 refunded in all, the rest refused by our accounting.
      const url = await httpServer.listen(0, '127.0.0.1');
      const retried = new Map<string, Exclude<Heard, 'NO ANSWER'>>();
      for (let n = 0; n < REQUESTS; n += 1) {
        const key = `crash-refund-${n}`;
        retried.set(key, heardOf(await request(url).post(`/v1/payments/${paymentId}/refunds`).set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', key).send({ amount: REFUND })));
      }
      const final = await paymentOf(app, paymentId);
      expect(tally([...retried.values()].map((answer) => answer.outcome))).toEqual({ '201 SUCCEEDED': FIT, '422 PAYMENT.REFUND_EXCEEDS_CAPTURED': REQUESTS - FIT });
      expect(final).toMatchObject({ refundedAmount: FIT * REFUND, pendingRefundAmount: 0 });
      expectAgreement(final, stripeRefunds(await control.ledger(), paymentId));
      // A retry never contradicts an answer already given: the same refund, made; the same refusal.
      for (const [key, answer] of heard) {
        if (answer === 'NO ANSWER') continue;
        const made = answer.refundId === undefined ? answer.outcome : '201 SUCCEEDED';
        expect([key, retried.get(key)?.outcome, retried.get(key)?.refundId]).toEqual([key, made, answer.refundId]);
      }
      process.stderr.write(
        `refunds killed mid-burst (${dialect}): heard before the kill ${JSON.stringify(tally([...heard.values()].map((answer) => (answer === 'NO ANSWER' ? answer : String(answer.status)))))}; ` +
          `${stored.refunds.filter((refund) => refund.status === 'PENDING').length} pending after the kill; ` +
          `${recovered.refunds.filter((refund) => refund.status === 'SUCCEEDED').length} refunded after recovery, ${FIT} after the retries\n`,
      );
    } finally {
      await httpServer.shutdown();
    }
  }, 300_000); // a hang guard only: two processes start through tsx, and nothing here depends on speed
});

/** The payment's refunds as the database holds them now. */
async function paymentOf(app: AppContainer, paymentId: string): Promise<StoredRefunds> {
  const payment = await app.get(TOKENS.PaymentOrchestrator).getPayment(paymentId);
  if (payment === null) throw new Error(`payment ${paymentId} is not stored`);
  const { refunds } = payment.toSnapshot();
  const total = (status: string): number => refunds.filter((refund) => refund.status === status).reduce((sum, refund) => sum + refund.amount, 0);
  return {
    refunds: refunds.map((refund) => ({ id: refund.id, amount: refund.amount, status: refund.status, gatewayReference: refund.gatewayReference })),
    refundedAmount: total('SUCCEEDED'),
    pendingRefundAmount: total('PENDING'),
  };
}

/** Runs recovery until it leaves no refund of the payment pending (Stripe answers a replay of a refund still in flight with "in progress"). */
async function recoverRefunds(app: AppContainer, paymentId: string): Promise<void> {
  const recovery = app.get(TOKENS.PaymentRecovery);
  for (;;) {
    const report = await recovery.recoverOnce();
    expect(report.errors).toEqual([]);
    if ((await paymentOf(app, paymentId)).refunds.every((refund) => refund.status !== 'PENDING')) return;
  }
}

/** Our succeeded refunds are exactly Stripe's, by Stripe's refund id and amount, and never more than was captured. */
function expectAgreement(payment: StoredRefunds, atStripe: readonly { id: string; amount: number }[]): void {
  const ours = payment.refunds.filter((refund) => refund.status === 'SUCCEEDED').map((refund) => ({ id: refund.gatewayReference as string, amount: refund.amount }));
  const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
  expect([...ours].sort(byId)).toEqual([...atStripe].sort(byId));
  expect(payment.refundedAmount).toBe(atStripe.reduce((sum, refund) => sum + refund.amount, 0));
  expect(payment.refundedAmount).toBeLessThanOrEqual(CAPTURED);
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
