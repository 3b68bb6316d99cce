import type { IncomingMessage } from 'node:http';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { parseIdempotencyKey } from './idempotency-key.header';
import { requestContextOf } from './request-context';

/**
 * Lets a request through only with a valid `Idempotency-Key` header, and records the key in the
 * request context for `@IdempotencyKey()`. A guard, so that it runs after the API key's and before
 * the body is read: a request without a key costs nothing more.
 */
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  /** The problems it answers with (the OpenAPI document lists them on every route it guards). */
  static readonly problems: readonly string[] = ['IDEMPOTENCY.KEY_MISSING', 'IDEMPOTENCY.KEY_INVALID', 'PAYMENT.CARD_DATA_DETECTED'];

  /** @throws ProblemError 400 `IDEMPOTENCY.KEY_MISSING`, `IDEMPOTENCY.KEY_INVALID` or `PAYMENT.CARD_DATA_DETECTED`. */
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    requestContextOf(request).idempotencyKey = parseIdempotencyKey(request.headers['idempotency-key']);
    return true;
  }
}
