import { HookExecutor, InMemoryVelocityCounterStore } from '@aegispay/hooks';
import { OutboxRelay, RetentionSweeper } from '@aegispay/locking';
import { PaymentOrchestrator, PaymentRecovery } from '@aegispay/orchestrator';
import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import { ContainerModule } from 'inversify';
import { errorLogFields } from '../logging/error-log-fields';
import { AppRuntime } from './app-runtime';
import { createEventBroker } from './event-broker';
import { EventLog } from './event-log.publisher';
import { riskRulesRegistry } from './risk-rules';
import { TOKENS } from './tokens';

/** Breakers, metrics, routing, hooks, the orchestrator, recovery and the outbox relay over the bound ports, and the runtime that starts and stops the loops. */
export function paymentsModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.CircuitBreakerManager)
      .toResolvedValue((clock, gateways) => new CircuitBreakerManager({ clock, gateways: gateways.map((gateway) => gateway.name) }), [TOKENS.Clock, TOKENS.PaymentGateways])
      .inSingletonScope();
    bind(TOKENS.GatewayMetricsCollector)
      .toResolvedValue((clock) => new GatewayMetricsCollector({ clock }), [TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.IntelligentRoutingEngine)
      .toResolvedValue((metrics, clock, random) => new IntelligentRoutingEngine(metrics, { clock, random }), [TOKENS.GatewayMetricsCollector, TOKENS.Clock, TOKENS.Random])
      .inSingletonScope();
    // ── Risk rules: the default fraud checks (risk-rules.ts), counting in the velocity store ──
    bind(TOKENS.VelocityCounterStore).toConstantValue(new InMemoryVelocityCounterStore());
    bind(TOKENS.HookRegistry)
      .toResolvedValue((config, clock, velocity) => riskRulesRegistry(config.risk, { clock, velocity }), [TOKENS.Config, TOKENS.Clock, TOKENS.VelocityCounterStore])
      .inSingletonScope();
    bind(TOKENS.HookExecutor)
      .toResolvedValue((registry, clock) => new HookExecutor(registry, { clock }), [TOKENS.HookRegistry, TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.PaymentOrchestrator)
      .toResolvedValue(
        (repository, idempotency, gateways, routing, metrics, breakers, hooks, clock, random, ids) =>
          new PaymentOrchestrator({ repository, idempotency, gateways, routing, metrics, breakers, hooks, clock, random, ids }),
        [
          TOKENS.PaymentRepository,
          TOKENS.IdempotencyStore,
          TOKENS.PaymentGateways,
          TOKENS.IntelligentRoutingEngine,
          TOKENS.GatewayMetricsCollector,
          TOKENS.CircuitBreakerManager,
          TOKENS.HookExecutor,
          TOKENS.Clock,
          TOKENS.Random,
          TOKENS.IdGenerator,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.PaymentRecovery)
      .toResolvedValue(
        (config, repository, idempotency, gateways, orchestrator, clock, random) =>
          new PaymentRecovery(
            { repository, idempotency, gateways, orchestrator, clock, random },
            { intervalMs: config.recovery.intervalMs, stuckAfterMs: config.recovery.stuckAfterMs },
          ),
        [TOKENS.Config, TOKENS.PaymentRepository, TOKENS.IdempotencyStore, TOKENS.PaymentGateways, TOKENS.PaymentOrchestrator, TOKENS.Clock, TOKENS.Random],
      )
      .inSingletonScope();
    bind(TOKENS.EventLog).toConstantValue(new EventLog());
    bind(TOKENS.EventBroker)
      .toResolvedValue((config, logger, payments) => (config.nats === null ? null : createEventBroker(config.nats, logger, payments)), [TOKENS.Config, TOKENS.Logger, TOKENS.PaymentRepository])
      .inSingletonScope();
    bind(TOKENS.EventPublisher).toResolvedValue((broker, log) => broker ?? log, [TOKENS.EventBroker, TOKENS.EventLog]);
    bind(TOKENS.OutboxRelay)
      .toResolvedValue(
        (config, outbox, publisher, clock, random, ids, logger) =>
          new OutboxRelay(outbox, publisher, {
            pollIntervalMs: config.outbox.pollIntervalMs,
            clock,
            random,
            ids,
            onError: (error) => logger.warn({ error: errorLogFields(error) }, 'outbox relay: a batch did not go through; its events stay in the outbox'),
          }),
        [TOKENS.Config, TOKENS.OutboxStore, TOKENS.EventPublisher, TOKENS.Clock, TOKENS.Random, TOKENS.IdGenerator, TOKENS.Logger],
      )
      .inSingletonScope();
    // ── Retention: published outbox events and expired idempotency keys, in bounded batches ──
    bind(TOKENS.RetentionSweeper)
      .toResolvedValue(
        (config, outbox, idempotency, clock, logger) =>
          config.retention.intervalMs === 0
            ? null
            : new RetentionSweeper(
                { outbox, idempotency },
                {
                  intervalMs: config.retention.intervalMs,
                  outboxRetentionMs: config.retention.outboxRetentionMs,
                  batchSize: config.retention.batchSize,
                  clock,
                  onPurged: (batch) => logger.debug({ ...batch }, 'retention: purged a batch'),
                  onError: (error) => logger.warn({ error: errorLogFields(error) }, 'retention: a batch failed; trying again later'),
                },
              ),
        [TOKENS.Config, TOKENS.OutboxStore, TOKENS.IdempotencyStore, TOKENS.Clock, TOKENS.Logger],
      )
      .inSingletonScope();
    bind(TOKENS.Runtime)
      .toResolvedValue(
        (recovery, outboxRelay, retention, dataSource, broker) =>
          new AppRuntime({ loops: { recovery, outboxRelay, ...(retention === null ? {} : { retention }) }, dataSource, broker }),
        [TOKENS.PaymentRecovery, TOKENS.OutboxRelay, TOKENS.RetentionSweeper, TOKENS.DataSource, TOKENS.EventBroker],
      )
      .inSingletonScope();
  });
}
