import { Module, type DynamicModule } from '@nestjs/common';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import { OperationsController } from './operations.controller';
import { PaymentsController } from './payments.controller';

/** The Nest module of the HTTP API, over an {@link ApiContext} built from the app container. */
@Module({})
export class ApiModule {
  /** The module with its controllers and guard, bound to `context`. */
  static register(context: ApiContext): DynamicModule {
    return {
      module: ApiModule,
      controllers: [PaymentsController, OperationsController],
      providers: [{ provide: API_CONTEXT, useValue: context }, ApiKeyGuard],
    };
  }
}
