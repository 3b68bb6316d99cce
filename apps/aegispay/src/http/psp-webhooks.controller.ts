import type { IncomingMessage } from 'node:http';
import { Controller, HttpCode, Inject, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { AnswerInterceptor } from './answer.interceptor';
import { API_CONTEXT, type ApiContext } from './api-context';
import type { ApiAnswer } from './http-response';
import { readRawBody } from './json-body.reader';
import { requestContextOf } from './request-context';

/**
 * `/v1/psp-webhooks/:connector`: webhooks from the configured PSP connectors (`stripe`, `adyen`).
 * No API key (the PSP's signature is the credential); the raw body, within the body limit, is handed
 * to the connector's verifier untouched, since the signature covers its exact bytes.
 */
@Controller('v1/psp-webhooks')
@UseInterceptors(AnswerInterceptor)
export class PspWebhooksController {
  constructor(@Inject(API_CONTEXT) private readonly api: Pick<ApiContext, 'webhooks' | 'body' | 'lifecycle'>) {}

  @Post(':connector')
  @HttpCode(200)
  async receive(@Req() request: IncomingMessage, @Param('connector') connector: string): Promise<ApiAnswer> {
    const rawBody = await readRawBody(request, { limitBytes: this.api.body.limitBytes, signal: this.api.lifecycle.signal });
    return this.api.webhooks.receive(connector, { rawBody, headers: request.headers }, requestContextOf(request).requestId);
  }
}
