import type { IncomingMessage } from 'node:http';
import { cardDataProblem } from './card-data.problem';
import { fieldPath } from './field-path';
import { ProblemError } from './problem-details';
import { findJsonBodyViolation, type JsonBodyViolation } from './strict-json';

/** Options of {@link readJsonBody}. */
export interface JsonBodyOptions {
  /** Bodies above this many bytes are refused with 413 (`config.http.bodyLimitBytes`, default 16 384). */
  readonly limitBytes: number;
  /** Deepest nesting of objects and arrays accepted. Defaults to {@link DEFAULT_MAX_JSON_DEPTH}. */
  readonly maxDepth?: number;
  /**
   * Stops waiting for the rest of the body when aborted (rejecting with the signal's reason): a
   * client sending its body slowly must not hold a graceful shutdown past its grace period.
   * Defaults to none.
   */
  readonly signal?: AbortSignal;
}

/** Objects and arrays nested deeper than this are refused; the API's bodies need 2 levels. */
export const DEFAULT_MAX_JSON_DEPTH = 8;

/**
 * An oversize body up to this size (or up to the configured limit, when that is larger) is read
 * to its end and discarded before answering 413, so the client (still sending) reads the answer
 * instead of a connection reset; anything larger gets its 413 at once and the connection is closed.
 */
export const OVERSIZE_DRAIN_LIMIT_BYTES = 1_048_576;

const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9.!#$&^_-]+\+)?json$/;

/**
 * Reads a request body as JSON, in the order that keeps hostile input cheap: the size limit while
 * reading (413), the media type (415), UTF-8 (400), the nesting depth by a linear scan **before**
 * parsing (400, so no recursive code ever sees a deep document), `JSON.parse` (400), then strict
 * JSON (400: a key given twice, an unpaired surrogate, a card number in any literal as written —
 * see {@link findJsonBodyViolation}). Parser messages are never echoed: V8 quotes the input in
 * them, and the input may hold card data.
 *
 * @returns the parsed value, or `undefined` for an empty body.
 * @throws ProblemError `REQUEST.BODY_TOO_LARGE`, `REQUEST.UNSUPPORTED_MEDIA_TYPE`,
 *   `REQUEST.MALFORMED_JSON`, `REQUEST.TOO_DEEP`, `REQUEST.DUPLICATE_KEY`,
 *   `REQUEST.INVALID_UNICODE`, `PAYMENT.CARD_DATA_DETECTED`.
 */
export async function readJsonBody(request: IncomingMessage, options: JsonBodyOptions): Promise<unknown> {
  const { limitBytes } = options;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  // Never below the limit itself: a body the configuration accepts must not be refused as too large.
  const drainLimit = Math.max(OVERSIZE_DRAIN_LIMIT_BYTES, limitBytes);
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > drainLimit) throw tooLarge(limitBytes, false);

  const read = await collect(request, limitBytes, drainLimit, options.signal);
  if (read.kind === 'TOO_LARGE') throw tooLarge(limitBytes, read.drained);
  if (read.body.length === 0) return undefined;

  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new ProblemError(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with the header "Content-Type: application/json" (UTF-8).');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.body);
  } catch {
    throw malformed('The body is not valid UTF-8.');
  }
  if (nestingExceeds(text, maxDepth)) {
    throw new ProblemError(400, 'REQUEST.TOO_DEEP', `The body nests objects or arrays more than ${maxDepth} levels deep; no request of this API needs more than 2.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw malformed('The body is not valid JSON.');
  }
  const violation = findJsonBodyViolation(text);
  if (violation !== undefined) throw violationProblem(violation);
  return value;
}

/**
 * Reads a request body as bytes, untouched (a webhook's signature covers its exact bytes), with the
 * size limit of {@link readJsonBody} and its shutdown signal.
 * @throws ProblemError `REQUEST.BODY_TOO_LARGE`, `HTTP.BAD_REQUEST` (the body could not be read to its end).
 */
export async function readRawBody(request: IncomingMessage, options: Pick<JsonBodyOptions, 'limitBytes' | 'signal'>): Promise<Buffer> {
  const { limitBytes } = options;
  const drainLimit = Math.max(OVERSIZE_DRAIN_LIMIT_BYTES, limitBytes);
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > drainLimit) throw tooLarge(limitBytes, false);
  const read = await collect(request, limitBytes, drainLimit, options.signal);
  if (read.kind === 'TOO_LARGE') throw tooLarge(limitBytes, read.drained);
  return read.body;
}

/** True when objects and arrays in `text` nest deeper than `maxDepth` (brackets inside strings are ignored). */
export function nestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (escaped) escaped = false;
      else if (code === 0x5c) escaped = true;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

type Collected = { readonly kind: 'BODY'; readonly body: Buffer } | { readonly kind: 'TOO_LARGE'; readonly drained: boolean };

function collect(request: IncomingMessage, limitBytes: number, drainLimit: number, signal: AbortSignal | undefined): Promise<Collected> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      request.pause();
      reject(signal?.reason);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > drainLimit) {
        cleanup();
        request.pause();
        resolve({ kind: 'TOO_LARGE', drained: false });
      } else if (size > limitBytes) {
        over = true;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => {
      cleanup();
      resolve(over ? { kind: 'TOO_LARGE', drained: true } : { kind: 'BODY', body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new ProblemError(400, 'HTTP.BAD_REQUEST', 'The request body could not be read to its end.', { cause: error }));
    };
    const onClose = (): void => {
      if (!request.complete) onError(new Error('the client closed the request before its end'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function tooLarge(limitBytes: number, drained: boolean): ProblemError {
  return new ProblemError(413, 'REQUEST.BODY_TOO_LARGE', `The body is larger than the ${limitBytes} bytes this server accepts.`, {
    ...(drained ? {} : { headers: { Connection: 'close' } }),
    extensions: { limitBytes },
  });
}

function violationProblem(violation: JsonBodyViolation): ProblemError {
  const path = fieldPath(violation.path);
  const field = path === '' ? '(body)' : path;
  switch (violation.kind) {
    case 'DUPLICATE_KEY':
      return new ProblemError(400, 'REQUEST.DUPLICATE_KEY', `The body gives the key ${field} twice. Send each key once: JSON parsers disagree on which copy counts, so AegisPay takes neither.`, {
        errors: [{ field, code: 'REQUEST.DUPLICATE_KEY', message: `${field} appears more than once in its object.` }],
      });
    case 'LONE_SURROGATE':
      return new ProblemError(
        400,
        'REQUEST.INVALID_UNICODE',
        `${field} holds an unpaired UTF-16 surrogate (an escape such as \\ud800 without its pair), which is not Unicode text. Send text as UTF-8, or escape a character beyond U+FFFF as its surrogate pair.`,
        { errors: [{ field, code: 'REQUEST.INVALID_UNICODE', message: `${field} holds an unpaired surrogate.` }] },
      );
    case 'CARD_NUMBER':
      return cardDataProblem(path);
  }
}

function malformed(detail: string): ProblemError {
  return new ProblemError(400, 'REQUEST.MALFORMED_JSON', detail);
}
