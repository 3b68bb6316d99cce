import { connect } from 'node:net';
import type { Response } from 'supertest';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

const CARD = '4111111111111111';
const CARD_SPACED = '4242 4242 4242 4242';
const LIMIT = 4_096;

interface HostileCase {
  readonly name: string;
  /** A value to send as JSON, or a raw string body. */
  readonly body: unknown;
  readonly raw?: boolean;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly code: string;
  /** The field the first field error names. */
  readonly field?: string;
  /** Text that must not appear in the response or the logs. */
  readonly secret?: string;
}

const payment = (overrides: Record<string, unknown>): Record<string, unknown> => aPaymentBody(overrides);
const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
/** The rest of a valid payment body, as raw JSON. */
const REST = '"currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_visa_test_4242"}';

const PAYMENT_CASES: readonly HostileCase[] = [
  { name: 'malformed JSON', body: '{"amount": 1999, "currency": ', raw: true, status: 400, code: 'REQUEST.MALFORMED_JSON' },
  { name: 'JSON quoting a card number in its syntax error', body: `{"note": ${CARD}x}`, raw: true, status: 400, code: 'REQUEST.MALFORMED_JSON', secret: CARD },
  { name: 'an empty body', body: '', raw: true, status: 400, code: 'REQUEST.BODY_REQUIRED' },
  { name: 'a form-encoded body', body: 'amount=1999&currency=EUR', raw: true, contentType: 'application/x-www-form-urlencoded', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON in another charset', body: JSON.stringify(payment({})), raw: true, contentType: 'application/json; charset=latin1', status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a body over the size limit', body: payment({ description: 'x'.repeat(LIMIT) }), status: 413, code: 'REQUEST.BODY_TOO_LARGE' },
  { name: 'a body far over the size limit', body: payment({ metadata: { blob: 'y'.repeat(100_000) } }), status: 413, code: 'REQUEST.BODY_TOO_LARGE' },
  { name: 'deeply nested JSON', body: `{"amount": 1999, "metadata": ${nested(1_000)}}`, raw: true, status: 400, code: 'REQUEST.TOO_DEEP' },
  { name: 'a top-level array', body: [payment({})], status: 400, code: 'REQUEST.VALIDATION_FAILED', field: '' },
  { name: 'a top-level null', body: 'null', raw: true, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: '' },
  { name: 'a float amount', body: payment({ amount: 19.99 }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'an amount as a string', body: payment({ amount: '1999' }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'an amount beyond double precision', body: '{"amount": 1e400, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_visa_test_4242"}}', raw: true, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'an amount above the safe integers', body: payment({ amount: 1e20 }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'a zero amount', body: payment({ amount: 0 }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'a negative amount', body: payment({ amount: -100 }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'a lower-case currency', body: payment({ currency: 'eur' }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'currency' },
  { name: 'an unknown payment method type', body: payment({ paymentMethod: { type: 'CRYPTO', token: 'tok_abc' } }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'paymentMethod.type' },
  { name: 'a missing payment method', body: { amount: 1999, currency: 'EUR' }, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'paymentMethod' },
  { name: 'an unknown field', body: payment({ capture: false }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'capture' },
  { name: 'a merchantId in the body', body: payment({ merchantId: 'merchant_b' }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'merchantId' },
  { name: 'an unknown nested field', body: payment({ paymentMethod: { type: 'CARD', token: 'tok_abc', cvv: '123' } }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'paymentMethod.cvv' },
  { name: 'a __proto__ key', body: '{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_abc"}, "__proto__": {"admin": true}}', raw: true, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: '__proto__' },
  { name: 'a __proto__ metadata key', body: '{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_abc"}, "metadata": {"__proto__": "x"}}', raw: true, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'metadata.__proto__' },
  { name: 'metadata with an object value', body: payment({ metadata: { cart: { items: 3 } } }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'metadata.cart' },
  { name: 'metadata with 51 keys', body: payment({ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, index])) }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'metadata' },
  { name: 'a control character in the description', body: payment({ description: 'line\u0000break' }), status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'description' },
  { name: 'a card number as the token', body: payment({ paymentMethod: { type: 'CARD', token: CARD } }), status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'paymentMethod.token', secret: CARD },
  { name: 'a spaced card number in the description', body: payment({ description: `card ${CARD_SPACED} exp 12/29` }), status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'description', secret: CARD_SPACED },
  { name: 'a card number in nested metadata', body: payment({ metadata: { note: `pan:${CARD}` } }), status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'metadata.note', secret: CARD },
  { name: 'a card number as a JSON number', body: `{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_abc"}, "metadata": {"n": ${CARD}}}`, raw: true, status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'metadata.n', secret: CARD },
  { name: 'a card number as a metadata key', body: payment({ metadata: { [CARD]: 'x' } }), status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'metadata.<key>', secret: CARD },
  { name: 'a card number deep in an unknown field', body: payment({ card: { details: [{ number: CARD }] } }), status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'card.details[0].number', secret: CARD },
  { name: 'a card number in the Idempotency-Key', body: payment({}), headers: { 'Idempotency-Key': CARD }, status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'header:Idempotency-Key', secret: CARD },
  { name: 'a key given twice', body: `{"amount": 1999, "amount": 1, ${REST}}`, raw: true, status: 400, code: 'REQUEST.DUPLICATE_KEY', field: 'amount' },
  { name: 'a nested key given twice, once escaped', body: `{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_a", "t\\u006fken": "tok_b"}}`, raw: true, status: 400, code: 'REQUEST.DUPLICATE_KEY', field: 'paymentMethod.token' },
  { name: 'a duplicated token whose first copy is a card number', body: `{"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "${CARD}", "token": "tok_b"}}`, raw: true, status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'paymentMethod.token', secret: CARD },
  { name: 'a lone high surrogate', body: `{"amount": 1999, ${REST}, "description": "\\ud800x"}`, raw: true, status: 400, code: 'REQUEST.INVALID_UNICODE', field: 'description' },
  { name: 'a lone low surrogate in a metadata key', body: `{"amount": 1999, ${REST}, "metadata": {"k\\udc00": "v"}}`, raw: true, status: 400, code: 'REQUEST.INVALID_UNICODE' },
];

const REFUND_CASES: readonly HostileCase[] = [
  { name: 'a float amount', body: { amount: 5.5 }, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'a zero amount', body: { amount: 0 }, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'amount' },
  { name: 'an unknown field', body: { amount: 100, currency: 'EUR' }, status: 400, code: 'REQUEST.VALIDATION_FAILED', field: 'currency' },
  { name: 'a card number in the reason', body: { reason: `refund to ${CARD}` }, status: 400, code: 'PAYMENT.CARD_DATA_DETECTED', field: 'reason', secret: CARD },
  { name: 'malformed JSON', body: '{"amount":', raw: true, status: 400, code: 'REQUEST.MALFORMED_JSON' },
  { name: 'a body over the size limit', body: { reason: 'r'.repeat(LIMIT) }, status: 413, code: 'REQUEST.BODY_TOO_LARGE' },
  { name: 'a key given twice', body: '{"amount": 100, "amount": 5000}', raw: true, status: 400, code: 'REQUEST.DUPLICATE_KEY', field: 'amount' },
  { name: 'a lone surrogate in the reason', body: '{"reason": "\\udbff"}', raw: true, status: 400, code: 'REQUEST.INVALID_UNICODE', field: 'reason' },
];

describe.each(testDialects('HTTP API hostile requests'))('hostile requests on %s', (dialect) => {
  let api: ApiHarness;
  let keys = 0;
  let paymentId: string;

  beforeAll(async () => {
    api = await startApi(dialect, { bodyLimitBytes: LIMIT });
    const paid = await api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', 'the-one-payment').send(aPaymentBody());
    paymentId = (paid.body as PaymentResponseBody).payment.id;
  });
  afterAll(async () => {
    await api.stop();
  });

  async function snapshot(): Promise<readonly number[]> {
    return [
      await api.count('payments'),
      await api.count('idempotency_keys'),
      await api.count('payment_refunds'),
      await api.count('outbox_messages'),
      api.charges(),
      api.gatewayRefunds(),
    ];
  }

  async function send(path: string, hostile: HostileCase): Promise<Response> {
    keys += 1;
    let test = api.http().post(path).set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', `hostile-${keys}`);
    for (const [name, value] of Object.entries(hostile.headers ?? {})) test = test.set(name, value);
    const contentType = hostile.contentType ?? 'application/json';
    return test.set('Content-Type', contentType).send(hostile.raw === true ? (hostile.body as string) : JSON.stringify(hostile.body));
  }

  function expectProblem(response: Response, hostile: HostileCase): void {
    expect(response.status).toBe(hostile.status);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = response.body as Record<string, unknown>;
    expect(problem).toMatchObject({ type: `tag:aegispay.dev,2026:problems/${hostile.code}`, status: hostile.status, code: hostile.code, requestId: response.headers['x-request-id'] });
    expect(typeof problem['title']).toBe('string');
    expect(typeof problem['detail']).toBe('string');
    expect(typeof problem['instance']).toBe('string');
    if (hostile.field !== undefined) expect((problem['errors'] as { field: string }[])[0]?.field).toBe(hostile.field);
    expect(response.text).not.toMatch(/\n\s+at |stack/i);
    if (hostile.secret !== undefined) {
      expect(response.text).not.toContain(hostile.secret);
      expect(api.logs()).not.toContain(hostile.secret);
    }
  }

  describe('POST /v1/payments', () => {
    it.each(PAYMENT_CASES.map((hostile) => [hostile.name, hostile] as const))('should refuse %s with a problem response and store nothing', async (_name, hostile) => {
      const before = await snapshot();

      const response = await send('/v1/payments', hostile);

      expectProblem(response, hostile);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('POST /v1/payments/:id/refunds', () => {
    it.each(REFUND_CASES.map((hostile) => [hostile.name, hostile] as const))('should refuse %s with a problem response and store nothing', async (_name, hostile) => {
      const before = await snapshot();

      const response = await send(`/v1/payments/${paymentId}/refunds`, hostile);

      expectProblem(response, hostile);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('GET /v1/payments/:id', () => {
    describe('when the id in the path looks like a card number or cannot be decoded', () => {
      it.each([[`/v1/payments/${CARD}`], ['/v1/payments/%E0%A4%A']])('should answer a problem for %s without echoing it', async (path) => {
        const response = await api.http().get(path).set('Authorization', `Bearer ${MERCHANT_A.key}`);

        expect([400, 404]).toContain(response.status);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(response.text).not.toContain(CARD);
        expect(api.logs()).not.toContain(CARD);
      });
    });
  });

  describe('a request the HTTP parser refuses, or whose expectation Node would answer bare', () => {
    /** Sends raw bytes and resolves with everything the server answered before closing. */
    function raw(text: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () => socket.write(text));
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
    }

    it.each([
      ['a malformed header', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n', 400, 'HTTP.BAD_REQUEST'],
      ['headers above 16 KiB', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`, 431, 'HTTP.HEADERS_TOO_LARGE'],
      ['an Expect header other than 100-continue', 'POST /v1/payments HTTP/1.1\r\nHost: localhost\r\nExpect: bogus\r\nContent-Length: 0\r\n\r\n', 417, 'HTTP.EXPECTATION_FAILED'],
    ])('should answer %s with a problem and close the connection', async (_name, request, status, code) => {
      const answer = await raw(request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');

      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head).toContain('Content-Type: application/problem+json; charset=utf-8');
      expect(head).toContain('Connection: close');
      expect(JSON.parse(body)).toMatchObject({ status, code, type: `tag:aegispay.dev,2026:problems/${code}`, requestId: expect.stringMatching(/^req_/) });
    });
  });

  describe('an unknown route', () => {
    it('should answer a 404 problem', async () => {
      const response = await api.http().delete('/v1/payments');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'HTTP.NOT_FOUND', instance: '/v1/payments' });
    });
  });
});
