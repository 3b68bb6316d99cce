import { Controller, Get, Inject, UseGuards, UseInterceptors } from '@nestjs/common';
import { AnswerInterceptor } from './answer.interceptor';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import type { ApiAnswer } from './http-response';

/** `GET /v1/gateways` (authenticated); `GET /healthz`, `/livez`, `/readyz` and `/metrics` (open to probes and scrapers). */
@Controller()
@UseInterceptors(AnswerInterceptor)
export class OperationsController {
  constructor(@Inject(API_CONTEXT) private readonly api: Pick<ApiContext, 'operations' | 'metrics'>) {}

  /** Breaker health and routing metrics per gateway. */
  @Get('v1/gateways')
  @UseGuards(ApiKeyGuard)
  gateways(): ApiAnswer {
    return { status: 200, kind: 'json', headers: {}, body: this.api.operations.gateways() };
  }

  /** Liveness and readiness for load balancers: 503 while draining or without a database. */
  @Get('healthz')
  async health(): Promise<ApiAnswer> {
    const { status, body } = await this.api.operations.health();
    return { status, kind: 'json', headers: {}, body };
  }

  /** Liveness: the process answers (no dependency is checked). */
  @Get('livez')
  live(): ApiAnswer {
    return { status: 200, kind: 'json', headers: {}, body: this.api.operations.live() };
  }

  /** Readiness: database reachable, migrations applied, not shutting down (else 503 naming the failed checks). */
  @Get('readyz')
  async ready(): Promise<ApiAnswer> {
    return { status: 200, kind: 'json', headers: {}, body: await this.api.operations.ready() };
  }

  /** Prometheus exposition text. */
  @Get('metrics')
  async metrics(): Promise<ApiAnswer> {
    const { contentType, body } = await this.api.metrics.render();
    return { status: 200, kind: 'text', headers: { 'Content-Type': contentType }, body };
  }
}
