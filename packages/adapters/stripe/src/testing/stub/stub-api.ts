import type { IncomingMessage, ServerResponse } from 'node:http';
import { canonicalJson, type Clock } from '@aegispay/domain';
import { FormBodyError, decodeForm, type FormParams } from './form-body';
import type { StubEngine, StubRequestContext } from './stub-engine';
import type { FaultPlan, StubFault, StubOperation, WaitingRequests } from './stub-faults';
import type { StubLedger } from './stub-ledger';
import { errorBody, stripeId, type StubObject } from './stub-objects';
import { InvalidStubRequest, type StubAnswer } from './stub-params';

/** Stripe keeps idempotency keys for 24 hours. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

/** The API version the stub reports when a request names none. */
export const STUB_DEFAULT_API_VERSION = '2026-10-28.endive';

/** What the Stripe API handler needs from the stub. */
export interface StubApiDependencies {
  readonly ledger: StubLedger;
  readonly engine: StubEngine;
  readonly faults: FaultPlan;
  readonly waiting: WaitingRequests;
  readonly clock: Clock;
  readonly secretKey: string;
  readonly baseUrl: () => string;
  /** Called after a request committed changes (events to deliver). */
  readonly committed: () => void;
}

interface Route {
  readonly operation: StubOperation;
  readonly id?: string;
}

/**
 * Stripe's API as the stub serves it: Bearer (or Basic) secret-key authentication, form-encoded
 * bodies, Stripe's error envelope and status codes, and its idempotency semantics — an answer saved
 * under an `Idempotency-Key` is replayed with `Idempotent-Replayed: true` for 24 hours, the same key
 * with other parameters is a 400 `idempotency_error`, and the same key while the first request is
 * still being carried out is a 409.
 */
export class StubApi {
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: StubApiDependencies) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: string): Promise<void> {
    const requestId = stripeId('req');
    const apiVersion = headerOf(request, 'stripe-version') ?? STUB_DEFAULT_API_VERSION;
    const base: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': apiVersion };
    const refused = this.authenticate(request);
    if (refused !== undefined) return send(response, 401, refused, base);
    const route = routeOf(request.method ?? 'GET', url.pathname);
    if (route === undefined) {
      return send(response, 404, errorBody('invalid_request_error', `Unrecognized request URL (${request.method ?? 'GET'}: ${url.pathname}).`), base);
    }
    const key = request.method === 'POST' ? headerOf(request, 'idempotency-key') : undefined;
    let params: FormParams = {};
    try {
      if (request.method === 'POST') params = decodeForm(body);
    } catch (error) {
      if (error instanceof FormBodyError) return send(response, 400, errorBody('invalid_request_error', error.message), base);
      throw error;
    }
    const fingerprint = canonicalJson({ path: url.pathname, params });
    // Front-door faults come before Stripe's idempotency layer; a drop applies to any answer.
    const fault = this.deps.faults.take(route.operation);
    if (fault?.kind === 'error' && fault.status !== 500) return answer(response, frontDoorFailure(fault.status), base, undefined);
    if (key !== undefined) {
      base['Idempotency-Key'] = key;
      const early = this.replayOrRefuse(key, fingerprint);
      if (early !== undefined) return answer(response, early, base, fault);
      this.inFlight.add(key);
    }
    const context: StubRequestContext = { nowMs: this.deps.clock.now(), requestId, idempotencyKey: key ?? null, apiVersion, baseUrl: this.deps.baseUrl() };
    let result: StubAnswer | undefined;
    try {
      result = await this.carryOut(route, params, context, fault, key, fingerprint);
    } finally {
      if (key !== undefined) this.inFlight.delete(key);
    }
    if (result === undefined) {
      response.socket?.destroy();
      return undefined;
    }
    this.deps.committed();
    return answer(response, result, base, fault);
  }

  /** Carries the request out under its fault; `undefined` when the stub closed while it waited. */
  private async carryOut(route: Route, params: FormParams, context: StubRequestContext, fault: StubFault | undefined, key: string | undefined, fingerprint: string): Promise<StubAnswer | undefined> {
    if (fault?.kind === 'hold' && !(await this.deps.waiting.hold())) return undefined;
    if (fault?.kind === 'delay' && !(await this.deps.waiting.delay(fault.ms))) return undefined;
    const { ledger, engine } = this.deps;
    return ledger.transaction(() => {
      let answer: StubAnswer;
      try {
        answer = fault?.kind === 'error' ? internalError() : this.execute(engine, route, params, { ...context, nowMs: this.deps.clock.now() });
      } catch (error) {
        if (error instanceof InvalidStubRequest) return error.answer();
        throw error;
      }
      if (key !== undefined && answer.saved) {
        ledger.saveResponse(key, { fingerprint, status: answer.status, body: JSON.stringify(answer.body), headers: { ...answer.headers }, createdMs: this.deps.clock.now() });
      }
      return answer;
    });
  }

  private execute(engine: StubEngine, route: Route, params: FormParams, context: StubRequestContext): StubAnswer {
    switch (route.operation) {
      case 'payment_intents.create':
        return engine.createPaymentIntent(params, context);
      case 'payment_intents.retrieve':
        return engine.retrievePaymentIntent(route.id as string);
      case 'refunds.create':
        return engine.createRefund(params, context);
      case 'refunds.retrieve':
        return engine.retrieveRefund(route.id as string);
    }
  }

  /** The saved answer for `key`, a refusal of a reused or busy key, or `undefined` to carry the request out. */
  private replayOrRefuse(key: string, fingerprint: string): StubAnswer | undefined {
    if (key.length > 255) return { status: 400, body: errorBody('invalid_request_error', 'Idempotency keys can be at most 255 characters long.'), saved: false };
    if (this.inFlight.has(key)) {
      return {
        status: 409,
        body: errorBody('invalid_request_error', 'There is currently another in-progress request using this Idempotency Key (that probably means you submitted twice, and the other request is still going through). Please try again later.', { code: 'idempotency_key_in_use' }),
        saved: false,
        headers: { 'Stripe-Should-Retry': 'true' },
      };
    }
    const now = this.deps.clock.now();
    this.deps.ledger.forgetResponsesBefore(now - IDEMPOTENCY_KEY_TTL_MS);
    const saved = this.deps.ledger.savedResponse(key);
    if (saved === undefined) return undefined;
    if (saved.fingerprint !== fingerprint) {
      return {
        status: 400,
        body: errorBody('idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`),
        saved: false,
      };
    }
    return { status: saved.status, body: JSON.parse(saved.body) as StubObject, saved: false, headers: { ...saved.headers, 'Idempotent-Replayed': 'true' } };
  }

  private authenticate(request: IncomingMessage): object | undefined {
    const header = headerOf(request, 'authorization');
    if (header === undefined) {
      return errorBody('invalid_request_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    }
    const key = header.startsWith('Bearer ') ? header.slice(7) : header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0] : header;
    if (key === this.deps.secretKey) return undefined;
    return errorBody('invalid_request_error', `Invalid API Key provided: ${mask(key ?? '')}`);
  }
}

function routeOf(method: string, path: string): Route | undefined {
  if (method === 'POST' && path === '/v1/payment_intents') return { operation: 'payment_intents.create' };
  if (method === 'POST' && path === '/v1/refunds') return { operation: 'refunds.create' };
  const match = /^\/v1\/(payment_intents|refunds)\/([A-Za-z0-9_]+)$/.exec(path);
  if (method === 'GET' && match !== null) return { operation: match[1] === 'refunds' ? 'refunds.retrieve' : 'payment_intents.retrieve', id: match[2] as string };
  return undefined;
}

function frontDoorFailure(status: 429 | 502 | 503 | 504): StubAnswer {
  if (status === 429) {
    return { status, body: errorBody('invalid_request_error', 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.', { code: 'rate_limit' }), saved: false, headers: { 'Stripe-Should-Retry': 'true' } };
  }
  const headers: Record<string, string> = status === 503 ? { 'Stripe-Should-Retry': 'true' } : {};
  return { status, body: errorBody('api_error', 'Stripe is temporarily unavailable. Please try again later.'), saved: false, headers };
}

function internalError(): StubAnswer {
  return { status: 500, body: errorBody('api_error', 'An unknown error occurred while processing your request.'), saved: true, headers: { 'Stripe-Should-Retry': 'false' } };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Stripe's masking of a key in its messages: the prefix, asterisks and the last four characters. */
function mask(key: string): string {
  const prefix = /^(sk|rk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** Sends `result`, or loses it on the way when the call's fault is a `drop`. */
function answer(response: ServerResponse, result: StubAnswer, headers: Record<string, string>, fault: StubFault | undefined): void {
  if (fault?.kind === 'drop') return lose(response, result, headers, fault.mode ?? 'truncate');
  return send(response, result.status, result.body, { ...headers, ...result.headers });
}

/** Carries out the fault `drop`: the answer never arrives whole. */
function lose(response: ServerResponse, answer: StubAnswer, headers: Record<string, string>, mode: 'truncate' | 'reset'): void {
  if (mode === 'reset') {
    response.socket?.destroy();
    return;
  }
  const text = JSON.stringify(answer.body);
  response.writeHead(answer.status, { ...headers, ...answer.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.write(text.slice(0, Math.floor(text.length / 2)), () => response.destroy());
}
