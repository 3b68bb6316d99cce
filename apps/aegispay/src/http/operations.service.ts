import type { Clock } from '@aegispay/domain';
import type { CircuitBreakerManager, CircuitState } from '@aegispay/resilience';
import type { GatewayMetricsCollector } from '@aegispay/routing';
import { pendingMigrations } from '@aegispay/typeorm';
import type { DataSource } from 'typeorm';
import { eventsHealth, type EventsHealth, type EventsSources } from './events-health';
import { ProblemError } from './problem-details';
import type { ServerLifecycle } from './server-lifecycle';

/** What {@link OperationsService} reads. */
export interface OperationsServiceDependencies {
  readonly breakers: CircuitBreakerManager;
  readonly gatewayMetrics: GatewayMetricsCollector;
  /** The gateways payments are routed to, by name. */
  readonly gateways: readonly string[];
  /** The orchestrator's routing threshold (`undefined`: each breaker's own). */
  readonly minHealthScore: number | undefined;
  /** `null` with in-memory persistence. */
  readonly dataSource: DataSource | null;
  readonly loops: { readonly recovery: { readonly isRunning: boolean }; readonly outboxRelay: { readonly isRunning: boolean } };
  /** The outbox and the event broker, for `events` in the health body. */
  readonly events: EventsSources;
  readonly lifecycle: ServerLifecycle;
  readonly clock: Clock;
  /** How long the database may take to answer the health check. Defaults to 2 000 ms. */
  readonly databaseTimeoutMs?: number;
}

/** One gateway in `GET /v1/gateways`. */
export interface GatewayView {
  readonly name: string;
  /** Whether routing currently sends payments to it (breaker permits and health score high enough). */
  readonly routable: boolean;
  readonly breaker: {
    readonly state: CircuitState;
    readonly healthScore: number;
    readonly successRate: number;
    readonly failureRate: number;
    readonly callsInWindow: number;
    readonly consecutiveFailures: number;
    readonly openCount: number;
    readonly totalCalls: number;
    /** Milliseconds until an open breaker lets a probe through; `null` while isolated by hand. */
    readonly retryInMs: number | null;
    readonly isolated: boolean;
    readonly lastFailureAt: string | null;
    readonly lastStateChangeAt: string;
  };
  /** The routing engine's window; figures are `null` without data. */
  readonly metrics: {
    readonly volume: number;
    readonly successRate: number | null;
    readonly approvalRate: number | null;
    readonly recentApprovalRate: number | null;
    readonly p50LatencyMs: number | null;
    readonly p95LatencyMs: number | null;
    readonly p99LatencyMs: number | null;
    readonly averageLatencyMs: number | null;
    /** Mean fee per payment, in minor units (currencies not separated). */
    readonly averageCost: number | null;
    readonly errorCounts: Readonly<Record<string, number>>;
  };
}

/** The body of `GET /healthz`. */
export interface HealthBody {
  /** `ok`; `draining` during a shutdown; `unavailable` when the database does not answer. */
  readonly status: 'ok' | 'draining' | 'unavailable';
  readonly database: 'up' | 'down' | 'in-memory';
  readonly loops: { readonly recovery: boolean; readonly outboxRelay: boolean };
  /** The outbox's events and their broker; a broker that is away never makes the status unavailable. */
  readonly events: EventsHealth;
  readonly inFlight: number;
}

/** One check of `GET /readyz`: `pass`, `fail` (with what is wrong), or `skip` when an earlier check failed. */
export type ReadinessCheck = {
  readonly status: 'pass' | 'fail' | 'skip';
  readonly detail?: string;
};

/** The checks of `GET /readyz`, in the order they run. */
export type ReadinessChecks = {
  /** The database answers `SELECT 1` within the timeout (`pass` with in-memory persistence). */
  readonly database: ReadinessCheck;
  /** Every migration this build knows has been applied. */
  readonly migrations: ReadinessCheck;
  /** The server is not shutting down. */
  readonly shutdown: ReadinessCheck;
};

/** The body of `GET /readyz` when ready (else a 503 `SERVER.NOT_READY` problem with the same `checks`). */
export interface ReadyBody {
  readonly status: 'ready';
  readonly checks: ReadinessChecks;
}

/** The body of `GET /livez`. */
export interface LiveBody {
  readonly status: 'live';
}

/** Gateway health and metrics, and the server's own health. */
export class OperationsService {
  constructor(private readonly deps: OperationsServiceDependencies) {}

  /** `GET /v1/gateways`. */
  gateways(): { readonly gateways: readonly GatewayView[] } {
    const { breakers, gatewayMetrics } = this.deps;
    const routable = new Set(breakers.getHealthyGateways(this.deps.minHealthScore));
    return {
      gateways: this.deps.gateways.map((name) => {
        const health = breakers.getBreaker(name).getHealth();
        const metrics = gatewayMetrics.getMetrics(name);
        return {
          name,
          routable: routable.has(name),
          breaker: {
            state: health.circuitState,
            healthScore: health.healthScore,
            successRate: health.successRate,
            failureRate: health.failureRate,
            callsInWindow: health.callsInWindow,
            consecutiveFailures: health.consecutiveFailures,
            openCount: health.openCount,
            totalCalls: health.totalCalls,
            retryInMs: Number.isFinite(health.timeUntilRetry) ? health.timeUntilRetry : null,
            isolated: health.isolated,
            lastFailureAt: health.lastFailureAt === null ? null : new Date(health.lastFailureAt).toISOString(),
            lastStateChangeAt: new Date(health.lastStateChangeAt).toISOString(),
          },
          metrics: {
            volume: metrics.volume,
            successRate: metrics.successRate,
            approvalRate: metrics.approvalRate,
            recentApprovalRate: metrics.recentApprovalRate,
            p50LatencyMs: metrics.p50Latency,
            p95LatencyMs: metrics.p95Latency,
            p99LatencyMs: metrics.p99Latency,
            averageLatencyMs: metrics.averageLatency,
            averageCost: metrics.averageCost,
            errorCounts: { ...metrics.errorCounts },
          },
        };
      }),
    };
  }

  /** `GET /healthz`: 200 when serving, 503 while draining or when the database does not answer. */
  async health(): Promise<{ readonly status: number; readonly body: HealthBody }> {
    const [database, events] = await Promise.all([this.database(), eventsHealth(this.deps.events, (work) => this.withinDeadline(work))]);
    const draining = this.deps.lifecycle.state !== 'RUNNING';
    const status = draining ? 'draining' : database === 'down' ? 'unavailable' : 'ok';
    return {
      status: status === 'ok' ? 200 : 503,
      body: {
        status,
        database,
        loops: { recovery: this.deps.loops.recovery.isRunning, outboxRelay: this.deps.loops.outboxRelay.isRunning },
        events,
        inFlight: this.deps.lifecycle.inFlight,
      },
    };
  }

  /** `GET /livez`: the process answers. Depends on nothing, so a database outage never gets a healthy process restarted. */
  live(): LiveBody {
    return { status: 'live' };
  }

  /**
   * `GET /readyz`: whether to route traffic here — the database answers, every known migration has
   * been applied, and the server is not shutting down.
   * @throws ProblemError 503 `SERVER.NOT_READY` naming the failed checks, with every check's result.
   */
  async ready(): Promise<ReadyBody> {
    const database = await this.databaseCheck();
    const migrations = database.status === 'pass' ? await this.migrationsCheck() : { status: 'skip' as const, detail: 'the database did not answer' };
    const state = this.deps.lifecycle.state;
    const shutdown: ReadinessCheck = state === 'RUNNING' ? { status: 'pass' } : { status: 'fail', detail: `the server is ${state === 'DRAINING' ? 'shutting down' : 'closed'}` };
    const checks: ReadinessChecks = { database, migrations, shutdown };
    const failed = Object.entries(checks).filter(([, check]) => check.status === 'fail');
    if (failed.length === 0) return { status: 'ready', checks };
    throw new ProblemError(503, 'SERVER.NOT_READY', `Not ready: ${failed.map(([name, check]) => `${name}: ${check.detail ?? 'failed'}`).join('; ')}.`, {
      retryable: true,
      extensions: { checks },
    });
  }

  private async databaseCheck(): Promise<ReadinessCheck> {
    const database = await this.database();
    if (database === 'down') return { status: 'fail', detail: `the database did not answer SELECT 1 within ${this.timeoutMs} ms` };
    return database === 'in-memory' ? { status: 'pass', detail: 'in-memory persistence' } : { status: 'pass' };
  }

  private async migrationsCheck(): Promise<ReadinessCheck> {
    const dataSource = this.deps.dataSource;
    if (dataSource === null) return { status: 'pass', detail: 'in-memory persistence' };
    const pending = await this.withinDeadline(pendingMigrations(dataSource).catch(() => undefined));
    if (pending === undefined) return { status: 'fail', detail: 'the migrations table could not be read' };
    return pending.length === 0 ? { status: 'pass' } : { status: 'fail', detail: `${pending.length} not applied (${pending.join(', ')}): run aegispay migrate` };
  }

  private get timeoutMs(): number {
    return this.deps.databaseTimeoutMs ?? 2_000;
  }

  private async database(): Promise<HealthBody['database']> {
    const dataSource = this.deps.dataSource;
    if (dataSource === null) return 'in-memory';
    if (!dataSource.isInitialized) return 'down';
    return (await this.withinDeadline(dataSource.query('SELECT 1').then(() => 'up' as const, () => 'down' as const))) ?? 'down';
  }

  /** What `work` resolves to, or `undefined` when the database timeout passes first. */
  private async withinDeadline<T>(work: Promise<T>): Promise<T | undefined> {
    let timer: { cancel(): void } | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = this.deps.clock.setTimer(this.timeoutMs, () => resolve(undefined));
    });
    try {
      return await Promise.race([work, timedOut]);
    } finally {
      timer?.cancel();
    }
  }
}
