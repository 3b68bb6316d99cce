import { SystemClock, type Clock, type MetadataValue, type PaymentEvent } from '@aegispay/domain';

import type { ErrorContext, HookContext, RoutingContext } from '../context/hook-context';
import { checkHookContext, freezeCopy, prepareInvocation, setOwn, snapshotOf } from '../context/hook-invocation.builder';
import { HookFailedError, hookOptionChecks } from '../errors/hook.errors';
import type { Awaitable } from '../hooks/hook';
import type { MetricSample } from '../hooks/metrics-collector.hook';
import type { HookRegistry } from '../registry/hook-registry';
import type { HookRegistration } from '../registry/hook-type-map';
import { combineFraudResults } from './fraud-combination';
import type {
  ConsideredRoutingDecision,
  EnrichmentOutcome,
  ErrorHandlingOutcome,
  EventDispatchOutcome,
  FraudCheckOutcome,
  FraudCheckRecord,
  HookFailure,
  HookMessage,
  IgnoredEnrichment,
  MetricsOutcome,
  RoutingOutcome,
  ValidationOutcome,
} from './hook-outcomes';
import {
  enrichmentResultProblem,
  errorHandlingResultProblem,
  fraudCheckResultProblem,
  routingDecisionProblem,
  validationResultProblem,
} from './hook-result.guards';
import { HOOK_EXECUTOR_DEFAULTS, type HookExecutorOptions } from './hook-executor.options';
import { checkErrorContext, checkEvent, checkMetrics, checkRoutingContext } from './hook-executor.inputs';
import { invalidResult, runHook, type HookRun } from './hook-runner';

export { HOOK_EXECUTOR_DEFAULTS, type HookExecutorOptions } from './hook-executor.options';

const SKIPPED: unique symbol = Symbol('skipped');
const checks = hookOptionChecks('HookExecutor');

/**
 * Runs the registry's hooks for each step of a payment and combines their answers.
 *
 * Every method runs the enabled hooks of its type one after the other, higher priority first,
 * equal priorities in registration order, each under its own timeout with an `AbortSignal`.
 * Hooks receive a `HookInvocation`: the payment as a deep-frozen snapshot taken when the
 * method was called. A hook that throws, times out or returns a malformed answer is isolated and
 * handled by its failure policy (see `FailurePolicy`); every failure is listed in the outcome and
 * passed to `onHookFailure`. No method prints.
 */
export class HookExecutor {
  private readonly clock: Clock;
  private readonly defaultTimeoutMs: number;
  private readonly riskThreshold: number;
  private readonly stopOnFirstDeny: boolean;
  private readonly minRoutingConfidence: number;
  private readonly onHookFailure: ((failure: HookFailure, error: unknown) => void) | undefined;

  /** @throws InvalidOptionError `HOOK.INVALID_OPTION` for an option out of range. */
  constructor(
    private readonly registry: HookRegistry,
    options: HookExecutorOptions = {},
  ) {
    const defaults = HOOK_EXECUTOR_DEFAULTS;
    this.clock = checks.port('clock', options.clock, () => new SystemClock(), ['now', 'setTimer']);
    this.defaultTimeoutMs = checks.number('defaultTimeoutMs', options.defaultTimeoutMs, defaults.defaultTimeoutMs, { above: 0 });
    this.riskThreshold = checks.rate('riskThreshold', options.riskThreshold, defaults.riskThreshold, { above: 0 });
    this.minRoutingConfidence = checks.rate('minRoutingConfidence', options.minRoutingConfidence, defaults.minRoutingConfidence);
    this.stopOnFirstDeny = checks.boolean('stopOnFirstDeny', options.stopOnFirstDeny, defaults.stopOnFirstDeny);
    this.onHookFailure = checks.optionalFunction('onHookFailure', options.onHookFailure);
  }

  /**
   * Runs every pre-validation hook (a refusal does not stop the others, so the caller learns every
   * problem at once) and aggregates their errors and warnings, each with the hook's name.
   * `valid` is true when there is no error. A fail-closed failure adds an error naming the hook.
   */
  executePreValidation(context: HookContext): Promise<ValidationOutcome> {
    return this.validate('PRE_VALIDATION', context);
  }

  /** As {@link executePreValidation}, for the hooks that check a payment after processing. */
  executePostValidation(context: HookContext): Promise<ValidationOutcome> {
    return this.validate('POST_VALIDATION', context);
  }

  /**
   * Runs the fraud checks in order and combines their answers:
   * - the outcome's `riskScore` is the highest score returned;
   * - the first refusal wins: its reason is the outcome's reason, and the remaining checks are not
   *   run unless `stopOnFirstDeny` is false;
   * - with no refusal, a `riskScore` at or above `riskThreshold` refuses the payment;
   * - a check that fails closed (the default) counts as a refusal with score 1 and a reason
   *   naming it; one that fails open is left out.
   */
  async executeFraudChecks(context: HookContext): Promise<FraudCheckOutcome> {
    const invocation = prepareInvocation(context);
    const records: FraudCheckRecord[] = [];
    const failures: HookFailure[] = [];
    for (const registration of this.registry.enabledHooks('FRAUD_CHECK')) {
      const run = await this.run(registration, (signal) => registration.hook.execute(invocation(signal)), fraudCheckResultProblem);
      let record: FraudCheckRecord | undefined;
      if (!run.ok) {
        failures.push(run.failure);
        if (run.failure.policy === 'FAIL_CLOSED') {
          record = {
            hook: registration.name,
            allowed: false,
            riskScore: 1,
            reason: `Fraud check "${registration.name}" could not complete (${run.failure.reason}); the payment is refused`,
            failed: true,
          };
        }
      } else {
        const { allowed, riskScore, reason, metadata } = run.value;
        record = {
          hook: registration.name,
          allowed,
          riskScore: riskScore ?? (allowed ? 0 : 1),
          ...(reason === undefined ? {} : { reason }),
          ...(metadata === undefined ? {} : { metadata: freezeCopy(metadata) }),
          failed: false,
        };
      }
      if (record === undefined) continue;
      records.push(Object.freeze(record));
      if (!record.allowed && this.stopOnFirstDeny) break;
    }
    const verdict = combineFraudResults(records, this.riskThreshold);
    return Object.freeze({ ...verdict, results: Object.freeze(records), failures: Object.freeze(failures) });
  }

  /**
   * Asks the routing strategies in order and takes the first decision that names one of
   * `context.availableGateways` with a confidence at or above `minRoutingConfidence`. A decision
   * for an unavailable gateway or below the threshold is recorded in `considered` and the next
   * strategy is asked. No decision (`decision: null`) leaves routing to the caller's engine; with
   * no available gateway, no strategy is asked.
   *
   * @throws HookFailedError when a strategy registered `FAIL_CLOSED` fails.
   */
  async executeRoutingStrategies(context: RoutingContext): Promise<RoutingOutcome> {
    const invocation = prepareInvocation(checkRoutingContext(context));
    const gateways = new Set<string>(context.availableGateways);
    const considered: ConsideredRoutingDecision[] = [];
    const failures: HookFailure[] = [];
    const strategies = gateways.size === 0 ? [] : this.registry.enabledHooks('ROUTING_STRATEGY');
    for (const registration of strategies) {
      const run = await this.run(registration, (signal) => registration.hook.execute(invocation(signal)), routingDecisionProblem);
      if (!run.ok) {
        this.failOrRecord(run.failure, failures);
        continue;
      }
      const decision = run.value;
      if (decision === null || decision === undefined) continue;
      const rejection = !gateways.has(decision.gatewayType)
        ? 'GATEWAY_UNAVAILABLE'
        : decision.confidence < this.minRoutingConfidence
          ? 'BELOW_CONFIDENCE_THRESHOLD'
          : null;
      const { gatewayType, confidence, reason, metadata } = decision;
      considered.push(Object.freeze({ strategy: registration.name, gatewayType, confidence, reason, rejection }));
      if (rejection === null) {
        const selected = Object.freeze({
          strategy: registration.name,
          gatewayType,
          confidence,
          reason,
          ...(metadata === undefined ? {} : { metadata: freezeCopy(metadata) }),
        });
        return Object.freeze({ decision: selected, considered: Object.freeze(considered), failures: Object.freeze(failures) });
      }
    }
    return Object.freeze({ decision: null, considered: Object.freeze(considered), failures: Object.freeze(failures) });
  }

  /**
   * Runs the enrichment hooks in order; each sees the metadata merged so far. A hook adds keys
   * only: a key the payment's metadata, the caller or a higher-priority hook already set keeps
   * its value (listed in `ignored`), so an enrichment cannot rewrite, say, the `country` a fraud
   * check reads. Entries that break the payment's metadata rules make the answer invalid.
   *
   * @throws HookFailedError when an enrichment registered `FAIL_CLOSED` fails.
   */
  async executeEnrichment(context: HookContext): Promise<EnrichmentOutcome> {
    checkHookContext(context);
    const payment = snapshotOf(context.payment);
    const metadata: Record<string, unknown> = {};
    const origin = new Map<string, string>();
    for (const key of Object.keys(payment.metadata)) origin.set(key, 'payment');
    for (const [key, value] of Object.entries(context.metadata)) {
      setOwn(metadata, key, freezeCopy(value));
      if (!origin.has(key)) origin.set(key, 'caller');
    }
    const added: Record<string, MetadataValue> = {};
    const addedBy: Record<string, string> = {};
    const ignored: IgnoredEnrichment[] = [];
    const failures: HookFailure[] = [];
    for (const registration of this.registry.enabledHooks('ENRICHMENT')) {
      const invocation = prepareInvocation({ ...context, metadata }, payment);
      const run = await this.run(registration, (signal) => registration.hook.execute(invocation(signal)), enrichmentResultProblem);
      if (!run.ok) {
        this.failOrRecord(run.failure, failures);
        continue;
      }
      for (const [key, value] of Object.entries(run.value.metadata)) {
        const keptFrom = origin.get(key);
        if (keptFrom !== undefined) {
          ignored.push(Object.freeze({ hook: registration.name, key, keptFrom }));
          continue;
        }
        setOwn(metadata, key, value);
        setOwn(added, key, value);
        setOwn(addedBy, key, registration.name);
        origin.set(key, registration.name);
      }
    }
    return Object.freeze({
      metadata: Object.freeze(metadata),
      added: Object.freeze(added),
      addedBy: Object.freeze(addedBy),
      ignored: Object.freeze(ignored),
      failures: Object.freeze(failures),
    });
  }

  /**
   * Delivers `event` to the enabled listeners whose `eventTypes` name its type (or `'*'`), in
   * order. Every matching listener runs even when one fails.
   *
   * @throws HookConfigurationError `HOOK.INVALID_CONTEXT` when the event or the context is malformed.
   * @throws HookFailedError, after all listeners ran, when a listener registered `FAIL_CLOSED` failed.
   */
  async emitEvent(event: PaymentEvent, context: HookContext): Promise<EventDispatchOutcome> {
    checkHookContext(context);
    checkEvent(event);
    const eventType = event.type;
    const listeners = this.registry.listenersFor(eventType);
    if (listeners.length === 0) return Object.freeze({ eventType, delivered: Object.freeze([]), failures: Object.freeze([]) });
    const frozenEvent = freezeCopy(event);
    const invocation = prepareInvocation(context);
    const result = await this.notifyAll(listeners, (registration, signal) => registration.hook.execute(frozenEvent, invocation(signal)));
    return Object.freeze({ eventType, ...result });
  }

  /**
   * Hands `metrics` to every enabled metrics collector, in order. Every collector runs even when
   * one fails.
   *
   * @throws HookConfigurationError `HOOK.INVALID_CONTEXT` when a sample is malformed.
   * @throws HookFailedError, after all collectors ran, when a collector registered `FAIL_CLOSED` failed.
   */
  async executeMetricsCollectors(metrics: readonly MetricSample[], context: HookContext): Promise<MetricsOutcome> {
    checkMetrics(metrics);
    checkHookContext(context);
    const collectors = this.registry.enabledHooks('METRICS_COLLECTOR');
    if (collectors.length === 0) return Object.freeze({ delivered: Object.freeze([]), failures: Object.freeze([]) });
    const samples = freezeCopy(metrics);
    const invocation = prepareInvocation(context);
    return Object.freeze(await this.notifyAll(collectors, (registration, signal) => registration.hook.execute(samples, invocation(signal))));
  }

  /**
   * Asks the error handlers in order (skipping those whose `canHandle` says no) and returns the
   * first opinion, with the handler's name in `handledBy`. A handler returning `null` or
   * `undefined` has no opinion and the next is asked. With no opinion at all, the outcome is
   * `shouldRetry: false, handledBy: null`.
   *
   * @throws HookFailedError when a handler registered `FAIL_CLOSED` fails.
   */
  async executeErrorHandlers(context: ErrorContext): Promise<ErrorHandlingOutcome> {
    checkErrorContext(context);
    const invocation = prepareInvocation(context);
    const failures: HookFailure[] = [];
    for (const registration of this.registry.enabledHooks('ERROR_HANDLER')) {
      const { hook } = registration;
      const run = await this.run(
        registration,
        (signal) => (hook.canHandle !== undefined && !hook.canHandle(context.error) ? SKIPPED : hook.execute(invocation(signal))),
        (value) => (value === SKIPPED ? undefined : errorHandlingResultProblem(value)),
      );
      if (!run.ok) {
        this.failOrRecord(run.failure, failures);
        continue;
      }
      const opinion = run.value;
      if (opinion === SKIPPED || opinion === null || opinion === undefined) continue;
      return Object.freeze({
        shouldRetry: opinion.shouldRetry,
        ...(opinion.retryAfterMs === undefined ? {} : { retryAfterMs: opinion.retryAfterMs }),
        ...(opinion.reason === undefined ? {} : { reason: opinion.reason }),
        handledBy: registration.name,
        failures: Object.freeze(failures),
      });
    }
    return Object.freeze({ shouldRetry: false, handledBy: null, failures: Object.freeze(failures) });
  }

  private async validate(type: 'PRE_VALIDATION' | 'POST_VALIDATION', context: HookContext): Promise<ValidationOutcome> {
    const invocation = prepareInvocation(context);
    const errors: HookMessage[] = [];
    const warnings: HookMessage[] = [];
    const failures: HookFailure[] = [];
    for (const registration of this.registry.enabledHooks(type)) {
      const hook = registration.name;
      const run = await this.run(registration, (signal) => registration.hook.execute(invocation(signal)), validationResultProblem);
      if (!run.ok) {
        failures.push(run.failure);
        if (run.failure.policy === 'FAIL_CLOSED') {
          errors.push(message(hook, `Validation hook "${hook}" could not complete (${run.failure.reason}); the payment is refused`));
        }
        continue;
      }
      const result = run.value;
      if (!result.valid) {
        const messages = result.errors ?? [];
        if (messages.length === 0) errors.push(message(hook, `Refused by validation hook "${hook}"`));
        for (const text of messages) errors.push(message(hook, text));
      }
      for (const text of result.warnings ?? []) warnings.push(message(hook, text));
    }
    return Object.freeze({
      valid: errors.length === 0,
      errors: Object.freeze(errors),
      warnings: Object.freeze(warnings),
      failures: Object.freeze(failures),
    });
  }

  private async notifyAll<T extends 'EVENT_LISTENER' | 'METRICS_COLLECTOR'>(
    registrations: readonly HookRegistration<T>[],
    call: (registration: HookRegistration<T>, signal: AbortSignal) => Awaitable<void>,
  ): Promise<{ readonly delivered: readonly string[]; readonly failures: readonly HookFailure[] }> {
    const delivered: string[] = [];
    const failures: HookFailure[] = [];
    for (const registration of registrations) {
      const run = await this.run(registration, (signal) => call(registration, signal), () => undefined);
      if (run.ok) delivered.push(registration.name);
      else failures.push(run.failure);
    }
    const closed = failures.find((failure) => failure.policy === 'FAIL_CLOSED');
    if (closed !== undefined) throw failedError(closed, { delivered, failures });
    return { delivered: Object.freeze(delivered), failures: Object.freeze(failures) };
  }

  private async run<T>(
    registration: HookRegistration,
    invoke: (signal: AbortSignal) => Awaitable<T>,
    problemOf: (value: T) => string | undefined,
  ): Promise<HookRun<T>> {
    const started = this.clock.now();
    const timeoutMs = registration.timeoutMs ?? this.defaultTimeoutMs;
    let run = await runHook(registration, this.clock, timeoutMs, invoke, (failure, error) => this.report(failure, error));
    if (run.ok) {
      const problem = problemOf(run.value);
      if (problem !== undefined) run = invalidResult(registration, problem, this.clock.now() - started);
    }
    if (!run.ok) this.report(run.failure, run.error);
    return run;
  }

  /** Fail-closed: rejects the stage. Fail-open: notes the failure and lets the stage go on. */
  private failOrRecord(failure: HookFailure, failures: HookFailure[]): void {
    failures.push(failure);
    if (failure.policy === 'FAIL_CLOSED') throw failedError(failure, { failures: [...failures] });
  }

  private report(failure: HookFailure, error: unknown): void {
    if (this.onHookFailure === undefined) return;
    try {
      this.onHookFailure(failure, error);
    } catch {
      // The reporter is the last place a failure can go; its own failure must not reach the payment.
    }
  }
}

function message(hook: string, text: string): HookMessage {
  return Object.freeze({ hook, message: text });
}

function failedError(failure: HookFailure, details: Record<string, unknown>): HookFailedError {
  return new HookFailedError(failure.hook, failure.hookType, failure.kind, failure.reason, details);
}
