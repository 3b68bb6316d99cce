import type {
  Clock,
  EventPublisher,
  IdempotencyStore,
  IdGenerator,
  OutboxStore,
  GatewayWebhookVerifier,
  PaymentGateway,
  PaymentRepository,
  Random,
  UnitOfWork,
  VelocityCounterStore,
} from '@aegispay/domain';
import type { SimulatedGateway } from '@aegispay/gateways';
import type { HookExecutor, HookRegistry } from '@aegispay/hooks';
import type { OutboxRelay, RetentionSweeper } from '@aegispay/locking';
import type { JetStreamEventPublisher } from '@aegispay/nats';
import type { PaymentOrchestrator, PaymentRecovery } from '@aegispay/orchestrator';
import type { CircuitBreakerManager } from '@aegispay/resilience';
import type { GatewayMetricsCollector, IntelligentRoutingEngine } from '@aegispay/routing';
import type { ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { AppRuntime } from './app-runtime';
import type { EventLog } from './event-log.publisher';

/** A service identifier that carries the type of what it identifies. */
export type Token<T> = ServiceIdentifier<T> & symbol;

/**
 * The token named `aegispay.<name>` (a `Symbol.for`, so two copies of this module agree on it).
 * Declare your own with it when a bindings module adds a service of its own.
 */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`aegispay.${name}`) as Token<T>;
}

/** Every binding of the app's container (the HTTP API's are in `HTTP_TOKENS`). */
export const TOKENS = {
  Config: token<AppConfig>('Config'),
  /** The app's structured logger (pino). */
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  Random: token<Random>('Random'),
  IdGenerator: token<IdGenerator>('IdGenerator'),

  PaymentRepository: token<PaymentRepository>('PaymentRepository'),
  IdempotencyStore: token<IdempotencyStore>('IdempotencyStore'),
  OutboxStore: token<OutboxStore>('OutboxStore'),
  UnitOfWork: token<UnitOfWork>('UnitOfWork'),
  /** The TypeORM data source, `null` with in-memory persistence. */
  DataSource: token<DataSource | null>('DataSource'),
  /** Where the outbox relay publishes: `EventBroker` when NATS is configured, else `EventLog`. */
  EventPublisher: token<EventPublisher>('EventPublisher'),
  /** The in-process event log (the relay's destination without a broker). */
  EventLog: token<EventLog>('EventLog'),
  /** The NATS JetStream publisher (`AEGISPAY_NATS_URL`), `null` when none is configured. */
  EventBroker: token<JetStreamEventPublisher | null>('EventBroker'),

  /** The simulated acquirers themselves (their ledgers are the outside world's truth). */
  SimulatedGateways: token<readonly SimulatedGateway[]>('SimulatedGateways'),
  /** What the orchestrator calls: the simulated acquirers, wrapped in chaos when configured. */
  PaymentGateways: token<readonly PaymentGateway[]>('PaymentGateways'),
  /**
   * The webhook verifiers of the configured PSP connectors, by the path segment of their route
   * (`POST /v1/psp-webhooks/<segment>`, e.g. `stripe`, `adyen`). Empty on simulated gateways only.
   */
  WebhookVerifiers: token<ReadonlyMap<string, GatewayWebhookVerifier>>('WebhookVerifiers'),

  CircuitBreakerManager: token<CircuitBreakerManager>('CircuitBreakerManager'),
  GatewayMetricsCollector: token<GatewayMetricsCollector>('GatewayMetricsCollector'),
  IntelligentRoutingEngine: token<IntelligentRoutingEngine>('IntelligentRoutingEngine'),
  HookRegistry: token<HookRegistry>('HookRegistry'),
  HookExecutor: token<HookExecutor>('HookExecutor'),

  PaymentOrchestrator: token<PaymentOrchestrator>('PaymentOrchestrator'),
  PaymentRecovery: token<PaymentRecovery>('PaymentRecovery'),
  OutboxRelay: token<OutboxRelay>('OutboxRelay'),
  /** Starts the loops; stops them and closes the database. */
  Runtime: token<AppRuntime>('Runtime'),

  // ── Risk rules ──
  /**
   * Where the velocity rules count payments: an `InMemoryVelocityCounterStore` (one process).
   * Rebind it to a store shared by every process (Redis, SQL) when several serve one merchant.
   */
  VelocityCounterStore: token<VelocityCounterStore>('VelocityCounterStore'),
  // ── Retention ──
  /** Purges published outbox events and expired idempotency keys; `null` when retention is off. */
  RetentionSweeper: token<RetentionSweeper | null>('RetentionSweeper'),
} as const;
