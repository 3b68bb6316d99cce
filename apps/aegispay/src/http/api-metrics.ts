import type { StoredPaymentResult } from '@aegispay/orchestrator';
import { CIRCUIT_STATES, type CircuitBreakerManager } from '@aegispay/resilience';
import type { GatewayMetricsCollector } from '@aegispay/routing';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventsSources } from './events-health';

/** Where {@link ApiMetrics} reads the figures it reports at scrape time. */
export interface ApiMetricsSources {
  readonly breakers: CircuitBreakerManager;
  readonly gatewayMetrics: GatewayMetricsCollector;
  /** The gateways payments are routed to, by name. */
  readonly gateways: readonly string[];
  /** The outbox and the event broker. Defaults to none (their gauges are then absent). */
  readonly events?: EventsSources;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The Prometheus metrics of one API instance, in its own registry (never prom-client's global
 * one, so two servers in a process — or in a test run — never mix their figures).
 *
 * Counted as requests are answered: HTTP requests and their durations by route pattern (never
 * the raw path, which holds ids), payments by outcome, status and gateway, gateway attempts and
 * their latency, refunds. Read at scrape time: breaker state and health score per gateway, the
 * routing engine's windowed success rate, the events waiting in the outbox and whether the event
 * broker is connected.
 */
export class ApiMetrics {
  /** The registry `GET /metrics` renders. */
  readonly registry = new Registry();
  private readonly httpRequests: Histogram<'method' | 'route' | 'status'>;
  private readonly payments: Counter<'outcome' | 'status' | 'gateway'>;
  private readonly paymentDuration: Histogram<'outcome'>;
  private readonly attempts: Histogram<'gateway' | 'outcome'>;
  private readonly refunds: Counter<'result'>;

  constructor(sources: ApiMetricsSources) {
    const registers = [this.registry];
    this.httpRequests = new Histogram({
      name: 'aegispay_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code, and how long they took.',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.payments = new Counter({
      name: 'aegispay_payments_total',
      help: 'Payments answered (replays excluded) by outcome, resulting status and gateway ("none" when no gateway took it).',
      labelNames: ['outcome', 'status', 'gateway'],
      registers,
    });
    this.paymentDuration = new Histogram({
      name: 'aegispay_payment_duration_seconds',
      help: 'Time to take a payment from request to outcome, by outcome.',
      labelNames: ['outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.attempts = new Histogram({
      name: 'aegispay_gateway_attempt_latency_seconds',
      help: 'Gateway calls made for payments, by gateway and outcome, and their latency.',
      labelNames: ['gateway', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.refunds = new Counter({
      name: 'aegispay_refunds_total',
      help: 'Refund requests answered (replays excluded), by result: REFUNDED or the problem code.',
      labelNames: ['result'],
      registers,
    });
    new Gauge({
      name: 'aegispay_circuit_breaker_state',
      help: 'Circuit breaker state per gateway: 1 for the current state, 0 for the others.',
      labelNames: ['gateway', 'state'],
      registers,
      collect() {
        this.reset();
        for (const [gateway, health] of sources.breakers.getAllHealth()) {
          for (const state of CIRCUIT_STATES) this.set({ gateway, state }, health.circuitState === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'aegispay_gateway_health_score',
      help: 'Health score of each gateway’s circuit breaker, 0 to 1.',
      labelNames: ['gateway'],
      registers,
      collect() {
        this.reset();
        for (const [gateway, health] of sources.breakers.getAllHealth()) this.set({ gateway }, health.healthScore);
      },
    });
    new Gauge({
      name: 'aegispay_gateway_success_rate',
      help: 'Share of calls in which the gateway answered (approved or declined) over the routing window; absent without data.',
      labelNames: ['gateway'],
      registers,
      collect() {
        this.reset();
        for (const gateway of sources.gateways) {
          const metrics = sources.gatewayMetrics.getMetrics(gateway);
          if (metrics.hasData) this.set({ gateway }, metrics.successRate);
        }
      },
    });
    if (sources.events !== undefined) this.registerEventGauges(sources.events, registers);
  }

  /** The outbox's gauges: events waiting, and (with a broker) whether it is connected. */
  private registerEventGauges(events: EventsSources, registers: Registry[]): void {
    new Gauge({
      name: 'aegispay_outbox_unpublished_events',
      help: 'Events waiting in the outbox to be published (dead letters included); grows while the event broker is away.',
      registers,
      async collect() {
        this.reset();
        const count = await events.outbox.countUnpublished().catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    });
    const broker = events.broker;
    if (broker === null) return;
    new Gauge({
      name: 'aegispay_event_broker_connected',
      help: 'Whether the NATS JetStream event broker is connected (1) or not (0): events wait in the outbox while it is not.',
      registers,
      collect() {
        this.set(broker.status().state === 'connected' ? 1 : 0);
      },
    });
  }

  /** Counts an answered HTTP request. `route` is the route pattern (`/v1/payments/:id`), never the raw path. */
  recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.observe({ method, route, status: String(status) }, seconds);
  }

  /** Counts a payment answered for the first time (not a replay), with the gateway calls it made. */
  recordPayment(result: StoredPaymentResult, seconds: number): void {
    const gateway = 'gateway' in result ? result.gateway : null;
    this.payments.inc({ outcome: result.outcome, status: result.status, gateway: gateway ?? 'none' });
    this.paymentDuration.observe({ outcome: result.outcome }, seconds);
    for (const attempt of result.payment.attempts) {
      this.attempts.observe({ gateway: attempt.gateway, outcome: attempt.outcome }, attempt.latencyMs / 1_000);
    }
  }

  /** Counts a refund request answered for the first time: `REFUNDED`, `PENDING` or the problem code. */
  recordRefund(result: string): void {
    this.refunds.inc({ result });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
