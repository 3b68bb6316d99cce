/** The three states of a circuit breaker. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Every circuit state, in lifecycle order. */
export const CIRCUIT_STATES: readonly CircuitState[] = Object.freeze(['CLOSED', 'OPEN', 'HALF_OPEN'] as const);
