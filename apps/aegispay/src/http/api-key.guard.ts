import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ProblemError } from './problem-details';
import { requestContextOf } from './request-context';

/**
 * Lets a request through only with `Authorization: Bearer <api key>` of a configured merchant,
 * and records that merchant in the request context: the merchant of every operation comes from
 * the key, never from the body.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /** The problems it answers with (the OpenAPI document lists them on every route it guards). */
  static readonly problems: readonly string[] = ['AUTH.MISSING_CREDENTIALS', 'AUTH.INVALID_API_KEY'];

  constructor(@Inject(API_CONTEXT) private readonly api: ApiContext) {}

  /**
   * @throws ProblemError 401 `AUTH.MISSING_CREDENTIALS` (no Bearer credentials) or
   *   `AUTH.INVALID_API_KEY` (a Bearer value that is malformed or not a configured key).
   */
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const authentication = this.api.authenticator.authenticate(request.headers.authorization);
    if (authentication.ok) {
      requestContextOf(request).merchantId = authentication.merchantId;
      return true;
    }
    if (authentication.reason !== 'MISSING') {
      throw new ProblemError(401, 'AUTH.INVALID_API_KEY', 'The API key is not valid. Check the key you send as "Authorization: Bearer <api key>".', {
        headers: { 'WWW-Authenticate': 'Bearer realm="aegispay", error="invalid_token"' },
      });
    }
    throw new ProblemError(401, 'AUTH.MISSING_CREDENTIALS', 'Send your API key as "Authorization: Bearer <api key>".', {
      headers: { 'WWW-Authenticate': 'Bearer realm="aegispay"' },
    });
  }
}
