import { Module, type DynamicModule } from '@nestjs/common';
import { AnswerInterceptor } from './answer.interceptor';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import { DocsController } from './docs.controller';
import { IdempotencyKeyGuard } from './idempotency-key.guard';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { OperationsController } from './operations.controller';
import { PaymentsController } from './payments.controller';
import { PspWebhooksController } from './psp-webhooks.controller';

/**
 * The Nest module of the HTTP API. Its one provider, the {@link ApiContext}, is resolved from the
 * app's Inversify container (`HTTP_TOKENS.ApiContext`): Nest routes, guards, intercepts and pipes;
 * the container owns every object (one composition root, not two).
 */
@Module({})
export class ApiModule {
  /** The module with its controllers, guards and interceptors, over `context`. */
  static register(context: ApiContext): DynamicModule {
    return {
      module: ApiModule,
      // Every route here is in the OpenAPI document (`openapi/api-operations.ts`); its test compares them.
      controllers: [PaymentsController, PspWebhooksController, OperationsController, DocsController],
      providers: [{ provide: API_CONTEXT, useValue: context }, ApiKeyGuard, IdempotencyKeyGuard, JsonBodyInterceptor, AnswerInterceptor],
    };
  }
}
