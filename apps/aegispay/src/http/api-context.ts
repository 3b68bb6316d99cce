import type { Logger } from 'pino';
import type { ApiKeyAuthenticator } from './api-key.authenticator';
import type { ApiMetrics } from './api-metrics';
import type { JsonBodyOptions } from './json-body.reader';
import type { OperationsService } from './operations.service';
import type { PaymentsService } from './payments.service';
import type { PspWebhooksService } from './psp-webhooks.service';
import type { ServerLifecycle } from './server-lifecycle';

/**
 * Everything the Nest controllers, guard and filter need, built from the app container by
 * `HttpServer` and handed to Nest as one value: Nest does the routing, the container owns the
 * objects (one composition root, not two).
 */
export interface ApiContext {
  readonly payments: PaymentsService;
  readonly operations: OperationsService;
  readonly webhooks: PspWebhooksService;
  readonly authenticator: ApiKeyAuthenticator;
  readonly metrics: ApiMetrics;
  readonly lifecycle: ServerLifecycle;
  readonly logger: Logger;
  readonly body: JsonBodyOptions;
}

/** The Nest injection token of the {@link ApiContext}. */
export const API_CONTEXT = Symbol.for('aegispay.http.ApiContext');
