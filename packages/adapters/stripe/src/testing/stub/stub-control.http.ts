import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StripeStubControl } from './stub-control';
import type { FaultScope, StubFault, StubOperation } from './stub-faults';

/** The control endpoints of a stub process, under `/_stub/` on its port (Bearer secret key, JSON). */
interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: RegExp;
  readonly run: (control: StripeStubControl, match: RegExpExecArray, body: Record<string, unknown>, url: URL) => Promise<unknown>;
}

const scopeOf = (body: Record<string, unknown>): FaultScope => (body['operation'] === undefined ? {} : { operation: body['operation'] as StubOperation });
const timesOf = (body: Record<string, unknown>): number | undefined => (body['times'] === undefined ? undefined : Number(body['times']));

const ROUTES: readonly ControlRoute[] = [
  { method: 'POST', path: /^\/_stub\/faults$/, run: (c, _m, b) => c.injectFault(b['fault'] as StubFault, { ...scopeOf(b), ...withTimes(timesOf(b)) }) },
  { method: 'POST', path: /^\/_stub\/fault-rates$/, run: (c, _m, b) => c.setFaultRate(b['fault'] as StubFault, Number(b['rate']), scopeOf(b)) },
  { method: 'DELETE', path: /^\/_stub\/faults$/, run: (c) => c.clearFaults() },
  { method: 'POST', path: /^\/_stub\/held\/wait$/, run: (c, _m, b) => c.waitForHeld(b['count'] === undefined ? 1 : Number(b['count'])) },
  { method: 'POST', path: /^\/_stub\/held\/release$/, run: async (c) => ({ released: await c.releaseHeld() }) },
  { method: 'POST', path: /^\/_stub\/async-payments$/, run: (c, _m, b) => c.processNextAsync(timesOf(b)) },
  { method: 'POST', path: /^\/_stub\/async-refunds$/, run: (c, _m, b) => c.refundNextAsync(timesOf(b)) },
  { method: 'POST', path: /^\/_stub\/payment_intents\/([\w]+)\/complete-action$/, run: (c, m, b) => c.completeAction(m[1] as string, b['outcome'] as 'succeed' | 'fail') },
  { method: 'POST', path: /^\/_stub\/payment_intents\/([\w]+)\/settle$/, run: (c, m, b) => c.settlePaymentIntent(m[1] as string, b['outcome'] as 'succeeded' | 'failed') },
  { method: 'POST', path: /^\/_stub\/refunds\/([\w]+)\/settle$/, run: (c, m, b) => c.settleRefund(m[1] as string, b['outcome'] as 'succeeded' | 'failed') },
  { method: 'GET', path: /^\/_stub\/ledger$/, run: (c, _m, _b, url) => c.ledger(url.searchParams.get('reference') ?? undefined) },
  { method: 'GET', path: /^\/_stub\/charges$/, run: (c, _m, _b, url) => c.chargesFor(url.searchParams.get('reference') ?? '') },
  { method: 'GET', path: /^\/_stub\/events$/, run: (c) => c.events() },
  { method: 'POST', path: /^\/_stub\/webhooks\/flush$/, run: (c) => c.flushWebhooks() },
  { method: 'POST', path: /^\/_stub\/events\/([\w]+)\/redeliver$/, run: async (c, m) => ({ status: await c.redeliverEvent(m[1] as string) }) },
  { method: 'GET', path: /^\/_stub\/health$/, run: async () => ({ ok: true }) },
];

function withTimes(times: number | undefined): { times?: number } {
  return times === undefined ? {} : { times };
}

/**
 * Serves the control API of a stub run as its own process. Answers 200 with the result as JSON
 * (`{}` for none), 400 with `{ error: { message } }` when the control refuses, 401 without the
 * secret key, 404 for an unknown endpoint.
 */
export async function serveControl(control: StripeStubControl, secretKey: string, request: IncomingMessage, response: ServerResponse, url: URL, body: string): Promise<void> {
  if (request.headers.authorization !== `Bearer ${secretKey}`) return reply(response, 401, { error: { message: 'The stub control needs the secret key as a Bearer token.' } });
  for (const route of ROUTES) {
    const match = route.method === request.method ? route.path.exec(url.pathname) : null;
    if (match === null) continue;
    let input: Record<string, unknown> = {};
    try {
      input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      return reply(response, 200, (await route.run(control, match, input, url)) ?? {});
    } catch (error) {
      return reply(response, 400, { error: { message: error instanceof Error ? error.message : String(error) } });
    }
  }
  return reply(response, 404, { error: { message: `No stub control endpoint ${request.method ?? ''} ${url.pathname}.` } });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Where a stub process listens and its secret key. */
export interface StripeStubConnection {
  /** The stub's base URL, as it printed it (`http://127.0.0.1:12111`). */
  readonly url: string;
  readonly secretKey: string;
}

/** A refusal of the stub's control API. */
export class StubControlError extends Error {}

/** The control of a stub running as its own process, over its `/_stub/` endpoints. */
export function connectStripeStub(connection: StripeStubConnection): StripeStubControl {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, connection.url), {
      method,
      headers: { Authorization: `Bearer ${connection.secretKey}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T & { error?: { message: string } };
    if (!response.ok) throw new StubControlError(json.error?.message ?? `stub control answered ${response.status}`);
    return json;
  };
  const id = (value: string): string => encodeURIComponent(value);
  const none = async (promise: Promise<unknown>): Promise<void> => {
    await promise;
  };
  return {
    injectFault: (fault, options = {}) => none(call('POST', '/_stub/faults', { fault, ...options })),
    setFaultRate: (fault, rate, options = {}) => none(call('POST', '/_stub/fault-rates', { fault, rate, ...options })),
    clearFaults: () => none(call('DELETE', '/_stub/faults')),
    waitForHeld: (count = 1) => none(call('POST', '/_stub/held/wait', { count })),
    releaseHeld: async () => (await call<{ released: number }>('POST', '/_stub/held/release')).released,
    processNextAsync: (times = 1) => none(call('POST', '/_stub/async-payments', { times })),
    refundNextAsync: (times = 1) => none(call('POST', '/_stub/async-refunds', { times })),
    completeAction: (pi, outcome) => call('POST', `/_stub/payment_intents/${id(pi)}/complete-action`, { outcome }),
    settlePaymentIntent: (pi, outcome) => call('POST', `/_stub/payment_intents/${id(pi)}/settle`, { outcome }),
    settleRefund: (re, outcome) => call('POST', `/_stub/refunds/${id(re)}/settle`, { outcome }),
    ledger: (reference) => call('GET', reference === undefined ? '/_stub/ledger' : `/_stub/ledger?reference=${id(reference)}`),
    chargesFor: (reference) => call('GET', `/_stub/charges?reference=${id(reference)}`),
    events: () => call('GET', '/_stub/events'),
    flushWebhooks: () => none(call('POST', '/_stub/webhooks/flush')),
    redeliverEvent: async (eventId) => (await call<{ status: number }>('POST', `/_stub/events/${id(eventId)}/redeliver`)).status,
  };
}
