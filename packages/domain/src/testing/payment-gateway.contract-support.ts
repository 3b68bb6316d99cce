/// <reference types="jest" />
import { GatewayTransportError } from '../ports/gateway-transport.error';
import type {
  ChargeStatusQuery,
  ChargeStatusResult,
  RefundRequest,
  RefundResult,
  RefundStatusResult,
} from '../ports/payment-gateway.port';
import type { PaymentGatewayContractSubject } from './payment-gateway.contract-subject';

/*
 * Helpers of `paymentGatewayContract()` (not exported from the testing barrel): how a call settled,
 * lookups repeated until a gateway has decided, refunds followed until they settle, and failures
 * that say which rule of the contract was broken.
 */

/** What one gateway call came to: an answer, a transport error, or the caller's own abort reason. */
export type Settled<T> =
  | { readonly kind: 'ANSWER'; readonly value: T }
  | { readonly kind: 'THROWN'; readonly error: GatewayTransportError }
  | { readonly kind: 'ABORTED'; readonly reason: unknown };

/** How long the contract keeps asking about an outcome not decided yet. */
export interface SettleOptions {
  readonly attempts: number;
  readonly stepMs: number;
}

/** Fails the test with the rule that was broken and what the gateway did. */
export function violation(rule: string, got: unknown): never {
  throw new Error(`Gateway contract: ${rule}\n  got: ${show(got)}`);
}

/**
 * Awaits `call`. A thrown error must be a `GatewayTransportError` with a boolean `mayHaveBeenSent`,
 * or `abortReason` itself (the caller's own reason, rethrown as `fetch` does).
 */
export async function settle<T>(call: Promise<T>, abortReason?: unknown): Promise<Settled<T>> {
  try {
    return { kind: 'ANSWER', value: await call };
  } catch (error) {
    if (abortReason !== undefined && error === abortReason) return { kind: 'ABORTED', reason: error };
    if (!GatewayTransportError.is(error) || typeof error.mayHaveBeenSent !== 'boolean') {
      violation(
        'an adapter throws only GatewayTransportError (saying whether the request may have been sent) or the reason of the caller\'s own abort; outcomes are answered as values',
        error,
      );
    }
    return { kind: 'THROWN', error };
  }
}

/** Awaits `call`, which must answer (a call with nothing wrong on its way must not throw). */
export async function answer<T>(call: Promise<T>): Promise<T> {
  const settled = await settle(call);
  if (settled.kind !== 'ANSWER') violation('a call with no fault on its way must answer, not throw', settled);
  return settled.value;
}

/** Asks `getStatus(query)` until the gateway answers something other than `PENDING` or `UNKNOWN` (or gives up); moves time between lookups when it can. */
export async function settledStatus(subject: PaymentGatewayContractSubject, query: ChargeStatusQuery, options: SettleOptions): Promise<ChargeStatusResult> {
  let last: ChargeStatusResult = { status: 'UNKNOWN', reason: 'not asked' };
  for (let lookup = 0; lookup < options.attempts; lookup += 1) {
    if (lookup > 0) await subject.advance?.(options.stepMs);
    const settled = await settle(subject.gateway.getStatus(query));
    last = settled.kind === 'ANSWER' ? settled.value : { status: 'UNKNOWN', reason: settled.kind === 'THROWN' ? settled.error.message : 'aborted' };
    if (last.status !== 'PENDING' && last.status !== 'UNKNOWN') return last;
  }
  return last;
}

/** Asks `getRefundStatus` about `request` until it settles (`REFUNDED`/`REJECTED`); a refund the gateway holds is never `NOT_FOUND`. */
export async function settledRefundStatus(
  subject: PaymentGatewayContractSubject,
  request: RefundRequest,
  gatewayReference: string | undefined,
  options: SettleOptions,
): Promise<RefundStatusResult> {
  let last: RefundStatusResult = { status: 'UNKNOWN', reason: 'not asked' };
  for (let lookup = 0; lookup < options.attempts; lookup += 1) {
    if (lookup > 0) await subject.advance?.(options.stepMs);
    const query = { reference: request.reference, request, ...(gatewayReference === undefined ? {} : { gatewayReference }) };
    const settled = await settle(subject.gateway.getRefundStatus(query));
    last = settled.kind === 'ANSWER' ? settled.value : { status: 'UNKNOWN', reason: settled.kind === 'THROWN' ? settled.error.message : 'aborted' };
    if (last.status === 'NOT_FOUND') violation(`getRefundStatus answered NOT_FOUND for refund ${request.reference}, which the gateway received`, last);
    if (last.status === 'REFUNDED' || last.status === 'REJECTED') return last;
  }
  return last;
}

/** A refund followed to its outcome: the first answer, and what it came to (`PENDING` followed by lookups). */
export interface FollowedRefund {
  readonly first: RefundResult;
  readonly settled: RefundResult;
}

/**
 * Sends `request` and, when the gateway answers `PENDING`, follows it with `getRefundStatus` until it
 * settles. A `PENDING` refund must settle within the contract's lookups.
 */
export async function refundAndSettle(subject: PaymentGatewayContractSubject, request: RefundRequest, options: SettleOptions): Promise<FollowedRefund> {
  return followRefund(subject, request, await answer(subject.gateway.refund(request)), options);
}

/** Follows the answer `first` to `request` with `getRefundStatus` when it is `PENDING`, until it settles. */
export async function followRefund(subject: PaymentGatewayContractSubject, request: RefundRequest, first: RefundResult, options: SettleOptions): Promise<FollowedRefund> {
  if (first.outcome !== 'PENDING') return { first, settled: first };
  const status = await settledRefundStatus(subject, request, first.gatewayReference, options);
  switch (status.status) {
    case 'REFUNDED':
      return { first, settled: { outcome: 'REFUNDED', gatewayReference: status.gatewayReference } };
    case 'REJECTED':
      return { first, settled: { outcome: 'REJECTED', code: status.code } };
    default:
      return violation(`a PENDING refund must settle: getRefundStatus still answered ${status.status} after ${options.attempts} lookups`, status);
  }
}

const printed = new Set<string>();

/** Prints, once per process and message, why a case did not apply to a subject. */
export function announce(message: string): void {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`${message}\n`);
}

function show(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const sent = (value as { mayHaveBeenSent?: unknown }).mayHaveBeenSent;
    return `${value.name}${typeof code === 'string' ? ` (${code})` : ''}${typeof sent === 'boolean' ? ` mayHaveBeenSent=${sent}` : ''}: ${value.message}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
