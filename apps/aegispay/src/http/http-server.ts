import 'reflect-metadata';
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { AppContainer } from '../composition/app-container';
import { TOKENS } from '../composition/tokens';
import type { ApiContext } from './api-context';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiMetrics } from './api-metrics';
import { ApiModule } from './api.module';
import { problemAnswer, sendAnswer } from './http-response';
import { createHttpLogger } from './http-logger';
import { DEFAULT_MAX_JSON_DEPTH } from './json-body.reader';
import { OperationsService } from './operations.service';
import { PaymentsService } from './payments.service';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem-details';
import { ProblemFilter } from './problem.filter';
import { acceptedRequestId, bindRequestContext, requestContextOf, routeOf, safePathOf } from './request-context';
import { ServerLifecycle, type ServerState } from './server-lifecycle';
import { answerUnmetExpectation } from './unmet-expectation';

/** Options of {@link HttpServer.create}. */
export interface HttpServerOptions {
  /** API key → merchant id. Defaults to `config.apiKeys`. */
  readonly apiKeys?: ReadonlyMap<string, string>;
  /** Defaults to a JSON logger on stdout at `config.logLevel`. */
  readonly logger?: Logger;
  /**
   * How long a shutdown waits for in-flight requests before telling them to stop waiting (a
   * payment already sent to a gateway is then completed by recovery). Defaults to 30 000 ms.
   */
  readonly shutdownGraceMs?: number;
  /** Deepest JSON nesting accepted in request bodies. Defaults to 8. */
  readonly maxJsonDepth?: number;
}

/** Defaults of {@link HttpServerOptions}. */
export const HTTP_SERVER_DEFAULTS = Object.freeze({ shutdownGraceMs: 30_000, maxJsonDepth: DEFAULT_MAX_JSON_DEPTH });

/**
 * The HTTP API (NestJS over Express) of one composed application. `create` builds it over the
 * container's objects, `listen` opens the port, `close` shuts the HTTP side down gracefully, and
 * `shutdown` does that and then stops the app's loops and closes its database.
 */
export class HttpServer {
  private closing: Promise<void> | undefined;
  private address: string | undefined;

  private constructor(
    private readonly app: AppContainer,
    private readonly nest: NestExpressApplication,
    private readonly lifecycle: ServerLifecycle,
    /** The logger requests and lifecycle events are written to. */
    readonly logger: Logger,
    /** The Prometheus metrics `GET /metrics` serves. */
    readonly metrics: ApiMetrics,
    private readonly graceMs: number,
  ) {}

  /** Builds the API over `app` (its orchestrator, idempotency store, breakers, metrics, database). */
  static async create(app: AppContainer, options: HttpServerOptions = {}): Promise<HttpServer> {
    const { config } = app;
    const logger = options.logger ?? createHttpLogger(config.logLevel, process.stdout);
    const lifecycle = new ServerLifecycle();
    const breakers = app.get(TOKENS.CircuitBreakerManager);
    const gatewayMetrics = app.get(TOKENS.GatewayMetricsCollector);
    const gateways = app.get(TOKENS.PaymentGateways).map((gateway) => gateway.name);
    const orchestrator = app.get(TOKENS.PaymentOrchestrator);
    const clock = app.get(TOKENS.Clock);
    const ids = app.get(TOKENS.IdGenerator);
    const metrics = new ApiMetrics({ breakers, gatewayMetrics, gateways });
    const context: ApiContext = {
      payments: new PaymentsService({ orchestrator, idempotency: app.get(TOKENS.IdempotencyStore), metrics, lifecycle }),
      operations: new OperationsService({
        breakers,
        gatewayMetrics,
        gateways,
        minHealthScore: orchestrator.settings.minHealthScore,
        dataSource: app.dataSource,
        loops: { recovery: app.get(TOKENS.PaymentRecovery), outboxRelay: app.get(TOKENS.OutboxRelay) },
        lifecycle,
        clock,
      }),
      authenticator: new ApiKeyAuthenticator(options.apiKeys ?? config.apiKeys),
      metrics,
      lifecycle,
      logger,
      body: { limitBytes: config.http.bodyLimitBytes, maxDepth: options.maxJsonDepth ?? HTTP_SERVER_DEFAULTS.maxJsonDepth },
    };

    const nest = await NestFactory.create<NestExpressApplication>(ApiModule.register(context), new ExpressAdapter(), {
      bodyParser: false,
      logger: false,
      abortOnError: false,
    });
    nest.disable('x-powered-by');
    // First of all: request id, access log, in-flight count; refuse new work while draining.
    nest.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
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
      if (lifecycle.state !== 'RUNNING') {
        const refusal = new ProblemError(503, 'SERVER.SHUTTING_DOWN', 'This server is shutting down and takes no new requests; retry on another instance or shortly.', {
          retryable: true,
        });
        sendAnswer(response, problemAnswer(refusal.toProblem(safePathOf(request), requestId)), { closeConnection: true });
        return;
      }
      next();
    });
    nest.useGlobalFilters(new ProblemFilter(context));
    await nest.init();
    (nest.getHttpServer() as Server).on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, ids.generate('req'), logger));
    (nest.getHttpServer() as Server).on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => answerUnmetExpectation(request, response, ids.generate('req'), logger));
    return new HttpServer(app, nest, lifecycle, logger, metrics, options.shutdownGraceMs ?? HTTP_SERVER_DEFAULTS.shutdownGraceMs);
  }

  /** The Node HTTP server (for tests and tooling). */
  get server(): Server {
    return this.nest.getHttpServer() as Server;
  }

  /** `RUNNING`, `DRAINING` during a graceful shutdown, `CLOSED` after it. */
  get state(): ServerState {
    return this.lifecycle.state;
  }

  /** `http://host:port` once listening. */
  get url(): string {
    if (this.address === undefined) throw new Error('The server is not listening yet: call listen() first.');
    return this.address;
  }

  /**
   * Starts listening; resolves to the URL. Port 0 picks a free port.
   * @param port Defaults to `config.http.port`.
   * @param host Defaults to `config.http.host`.
   */
  async listen(port: number = this.app.config.http.port, host: string = this.app.config.http.host): Promise<string> {
    await this.nest.listen(port, host);
    const address = this.server.address() as AddressInfo;
    this.address = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    return this.address;
  }

  /**
   * Graceful shutdown of the HTTP side: stops accepting connections, answers new requests on open
   * ones with 503 (and closes them), lets the requests in flight finish — payments and refunds
   * included, even when their client went away — and after `shutdownGraceMs` tells the rest to
   * stop waiting. Resolves once every connection is closed. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  /** Tells in-flight requests to stop waiting now instead of at the end of the grace period. */
  abortInFlight(): void {
    this.lifecycle.abort();
  }

  /** {@link close}, then the app's loops (recovery, outbox relay) and its database. */
  async shutdown(): Promise<void> {
    await this.close();
    await this.app.close();
    this.logger.info('stopped: loops stopped and database closed');
  }

  private async closeOnce(): Promise<void> {
    const server = this.server;
    this.lifecycle.drain();
    this.logger.info({ inFlight: this.lifecycle.inFlight }, 'shutting down: no new requests; finishing those in flight');
    const stopped = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server.closeIdleConnections();
    const grace = this.app.get(TOKENS.Clock).setTimer(this.graceMs, () => {
      this.logger.warn({ inFlight: this.lifecycle.inFlight, graceMs: this.graceMs }, 'shutdown grace period over: telling in-flight requests to stop waiting');
      this.lifecycle.abort();
    });
    try {
      await this.lifecycle.idle();
    } finally {
      grace.cancel();
    }
    // Nothing is in flight: what remains are idle keep-alive connections or requests still sending headers.
    server.closeAllConnections();
    await stopped;
    await this.nest.close();
    this.lifecycle.markClosed();
  }
}

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
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, requestId: string, logger: Logger): void {
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
