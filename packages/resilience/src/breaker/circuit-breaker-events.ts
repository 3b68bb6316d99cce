import type { CircuitState } from './circuit-state';
import { check } from '../resilience-options';

/** Why a breaker changed state. */
export type StateChangeReason =
  /** `failureThreshold` consecutive failures while closed. */
  | 'FAILURE_THRESHOLD'
  /** The failure rate over the sliding window reached `failureRateThreshold`. */
  | 'FAILURE_RATE'
  /** The slow-call rate over the sliding window reached `slowCallRateThreshold`. */
  | 'SLOW_CALL_RATE'
  /** `openTimeout` elapsed: probes are allowed. */
  | 'OPEN_TIMEOUT_ELAPSED'
  /** A half-open probe failed (or was slow). */
  | 'PROBE_FAILED'
  /** `halfOpenTimeout` elapsed before `successThreshold` probes succeeded. */
  | 'HALF_OPEN_TIMEOUT'
  /** `successThreshold` probes succeeded. */
  | 'SUCCESS_THRESHOLD'
  /** `isolate()` was called. */
  | 'ISOLATED'
  /** `reset()` was called. */
  | 'RESET'
  /** `restore()` loaded a snapshot in another state. */
  | 'RESTORED';

/** Fields of every breaker event. */
export interface CircuitBreakerEventBase {
  /** The breaker's name (the gateway it protects). */
  readonly gateway: string;
  /** Clock time of the event, epoch ms. */
  readonly at: number;
}

/** The breaker moved from `from` to `to`. */
export interface StateChangeEvent extends CircuitBreakerEventBase {
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: StateChangeReason;
}

/** A call completed and counted as a success. */
export interface CallSuccessEvent extends CircuitBreakerEventBase {
  readonly durationMs: number;
  /** Slower than `slowCallDurationThreshold`. */
  readonly slow: boolean;
}

/** A call completed and counted as a failure: it threw, or returned a result classified as a failure. */
export interface CallFailureEvent extends CircuitBreakerEventBase {
  readonly durationMs: number;
  readonly slow: boolean;
  /** What the call threw, when it threw. */
  readonly error?: unknown;
  /** What the call returned, when the result was classified as a failure (it is returned to the caller, not thrown). */
  readonly result?: unknown;
}

/** Why a call was refused without being made. */
export type RejectReason = 'OPEN' | 'ISOLATED' | 'HALF_OPEN_FULL';

/** A call was refused without being made (fail fast). */
export interface CallRejectedEvent extends CircuitBreakerEventBase {
  readonly state: CircuitState;
  readonly reason: RejectReason;
  /** Milliseconds until the breaker lets a probe through (Infinity while isolated, 0 when half-open). */
  readonly timeUntilRetry: number;
}

/** The subscription methods shared by a breaker and a manager. Each returns an unsubscribe function. */
export interface CircuitBreakerEventSource {
  /** Every state change. */
  onStateChange(listener: (event: StateChangeEvent) => void): () => void;
  /** Changes to OPEN (including `isolate()`). */
  onOpen(listener: (event: StateChangeEvent) => void): () => void;
  /** Changes to HALF_OPEN. */
  onHalfOpen(listener: (event: StateChangeEvent) => void): () => void;
  /** Changes to CLOSED. */
  onClose(listener: (event: StateChangeEvent) => void): () => void;
  /** Calls that counted as successes. */
  onSuccess(listener: (event: CallSuccessEvent) => void): () => void;
  /** Calls that counted as failures. */
  onFailure(listener: (event: CallFailureEvent) => void): () => void;
  /** Calls refused without being made. */
  onReject(listener: (event: CallRejectedEvent) => void): () => void;
}

/**
 * @internal Listeners of one event type. A breaker's channel forwards to its manager's, so a
 * manager hears breakers created after it subscribed. `active` lets the hot path skip building
 * an event nobody listens to.
 */
export class EventChannel<E> {
  private listeners: readonly ((event: E) => void)[] = [];

  /** A manager's channel, when the breaker belongs to one. */
  parent: EventChannel<E> | undefined = undefined;

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  get active(): boolean {
    return this.listeners.length !== 0 || (this.parent !== undefined && this.parent.active);
  }

  subscribe(listener: (event: E) => void): () => void {
    if (typeof listener !== 'function') throw check.invalid('listener', 'must be a function', listener);
    // Copy on write: a listener that unsubscribes (itself or another) during an emit is safe.
    this.listeners = [...this.listeners, listener];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: E): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    this.parent?.emit(event);
  }
}

/** @internal One channel per event type. */
export class CircuitBreakerEventHub {
  readonly stateChange: EventChannel<StateChangeEvent>;
  readonly open: EventChannel<StateChangeEvent>;
  readonly halfOpen: EventChannel<StateChangeEvent>;
  readonly close: EventChannel<StateChangeEvent>;
  readonly success: EventChannel<CallSuccessEvent>;
  readonly failure: EventChannel<CallFailureEvent>;
  readonly reject: EventChannel<CallRejectedEvent>;

  constructor(onListenerError: (error: unknown) => void) {
    this.stateChange = new EventChannel(onListenerError);
    this.open = new EventChannel(onListenerError);
    this.halfOpen = new EventChannel(onListenerError);
    this.close = new EventChannel(onListenerError);
    this.success = new EventChannel(onListenerError);
    this.failure = new EventChannel(onListenerError);
    this.reject = new EventChannel(onListenerError);
  }

  /** Forwards every event to `parent` too (a manager hearing all its breakers). */
  attach(parent: CircuitBreakerEventHub): void {
    this.stateChange.parent = parent.stateChange;
    this.open.parent = parent.open;
    this.halfOpen.parent = parent.halfOpen;
    this.close.parent = parent.close;
    this.success.parent = parent.success;
    this.failure.parent = parent.failure;
    this.reject.parent = parent.reject;
  }

  /** Emits a state change to `stateChange` and to the channel of its target state. */
  emitStateChange(event: StateChangeEvent): void {
    if (this.stateChange.active) this.stateChange.emit(event);
    const specific = event.to === 'OPEN' ? this.open : event.to === 'HALF_OPEN' ? this.halfOpen : this.close;
    if (specific.active) specific.emit(event);
  }
}

/**
 * @internal The subscriptions of a breaker or a manager ({@link CircuitBreakerEventSource}), over
 * its event hub: written once for both.
 */
export abstract class CircuitBreakerEvents implements CircuitBreakerEventSource {
  protected abstract readonly hub: CircuitBreakerEventHub;

  onStateChange(listener: (event: StateChangeEvent) => void): () => void {
    return this.hub.stateChange.subscribe(listener);
  }

  onOpen(listener: (event: StateChangeEvent) => void): () => void {
    return this.hub.open.subscribe(listener);
  }

  onHalfOpen(listener: (event: StateChangeEvent) => void): () => void {
    return this.hub.halfOpen.subscribe(listener);
  }

  onClose(listener: (event: StateChangeEvent) => void): () => void {
    return this.hub.close.subscribe(listener);
  }

  onSuccess(listener: (event: CallSuccessEvent) => void): () => void {
    return this.hub.success.subscribe(listener);
  }

  onFailure(listener: (event: CallFailureEvent) => void): () => void {
    return this.hub.failure.subscribe(listener);
  }

  onReject(listener: (event: CallRejectedEvent) => void): () => void {
    return this.hub.reject.subscribe(listener);
  }
}
