import type { GatewayType, IdempotencyStore, PaymentRepository, UnitOfWork } from '@aegispay/domain';
import { FakeClock, SeededRandom, SequentialIdGenerator } from '@aegispay/domain/testing';
import type { HookExecutor } from '@aegispay/hooks';
import { InMemoryIdempotencyStore, InMemoryPaymentRepository } from '@aegispay/locking';
import { CircuitBreakerManager, type CircuitBreakerOptions } from '@aegispay/resilience';
import { GatewayMetricsCollector, IntelligentRoutingEngine, type RoutingRule } from '@aegispay/routing';
import { PaymentOrchestrator } from '../pipeline/payment-orchestrator';
import type { PaymentOrchestratorOptions } from '../pipeline/payment-orchestrator.options';
import { PaymentRecovery, type PaymentRecoveryOptions } from '../recovery/payment-recovery';
import type { OrchestratorErrorReporter } from '../support/orchestrator-error-reporter';
import { ScriptedGateway } from './scripted-gateway';

/** Options of {@link createOrchestratorHarness}. */
export interface OrchestratorHarnessOptions {
  /** Gateway names, in the order payments try them (a routing rule enforces it). Defaults to STRIPE, ADYEN, PAYPAL. */
  readonly gateways?: readonly GatewayType[];
  /**
   * The persistence to run on, built with the harness clock and id generator (so stored payments
   * read back with them). Defaults to an `InMemoryPaymentRepository` and an `InMemoryIdempotencyStore`.
   */
  readonly persistence?: (deps: HarnessDependencies) => HarnessPersistence;
  readonly hooks?: HookExecutor;
  readonly orchestrator?: PaymentOrchestratorOptions;
  readonly breakers?: CircuitBreakerOptions;
  readonly recovery?: PaymentRecoveryOptions;
  /** Defaults to 42. */
  readonly seed?: number;
  /** Receives the errors of side tasks (see `PaymentOrchestratorDependencies.onError`). */
  readonly onError?: OrchestratorErrorReporter;
  /** Makes each write commit with its companions (see `PaymentOrchestratorDependencies.unitOfWork`). */
  readonly unitOfWork?: UnitOfWork;
}

/** What a persistence factory receives. */
export interface HarnessDependencies {
  readonly clock: FakeClock;
  readonly ids: SequentialIdGenerator;
}

/** The persistence a harness runs on. */
export interface HarnessPersistence {
  readonly repository: PaymentRepository;
  readonly idempotency: IdempotencyStore;
}

/** An orchestrator wired to scripted gateways and in-memory ports on an auto-advancing fake clock. */
export interface OrchestratorHarness {
  readonly orchestrator: PaymentOrchestrator;
  readonly recovery: PaymentRecovery;
  readonly gateways: ReadonlyMap<GatewayType, ScriptedGateway>;
  readonly repository: PaymentRepository;
  readonly idempotency: IdempotencyStore;
  readonly breakers: CircuitBreakerManager;
  readonly metrics: GatewayMetricsCollector;
  readonly routing: IntelligentRoutingEngine;
  readonly clock: FakeClock;
  readonly ids: SequentialIdGenerator;
  /** The scripted gateway named `name`. */
  gateway(name: GatewayType): ScriptedGateway;
  /** Approved charges of `paymentId` across every gateway. */
  approvedCharges(paymentId: string): number;
}

/**
 * Builds a complete orchestrator for tests: scripted gateways tried in a fixed order, in-memory
 * (or given) persistence, breakers, metrics and routing, all on one auto-advancing `FakeClock`
 * (timeouts and backoffs take no wall time) and seeded randomness.
 */
export function createOrchestratorHarness(options: OrchestratorHarnessOptions = {}): OrchestratorHarness {
  const clock = new FakeClock({ autoAdvance: true });
  const random = new SeededRandom(options.seed ?? 42);
  const ids = new SequentialIdGenerator();
  const names = options.gateways ?? ['STRIPE', 'ADYEN', 'PAYPAL'];
  const gateways = new Map(names.map((name) => [name, new ScriptedGateway(name, 'APPROVE', clock)] as const));
  const { repository, idempotency } =
    options.persistence?.({ clock, ids }) ??
    ({ repository: new InMemoryPaymentRepository({ clock }), idempotency: new InMemoryIdempotencyStore({ clock }) } satisfies HarnessPersistence);
  const breakers = new CircuitBreakerManager({ clock, gateways: names, ...(options.breakers ?? {}) });
  const metrics = new GatewayMetricsCollector({ clock });
  const routing = new IntelligentRoutingEngine(metrics, { clock, random, exploration: false });
  routing.registerRule(fixedOrderRule(names));
  const orchestrator = new PaymentOrchestrator(
    {
      repository,
      idempotency,
      gateways: [...gateways.values()],
      routing,
      metrics,
      breakers,
      clock,
      random,
      ids,
      ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      ...(options.unitOfWork === undefined ? {} : { unitOfWork: options.unitOfWork }),
    },
    options.orchestrator,
  );
  const recovery = new PaymentRecovery(
    { repository, idempotency, gateways: [...gateways.values()], orchestrator, clock, random },
    { stuckAfterMs: 600_000, ...(options.recovery ?? {}) },
  );
  return {
    orchestrator,
    recovery,
    gateways,
    repository,
    idempotency,
    breakers,
    metrics,
    routing,
    clock,
    ids,
    gateway: (name) => {
      const gateway = gateways.get(name);
      if (gateway === undefined) throw new Error(`no scripted gateway named ${name}`);
      return gateway;
    },
    approvedCharges: (paymentId) => [...gateways.values()].reduce((sum, gateway) => sum + gateway.approvedChargesOf(paymentId).length, 0),
  };
}

/** Picks the first available gateway in `order`: deterministic routing for tests. */
function fixedOrderRule(order: readonly GatewayType[]): RoutingRule {
  return {
    name: 'harness-fixed-order',
    priority: 1_000,
    condition: () => true,
    selectGateway: (_payment, available) => order.find((name) => available.includes(name)) ?? null,
  };
}
