import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody, PaymentView } from './payment.view';

const CAPTURED = 10_000;
const REFUND = 300;
const REQUESTS = 60;
/** As many refunds of 300 as 10 000 holds: 33 (9 900); the 34th would take it over. */
const FIT = Math.floor(CAPTURED / REFUND);

describe.each(testDialects('HTTP API refund burst'))('60 concurrent refunds of 300 on one payment of 10 000, on %s', (dialect) => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api.stop();
  });

  it('should refund exactly 33, refuse the other 27 as exceeding what is refundable, and agree with the gateway ledger to the refund', async () => {
    const paid = await api
      .http()
      .post('/v1/payments')
      .set('Authorization', `Bearer ${MERCHANT_A.key}`)
      .set('Idempotency-Key', 'burst-payment')
      .send(aPaymentBody({ amount: CAPTURED, paymentMethod: { type: 'CARD', token: 'tok_burst_4242' } }));
    const payment = (paid.body as PaymentResponseBody).payment;
    expect(payment.status).toBe('PAID');

    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, n) =>
        api
          .http()
          .post(`/v1/payments/${payment.id}/refunds`)
          .set('Authorization', `Bearer ${MERCHANT_A.key}`)
          .set('Idempotency-Key', `burst-refund-${n}`)
          .send({ amount: REFUND })
          .then((response) => ({ key: `burst-refund-${n}`, status: response.status, body: response.body as { code?: string; refundable?: number; refund?: { id: string; status: string } } })),
      ),
    );

    // What the clients heard: 33 refunds made, 27 refused by our own accounting, nothing else.
    const heard = answers.map((answer) => (answer.status === 201 ? `201 ${answer.body.refund?.status}` : `${answer.status} ${answer.body.code}`));
    expect(tally(heard)).toEqual({ '201 SUCCEEDED': FIT, '422 PAYMENT.REFUND_EXCEEDS_CAPTURED': REQUESTS - FIT });
    for (const refused of answers.filter((answer) => answer.status === 422)) {
      expect(refused.body).toMatchObject({ requested: REFUND, currency: 'EUR' });
      expect(refused.body.refundable).toBeLessThan(REFUND);
    }

    // What we stored: the 33, each settled, none pending or lost, and the payment's totals.
    const stored = (await api.http().get(`/v1/payments/${payment.id}`).set('Authorization', `Bearer ${MERCHANT_A.key}`)).body as PaymentView;
    expect(stored).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: FIT * REFUND, pendingRefundAmount: 0, refundableAmount: CAPTURED - FIT * REFUND });
    expect(stored.refunds.map((refund) => refund.status)).toEqual(Array.from({ length: FIT }, () => 'SUCCEEDED'));
    expect(new Set(stored.refunds.map((refund) => refund.id))).toEqual(new Set(answers.flatMap((answer) => (answer.status === 201 ? [answer.body.refund?.id] : []))));
    expect(await api.count('payment_refunds')).toBe(FIT);

    // What the gateway did: the same 33 refunds, by reference, amount and gateway id.
    const gateway = api.app.get(TOKENS.SimulatedGateways).find((candidate) => candidate.name === stored.gateway);
    const entry = gateway?.getLedger().find((charge) => charge.gatewayReference === stored.gatewayReference);
    expect(entry?.refundedAmount.amount).toBe(FIT * REFUND);
    expect(sortBy(entry?.refunds.map((refund) => ({ gatewayReference: refund.gatewayReference, amount: refund.amount.amount })) ?? [])).toEqual(
      sortBy(stored.refunds.map((refund) => ({ gatewayReference: refund.gatewayReference, amount: refund.amount }))),
    );
    expect(api.gatewayRefunds()).toBe(FIT);
  }, 120_000); // a hang guard only: nothing here depends on how fast the machine is
});

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function sortBy<T extends { readonly gatewayReference: string | null }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => String(a.gatewayReference).localeCompare(String(b.gatewayReference)));
}
