import { z } from 'zod';
import { listPaymentsQuerySchema } from '../list-query.schemas';
import { createPaymentBodySchema, refundBodySchema } from '../request.schemas';
import {
  gatewaysSchema,
  healthSchema,
  liveSchema,
  paymentListSchema,
  paymentResponseSchema,
  paymentSchema,
  pspWebhookResultSchema,
  readySchema,
  refundListSchema,
  refundResponseSchema,
} from './response.schemas';

/*
 * THE OPERATIONS TABLE: every route of the API, with the schemas its server validates requests
 * with and answers with, its success statuses and the problem codes it can answer. The OpenAPI
 * document and the /docs page are generated from it; its test checks it against Nest's routes, the
 * guards, interceptors and pipes on each, and every answer a running server gives.
 */

/** How a caller proves who it is. */
export type OperationAuth = 'apiKey' | 'none' | 'pspSignature';

/** A success answer: its body's schema, or a media type whose body is not JSON. */
export interface SuccessResponse {
  readonly description: string;
  readonly body: z.ZodType | { readonly mediaType: string };
  /** Response headers worth documenting, name → description. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request body example: the test posts each and expects the operation's first success status. */
export interface BodyExample {
  readonly summary: string;
  readonly value: unknown;
}

/** One route of the API. */
export interface ApiOperation {
  readonly method: 'get' | 'post';
  /** The OpenAPI path template (`/v1/payments/{id}`). */
  readonly path: string;
  readonly operationId: string;
  readonly tag: 'Payments' | 'Refunds' | 'Gateways' | 'PSP webhooks' | 'Operations' | 'Documentation';
  readonly summary: string;
  readonly description: string;
  readonly auth: OperationAuth;
  /** Whether the `Idempotency-Key` header is required. Defaults to false. */
  readonly idempotencyKey?: boolean;
  /** Path parameters, name → description. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** The query schema the server validates with (a zod object of optional strings). */
  readonly query?: z.ZodObject;
  readonly body?: {
    readonly schema: z.ZodType;
    readonly required: boolean;
    readonly description: string;
    readonly examples?: Readonly<Record<string, BodyExample>>;
  };
  /** Success answers by status; the first is what its examples get. */
  readonly success: Readonly<Record<number, SuccessResponse>>;
  /** Problem codes this route answers with besides {@link COMMON_PROBLEMS} (statuses from `PROBLEM_TYPES`). */
  readonly problems: readonly string[];
  /** Domain validation: `422` with the domain's own `PAYMENT.*` or `MONEY.*` code. Defaults to false. */
  readonly domainValidation?: boolean;
  /** True for probes, which answer during a shutdown too (no `SERVER.SHUTTING_DOWN`). */
  readonly answersWhileDraining?: boolean;
}

/** What any route may answer: a request Node's parser or the router refuses, an unexpected error, a shutdown. */
export const COMMON_PROBLEMS: readonly string[] = ['HTTP.BAD_REQUEST', 'HTTP.REQUEST_TIMEOUT', 'HTTP.EXPECTATION_FAILED', 'HTTP.HEADERS_TOO_LARGE', 'SERVER.INTERNAL_ERROR', 'SERVER.SHUTTING_DOWN'];

const AUTH = ['AUTH.MISSING_CREDENTIALS', 'AUTH.INVALID_API_KEY'];
const IDEMPOTENCY_HEADER = ['IDEMPOTENCY.KEY_MISSING', 'IDEMPOTENCY.KEY_INVALID'];
const JSON_BODY = ['REQUEST.BODY_TOO_LARGE', 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'REQUEST.MALFORMED_JSON', 'REQUEST.TOO_DEEP', 'REQUEST.DUPLICATE_KEY', 'REQUEST.INVALID_UNICODE'];
const VALIDATION = ['PAYMENT.CARD_DATA_DETECTED', 'REQUEST.VALIDATION_FAILED'];
const PAYMENT_ID = { id: 'The payment id (`pay_…`).' };
const LOCATION = { Location: 'The payment: `/v1/payments/<id>`.', 'Idempotent-Replayed': '`true` when this is the stored answer of an earlier request with the same key.' };

/** Every route of the API. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/payments',
    operationId: 'createPayment',
    tag: 'Payments',
    summary: 'Take a payment',
    description:
      'Validates, screens with the fraud hooks, routes to the best gateway and charges it through its circuit breaker, failing over when a gateway fails before deciding. A decline is a `201` with `outcome: "DECLINED"`: the request was carried out. The same `Idempotency-Key` and body replay the first answer; never a second charge.',
    auth: 'apiKey',
    idempotencyKey: true,
    body: {
      schema: createPaymentBodySchema,
      required: true,
      description: 'The merchant is the API key’s and the idempotency key is the header’s: neither may be in the body. Amounts are integer minor units.',
      examples: {
        card: { summary: '19.99 EUR by card', value: { amount: 1999, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_approve_visa' } } },
        withCustomer: {
          summary: 'With a customer, a description and metadata (routing reads country and region)',
          value: { amount: 4500, currency: 'EUR', paymentMethod: { type: 'WALLET', token: 'tok_approve_wallet_7781' }, customerId: 'cus_1001', description: 'Order 1001', metadata: { country: 'DE', order: 1001 } },
        },
        declined: { summary: 'A card the issuer declines: still 201, outcome DECLINED', value: { amount: 2500, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_decline_insufficient_funds' } } },
      },
    },
    success: {
      201: { description: 'Carried out, with a final outcome (`SUCCEEDED`, `DECLINED`, `FAILED`, `REJECTED`).', body: paymentResponseSchema, headers: LOCATION },
      202: { description: 'Not final yet: `REQUIRES_ACTION`, `PENDING`, or `PENDING_RECOVERY` (a gateway answer was lost; recovery completes it).', body: paymentResponseSchema, headers: LOCATION },
    },
    problems: [...AUTH, ...IDEMPOTENCY_HEADER, ...JSON_BODY, ...VALIDATION, 'REQUEST.BODY_REQUIRED', 'IDEMPOTENCY.KEY_REUSED', 'IDEMPOTENCY.REQUEST_IN_PROGRESS', 'LOCKING.CONFLICT', 'SERVER.UNAVAILABLE'],
    domainValidation: true,
  },
  {
    method: 'get',
    path: '/v1/payments',
    operationId: 'listPayments',
    tag: 'Payments',
    summary: 'List payments',
    description:
      'The API key’s merchant’s payments, newest first (creation time, then id, descending), in pages of `limit`. Follow `nextCursor` as `cursor` until it is `null`; payments created meanwhile never shift later pages. Filters combine; the created range is half-open (`createdFrom` inclusive, `createdBefore` exclusive). A page costs the same however many payments are stored.',
    auth: 'apiKey',
    query: listPaymentsQuerySchema,
    success: { 200: { description: 'One page.', body: paymentListSchema } },
    problems: [...AUTH, ...VALIDATION, 'REQUEST.INVALID_CURSOR'],
  },
  {
    method: 'get',
    path: '/v1/payments/{id}',
    operationId: 'getPayment',
    tag: 'Payments',
    summary: 'Read a payment',
    description: 'Another merchant’s payment is answered exactly as a missing one.',
    auth: 'apiKey',
    pathParameters: PAYMENT_ID,
    success: { 200: { description: 'The payment as stored.', body: paymentSchema } },
    problems: [...AUTH, 'PAYMENT.NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/v1/payments/{id}/refunds',
    operationId: 'refundPayment',
    tag: 'Refunds',
    summary: 'Refund a payment',
    description:
      'Refunds part or all of a captured payment through the gateway that captured it. The refund is recorded `PENDING`, its amount reserved, before the gateway is asked: an over-refund is refused however many refunds race.',
    auth: 'apiKey',
    idempotencyKey: true,
    pathParameters: PAYMENT_ID,
    body: {
      schema: refundBodySchema,
      required: false,
      description: 'All optional: an empty body or `{}` refunds everything still refundable.',
      examples: {
        partial: { summary: 'Refund 5.00 EUR with a reason', value: { amount: 500, reason: 'one item returned' } },
        full: { summary: 'Refund everything still refundable', value: {} },
      },
    },
    success: {
      201: { description: 'Refunded by the gateway.', body: refundResponseSchema, headers: LOCATION },
      202: { description: 'Asked, not confirmed yet (`outcome: "PENDING"`, the amount reserved); a webhook or recovery settles it.', body: refundResponseSchema, headers: LOCATION },
    },
    problems: [
      ...AUTH,
      ...IDEMPOTENCY_HEADER,
      ...JSON_BODY,
      ...VALIDATION,
      'PAYMENT.NOT_FOUND',
      'PAYMENT.ILLEGAL_TRANSITION',
      'PAYMENT.REFUND_EXCEEDS_CAPTURED',
      'IDEMPOTENCY.KEY_REUSED',
      'IDEMPOTENCY.REQUEST_IN_PROGRESS',
      'REFUND.REJECTED',
      'REFUND.FAILED',
      'LOCKING.CONFLICT',
      'SERVER.UNAVAILABLE',
    ],
    domainValidation: true,
  },
  {
    method: 'get',
    path: '/v1/payments/{id}/refunds',
    operationId: 'listRefunds',
    tag: 'Refunds',
    summary: 'List a payment’s refunds',
    description: 'Every refund of the payment, in the order they were asked for (a payment has few).',
    auth: 'apiKey',
    pathParameters: PAYMENT_ID,
    success: { 200: { description: 'The refunds.', body: refundListSchema } },
    problems: [...AUTH, 'PAYMENT.NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/v1/gateways',
    operationId: 'listGateways',
    tag: 'Gateways',
    summary: 'Gateway health and metrics',
    description: 'Every gateway: its breaker’s state and health, whether routing sends payments to it, and the routing window’s metrics.',
    auth: 'apiKey',
    success: { 200: { description: 'The gateways.', body: gatewaysSchema } },
    problems: AUTH,
  },
  {
    method: 'post',
    path: '/v1/psp-webhooks/{connector}',
    operationId: 'receivePspWebhook',
    tag: 'PSP webhooks',
    summary: 'Receive a PSP’s webhook',
    description:
      'Where the PSPs deliver their webhooks (`stripe`, `adyen`). No API key: the PSP’s signature over the raw body is the credential, verified by the connector. Each notification is then applied idempotently on the PSP’s event id and on state.',
    auth: 'pspSignature',
    pathParameters: { connector: 'The connector: `stripe` or `adyen` (configured with a webhook secret).' },
    body: { schema: z.json(), required: true, description: 'The PSP’s own webhook, as it sends it (its bytes are verified, so no example can be given).' },
    success: { 200: { description: 'Verified; what each notification came to.', body: pspWebhookResultSchema } },
    problems: ['WEBHOOK.UNKNOWN_CONNECTOR', 'WEBHOOK.INVALID_SIGNATURE', 'WEBHOOK.STALE', 'WEBHOOK.MALFORMED', 'WEBHOOK.DEFERRED', 'REQUEST.BODY_TOO_LARGE'],
  },
  {
    method: 'get',
    path: '/livez',
    operationId: 'live',
    tag: 'Operations',
    summary: 'Liveness',
    description: 'The process answers. Nothing else is checked, so a database outage never gets a healthy process restarted.',
    auth: 'none',
    success: { 200: { description: 'Alive.', body: liveSchema } },
    problems: [],
    answersWhileDraining: true,
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    tag: 'Operations',
    summary: 'Readiness',
    description: 'Whether to route traffic here: the database answers, every migration of this build has been applied, and the server is not shutting down.',
    auth: 'none',
    success: { 200: { description: 'Ready; every check passed.', body: readySchema } },
    problems: ['SERVER.NOT_READY'],
    answersWhileDraining: true,
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'Operations',
    summary: 'Health (load balancers)',
    description: '`200` when serving; `503` with `status: "draining"` or `"unavailable"` (the database does not answer) — a JSON body, not a problem.',
    auth: 'none',
    success: {
      200: { description: 'Serving.', body: healthSchema },
      503: { description: 'Draining, or without a database.', body: healthSchema },
    },
    problems: [],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    description: 'Prometheus text format, from a registry of this server’s own.',
    auth: 'none',
    success: { 200: { description: 'The metrics.', body: { mediaType: 'text/plain; version=0.0.4; charset=utf-8' } } },
    problems: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'Documentation',
    summary: 'This document',
    description: 'The OpenAPI 3.1 document of the API, generated from the schemas the server validates with.',
    auth: 'none',
    success: { 200: { description: 'The document.', body: { mediaType: 'application/json' } } },
    problems: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'documentation',
    tag: 'Documentation',
    summary: 'The documentation page',
    description: 'This document as one HTML page (no script, nothing loaded from elsewhere).',
    auth: 'none',
    success: { 200: { description: 'The page.', body: { mediaType: 'text/html; charset=utf-8' } } },
    problems: [],
  },
];

