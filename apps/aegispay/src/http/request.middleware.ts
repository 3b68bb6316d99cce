import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { IdGenerator } from '@aegispay/domain';
import type { ApiContext } from './api-context';
import { problemAnswer, sendAnswer } from './http-response';
import { ProblemError } from './problem-details';
import { acceptedRequestId, bindRequestContext, requestContextOf, routeOf, safePathOf } from './request-context';

/** Paths whose handlers answer during a shutdown too. */
const PROBES: ReadonlySet<string> = new Set(['/livez', '/readyz']);

/**
 * The first thing every request meets, matched route or not: its request id (the client's when
 * well-formed, else a new one) in the context and the `X-Request-Id` header, its count in flight,
 * and, once it is answered, its access-log line and its HTTP metrics. While the server drains, a
 * new request is answered 503 `SERVER.SHUTTING_DOWN` at once, and its connection closed — except
 * `/livez` and `/readyz`, which say so themselves.
 */
export function requestMiddleware(api: Pick<ApiContext, 'lifecycle' | 'logger' | 'metrics'>, ids: IdGenerator): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  const { lifecycle, logger, metrics } = api;
  return (request, response, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(request.headers['x-request-id']) ?? ids.generate('req');
    bindRequestContext(request, { requestId, merchantId: null });
    response.setHeader('X-Request-Id', requestId);
    const end = lifecycle.begin();
    response.once('close', () => {
      end();
      const route = routeOf(request);
      const seconds = (performance.now() - started) / 1_000;
      metrics.recordHttpRequest(request.method ?? 'GET', route, response.statusCode, seconds);
      logger.info(
        {
          requestId,
          method: request.method,
          route,
          path: route === 'unmatched' ? safePathOf(request) : undefined,
          status: response.statusCode,
          durationMs: Math.round(seconds * 1_000_000) / 1_000,
          merchantId: requestContextOf(request).merchantId ?? undefined,
          aborted: response.writableFinished ? undefined : true,
        },
        'request',
      );
    });
    // Probes answer for themselves while draining: alive, and not ready because of the shutdown.
    if (lifecycle.state !== 'RUNNING' && !PROBES.has(request.url ?? '')) {
      const refusal = new ProblemError(503, 'SERVER.SHUTTING_DOWN', 'This server is shutting down and takes no new requests; retry on another instance or shortly.', {
        retryable: true,
      });
      sendAnswer(response, problemAnswer(refusal.toProblem(safePathOf(request), requestId)), { closeConnection: true });
      return;
    }
    next();
  };
}
