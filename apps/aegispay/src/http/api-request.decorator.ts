import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestContextOf, safePathOf } from './request-context';

/** The request an authenticated handler serves: whose it is and how to refer to it. */
export interface ApiRequest {
  /** The merchant of the API key: the merchant of every operation. */
  readonly merchantId: string;
  /** The request id (`X-Request-Id`). */
  readonly requestId: string;
  /** The request path, fit to show (`instance` of problems). */
  readonly instance: string;
}

/**
 * `@CurrentRequest() request: ApiRequest` — the merchant, request id and path of a request that
 * passed `ApiKeyGuard`. A handler without the guard fails loudly (a 500) instead of running without
 * a merchant.
 */
export const CurrentRequest = createParamDecorator((_data: unknown, context: ExecutionContext): ApiRequest => {
  const request = context.switchToHttp().getRequest<IncomingMessage>();
  const { requestId, merchantId } = requestContextOf(request);
  if (merchantId === null) throw new Error('@CurrentRequest() needs ApiKeyGuard on the route: no merchant was authenticated.');
  return { merchantId, requestId, instance: safePathOf(request) };
});

/** `@IdempotencyKey() key: string` — the `Idempotency-Key` that `IdempotencyKeyGuard` checked. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const key = requestContextOf(context.switchToHttp().getRequest<IncomingMessage>()).idempotencyKey;
  if (key === undefined) throw new Error('@IdempotencyKey() needs IdempotencyKeyGuard on the route.');
  return key;
});
