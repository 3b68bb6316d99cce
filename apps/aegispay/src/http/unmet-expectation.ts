import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { problemAnswer, sendAnswer } from './http-response';
import { ProblemError } from './problem-details';
import { safePathOf } from './request-context';

/**
 * Answers a request whose `Expect` header asks for something other than `100-continue` (Node's
 * `checkExpectation` event, which no handler sees otherwise) with a 417 problem+json, as every
 * other refusal, instead of Node's bare status line. The connection is closed: the client may be
 * holding its body back, waiting for a `100 Continue` that will not come.
 */
export function answerUnmetExpectation(request: IncomingMessage, response: ServerResponse, requestId: string, logger: Logger): void {
  const problem = new ProblemError(417, 'HTTP.EXPECTATION_FAILED', 'This server meets no expectation but "Expect: 100-continue". Send the request without the Expect header, or with that value.');
  response.setHeader('X-Request-Id', requestId);
  sendAnswer(response, problemAnswer(problem.toProblem(safePathOf(request), requestId)), { closeConnection: true });
  logger.info({ requestId, method: request.method, status: problem.status, code: problem.code }, 'request refused: unmet Expect header');
}
