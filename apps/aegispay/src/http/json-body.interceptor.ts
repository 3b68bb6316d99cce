import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { API_CONTEXT, type ApiContext } from './api-context';
import { readJsonBody } from './json-body.reader';

/** A request whose body has been read: `undefined` for an empty body. */
export type RequestWithBody = IncomingMessage & { body?: unknown };

/**
 * Reads the JSON body of a request into `request.body` for `@Body()`, with every limit of
 * `readJsonBody` (size while reading, media type, UTF-8, nesting depth before parsing) and the
 * shutdown's abort signal. An interceptor, not middleware: it runs after the guards, so a request
 * without a valid API key or Idempotency-Key is refused before its body is read.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  /** The problems it answers with (the OpenAPI document lists them on every route whose body it reads). */
  static readonly problems: readonly string[] = [
    'REQUEST.BODY_TOO_LARGE',
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    'REQUEST.MALFORMED_JSON',
    'REQUEST.TOO_DEEP',
    'REQUEST.DUPLICATE_KEY',
    'REQUEST.INVALID_UNICODE',
    'HTTP.BAD_REQUEST',
  ];

  constructor(@Inject(API_CONTEXT) private readonly api: Pick<ApiContext, 'body' | 'lifecycle'>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithBody>();
    return from(readJsonBody(request, { ...this.api.body, signal: this.api.lifecycle.signal })).pipe(
      switchMap((body) => {
        request.body = body;
        return next.handle();
      }),
    );
  }
}
