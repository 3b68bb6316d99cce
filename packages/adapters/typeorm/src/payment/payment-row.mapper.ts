import type { AttemptOutcome, DeclineType, GatewayAttempt, PaymentMetadata, PaymentMethodType, PaymentSnapshot, PaymentStatus, Refund } from '@aegispay/domain';
import type { PaymentRow } from '../schema/rows';

/** Columns of an attempt, in the order the repository's read aggregates them. */
export const ATTEMPT_FIELDS = [
  'attempt_number',
  'gateway',
  'reference',
  'outcome',
  'gateway_reference',
  'decline_code',
  'decline_type',
  'error_code',
  'latency_ms',
  'at',
] as const;

/** Columns of a refund, in the order the repository's read aggregates them. */
export const REFUND_FIELDS = ['id', 'amount', 'idempotency_key', 'gateway_reference', 'reason', 'created_at'] as const;

type AttemptTuple = [number, string, string, string, string | null, string | null, string | null, string | null, number, number | string];
type RefundTuple = [string, number | string, string | null, string | null, string | null, number | string];

/** A payment row with its attempts and refunds, as the repository's single read returns it. */
export interface PaymentRowWithChildren extends PaymentRow {
  /** JSON array (text on SQLite, parsed by the driver on PostgreSQL) of {@link ATTEMPT_FIELDS} tuples. */
  readonly attempts: string | readonly AttemptTuple[];
  /** JSON array of {@link REFUND_FIELDS} tuples. */
  readonly refunds: string | readonly RefundTuple[];
}

/** Epoch ms of an ISO-8601 instant (the domain writes `toISOString()`, so the round trip is exact). */
export function toEpochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: ${iso}`);
  return ms;
}

/** ISO-8601 of a bigint epoch-ms column (PostgreSQL returns bigint as text). */
export function toIso(value: number | string): string {
  return new Date(Number(value)).toISOString();
}

/** The parameters of the payment row, in the column order of `PAYMENT_COLUMNS`. */
export function paymentParameters(snapshot: PaymentSnapshot, version: number): unknown[] {
  return [
    snapshot.id,
    snapshot.merchantId,
    snapshot.amount,
    snapshot.currency,
    snapshot.paymentMethod.type,
    snapshot.paymentMethod.token,
    snapshot.customerId,
    snapshot.description,
    snapshot.idempotencyKey,
    snapshot.status,
    version,
    snapshot.gateway,
    snapshot.gatewayReference,
    snapshot.failureCode,
    snapshot.failureReason,
    JSON.stringify(snapshot.metadata),
    toEpochMs(snapshot.createdAt),
    toEpochMs(snapshot.updatedAt),
  ];
}

/** Columns of `payments`, in the order of {@link paymentParameters}. */
export const PAYMENT_COLUMNS = [
  'id',
  'merchant_id',
  'amount',
  'currency',
  'payment_method_type',
  'payment_method_token',
  'customer_id',
  'description',
  'idempotency_key',
  'status',
  'version',
  'gateway',
  'gateway_reference',
  'failure_code',
  'failure_reason',
  'metadata',
  'created_at',
  'updated_at',
] as const;

/** Parameters of one `payment_attempts` row. */
export function attemptParameters(paymentId: string, attempt: GatewayAttempt): unknown[] {
  return [
    paymentId,
    attempt.attemptNumber,
    attempt.gateway,
    attempt.reference,
    attempt.outcome,
    attempt.gatewayReference,
    attempt.declineCode,
    attempt.declineType,
    attempt.errorCode,
    attempt.latencyMs,
    toEpochMs(attempt.at),
  ];
}

/** Parameters of one `payment_refunds` row. */
export function refundParameters(paymentId: string, position: number, refund: Refund): unknown[] {
  return [refund.id, paymentId, position, refund.amount, refund.idempotencyKey, refund.gatewayReference, refund.reason, toEpochMs(refund.createdAt)];
}

/** The snapshot of a stored payment. */
export function toSnapshot(row: PaymentRowWithChildren): PaymentSnapshot {
  const attempts = parseJson<readonly AttemptTuple[]>(row.attempts);
  const refunds = parseJson<readonly RefundTuple[]>(row.refunds);
  return {
    id: row.id,
    merchantId: row.merchant_id,
    amount: Number(row.amount),
    currency: row.currency,
    paymentMethod: { type: row.payment_method_type as PaymentMethodType, token: row.payment_method_token },
    customerId: row.customer_id,
    description: row.description,
    idempotencyKey: row.idempotency_key,
    status: row.status as PaymentStatus,
    version: Number(row.version),
    gateway: row.gateway,
    gatewayReference: row.gateway_reference,
    failureCode: row.failure_code,
    failureReason: row.failure_reason,
    attempts: attempts.map(
      ([attemptNumber, gateway, reference, outcome, gatewayReference, declineCode, declineType, errorCode, latencyMs, at]): GatewayAttempt => ({
        attemptNumber: Number(attemptNumber),
        gateway,
        reference,
        outcome: outcome as AttemptOutcome,
        gatewayReference,
        declineCode,
        declineType: declineType as DeclineType | null,
        errorCode,
        latencyMs: Number(latencyMs),
        at: toIso(at),
      }),
    ),
    refunds: refunds.map(
      ([id, amount, idempotencyKey, gatewayReference, reason, createdAt]): Refund => ({
        id,
        amount: Number(amount),
        idempotencyKey,
        gatewayReference,
        reason,
        createdAt: toIso(createdAt),
      }),
    ),
    metadata: JSON.parse(row.metadata) as PaymentMetadata,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

function parseJson<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
