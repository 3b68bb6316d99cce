/**
 * Randomness, as a port: production binds a cryptographic source, tests and chaos experiments a
 * seeded generator, so that every random decision can be replayed.
 */
export interface Random {
  /** A float uniformly distributed in [0, 1). */
  next(): number;
}
