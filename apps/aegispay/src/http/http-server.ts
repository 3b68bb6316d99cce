import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock, IdGenerator } from '@aegispay/domain';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { AppRuntime } from '../composition/app-runtime';
import type { AppConfig } from '../config/app-config';
import type { ApiContext } from './api-context';
import type { ApiMetrics } from './api-metrics';
import { ApiModule } from './api.module';
import { answerClientError } from './client-error';
import { ProblemFilter } from './problem.filter';
import { requestMiddleware } from './request.middleware';
import type { ServerState } from './server-lifecycle';
import { answerUnmetExpectation } from './unmet-expectation';

/** What {@link createHttpServer} builds the server from: objects of the app's container (see `httpModule`). */
export interface HttpServerDependencies {
  readonly api: ApiContext;
  /** Where {@link HttpServer.listen} listens by default. */
  readonly http: AppConfig['http'];
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Closed by {@link HttpServer.shutdown} once the HTTP side is. */
  readonly runtime: Pick<AppRuntime, 'close'>;
  /** How long a shutdown waits for in-flight requests before telling them to stop waiting, ms. */
  readonly shutdownGraceMs: number;
}

/**
 * Builds the Nest application (Express underneath) over objects the container made: routes and
 * their guards, interceptors and pipes, the request middleware (request id, access log, draining),
 * the problem filter for every error, and problem answers for what Node's HTTP parser refuses and
 * for an `Expect` it cannot meet.
 * Called by the container's `HTTP_TOKENS.HttpServer` binding, not by hand.
 */
export async function createHttpServer(deps: HttpServerDependencies): Promise<HttpServer> {
  const { api, ids } = deps;
  const nest = await NestFactory.create<NestExpressApplication>(ApiModule.register(api), new ExpressAdapter(), {
    bodyParser: false,
    logger: false,
    abortOnError: false,
  });
  nest.disable('x-powered-by');
  // Answers are never cached (no-store): an ETag would only invite conditional requests.
  nest.set('etag', false);
  // First of all: request id, access log, in-flight count; refuse new work while draining.
  nest.use(requestMiddleware(api, ids));
  nest.useGlobalFilters(new ProblemFilter(api));
  await nest.init();
  const server = nest.getHttpServer() as Server;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, ids.generate('req'), api.logger));
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => answerUnmetExpectation(request, response, ids.generate('req'), api.logger));
  return new HttpServer(nest, deps);
}

/**
 * The HTTP API of one composed application. `listen` opens the port, `close` shuts the HTTP side
 * down gracefully, and `shutdown` does that and then stops the app's loops and closes its
 * database. Resolve it from the container: `await app.getAsync(HTTP_TOKENS.HttpServer)`.
 */
export class HttpServer {
  private closing: Promise<void> | undefined;
  private address: string | undefined;

  /** @internal Built by {@link createHttpServer}. */
  constructor(
    private readonly nest: NestExpressApplication,
    private readonly deps: HttpServerDependencies,
  ) {}

  /** The logger requests and lifecycle events are written to. */
  get logger(): Logger {
    return this.deps.api.logger;
  }

  /** The Prometheus metrics `GET /metrics` serves. */
  get metrics(): ApiMetrics {
    return this.deps.api.metrics;
  }

  /** The Node HTTP server (for tests and tooling). */
  get server(): Server {
    return this.nest.getHttpServer() as Server;
  }

  /** `RUNNING`, `DRAINING` during a graceful shutdown, `CLOSED` after it. */
  get state(): ServerState {
    return this.deps.api.lifecycle.state;
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
  async listen(port: number = this.deps.http.port, host: string = this.deps.http.host): Promise<string> {
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
    this.deps.api.lifecycle.abort();
  }

  /**
   * {@link close}, then the app's loops (recovery, outbox relay) and its database.
   * @throws AppCloseError when a loop or the database could not be closed (every step is tried).
   */
  async shutdown(): Promise<void> {
    await this.close();
    await this.deps.runtime.close();
    this.logger.info('stopped: loops stopped and database closed');
  }

  private async closeOnce(): Promise<void> {
    const { lifecycle } = this.deps.api;
    const { shutdownGraceMs: graceMs } = this.deps;
    const server = this.server;
    lifecycle.drain();
    this.logger.info({ inFlight: lifecycle.inFlight }, 'shutting down: no new requests; finishing those in flight');
    const stopped = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server.closeIdleConnections();
    const grace = this.deps.clock.setTimer(graceMs, () => {
      this.logger.warn({ inFlight: lifecycle.inFlight, graceMs }, 'shutdown grace period over: telling in-flight requests to stop waiting');
      lifecycle.abort();
    });
    try {
      await lifecycle.idle();
    } finally {
      grace.cancel();
    }
    // Nothing is in flight: what remains are idle keep-alive connections or requests still sending headers.
    server.closeAllConnections();
    await stopped;
    await this.nest.close();
    lifecycle.markClosed();
  }
}
