import { DuplicateHookError, HookNotFoundError } from '../errors/hook.errors';
import type { ErrorHandlerHook } from '../hooks/error-handler.hook';
import type { EventListenerHook } from '../hooks/event-listener.hook';
import type { FraudCheckHook } from '../hooks/fraud-check.hook';
import { HOOK_TYPES, type HookType } from '../hooks/hook';
import type { MetricsCollectorHook } from '../hooks/metrics-collector.hook';
import type { PaymentEnrichmentHook } from '../hooks/enrichment.hook';
import type { RoutingStrategyHook } from '../hooks/routing-strategy.hook';
import type { PostPaymentValidationHook, PrePaymentValidationHook } from '../hooks/validation.hook';
import { checkHookDefinition } from './hook-definition.validator';
import type { HookDescriptor, HookRegistration, HookRegistrationOptions, HookTypeMap } from './hook-type-map';

interface Entry {
  readonly registration: HookRegistration;
  enabled: boolean;
}

/**
 * Holds the hooks of the eight types, in the order they run: higher priority first, equal
 * priorities in registration order. Names are unique across all types, so one name identifies a
 * hook for `unregister`, `enable` and `disable`.
 *
 * A registration reads the hook's `name`, `priority`, `enabled`, `timeoutMs` and `failurePolicy`
 * once and checks them; the registry's own enabled flag is then the switch. Changes take effect
 * for the next `execute*` call: a call already running finishes with the hooks it started with.
 */
export class HookRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly byType = new Map<HookType, Entry[]>(HOOK_TYPES.map((type) => [type, []]));
  private readonly enabledCache = new Map<HookType, readonly HookRegistration[]>();
  private sequence = 0;

  /** Registers a validation hook run before processing. @throws DuplicateHookError, HookConfigurationError */
  registerPreValidation(hook: PrePaymentValidationHook, options?: HookRegistrationOptions): void {
    this.register('PRE_VALIDATION', hook, options);
  }

  /** Registers a validation hook run after processing. @throws DuplicateHookError, HookConfigurationError */
  registerPostValidation(hook: PostPaymentValidationHook, options?: HookRegistrationOptions): void {
    this.register('POST_VALIDATION', hook, options);
  }

  /** Registers a fraud check. @throws DuplicateHookError, HookConfigurationError */
  registerFraudCheck(hook: FraudCheckHook, options?: HookRegistrationOptions): void {
    this.register('FRAUD_CHECK', hook, options);
  }

  /** Registers a routing strategy. @throws DuplicateHookError, HookConfigurationError */
  registerRoutingStrategy(hook: RoutingStrategyHook, options?: HookRegistrationOptions): void {
    this.register('ROUTING_STRATEGY', hook, options);
  }

  /** Registers a metadata enrichment. @throws DuplicateHookError, HookConfigurationError */
  registerEnrichment(hook: PaymentEnrichmentHook, options?: HookRegistrationOptions): void {
    this.register('ENRICHMENT', hook, options);
  }

  /** Registers an event listener. @throws DuplicateHookError, HookConfigurationError (also for empty `eventTypes`) */
  registerEventListener(hook: EventListenerHook, options?: HookRegistrationOptions): void {
    this.register('EVENT_LISTENER', hook, options);
  }

  /** Registers a metrics collector. @throws DuplicateHookError, HookConfigurationError */
  registerMetricsCollector(hook: MetricsCollectorHook, options?: HookRegistrationOptions): void {
    this.register('METRICS_COLLECTOR', hook, options);
  }

  /** Registers an error handler. @throws DuplicateHookError, HookConfigurationError */
  registerErrorHandler(hook: ErrorHandlerHook, options?: HookRegistrationOptions): void {
    this.register('ERROR_HANDLER', hook, options);
  }

  /** Removes the hook named `name`, whatever its type. Returns false when there was none. */
  unregister(name: string): boolean {
    const entry = this.entries.get(name);
    if (entry === undefined) return false;
    this.entries.delete(name);
    const list = this.listOf(entry.registration.type);
    list.splice(list.indexOf(entry), 1);
    this.enabledCache.delete(entry.registration.type);
    return true;
  }

  /** Turns the hook on. @throws HookNotFoundError */
  enable(name: string): void {
    this.setEnabled(name, true);
  }

  /** Turns the hook off; it keeps its place in the order. @throws HookNotFoundError */
  disable(name: string): void {
    this.setEnabled(name, false);
  }

  /** Turns the hook on or off. @throws HookNotFoundError */
  setEnabled(name: string, enabled: boolean): void {
    const entry = this.require(name);
    if (entry.enabled === enabled) return;
    entry.enabled = enabled;
    this.enabledCache.delete(entry.registration.type);
  }

  /** Whether the hook is on. @throws HookNotFoundError */
  isEnabled(name: string): boolean {
    return this.require(name).enabled;
  }

  /** Whether a hook named `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Number of registered hooks (enabled or not). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The registered hooks, enabled or not, in run order: types in {@link HOOK_TYPES} order, then
   * priority (highest first), then registration order. Only `type`'s hooks when given.
   */
  list(type?: HookType): readonly HookDescriptor[] {
    const types = type === undefined ? HOOK_TYPES : [type];
    return Object.freeze(types.flatMap((t) => this.listOf(t).map(describe)));
  }

  /** The enabled hooks of `type` in run order. The executor's view; the array is frozen. */
  enabledHooks<T extends HookType>(type: T): readonly HookRegistration<T>[] {
    let cached = this.enabledCache.get(type);
    if (cached === undefined) {
      cached = Object.freeze(
        this.listOf(type)
          .filter((entry) => entry.enabled)
          .map((entry) => entry.registration),
      );
      this.enabledCache.set(type, cached);
    }
    return cached as readonly HookRegistration<T>[];
  }

  /** The enabled event listeners for `eventType` (those naming it or `'*'`), in run order. */
  listenersFor(eventType: string): readonly HookRegistration<'EVENT_LISTENER'>[] {
    return this.enabledHooks('EVENT_LISTENER').filter(({ eventTypes = [] }) => eventTypes.includes(eventType) || eventTypes.includes('*'));
  }

  /** Removes every hook. */
  clear(): void {
    this.entries.clear();
    for (const type of HOOK_TYPES) this.byType.set(type, []);
    this.enabledCache.clear();
  }

  private register<T extends HookType>(type: T, hook: HookTypeMap[T], options: HookRegistrationOptions | undefined): void {
    const fields = checkHookDefinition(type, hook, options);
    const existing = this.entries.get(fields.name);
    if (existing !== undefined) throw new DuplicateHookError(fields.name, existing.registration.type);
    const registration: HookRegistration<T> = Object.freeze({
      name: fields.name,
      type,
      priority: fields.priority,
      timeoutMs: fields.timeoutMs,
      failurePolicy: fields.failurePolicy,
      sequence: this.sequence++,
      eventTypes: fields.eventTypes,
      hook,
    });
    const entry: Entry = { registration, enabled: fields.enabled };
    const list = this.listOf(type);
    // Insert after every hook of higher or equal priority: ties keep registration order.
    let index = list.length;
    while (index > 0 && (list[index - 1] as Entry).registration.priority < fields.priority) index -= 1;
    list.splice(index, 0, entry);
    this.entries.set(fields.name, entry);
    this.enabledCache.delete(type);
  }

  private listOf(type: HookType): Entry[] {
    return this.byType.get(type) as Entry[];
  }

  private require(name: string): Entry {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new HookNotFoundError(name);
    return entry;
  }
}

function describe(entry: Entry): HookDescriptor {
  const { name, type, priority, timeoutMs, failurePolicy, eventTypes } = entry.registration;
  return Object.freeze({
    name,
    type,
    priority,
    enabled: entry.enabled,
    timeoutMs: timeoutMs ?? null,
    failurePolicy: failurePolicy ?? null,
    ...(eventTypes === undefined ? {} : { eventTypes }),
  });
}
