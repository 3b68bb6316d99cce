import { token } from '../composition/tokens';
import type { ApiContext } from './api-context';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import type { ApiMetrics } from './api-metrics';
import type { HttpServer } from './http-server';
import type { OperationsService } from './operations.service';
import type { PaymentsService } from './payments.service';
import type { PspWebhooksService } from './psp-webhooks.service';
import type { ServerLifecycle } from './server-lifecycle';

/** Settings of the HTTP API that are not in the app configuration (see `HttpModuleOptions`). */
export interface HttpSettings {
  /** How long a shutdown waits for in-flight requests before telling them to stop waiting, ms. */
  readonly shutdownGraceMs: number;
  /** Deepest JSON nesting accepted in request bodies. */
  readonly maxJsonDepth: number;
}

/** The bindings `httpModule()` adds to the app's container. */
export const HTTP_TOKENS = {
  Settings: token<HttpSettings>('http.Settings'),
  /** API key → merchant id: who may call the API. */
  ApiKeys: token<ReadonlyMap<string, string>>('http.ApiKeys'),
  ApiKeyAuthenticator: token<ApiKeyAuthenticator>('http.ApiKeyAuthenticator'),
  /** Requests and work in flight, draining and the abort signal of a shutdown. */
  ServerLifecycle: token<ServerLifecycle>('http.ServerLifecycle'),
  /** The Prometheus registry of `GET /metrics`. */
  ApiMetrics: token<ApiMetrics>('http.ApiMetrics'),
  PaymentsService: token<PaymentsService>('http.PaymentsService'),
  OperationsService: token<OperationsService>('http.OperationsService'),
  /** `POST /v1/psp-webhooks/<connector>`: verified PSP webhooks applied by the orchestrator. */
  PspWebhooksService: token<PspWebhooksService>('http.PspWebhooksService'),
  /** Everything the Nest guard, filter and interceptors read (the same symbol as `API_CONTEXT`). */
  ApiContext: token<ApiContext>('http.ApiContext'),
  /** The HTTP server, built asynchronously: resolve it with `getAsync`. */
  HttpServer: token<HttpServer>('http.HttpServer'),
} as const;
