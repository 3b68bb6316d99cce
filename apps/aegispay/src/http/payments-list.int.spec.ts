import type { Test } from 'supertest';
import { aPaymentBody, MERCHANT_A, MERCHANT_B, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentListBody, PaymentResponseBody, PaymentView, RefundListBody } from './payment.view';
import type { ProblemDetails } from './problem-details';

const as = (merchant: { readonly key: string }) => (test: Test): Test => test.set('Authorization', `Bearer ${merchant.key}`);
const asA = as(MERCHANT_A);
const asB = as(MERCHANT_B);

describe.each(testDialects('Listing over HTTP'))('GET /v1/payments on %s', (dialect) => {
  let api: ApiHarness;
  let keys = 0;
  /** Merchant A's payments as created, oldest first. */
  const created: PaymentView[] = [];
  let start: number;

  async function pay(body: Record<string, unknown>, merchant = asA): Promise<PaymentView> {
    const response = await merchant(api.http().post('/v1/payments')).set('Idempotency-Key', `list-${(keys += 1)}`).send(body);
    expect(response.status).toBe(201);
    await api.clock.advance(1_000);
    return (response.body as PaymentResponseBody).payment;
  }

  async function list(query: string, merchant = asA): Promise<PaymentListBody> {
    const response = await merchant(api.http().get(`/v1/payments${query}`));
    expect({ status: response.status, query }).toEqual({ status: 200, query });
    return response.body as PaymentListBody;
  }

  /** The ids of every page of a query, following nextCursor. */
  async function allPages(query: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = query === '' ? '?' : '&';
      const page: PaymentListBody = await list(`${query}${cursor === null ? '' : `${query === '' ? '?' : separator}cursor=${cursor}`}`);
      pages += 1;
      ids.push(...page.data.map((payment) => payment.id));
      expect(page.hasMore).toBe(page.nextCursor !== null);
      cursor = page.nextCursor;
    } while (cursor !== null && pages < 50);
    return { ids, pages };
  }

  const newestFirst = (payments: readonly PaymentView[]): string[] => [...payments].reverse().map((payment) => payment.id);

  beforeAll(async () => {
    api = await startApi(dialect);
    start = api.clock.now();
    created.push(await pay(aPaymentBody({ customerId: 'cus_1' })));
    created.push(await pay(aPaymentBody({ customerId: 'cus_2', paymentMethod: { type: 'CARD', token: 'tok_decline_insufficient_funds' } })));
    created.push(await pay(aPaymentBody({ customerId: 'cus_1' })));
    created.push(await pay(aPaymentBody({ customerId: 'cus_2' })));
    created.push(await pay(aPaymentBody({ customerId: 'cus_1', amount: 500 })));
    await pay(aPaymentBody({ customerId: 'cus_1' }), asB);
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('when paging with the default order', () => {
    it('should give every payment of the merchant once, newest first, in pages of limit, and none of another merchant', async () => {
      const first = await list('?limit=2');

      expect(first.data.map((payment) => payment.id)).toEqual(newestFirst(created).slice(0, 2));
      expect(first.data[0]).toEqual(await asA(api.http().get(`/v1/payments/${created[4]?.id ?? ''}`)).then((response) => response.body as PaymentView));
      expect(first).toMatchObject({ hasMore: true, nextCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
      expect(await allPages('?limit=2')).toEqual({ ids: newestFirst(created), pages: 3 });
      expect((await list('')).data.map((payment) => payment.id)).toEqual(newestFirst(created));
    });

    it('should show merchant B only its own payment', async () => {
      const page = await list('', asB);

      expect(page.data.map((payment) => payment.merchantId)).toEqual([MERCHANT_B.merchantId]);
      expect(page).toMatchObject({ hasMore: false, nextCursor: null });
    });
  });

  describe('when filtering', () => {
    it('should filter by status, customer, gateway and a half-open created range, alone or together', async () => {
      const gateway = created[0]?.gateway as string;
      const iso = (ms: number): string => new Date(ms).toISOString();

      expect((await allPages('?status=FAILED')).ids).toEqual([created[1]?.id]);
      expect((await allPages('?customerId=cus_1&limit=1')).ids).toEqual(newestFirst(created.filter((p) => p.customerId === 'cus_1')));
      expect((await allPages(`?gateway=${gateway}`)).ids).toEqual(newestFirst(created.filter((p) => p.gateway === gateway)));
      expect((await allPages(`?createdFrom=${iso(start + 1_000)}&createdBefore=${iso(start + 3_000)}`)).ids).toEqual([created[2]?.id, created[1]?.id]);
      expect((await allPages(`?status=PAID&customerId=cus_2&createdFrom=${iso(start)}`)).ids).toEqual([created[3]?.id]);
      expect(await list('?customerId=cus_404')).toEqual({ data: [], hasMore: false, nextCursor: null });
    });
  });

  describe('when the query is invalid', () => {
    it.each([
      ['limit=0', 'query:limit'],
      ['limit=101', 'query:limit'],
      ['limit=2.5', 'query:limit'],
      ['status=LOST', 'query:status'],
      ['createdFrom=yesterday', 'query:createdFrom'],
      ['createdBefore=2026-01-01T00:00:00', 'query:createdBefore'],
      ['customerId=a%20b', 'query:customerId'],
      ['limit=1&limit=2', 'query:limit'],
      ['sort=amount', 'query:sort'],
    ])('should answer %s with 400 REQUEST.VALIDATION_FAILED naming %s', async (query, field) => {
      const response = await asA(api.http().get(`/v1/payments?${query}`));

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body as ProblemDetails).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED', errors: [expect.objectContaining({ field })] });
    });

    it('should refuse a card number in the query without repeating it', async () => {
      const response = await asA(api.http().get('/v1/payments?customerId=4242424242424242'));

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'PAYMENT.CARD_DATA_DETECTED', errors: [expect.objectContaining({ field: 'query:customerId' })] });
      expect(response.text).not.toContain('4242424242424242');
    });
  });

  describe('when the cursor was not issued by the API', () => {
    it.each([
      ['garbage', 'not-a-cursor!'],
      ['a base64url text that is no cursor', Buffer.from('hello').toString('base64url')],
      ['a cursor of another version', Buffer.from('v2.1767225600000.pay_1').toString('base64url')],
      ['a cursor whose instant is not a number', Buffer.from('v1.soon.pay_1').toString('base64url')],
    ])('should answer %s with 400 REQUEST.INVALID_CURSOR', async (_name, cursor) => {
      const response = await asA(api.http().get(`/v1/payments?cursor=${encodeURIComponent(cursor)}`));

      expect(response.status).toBe(400);
      expect(response.body as ProblemDetails).toMatchObject({ code: 'REQUEST.INVALID_CURSOR', errors: [expect.objectContaining({ field: 'query:cursor' })] });
    });

    it('should refuse an issued cursor with one character changed', async () => {
      const { nextCursor } = await list('?limit=1');
      const cursor = nextCursor as string;
      const tampered = `${cursor.slice(0, 3)}${cursor[3] === 'A' ? 'B' : 'A'}${cursor.slice(4)}`;

      const response = await asA(api.http().get(`/v1/payments?cursor=${tampered}`));

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).code).toBe('REQUEST.INVALID_CURSOR');
    });
  });

  describe('without an API key', () => {
    it('should answer 401', async () => {
      expect((await api.http().get('/v1/payments')).status).toBe(401);
    });
  });

  describe('GET /v1/payments/:id/refunds', () => {
    it('should list the refunds of the payment, in the order asked, and nothing for another merchant', async () => {
      const payment = created[0] as PaymentView;
      for (const [index, amount] of [300, 200].entries()) {
        const refund = await asA(api.http().post(`/v1/payments/${payment.id}/refunds`)).set('Idempotency-Key', `refund-list-${index}`).send({ amount });
        expect(refund.status).toBe(201);
      }

      const response = await asA(api.http().get(`/v1/payments/${payment.id}/refunds`));
      const other = await asB(api.http().get(`/v1/payments/${payment.id}/refunds`));

      expect(response.status).toBe(200);
      expect((response.body as RefundListBody).data.map((refund) => [refund.amount, refund.status, refund.currency])).toEqual([
        [300, 'SUCCEEDED', 'EUR'],
        [200, 'SUCCEEDED', 'EUR'],
      ]);
      expect(other.status).toBe(404);
      expect((other.body as ProblemDetails).code).toBe('PAYMENT.NOT_FOUND');
    });

    it('should answer an empty list for a payment never refunded, and 404 for one that does not exist', async () => {
      expect((await asA(api.http().get(`/v1/payments/${created[3]?.id ?? ''}/refunds`))).body).toEqual({ data: [] });
      expect((await asA(api.http().get('/v1/payments/pay_missing/refunds'))).status).toBe(404);
    });
  });
});
