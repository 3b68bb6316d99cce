import type { Payment, Versioned } from '@aegispay/domain';

/**
 * How an in-memory repository copies entities. The repository keeps its own copy and hands out
 * fresh ones, so a caller mutating what it read never changes what is stored.
 */
export interface EntityCodec<T extends Versioned> {
  /** An independent copy of `entity` that carries `version`. */
  withVersion(entity: T, version: number): T;
}

/**
 * The default codec: a `structuredClone` of a plain data object with `version` replaced. Class
 * instances lose their prototype through it: give such entities their own codec.
 */
export function plainObjectCodec<T extends Versioned>(): EntityCodec<T> {
  return { withVersion: (entity, version) => ({ ...structuredClone(entity), version }) };
}

/** The codec for the `Payment` aggregate: `payment.withVersion(v)` (a copy without pending events). */
export function paymentCodec(): EntityCodec<Payment> {
  return { withVersion: (payment, version) => payment.withVersion(version) };
}
