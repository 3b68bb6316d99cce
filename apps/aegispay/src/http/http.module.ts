import { ContainerModule } from 'inversify';
import { TOKENS } from '../composition/tokens';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiMetrics } from './api-metrics';
import { createHttpServer } from './http-server';
import { HTTP_TOKENS } from './http.tokens';
import { DEFAULT_MAX_JSON_DEPTH } from './json-body.reader';
import { OperationsService } from './operations.service';
import { PaymentsService } from './payments.service';
import { PspWebhooksService } from './psp-webhooks.service';
import { ServerLifecycle } from './server-lifecycle';

/** Options of {@link httpModule}. */
export interface HttpModuleOptions {
  /** API key → merchant id. Defaults to `config.apiKeys`. */
  readonly apiKeys?: ReadonlyMap<string, string>;
  /**
   * How long a shutdown waits for in-flight requests before telling them to stop waiting (a
   * payment already sent to a gateway is then completed by recovery). Defaults to 30 000 ms.
   */
  readonly shutdownGraceMs?: number;
  /** Deepest JSON nesting accepted in request bodies. Defaults to 8. */
  readonly maxJsonDepth?: number;
}

/** Defaults of {@link HttpModuleOptions}. */
export const HTTP_DEFAULTS = Object.freeze({ shutdownGraceMs: 30_000, maxJsonDepth: DEFAULT_MAX_JSON_DEPTH });

/**
 * The HTTP API as bindings of the app's container: its services over the orchestrator, breakers,
 * metrics and database bound there, and the server itself (`HTTP_TOKENS.HttpServer`, resolved with
 * `getAsync`). Nest routes; every object it injects comes from this container.
 */
export function httpModule(options: HttpModuleOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(HTTP_TOKENS.Settings).toConstantValue(
      Object.freeze({ shutdownGraceMs: options.shutdownGraceMs ?? HTTP_DEFAULTS.shutdownGraceMs, maxJsonDepth: options.maxJsonDepth ?? HTTP_DEFAULTS.maxJsonDepth }),
    );
    bind(HTTP_TOKENS.ApiKeys).toResolvedValue((config) => options.apiKeys ?? config.apiKeys, [TOKENS.Config]);
    bind(HTTP_TOKENS.ApiKeyAuthenticator)
      .toResolvedValue((keys) => new ApiKeyAuthenticator(keys), [HTTP_TOKENS.ApiKeys])
      .inSingletonScope();
    bind(HTTP_TOKENS.ServerLifecycle)
      .toDynamicValue(() => new ServerLifecycle())
      .inSingletonScope();
    bind(HTTP_TOKENS.ApiMetrics)
      .toResolvedValue(
        (breakers, gatewayMetrics, gateways, outbox, broker) =>
          new ApiMetrics({ breakers, gatewayMetrics, gateways: gateways.map((gateway) => gateway.name), events: { outbox, broker } }),
        [TOKENS.CircuitBreakerManager, TOKENS.GatewayMetricsCollector, TOKENS.PaymentGateways, TOKENS.OutboxStore, TOKENS.EventBroker],
      )
      .inSingletonScope();
    bind(HTTP_TOKENS.PaymentsService)
      .toResolvedValue(
        (orchestrator, repository, metrics, lifecycle) => new PaymentsService({ orchestrator, repository, metrics, lifecycle }),
        [TOKENS.PaymentOrchestrator, TOKENS.PaymentRepository, HTTP_TOKENS.ApiMetrics, HTTP_TOKENS.ServerLifecycle],
      )
      .inSingletonScope();
    bind(HTTP_TOKENS.PspWebhooksService)
      .toResolvedValue(
        (verifiers, orchestrator, lifecycle, logger) => new PspWebhooksService({ verifiers, orchestrator, lifecycle, logger }),
        [TOKENS.WebhookVerifiers, TOKENS.PaymentOrchestrator, HTTP_TOKENS.ServerLifecycle, TOKENS.Logger],
      )
      .inSingletonScope();
    bind(HTTP_TOKENS.OperationsService)
      .toResolvedValue(
        (breakers, gatewayMetrics, gateways, orchestrator, dataSource, recovery, outboxRelay, lifecycle, clock, outbox, broker) =>
          new OperationsService({
            breakers,
            gatewayMetrics,
            gateways: gateways.map((gateway) => gateway.name),
            minHealthScore: orchestrator.settings.minHealthScore,
            dataSource,
            loops: { recovery, outboxRelay },
            events: { outbox, broker },
            lifecycle,
            clock,
          }),
        [
          TOKENS.CircuitBreakerManager,
          TOKENS.GatewayMetricsCollector,
          TOKENS.PaymentGateways,
          TOKENS.PaymentOrchestrator,
          TOKENS.DataSource,
          TOKENS.PaymentRecovery,
          TOKENS.OutboxRelay,
          HTTP_TOKENS.ServerLifecycle,
          TOKENS.Clock,
          TOKENS.OutboxStore,
          TOKENS.EventBroker,
        ],
      )
      .inSingletonScope();
    bind(HTTP_TOKENS.ApiContext)
      .toResolvedValue(
        (payments, operations, webhooks, authenticator, metrics, lifecycle, logger, config, settings) => ({
          payments,
          operations,
          webhooks,
          authenticator,
          metrics,
          lifecycle,
          logger,
          body: { limitBytes: config.http.bodyLimitBytes, maxDepth: settings.maxJsonDepth },
        }),
        [
          HTTP_TOKENS.PaymentsService,
          HTTP_TOKENS.OperationsService,
          HTTP_TOKENS.PspWebhooksService,
          HTTP_TOKENS.ApiKeyAuthenticator,
          HTTP_TOKENS.ApiMetrics,
          HTTP_TOKENS.ServerLifecycle,
          TOKENS.Logger,
          TOKENS.Config,
          HTTP_TOKENS.Settings,
        ],
      )
      .inSingletonScope();
    bind(HTTP_TOKENS.HttpServer)
      .toResolvedValue(
        (api, config, clock, ids, runtime, settings) => createHttpServer({ api, http: config.http, clock, ids, runtime, shutdownGraceMs: settings.shutdownGraceMs }),
        [HTTP_TOKENS.ApiContext, TOKENS.Config, TOKENS.Clock, TOKENS.IdGenerator, TOKENS.Runtime, HTTP_TOKENS.Settings],
      )
      .inSingletonScope();
  });
}
