import type { Response, Test } from 'supertest';
import type { z } from 'zod';
import { MERCHANT_A, startApi, testDialects, type ApiHarness } from '../__fixtures__/api-harness';
import type { PaymentResponseBody } from '../payment.view';
import { PROBLEM_TYPES, type ProblemDetails } from '../problem-details';
import { apiDocumentation } from './api-documentation';
import { API_OPERATIONS, type ApiOperation } from './api-operations';
import { problemsByStatus } from './openapi.document';
import { problemSchema } from './response.schemas';

const withKey = (test: Test): Test => test.set('Authorization', `Bearer ${MERCHANT_A.key}`);

/** The operation whose path template matches a concrete path (`/v1/payments/pay_1` → `/v1/payments/{id}`). */
function operationAt(method: string, path: string): ApiOperation {
  const bare = path.split('?')[0] as string;
  const operation = API_OPERATIONS.find(
    (candidate) => candidate.method === method.toLowerCase() && new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(bare),
  );
  if (operation === undefined) throw new Error(`No documented operation for ${method} ${bare}`);
  return operation;
}

/** Problems that are not this route's own: a domain validation's `PAYMENT.*` or `MONEY.*` code on 422. */
function codeDocumented(codes: readonly string[], code: string): boolean {
  return codes.includes(code) || codes.some((listed) => listed.endsWith('.*') && code.startsWith(listed.slice(0, -1)) && PROBLEM_TYPES[code] === undefined);
}

/**
 * Checks an answer against the document: its status is documented for the operation, a success
 * body matches the documented (strict) schema, a problem is a Problem with a code listed for that
 * status, which has that status in the catalog.
 */
function expectDocumented(method: string, path: string, response: Response): void {
  const operation = operationAt(method, path);
  const call = `${method} ${path} → ${response.status}`;
  const success = operation.success[response.status];
  if (success !== undefined) {
    if ('mediaType' in success.body) {
      const essence = (type: string | undefined): string | undefined => type?.split(';')[0]?.trim();
      expect({ call, type: essence(response.headers['content-type']) }).toEqual({ call, type: essence(success.body.mediaType) });
      return;
    }
    const parsed = (success.body as z.ZodType).safeParse(response.body);
    expect({ call, issues: parsed.error?.issues ?? [] }).toEqual({ call, issues: [] });
    return;
  }
  const codes = problemsByStatus(operation).get(response.status);
  expect({ call, documented: codes !== undefined }).toEqual({ call, documented: true });
  const problem = response.body as ProblemDetails;
  expect({ call, type: response.headers['content-type'] }).toEqual({ call, type: 'application/problem+json; charset=utf-8' });
  expect({ call, issues: problemSchema.safeParse(problem).error?.issues ?? [] }).toEqual({ call, issues: [] });
  expect({ call, code: problem.code, listed: codeDocumented(codes ?? [], problem.code) }).toEqual({ call, code: problem.code, listed: true });
  if (PROBLEM_TYPES[problem.code] !== undefined) expect({ call, status: PROBLEM_TYPES[problem.code]?.status }).toEqual({ call, status: response.status });
}

describe.each(testDialects('OpenAPI document over HTTP'))('the OpenAPI document against the server on %s', (dialect) => {
  let api: ApiHarness;
  let keys = 0;
  const key = (): string => `openapi-${(keys += 1)}`;
  const { document, page } = apiDocumentation();
  const cardExample = API_OPERATIONS.find((operation) => operation.operationId === 'createPayment')?.body?.examples?.['card']?.value;

  async function send(method: 'get' | 'post', path: string, options: { readonly auth?: boolean; readonly idempotency?: boolean; readonly body?: unknown } = {}): Promise<Response> {
    let test = api.http()[method](path);
    if (options.auth ?? true) test = withKey(test);
    if (options.idempotency === true) test = test.set('Idempotency-Key', key());
    const response = await (options.body === undefined ? test : test.send(options.body as object));
    expectDocumented(method.toUpperCase(), path, response);
    return response;
  }

  async function aPayment(body: unknown = cardExample): Promise<string> {
    const response = await send('post', '/v1/payments', { idempotency: true, body });
    return (response.body as PaymentResponseBody).payment.id;
  }

  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api.stop();
  });

  it('should serve the document at /openapi.json and a self-contained page of it at /docs', async () => {
    const json = await send('get', '/openapi.json', { auth: false });
    const html = await send('get', '/docs', { auth: false });

    expect(json.body).toEqual(JSON.parse(JSON.stringify(document)));
    expect(html.text).toBe(page);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page).not.toMatch(/<script|<link|<img|\ssrc=|url\(/i);
    for (const operation of API_OPERATIONS) expect(page).toContain(`id="${operation.operationId}"`);
  });

  describe.each(API_OPERATIONS.flatMap((operation) => Object.entries(operation.body?.examples ?? {}).map(([name, example]) => [`${operation.operationId} ${name}`, operation, example.value] as const)))(
    'the request example %s',
    (_name, operation, value) => {
      it('should be accepted with the operation’s first documented success status', async () => {
        const path = operation.path.includes('{id}') ? operation.path.replace('{id}', await aPayment()) : operation.path;

        const response = await send(operation.method, path, { idempotency: operation.idempotencyKey === true, body: value });

        expect(response.status).toBe(Number(Object.keys(operation.success)[0]));
      });
    },
  );

  it('should accept the query parameter examples, together and one by one', async () => {
    const listing = API_OPERATIONS.find((operation) => operation.operationId === 'listPayments') as ApiOperation;
    const parameters = document.paths[listing.path]?.[listing.method]?.parameters.filter((parameter) => parameter.in === 'query' && parameter.example !== undefined) ?? [];
    const query = (list: typeof parameters): string => list.map((parameter) => `${parameter.name}=${encodeURIComponent(String(parameter.example))}`).join('&');

    expect(parameters.length).toBeGreaterThanOrEqual(6);
    expect((await send('get', `/v1/payments?${query(parameters)}`)).status).toBe(200);
    for (const parameter of parameters) expect((await send('get', `/v1/payments?${query([parameter])}`)).status).toBe(200);
  });

  it('should answer every operation without an example with its documented success', async () => {
    const id = await aPayment();
    const next = (await send('get', '/v1/payments?limit=1')).body as { nextCursor: string };

    for (const path of [`/v1/payments/${id}`, `/v1/payments/${id}/refunds`, `/v1/payments?cursor=${next.nextCursor}`, '/v1/gateways']) expect((await send('get', path)).status).toBe(200);
    for (const path of ['/livez', '/readyz', '/healthz', '/metrics']) expect((await send('get', path, { auth: false })).status).toBe(200);
  });

  it('should answer refused requests with documented statuses and problem codes', async () => {
    const declined = await aPayment({ ...(cardExample as object), paymentMethod: { type: 'CARD', token: 'tok_decline_insufficient_funds' } });
    const paid = await aPayment();
    const reused = key();

    const answers = [
      await send('get', '/v1/payments', { auth: false }),
      await send('get', '/v1/payments?limit=0'),
      await send('get', '/v1/payments?cursor=not-a-cursor'),
      await send('get', '/v1/payments/pay_missing'),
      await send('get', '/v1/payments/pay_missing/refunds'),
      await send('post', '/v1/payments', { body: cardExample }),
      await send('post', '/v1/payments', { idempotency: true }),
      await send('post', '/v1/payments', { idempotency: true, body: { ...(cardExample as object), currency: 'XYZ' } }),
      await send('post', '/v1/payments', { idempotency: true, body: { ...(cardExample as object), note: '4242 4242 4242 4242' } }),
      await send('post', '/v1/payments', { idempotency: true, body: { ...(cardExample as object), padding: 'p'.repeat(20_000) } }),
      await send('post', `/v1/payments/${declined}/refunds`, { idempotency: true, body: {} }),
      await send('post', `/v1/payments/${paid}/refunds`, { idempotency: true, body: { amount: 1_000_000 } }),
      await send('post', '/v1/psp-webhooks/stripe', { auth: false, body: {} }),
    ];
    const malformed = await withKey(api.http().post('/v1/payments')).set('Idempotency-Key', key()).set('Content-Type', 'application/json').send('{"amount": ');
    const plain = await withKey(api.http().post('/v1/payments')).set('Idempotency-Key', key()).set('Content-Type', 'text/plain').send('amount=1');
    await withKey(api.http().post('/v1/payments')).set('Idempotency-Key', reused).send(cardExample as object);
    const keyReused = await withKey(api.http().post('/v1/payments')).set('Idempotency-Key', reused).send({ ...(cardExample as object), amount: 1 });
    for (const response of [malformed, plain, keyReused]) expectDocumented('POST', '/v1/payments', response);

    expect([...answers, malformed, plain, keyReused].map((response) => [response.status, (response.body as ProblemDetails).code])).toEqual([
      [401, 'AUTH.MISSING_CREDENTIALS'],
      [400, 'REQUEST.VALIDATION_FAILED'],
      [400, 'REQUEST.INVALID_CURSOR'],
      [404, 'PAYMENT.NOT_FOUND'],
      [404, 'PAYMENT.NOT_FOUND'],
      [400, 'IDEMPOTENCY.KEY_MISSING'],
      [400, 'REQUEST.BODY_REQUIRED'],
      [422, 'MONEY.UNKNOWN_CURRENCY'],
      [400, 'PAYMENT.CARD_DATA_DETECTED'],
      [413, 'REQUEST.BODY_TOO_LARGE'],
      [409, 'PAYMENT.ILLEGAL_TRANSITION'],
      [422, 'PAYMENT.REFUND_EXCEEDS_CAPTURED'],
      [404, 'WEBHOOK.UNKNOWN_CONNECTOR'],
      [400, 'REQUEST.MALFORMED_JSON'],
      [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
      [422, 'IDEMPOTENCY.KEY_REUSED'],
    ]);
  });

  it('should have answered, by the server’s own count, only statuses the document lists for each route', async () => {
    const unmatched = await api.http().get('/v1/nowhere');
    const metrics = (await api.http().get('/metrics')).text;

    const answered = [...metrics.matchAll(/^aegispay_http_request_duration_seconds_count\{method="(\w+)",route="([^"]+)",status="(\d+)"\} \d+$/gm)].map(([, method, route, status]) => ({
      method: (method as string).toLowerCase(),
      path: (route as string).replace(/:(\w+)/g, '{$1}'),
      status: Number(status),
    }));
    const undocumented = answered.filter(({ method, path, status }) => {
      if (path === 'unmatched') return status !== 404;
      const operation = API_OPERATIONS.find((candidate) => candidate.method === method && candidate.path === path);
      return operation === undefined || (operation.success[status] === undefined && !problemsByStatus(operation).has(status));
    });

    expect(unmatched.status).toBe(404);
    expect(answered.length).toBeGreaterThanOrEqual(API_OPERATIONS.length);
    expect(undocumented).toEqual([]);
  });
});
