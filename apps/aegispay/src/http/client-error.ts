import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem-details';

/** Problems for requests Node's HTTP parser refuses before any handler sees them. */
const CLIENT_ERRORS: Readonly<Record<string, { readonly status: number; readonly code: string; readonly detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HTTP.HEADERS_TOO_LARGE', detail: 'The request headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'HTTP.REQUEST_TIMEOUT', detail: 'The request took too long to arrive.' },
};

/**
 * Answers a request Node's HTTP parser refused (a malformed request line or header, headers too
 * large, a request too slow to arrive) with a problem+json body, as every other error, instead of
 * Node's bare status line; then closes the connection, which cannot be trusted any more.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, requestId: string, logger: Logger): void {
  // As Node itself does: never write into a response already under way on this connection.
  const current = (socket as { _httpMessage?: { readonly headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent === true) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, code: 'HTTP.BAD_REQUEST', detail: 'The request could not be understood (a malformed request line or header).' };
  const problem = new ProblemError(known.status, known.code, known.detail).toProblem('', requestId);
  const body = JSON.stringify(problem);
  logger.info({ requestId, status: known.status, code: known.code, parserError: error.code }, 'request refused by the HTTP parser');
  socket.end(
    `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status] ?? 'Bad Request'}\r\n` +
      `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n` +
      `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
