import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

/** A complete HTTP answer as data: what the API stores for an idempotency key and replays. */
export interface ApiAnswer {
  readonly status: number;
  /**
   * `json` (`application/json`), `problem` (`application/problem+json`), or `text`: a string body
   * whose `Content-Type` is in `headers`.
   */
  readonly kind: 'json' | 'problem' | 'text';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Header that tells a client it received the stored answer of an earlier request with the same Idempotency-Key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Options of {@link sendAnswer} and {@link writeAnswerHead}. */
export interface AnswerOptions {
  /** Close the connection after the answer (during a shutdown, so clients move to another instance). Defaults to false. */
  readonly closeConnection?: boolean;
}

/**
 * Sets the status and headers of an answer on a response: its own headers, its content type, and
 * those every answer carries (`Cache-Control: no-store`, `X-Content-Type-Options: nosniff`).
 */
export function writeAnswerHead(response: ServerResponse, answer: ApiAnswer, options: AnswerOptions = {}): void {
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.kind !== 'text') response.setHeader('Content-Type', answer.kind === 'problem' ? PROBLEM_CONTENT_TYPE : 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (options.closeConnection === true) response.setHeader('Connection', 'close');
}

/**
 * Writes a whole answer with Node's own response API: what the exception filter and the request
 * middleware use, outside Nest's handlers (whose answers go through `AnswerInterceptor`).
 */
export function sendAnswer(response: ServerResponse, answer: ApiAnswer, options: AnswerOptions = {}): void {
  const body = answer.kind === 'text' ? String(answer.body) : JSON.stringify(answer.body);
  writeAnswerHead(response, answer, options);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

/** A problem as an answer. */
export function problemAnswer(problem: ProblemDetails, headers: Readonly<Record<string, string>> = {}): ApiAnswer {
  return { status: problem.status, kind: 'problem', headers, body: problem };
}
