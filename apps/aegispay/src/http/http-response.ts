import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

/** A complete HTTP answer as data: what the API stores for an idempotency key and replays. */
export interface ApiAnswer {
  readonly status: number;
  /** `json` (`application/json`) or `problem` (`application/problem+json`). */
  readonly kind: 'json' | 'problem';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Header that tells a client it received the stored answer of an earlier request with the same Idempotency-Key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Writes an answer with Node's own response API, so the same code serves Nest handlers, the
 * exception filter and the plain request middleware. During a shutdown the connection is closed
 * after the answer, so clients move to another instance.
 */
export function sendAnswer(response: ServerResponse, answer: ApiAnswer, options: { readonly closeConnection?: boolean } = {}): void {
  const body = JSON.stringify(answer.body);
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.setHeader('Content-Type', answer.kind === 'problem' ? PROBLEM_CONTENT_TYPE : 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (options.closeConnection === true) response.setHeader('Connection', 'close');
  response.end(body);
}

/** A problem as an answer. */
export function problemAnswer(problem: ProblemDetails, headers: Readonly<Record<string, string>> = {}): ApiAnswer {
  return { status: problem.status, kind: 'problem', headers, body: problem };
}
