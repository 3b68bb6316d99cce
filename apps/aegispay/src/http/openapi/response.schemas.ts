import { PAYMENT_METHOD_TYPES, PAYMENT_STATUSES } from '@aegispay/domain';
import type { JetStreamConnectionState } from '@aegispay/nats';
import { z } from 'zod';
import type { HealthBody, LiveBody, ReadyBody } from '../operations.service';
import type { AttemptView, PaymentListBody, PaymentResponseBody, PaymentView, RefundListBody, RefundResponseBody, RefundView } from '../payment.view';
import type { WebhookOutcomeView } from '../psp-webhooks.service';

/*
 * The answers of the API as zod schemas: what the OpenAPI document describes them with, and what
 * its test checks every answer against. Each is tied to the TypeScript type the services build
 * (`satisfies z.ZodType<…>`), so a field added to a view and not here fails to compile, and the
 * objects are strict, so a field answered and not described fails the test.
 */

const instant = z.string().meta({ description: 'ISO-8601 UTC.', examples: ['2026-11-25T15:08:58.648Z'] });
const minorUnits = z.number().int().min(0).meta({ description: 'Integer minor units of `currency`.' });
/** Any JSON value. */
export const jsonValueSchema = z.json();

export const nextActionSchema = z
  .strictObject({
    type: z.enum(['REDIRECT', 'SDK']),
    url: z.string().exactOptional(),
    method: z.enum(['GET', 'POST']).exactOptional(),
    data: z.record(z.string(), jsonValueSchema).exactOptional(),
  })
  .meta({ description: 'What the customer must do: follow `url` (`REDIRECT`) or hand `data` to the gateway’s client SDK (`SDK`).' });

export const attemptSchema = z.strictObject({
  attemptNumber: z.number().int().min(1),
  gateway: z.string(),
  outcome: z.enum(['IN_FLIGHT', 'APPROVED', 'DECLINED', 'REQUIRES_ACTION', 'PENDING', 'TECHNICAL_FAILURE', 'NOT_SENT', 'UNKNOWN']),
  declineCode: z.string().nullable(),
  declineType: z.enum(['HARD', 'SOFT']).nullable(),
  errorCode: z.string().nullable(),
  latencyMs: z.number(),
  at: instant,
}) satisfies z.ZodType<AttemptView>;

export const refundSchema = z.strictObject({
  id: z.string(),
  amount: minorUnits,
  currency: z.string(),
  status: z.enum(['PENDING', 'SUCCEEDED', 'REJECTED', 'FAILED']).meta({ description: '`PENDING` (asked, not confirmed), `SUCCEEDED`, `REJECTED` (refused for good) or `FAILED` (never processed).' }),
  failureCode: z.string().nullable(),
  reason: z.string().nullable(),
  gatewayReference: z.string().nullable(),
  createdAt: instant,
}) satisfies z.ZodType<RefundView>;

export const paymentSchema = z.strictObject({
  id: z.string().meta({ examples: ['pay_2fac0c4f-5062-4174-90b4-8e51dc4e49f5'] }),
  merchantId: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount: minorUnits,
  currency: z.string(),
  refundedAmount: minorUnits.meta({ description: 'Refunds that went through.' }),
  pendingRefundAmount: minorUnits.meta({ description: 'Refunds asked for and not confirmed yet (reserved).' }),
  refundableAmount: minorUnits.meta({ description: 'What can still be refunded (0 until `PAID`).' }),
  paymentMethod: z.strictObject({
    type: z.enum(PAYMENT_METHOD_TYPES),
    tokenLast4: z.string().nullable().meta({ description: 'The last four characters of a token of 12 or more; the token itself is never shown.' }),
  }),
  customerId: z.string().nullable(),
  description: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  gateway: z.string().nullable().meta({ description: 'The gateway that captured the payment.' }),
  gatewayReference: z.string().nullable(),
  failure: z.strictObject({ code: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  nextAction: nextActionSchema.nullable(),
  attempts: z.array(attemptSchema),
  refunds: z.array(refundSchema),
  version: z.number().int().min(1).meta({ description: 'Increases with every stored change.' }),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<PaymentView>;

const paymentOutcome = z.enum(['SUCCEEDED', 'DECLINED', 'FAILED', 'REJECTED', 'REQUIRES_ACTION', 'PENDING', 'PENDING_RECOVERY']);

export const paymentResponseSchema = z.strictObject({
  outcome: paymentOutcome.meta({ description: 'How the request ended; `payment.status` says where the payment is.' }),
  code: z.string().nullable().meta({ description: 'The decline or failure code, `null` when there is none.' }),
  reason: z.string(),
  action: nextActionSchema.nullable().exactOptional().meta({ description: 'What the customer must do (`REQUIRES_ACTION` only).' }),
  payment: paymentSchema,
}) satisfies z.ZodType<PaymentResponseBody>;

export const refundResponseSchema = z.strictObject({
  outcome: z.enum(['REFUNDED', 'PENDING']),
  reason: z.string(),
  refund: refundSchema,
  payment: paymentSchema,
}) satisfies z.ZodType<RefundResponseBody>;

export const paymentListSchema = z.strictObject({
  data: z.array(paymentSchema).meta({ description: 'Newest first (creation time, then id, descending).' }),
  hasMore: z.boolean(),
  nextCursor: z.string().nullable().meta({ description: 'The `cursor` of the next page; `null` on the last one.' }),
}) satisfies z.ZodType<PaymentListBody>;

export const refundListSchema = z.strictObject({
  data: z.array(refundSchema).meta({ description: 'Every refund of the payment, in the order asked.' }),
}) satisfies z.ZodType<RefundListBody>;

const rate = z.number().nullable();

export const gatewaysSchema = z.strictObject({
  gateways: z.array(
    z.strictObject({
      name: z.string(),
      routable: z.boolean().meta({ description: 'Routing sends payments to it now (breaker permits, health score high enough).' }),
      breaker: z.strictObject({
        state: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']),
        healthScore: z.number(),
        successRate: z.number(),
        failureRate: z.number(),
        callsInWindow: z.number().int(),
        consecutiveFailures: z.number().int(),
        openCount: z.number().int(),
        totalCalls: z.number().int(),
        retryInMs: z.number().nullable(),
        isolated: z.boolean(),
        lastFailureAt: instant.nullable(),
        lastStateChangeAt: instant,
      }),
      metrics: z.strictObject({
        volume: z.number().int(),
        successRate: rate,
        approvalRate: rate,
        recentApprovalRate: rate,
        p50LatencyMs: rate,
        p95LatencyMs: rate,
        p99LatencyMs: rate,
        averageLatencyMs: rate,
        averageCost: rate,
        errorCounts: z.record(z.string(), z.number().int()),
      }),
    }),
  ),
});

const JETSTREAM_STATES = ['idle', 'connecting', 'connected', 'reconnecting', 'closed'] as const satisfies readonly JetStreamConnectionState[];

export const healthSchema = z.strictObject({
  status: z.enum(['ok', 'draining', 'unavailable']),
  database: z.enum(['up', 'down', 'in-memory']),
  loops: z.strictObject({ recovery: z.boolean(), outboxRelay: z.boolean() }),
  events: z
    .strictObject({
      publisher: z.enum(['nats', 'in-process']),
      broker: z.enum(JETSTREAM_STATES).nullable().meta({ description: 'The broker connection’s state; `null` without a broker.' }),
      brokerError: z.string().nullable(),
      unpublished: z.number().int().nullable().meta({ description: 'Events waiting in the outbox; `null` when the database did not answer.' }),
    })
    .meta({ description: 'The outbox’s events and their broker; a broker that is away never makes the status unavailable.' }),
  inFlight: z.number().int(),
}) satisfies z.ZodType<HealthBody>;

export const liveSchema = z.strictObject({ status: z.literal('live') }) satisfies z.ZodType<LiveBody>;

const readinessCheck = z.strictObject({ status: z.enum(['pass', 'fail', 'skip']), detail: z.string().exactOptional() });
export const readinessChecksSchema = z.strictObject({ database: readinessCheck, migrations: readinessCheck, shutdown: readinessCheck });

export const readySchema = z.strictObject({ status: z.literal('ready'), checks: readinessChecksSchema }) satisfies z.ZodType<ReadyBody>;

export const pspWebhookResultSchema = z.strictObject({
  received: z.number().int().min(0),
  outcomes: z.array(
    z.strictObject({
      eventId: z.string(),
      outcome: z.enum(['APPLIED', 'NO_CHANGE', 'DUPLICATE', 'UNMATCHED', 'DEFERRED', 'DISCREPANCY']),
      paymentId: z.string().nullable(),
    }) satisfies z.ZodType<WebhookOutcomeView>,
  ),
});

const fieldError = z.strictObject({
  field: z.string().meta({ description: 'Path of the value: `amount`, `paymentMethod.token`, `header:Idempotency-Key`, `query:limit`.' }),
  code: z.string(),
  message: z.string(),
});

/** RFC 9457 problem details, with the members AegisPay adds. */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: '`tag:aegispay.dev,2026:problems/<code>`: identifies the problem type; not meant to be fetched.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: 'What was wrong and what to do, for people.' }),
    instance: z.string(),
    code: z.string().meta({ description: 'The stable, machine-readable problem code.' }),
    requestId: z.string(),
    errors: z.array(fieldError).exactOptional(),
    retryable: z.boolean().exactOptional().meta({ description: 'The same request may succeed later (with the same Idempotency-Key).' }),
  })
  .meta({ description: 'Problem types may carry more members (`refundable`, `gatewayCode`, `checks`…).' });
