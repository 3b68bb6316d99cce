/** Identifiers, as a port: unique in production, sequential and predictable in tests. */
export interface IdGenerator {
  /** A new identifier, `${prefix}_…` when a prefix is given (`pay`, `re`, `evt`). */
  generate(prefix?: string): string;
}
