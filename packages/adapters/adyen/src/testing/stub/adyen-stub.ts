import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deferred, type Deferred } from '@aegispay/domain/testing';
import { dispatchControl, inProcessControl, type AdyenStubControl } from './stub-control';
import { StubFaults, faultAnswer, type AdyenStubFault } from './stub-faults';
import { StubLedger } from './stub-ledger';
import { StubNotifier } from './stub-notifications';
import { adyenError, checkPayment, checkRefund, makePayment, makeRefund, type StubAnswer, type StubContext } from './stub-operations';

/** The credentials a stub accepts and signs with when none are given (test values, not secrets). */
export const ADYEN_STUB_DEFAULTS = {
  apiKey: 'AQE_adyen_stub_test_api_key',
  merchantAccount: 'AegisPayStubECOM',
  hmacKey: '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056',
} as const;

/** Options of {@link startAdyenStub}. */
export interface AdyenStubOptions {
  /** The SQLite file of the durable ledger (created if missing; reopened as it was after a restart). Required. */
  readonly databaseFile: string;
  /** Defaults to 0 (any free port). */
  readonly port?: number;
  /** Defaults to `127.0.0.1`. */
  readonly host?: string;
  /** The `X-API-Key` the stub accepts. Defaults to {@link ADYEN_STUB_DEFAULTS}. */
  readonly apiKey?: string;
  /** The one merchant account the stub knows. Defaults to {@link ADYEN_STUB_DEFAULTS}. */
  readonly merchantAccount?: string;
  /** The hex HMAC key webhooks are signed with. Defaults to {@link ADYEN_STUB_DEFAULTS}. */
  readonly hmacKey?: string;
  /** Where webhooks are POSTed. Without it they are only queued (see `control.notifications()`). */
  readonly notificationUrl?: string;
  /** `auto`: delivered at once, retried with backoff; `manual`: on `control.deliverNotifications()`. Defaults to `auto`. */
  readonly notificationDelivery?: 'auto' | 'manual';
  /** The clock of `eventDate`s and ledger times. Defaults to the system clock. */
  readonly clock?: { now(): number };
  /** Seed of random faults. Defaults to 1. */
  readonly seed?: number;
}

/** The next API call waits, in flight, until `release()`. */
export interface AdyenStubHold {
  /** Resolves when the held call has arrived (and is in flight). */
  readonly arrived: Promise<void>;
  release(): void;
}

/** A running Adyen stub. */
export interface AdyenStub {
  /** Its origin, for `AdyenGateway`'s `baseUrl` (`http://127.0.0.1:PORT`). */
  readonly url: string;
  readonly apiKey: string;
  readonly merchantAccount: string;
  readonly hmacKey: string;
  readonly control: AdyenStubControl;
  /** In-process only: holds the next API call in flight until released (deterministic timeouts and 704s). */
  holdNext(): AdyenStubHold;
  /** Stops serving, drops open connections, and closes the ledger. */
  close(): Promise<void>;
}

interface PendingHold {
  /** Resolved when the held call arrives. */
  readonly arrival: Deferred<void>;
  /** Resolved when the test releases it. */
  readonly release: Deferred<void>;
}

const API_ROUTE = /^\/v(\d+)\/payments(?:\/([A-Za-z0-9]+)\/refunds)?$/;

/**
 * Starts a wire-compatible Adyen Checkout stub on node:http: `POST /v{n}/payments` and
 * `POST /v{n}/payments/{pspReference}/refunds` with Adyen's authentication, error JSON,
 * idempotency, test conventions and HMAC-signed webhooks, over a durable SQLite ledger; plus
 * `POST /__stub/control` for a stub running as its own process. See the package README for what
 * it reproduces.
 */
export async function startAdyenStub(options: AdyenStubOptions): Promise<AdyenStub> {
  const apiKey = options.apiKey ?? ADYEN_STUB_DEFAULTS.apiKey;
  const hmacKey = options.hmacKey ?? ADYEN_STUB_DEFAULTS.hmacKey;
  const now = (): number => options.clock?.now() ?? Date.now();
  const ledger = new StubLedger(options.databaseFile);
  const notifier = new StubNotifier({ ledger, hmacKey, url: options.notificationUrl, mode: options.notificationDelivery ?? 'auto', now });
  let url = '';
  const ctx: StubContext = { ledger, notifier, merchantAccount: options.merchantAccount ?? ADYEN_STUB_DEFAULTS.merchantAccount, now, url: () => url };
  const faults = new StubFaults(options.seed ?? 1);
  const control = inProcessControl(ctx, faults);
  const holds: PendingHold[] = [];
  const inFlight = new Set<string>();
  const api = (request: IncomingMessage, body: string): Promise<StubAnswer | 'LOST'> => serveApi({ ctx, faults, holds, inFlight, apiKey }, request, body);

  const server: Server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const path = new URL(request.url ?? '/', 'http://stub').pathname;
      if (path === '/__stub/control' && request.method === 'POST') {
        if (request.headers['x-api-key'] !== apiKey) return send(response, adyenError(401, '000', 'HTTP Status Response - Unauthorized', 'security'));
        const answer = await dispatchControl(control, parseJson(body));
        return send(response, answer);
      }
      if (path.startsWith('/__stub/redirect/')) return send(response, { status: 200, body: { message: 'Adyen stub: the shopper would authenticate here; complete with control.resolvePayment.' } });
      const answer = await api(request, body);
      if (answer === 'LOST') request.socket.destroy();
      else send(response, answer, request.headers['idempotency-key']);
      notifier.kick();
    }).catch(() => request.socket.destroy()); // the stub closed under a call in flight
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  url = `http://${address.address}:${address.port}`;
  notifier.kick();

  return {
    url,
    apiKey,
    merchantAccount: ctx.merchantAccount,
    hmacKey,
    control,
    holdNext(): AdyenStubHold {
      const hold: PendingHold = { arrival: deferred<void>(), release: deferred<void>() };
      holds.push(hold);
      return { arrived: hold.arrival.promise, release: () => hold.release.resolve() };
    },
    async close(): Promise<void> {
      for (const hold of holds.splice(0)) hold.release.resolve();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await notifier.close();
      ledger.close();
    },
  };
}

interface ApiDeps {
  readonly ctx: StubContext;
  readonly faults: StubFaults;
  readonly holds: PendingHold[];
  readonly inFlight: Set<string>;
  readonly apiKey: string;
}

async function serveApi(deps: ApiDeps, request: IncomingMessage, body: string): Promise<StubAnswer | 'LOST'> {
  const route = API_ROUTE.exec(new URL(request.url ?? '/', 'http://stub').pathname);
  if (route === null || request.method !== 'POST') return { status: 404, body: { status: 404, errorCode: '000', message: 'Not Found', errorType: 'validation' } };
  if (request.headers['x-api-key'] !== deps.apiKey) return { status: 401, body: { status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' } };
  const json = parseJson(body);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { status: 400, body: { status: 400, errorCode: '702', message: 'Unexpected input: the body is not a JSON object', errorType: 'validation' } };
  const fault = deps.faults.next();
  if (fault?.kind === 'error' && fault.processed !== true) return errorAnswer(fault);
  const hold = deps.holds.shift();
  const keyHeader = request.headers['idempotency-key'];
  const key = typeof keyHeader === 'string' && keyHeader !== '' ? keyHeader : undefined;
  if (key !== undefined && deps.inFlight.has(key)) return adyenError(422, '704', 'request already processed or in progress', 'validation', true);
  const stored = key === undefined ? undefined : deps.ctx.ledger.storedAnswer(key);
  if (stored !== undefined) return fault?.kind === 'lose-answer' ? 'LOST' : { status: stored.status, body: JSON.parse(stored.body) as Record<string, unknown> };
  if (key !== undefined) deps.inFlight.add(key);
  try {
    hold?.arrival.resolve();
    await hold?.release.promise;
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms).unref());
    const answer = carryOut(deps.ctx, route[2], json as Record<string, unknown>, key, fault);
    return fault?.kind === 'lose-answer' ? 'LOST' : answer;
  } finally {
    if (key !== undefined) deps.inFlight.delete(key);
  }
}

/** Checks and carries out one call in one transaction, storing its answer under its idempotency key. */
function carryOut(ctx: StubContext, refundOf: string | undefined, json: Record<string, unknown>, key: string | undefined, fault: AdyenStubFault | undefined): StubAnswer {
  return ctx.ledger.transaction(() => {
    const input = refundOf === undefined ? checkPayment(ctx, json) : checkRefund(ctx, refundOf, json);
    if ('status' in input) return input; // refused before anything happened: nothing stored
    const done = 'holderName' in input ? makePayment(ctx, input, key) : makeRefund(ctx, input);
    const answer = fault?.kind === 'error' ? errorAnswer(fault) : done;
    if (key !== undefined) ctx.ledger.storeAnswer(key, { status: answer.status, body: JSON.stringify(answer.body) }, ctx.now());
    return answer;
  });
}

function errorAnswer(fault: Extract<AdyenStubFault, { kind: 'error' }>): StubAnswer {
  const { status, body, transient } = faultAnswer(fault);
  return { status, body, ...(transient ? { transient } : {}) };
}

function send(response: ServerResponse, answer: { status: number; body: Readonly<Record<string, unknown>>; transient?: boolean }, idempotencyKey?: string | string[]): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json;charset=UTF-8' };
  if ('transient' in answer && answer.transient === true) headers['Transient-Error'] = 'true';
  if (typeof idempotencyKey === 'string') headers['Idempotency-Key'] = idempotencyKey;
  response.writeHead(answer.status, headers);
  response.end(JSON.stringify(answer.body));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}
