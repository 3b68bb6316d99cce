/** A circuit breaker opened (`CLOSED`/`HALF_OPEN` → `OPEN`). Rejected calls are not opens. */
export interface CircuitBreakerOpenEvent {
  /** The gateway whose breaker opened. */
  readonly gateway: string;
  /** When, epoch ms. */
  readonly at: number;
}

/**
 * Anything that reports circuit breaker openings, such as `CircuitBreakerManager` from
 * `@aegispay/resilience` (structural: this package does not import it). `onOpen` returns the
 * unsubscribe function.
 */
export interface CircuitBreakerEventSource {
  onOpen(listener: (event: CircuitBreakerOpenEvent) => void): () => void;
}
