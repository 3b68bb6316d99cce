/** A refund of (part of) a captured payment. */
export interface Refund {
  /** `re_…` */
  readonly id: string;
  /** Minor units, in the payment's currency. */
  readonly amount: number;
  /** The merchant's idempotency key for this refund, when given. */
  readonly idempotencyKey: string | null;
  /** The gateway's refund id, when the gateway returned one. */
  readonly gatewayReference: string | null;
  readonly reason: string | null;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
}
