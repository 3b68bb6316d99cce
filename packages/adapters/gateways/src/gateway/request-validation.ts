import type { ChargeRequest, Money, RefundRequest } from '@aegispay/domain';
import { InvalidGatewayRequestError } from '../errors/gateway.errors';

/*
 * Checks of the requests a gateway receives. A malformed request is a bug of the caller, never a
 * business outcome: it throws `InvalidGatewayRequestError` before anything is sent.
 */

/** @throws InvalidGatewayRequestError */
export function assertChargeRequest(gateway: string, request: ChargeRequest): void {
  assertObject(gateway, request, 'charge');
  assertIdentifier(gateway, request.reference, 'reference');
  assertIdentifier(gateway, request.paymentId, 'paymentId');
  assertIdentifier(gateway, request.merchantId, 'merchantId');
  assertPositiveMoney(gateway, request.amount, 'amount', 'A charge');
  const method: unknown = request.paymentMethod;
  if (typeof method !== 'object' || method === null) {
    throw new InvalidGatewayRequestError(gateway, 'paymentMethod', 'A charge needs a paymentMethod { type, token }.');
  }
  assertIdentifier(gateway, (method as { type?: unknown }).type, 'paymentMethod.type');
  assertIdentifier(gateway, (method as { token?: unknown }).token, 'paymentMethod.token');
}

/** @throws InvalidGatewayRequestError */
export function assertRefundRequest(gateway: string, request: RefundRequest): void {
  assertObject(gateway, request, 'refund');
  assertIdentifier(gateway, request.reference, 'reference');
  assertIdentifier(gateway, request.chargeReference, 'chargeReference');
  assertIdentifier(gateway, request.paymentId, 'paymentId');
  assertPositiveMoney(gateway, request.amount, 'amount', 'A refund');
}

/** @throws InvalidGatewayRequestError */
export function assertIdentifier(gateway: string, value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidGatewayRequestError(gateway, field, `${field} must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}.`);
  }
}

/** Names of the fields in which a repeated charge differs from the first one with its reference. */
export function chargeDifferences(first: ChargeRequest, again: ChargeRequest): string[] {
  const differences: string[] = [];
  if (first.paymentId !== again.paymentId) differences.push('paymentId');
  if (first.merchantId !== again.merchantId) differences.push('merchantId');
  if (!first.amount.equals(again.amount)) differences.push('amount');
  if (first.paymentMethod.type !== again.paymentMethod.type || first.paymentMethod.token !== again.paymentMethod.token) {
    differences.push('paymentMethod');
  }
  return differences;
}

/** Names of the fields in which a repeated refund differs from the first one with its reference. */
export function refundDifferences(first: RefundRequest, again: RefundRequest): string[] {
  const differences: string[] = [];
  if (first.chargeReference !== again.chargeReference) differences.push('chargeReference');
  if (first.paymentId !== again.paymentId) differences.push('paymentId');
  if (!first.amount.equals(again.amount)) differences.push('amount');
  return differences;
}

function assertObject(gateway: string, request: unknown, kind: string): void {
  if (typeof request !== 'object' || request === null) {
    throw new InvalidGatewayRequestError(gateway, '', `A ${kind} request must be an object, got ${request === null ? 'null' : typeof request}.`);
  }
}

function assertPositiveMoney(gateway: string, value: unknown, field: string, what: string): void {
  const money = value as Partial<Money> | null | undefined;
  if (
    typeof money !== 'object' ||
    money === null ||
    typeof money.amount !== 'number' ||
    typeof money.currency !== 'object' ||
    typeof money.equals !== 'function'
  ) {
    throw new InvalidGatewayRequestError(gateway, field, `${what} needs an amount as Money (Money.of(minorUnits, currency)).`);
  }
  if (!(money.amount > 0)) {
    throw new InvalidGatewayRequestError(gateway, field, `${what} must be for more than zero, got ${String(money.toString?.() ?? money.amount)}.`);
  }
}
