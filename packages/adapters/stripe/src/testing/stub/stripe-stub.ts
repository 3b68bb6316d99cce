import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CryptoRandom, SystemClock, type Clock, type Random } from '@aegispay/domain';
import { StubApi } from './stub-api';
import { localStubControl, type StripeStubControl } from './stub-control';
import { serveControl } from './stub-control.http';
import { StubEngine, type StubBehaviour } from './stub-engine';
import { FaultPlan, WaitingRequests } from './stub-faults';
import { StubLedger } from './stub-ledger';
import { WebhookSender } from './webhook-sender';

/** Defaults of {@link StripeStubOptions}. */
export const STRIPE_STUB_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  secretKey: 'sk_test_aegispay_stub',
  webhookSecret: 'whsec_aegispay_stub',
} as const);

/** Configuration of {@link startStripeStub}. */
export interface StripeStubOptions {
  /**
   * The SQLite file of the ledger (created when missing). A stub started again on the same file
   * answers as before: PaymentIntents, Refunds, saved idempotent answers, undelivered webhooks.
   * `:memory:` keeps nothing.
   */
  readonly databaseFile: string;
  /** Defaults to 0 (any free port; read it from `url`). */
  readonly port?: number;
  /** Defaults to `127.0.0.1`. */
  readonly host?: string;
  /** The only API key the stub accepts (also for its control API). Defaults to `sk_test_aegispay_stub`. */
  readonly secretKey?: string;
  /** Where to deliver signed webhooks; none are sent without it. The secret defaults to `whsec_aegispay_stub`. */
  readonly webhook?: { readonly url: string; readonly secret?: string };
  /** The stub's time: `created` stamps, the 24-hour key window, webhook signatures. Defaults to the system clock. */
  readonly clock?: Clock;
  /** Samples fault rates. Defaults to a cryptographic source; pass a seeded one for repeatable runs. */
  readonly random?: Random;
}

/** A running stub. */
export interface StripeStub {
  /** Base URL (`http://127.0.0.1:<port>`): the API base of the Stripe SDK. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly secretKey: string;
  /** The signing secret of its webhooks. */
  readonly webhookSecret: string;
  readonly control: StripeStubControl;
  /** Stops serving, abandons requests held by faults, stops webhook retries and closes the ledger. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

/**
 * Starts a local, wire-compatible stand-in for the Stripe API endpoints the connector uses, with a
 * durable ledger. See the package README ("The Stripe stub") for what it reproduces.
 */
export async function startStripeStub(options: StripeStubOptions): Promise<StripeStub> {
  const clock = options.clock ?? new SystemClock();
  const secretKey = options.secretKey ?? STRIPE_STUB_DEFAULTS.secretKey;
  const webhookSecret = options.webhook?.secret ?? STRIPE_STUB_DEFAULTS.webhookSecret;
  const ledger = new StubLedger(options.databaseFile);
  const behaviour: StubBehaviour = { asyncPayments: 0, asyncRefunds: 0 };
  const engine = new StubEngine(ledger, behaviour);
  const faults = new FaultPlan(options.random ?? new CryptoRandom());
  const waiting = new WaitingRequests();
  const webhooks = new WebhookSender(ledger, options.webhook === undefined ? undefined : { url: options.webhook.url, secret: webhookSecret }, clock);
  let baseUrl = '';
  const api = new StubApi({ ledger, engine, faults, waiting, clock, secretKey, baseUrl: () => baseUrl, committed: () => webhooks.kick() });
  const control = localStubControl({ ledger, engine, faults, waiting, behaviour, webhooks, clock, baseUrl: () => baseUrl });

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: { type: 'api_error', message: `stub failure: ${error instanceof Error ? error.message : String(error)}` } }));
    });
  });
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', baseUrl);
    if (url.pathname.startsWith('/_stub/3ds/')) return authenticationPage(control, url, response, (id) => ledger.paymentIntent(id)?.returnUrl ?? null);
    if (url.pathname.startsWith('/_stub/')) return serveControl(control, secretKey, request, response, url, body);
    return api.handle(request, response, url, body);
  };

  const host = options.host ?? STRIPE_STUB_DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? STRIPE_STUB_DEFAULTS.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  webhooks.kick(); // events a previous run could not deliver

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    host,
    port,
    secretKey,
    webhookSecret,
    control,
    close: () =>
      (closing ??= (async () => {
        webhooks.close();
        waiting.abandon();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        ledger.close();
      })()),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Stripe's test 3-D Secure page, reduced to a link: `GET /_stub/3ds/<pi>?outcome=succeed|fail`
 * completes the authentication and sends the customer back to the PaymentIntent's `return_url`
 * with `payment_intent`, `payment_intent_client_secret` and `redirect_status`, as Stripe does.
 */
async function authenticationPage(control: StripeStubControl, url: URL, response: ServerResponse, returnUrlOf: (id: string) => string | null): Promise<void> {
  const id = decodeURIComponent(url.pathname.slice('/_stub/3ds/'.length));
  const outcome = url.searchParams.get('outcome') === 'fail' ? 'fail' : 'succeed';
  try {
    const intent = await control.completeAction(id, outcome);
    const returnUrl = returnUrlOf(id);
    if (returnUrl === null) {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`3-D Secure ${outcome === 'succeed' ? 'completed' : 'failed'} for ${id}.`);
      return;
    }
    const back = new URL(returnUrl);
    back.searchParams.set('payment_intent', id);
    back.searchParams.set('payment_intent_client_secret', String(intent['client_secret']));
    back.searchParams.set('redirect_status', intent['status'] === 'succeeded' ? 'succeeded' : 'failed');
    response.writeHead(302, { Location: back.toString() });
    response.end();
  } catch (error) {
    response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(error instanceof Error ? error.message : String(error));
  }
}
