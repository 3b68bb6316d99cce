import type { IncomingMessage, ServerResponse } from 'node:http';
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ApiContext } from './api-context';
import { errorLogFields } from '../logging/error-log-fields';
import { mapErrorToProblem } from './error-problem.mapper';
import { problemAnswer, sendAnswer } from './http-response';
import { requestContextOf, routeOf, safePathOf } from './request-context';

/**
 * Answers every error — ours, Nest's (unknown route, undecodable URL), anything thrown — with an
 * `application/problem+json` body. Unexpected errors are logged with their stack and answered
 * with a 500 that shows nothing of them but the request id.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly api: Pick<ApiContext, 'logger' | 'lifecycle'>) {}

  /** Writes the problem answer for `error` (or drops the connection when an answer was already under way). */
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    const { problem, unexpected } = mapErrorToProblem(error);
    const context = requestContextOf(request);
    if (unexpected) {
      this.api.logger.error({ requestId: context.requestId, route: routeOf(request), error: errorLogFields(error) }, 'unexpected error');
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    sendAnswer(response, problemAnswer(problem.toProblem(safePathOf(request), context.requestId), problem.headers), {
      closeConnection: this.api.lifecycle.state !== 'RUNNING' || problem.headers['Connection'] === 'close',
    });
  }
}
