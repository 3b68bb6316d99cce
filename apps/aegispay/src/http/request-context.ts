import type { IncomingMessage } from 'node:http';
import { containsCardNumber } from '@aegispay/domain';

/** What the API knows about a request while serving it. */
export interface RequestContext {
  readonly requestId: string;
  /** Set once the API key is checked. */
  merchantId: string | null;
  /** Set once the `Idempotency-Key` header is checked (POST requests). */
  idempotencyKey?: string;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Attaches the context of a request (done first, by the request middleware). */
export function bindRequestContext(request: IncomingMessage, context: RequestContext): void {
  contexts.set(request, context);
}

/** The context of a request; a request that never met the middleware gets an anonymous one. */
export function requestContextOf(request: IncomingMessage): RequestContext {
  let context = contexts.get(request);
  if (context === undefined) {
    context = { requestId: 'unknown', merchantId: null };
    contexts.set(request, context);
  }
  return context;
}

/** A client's `X-Request-Id` when well-formed (1–128 of letters, digits, `. _ : -`, and no card number), else undefined. */
export function acceptedRequestId(header: string | readonly string[] | undefined): string | undefined {
  return typeof header === 'string' && REQUEST_ID.test(header) && !containsCardNumber(header) ? header : undefined;
}

/**
 * The path of a request without its query, or `[redacted]` when it holds something like a card
 * number — as sent or once percent-decoded (`/v1/payments/%34%32…`, encoded twice included), since
 * that is how every server and log viewer downstream reads it.
 */
export function safePathOf(request: IncomingMessage): string {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (containsCardNumber(path) || containsCardNumber(percentDecoded(path))) return '[redacted]';
  return path.length > 200 ? `${path.slice(0, 199)}…` : path;
}

const PERCENT_ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const MAX_DECODING_ROUNDS = 3;

/**
 * `text` with its percent-encoded bytes decoded as UTF-8, again while some remain (up to three
 * rounds: `%2534` is `%34` is `4`). Never throws: invalid sequences become U+FFFD, where
 * `decodeURIComponent` would give up on the whole path.
 */
export function percentDecoded(text: string): string {
  let decoded = text;
  for (let round = 0; round < MAX_DECODING_ROUNDS && decoded.includes('%'); round += 1) {
    decoded = decoded.replace(PERCENT_ENCODED_RUN, (run) => new TextDecoder().decode(Buffer.from(run.replace(/%/g, ''), 'hex')));
  }
  return decoded;
}

/** The route pattern that served a request (`/v1/payments/:id`), or `unmatched`: a label safe for metrics. */
export function routeOf(request: IncomingMessage): string {
  const path = (request as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
