import { findCardNumber, MAX_PAYMENT_PAGE_SIZE, PAYMENT_STATUSES, type PaymentFilter, type PaymentPageCursor, type PaymentStatus } from '@aegispay/domain';
import { z } from 'zod';
import { cardDataProblem } from './card-data.problem';
import { ProblemError, type FieldError } from './problem-details';
import { fieldErrorsOf } from './request.schemas';

const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,64}$/;
const PAGE_SIZE = new RegExp(`^(?:${MAX_PAYMENT_PAGE_SIZE}|[1-9][0-9]?)$`);
/** An RFC 3339 instant with its offset and at most millisecond precision (stored instants are whole milliseconds). */
const instant = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 instant with an offset, such as "2026-11-25T00:00:00Z"' })
  .refine((text) => !/\.\d{4,}/.test(text), { error: 'must be precise to the millisecond at most' });

/**
 * The query of `GET /v1/payments`. Every parameter is optional; the filters combine (AND); the
 * created range is half-open: `createdFrom` inclusive, `createdBefore` exclusive.
 */
export const listPaymentsQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(PAGE_SIZE, { error: `must be a whole number from 1 to ${MAX_PAYMENT_PAGE_SIZE}` })
    .meta({ description: `Payments per page, 1 to ${MAX_PAYMENT_PAGE_SIZE}. Defaults to 20.`, examples: ['2'] })
    .exactOptional(),
  cursor: z
    .string()
    .max(512, { error: 'is not a cursor this API issued' })
    .meta({ description: 'The `nextCursor` of the previous page, unchanged. Leave it out for the newest payments.' })
    .exactOptional(),
  status: z
    .enum(PAYMENT_STATUSES, { error: `must be one of ${PAYMENT_STATUSES.join(', ')}` })
    .meta({ description: 'Only payments in this status.', examples: ['PAID'] })
    .exactOptional(),
  customerId: z
    .string()
    .regex(IDENTIFIER, { error: 'must be 1–64 letters, digits, "_", ".", ":" or "-"' })
    .meta({ description: 'Only payments of this customer.', examples: ['cus_1001'] })
    .exactOptional(),
  gateway: z
    .string()
    .regex(IDENTIFIER, { error: 'must be a gateway name: 1–64 letters, digits, "_", ".", ":" or "-"' })
    .meta({ description: 'Only payments captured by this gateway (as `payment.gateway` names it).', examples: ['ADYEN'] })
    .exactOptional(),
  createdFrom: instant.meta({ description: 'Only payments created at or after this instant (inclusive).', examples: ['2026-01-01T00:00:00Z'] }).exactOptional(),
  createdBefore: instant.meta({ description: 'Only payments created before this instant (exclusive).', examples: ['2027-01-01T00:00:00Z'] }).exactOptional(),
});

/** A validated `GET /v1/payments` query (strings as sent). */
export type ListPaymentsQuery = z.output<typeof listPaymentsQuerySchema>;

/** What the repository is asked for, from a {@link ListPaymentsQuery}. */
export interface PageRequest {
  readonly filter: PaymentFilter;
  readonly after: PaymentPageCursor | undefined;
  readonly limit: number | undefined;
}

/**
 * The page a validated query asks for.
 * @throws ProblemError 400 `REQUEST.INVALID_CURSOR` for a cursor this API did not issue.
 */
export function pageRequestOf(query: ListPaymentsQuery): PageRequest {
  const filter: { -readonly [K in keyof PaymentFilter]: PaymentFilter[K] } = {};
  if (query.status !== undefined) filter.status = query.status as PaymentStatus;
  if (query.customerId !== undefined) filter.customerId = query.customerId;
  if (query.gateway !== undefined) filter.gateway = query.gateway;
  if (query.createdFrom !== undefined) filter.createdFrom = Date.parse(query.createdFrom);
  if (query.createdBefore !== undefined) filter.createdBefore = Date.parse(query.createdBefore);
  return { filter, after: query.cursor === undefined ? undefined : decodeCursor(query.cursor), limit: query.limit === undefined ? undefined : Number(query.limit) };
}

const CURSOR_VERSION = 'v1';
const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;
const CURSOR = /^v1\.(0|[1-9][0-9]{0,15})\.([A-Za-z0-9_.:-]{1,128})$/;

/** The opaque cursor of a page's last payment: base64url of `v1.<created epoch ms>.<payment id>`. */
export function encodeCursor(cursor: PaymentPageCursor): string {
  return Buffer.from(`${CURSOR_VERSION}.${cursor.createdAt}.${cursor.id}`, 'utf8').toString('base64url');
}

/**
 * The position a cursor names. A cursor is a position in the page order, not a saved query: it
 * may be combined with other filters than the page it came from.
 * @throws ProblemError 400 `REQUEST.INVALID_CURSOR` when it is not one {@link encodeCursor} made.
 */
export function decodeCursor(cursor: string): PaymentPageCursor {
  const match = BASE64URL.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  const createdAt = Number(match?.[1]);
  if (match === null || !Number.isSafeInteger(createdAt) || encodeCursor({ createdAt, id: match[2] as string }) !== cursor) {
    const error: FieldError = {
      field: 'query:cursor',
      code: 'REQUEST.INVALID_CURSOR',
      message: 'cursor is not a cursor this API issued: pass the nextCursor of the previous page unchanged, or leave cursor out to start from the newest payment.',
    };
    throw new ProblemError(400, 'REQUEST.INVALID_CURSOR', error.message, { errors: [error] });
  }
  return { createdAt, id: match[2] as string };
}

/**
 * Checks a query string's parameters: card data first (as in bodies, never echoed), then the
 * schema, every problem reported with its parameter (`query:limit`).
 * @throws ProblemError 400 `PAYMENT.CARD_DATA_DETECTED` or `REQUEST.VALIDATION_FAILED`.
 */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  // Express hands over a null-prototype object; zod's objects want a plain one.
  const parameters = { ...(query as object) };
  const cardField = findCardNumber(parameters);
  if (cardField !== undefined) throw cardDataProblem(`query:${cardField}`);
  const result = schema.safeParse(parameters, { reportInput: true });
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error.issues).map((error) => ({ ...error, field: `query:${error.field}` }));
  throw new ProblemError(400, 'REQUEST.VALIDATION_FAILED', `The query is invalid: ${errors.map((error) => error.message).join(' ')}`.slice(0, 1_000), { errors });
}
