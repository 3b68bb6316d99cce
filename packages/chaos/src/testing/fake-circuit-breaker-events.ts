import type { CircuitBreakerEventSource, CircuitBreakerOpenEvent } from '../circuit-breaker-events';

/** A {@link CircuitBreakerEventSource} driven by the test: `emitOpen` reports an opening. */
export class FakeCircuitBreakerEvents implements CircuitBreakerEventSource {
  private readonly listeners = new Set<(event: CircuitBreakerOpenEvent) => void>();

  /** Subscribes to openings; returns the unsubscribe function. */
  onOpen(listener: (event: CircuitBreakerOpenEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Reports that `gateway`'s breaker opened at `at`. */
  emitOpen(gateway: string, at = 0): void {
    for (const listener of [...this.listeners]) listener({ gateway, at });
  }

  /** Number of subscribed listeners (to check that a run unsubscribed). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
