import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { API_CONTEXT, type ApiContext } from './api-context';
import { writeAnswerHead, type ApiAnswer } from './http-response';

/**
 * Turns the {@link ApiAnswer} a handler returns into the response: status, headers (its own, its
 * content type, `Cache-Control: no-store`, `nosniff`, `Connection: close` while draining), and the
 * body, which Nest then serialises. Handlers stay plain functions from a request to an answer.
 */
@Injectable()
export class AnswerInterceptor implements NestInterceptor<ApiAnswer, unknown> {
  constructor(@Inject(API_CONTEXT) private readonly api: Pick<ApiContext, 'lifecycle'>) {}

  intercept(context: ExecutionContext, next: CallHandler<ApiAnswer>): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map((answer) => {
        writeAnswerHead(response, answer, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
        return answer.body;
      }),
    );
  }
}
