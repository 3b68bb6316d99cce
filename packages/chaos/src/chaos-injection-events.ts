import { ValidationError } from '@aegispay/domain';
import type { ChaosErrorType, ChaosInjectionKind, ChaosOperation } from './chaos-error-type';

/** One injection, as reported to `ChaosGateway.onInjection` listeners. */
export interface ChaosInjectionEvent {
  readonly gateway: string;
  readonly operation: ChaosOperation;
  readonly reference: string;
  readonly kind: ChaosInjectionKind;
  /** How the failure surfaces; `null` for latency. */
  readonly type: ChaosErrorType | null;
  /** For timeouts, whether the real gateway was called; else `null`. */
  readonly phase: 'BEFORE' | 'AFTER' | null;
  /** For latency, the delay in ms; else `null`. */
  readonly latencyMs: number | null;
  /** Index of the call among the calls subject to chaos, from 0: equal across replays of a seed. */
  readonly callIndex: number;
  /** When the injection was decided, epoch ms of the gateway's clock. */
  readonly at: number;
}

/**
 * @internal The `onInjection` listeners of one gateway. What a listener throws goes to
 * `onListenerError`, and what that throws is dropped: a listener never changes a payment call.
 */
export class InjectionListeners {
  private readonly listeners = new Set<(event: ChaosInjectionEvent) => void>();

  constructor(private readonly onListenerError: ((error: unknown) => void) | undefined) {}

  /** Whether anyone listens (events are only built when someone does). */
  get active(): boolean {
    return this.listeners.size > 0;
  }

  /**
   * Adds `listener`; returns the function that removes it.
   * @throws ValidationError `CHAOS.INVALID_LISTENER` when `listener` is not a function.
   */
  add(listener: (event: ChaosInjectionEvent) => void): () => void {
    if (typeof listener !== 'function') throw new ValidationError('CHAOS.INVALID_LISTENER', 'listener', 'onInjection needs a function (event) => void.');
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands `event` to every listener, in subscription order. */
  emit(event: ChaosInjectionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.onListenerError?.(error);
        } catch {
          // The error reporter is the last channel; a payment call must not fail for it.
        }
      }
    }
  }
}
