import type { ServerResponse } from 'node:http';
import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import { sendAnswer } from './http-response';

/** `GET /v1/gateways` (authenticated), `GET /healthz` and `GET /metrics` (open to probes and scrapers). */
@Controller()
export class OperationsController {
  constructor(@Inject(API_CONTEXT) private readonly api: ApiContext) {}

  /** Breaker health and routing metrics per gateway. */
  @Get('v1/gateways')
  @UseGuards(ApiKeyGuard)
  gateways(@Res() response: ServerResponse): void {
    sendAnswer(response, { status: 200, kind: 'json', headers: {}, body: this.api.operations.gateways() }, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
  }

  /** Liveness and readiness for load balancers: 503 while draining or without a database. */
  @Get('healthz')
  async health(@Res() response: ServerResponse): Promise<void> {
    const { status, body } = await this.api.operations.health();
    sendAnswer(response, { status, kind: 'json', headers: {}, body }, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
  }

  /** Prometheus exposition text. */
  @Get('metrics')
  async metrics(@Res() response: ServerResponse): Promise<void> {
    const { contentType, body } = await this.api.metrics.render();
    response.statusCode = 200;
    response.setHeader('Content-Type', contentType);
    response.setHeader('Cache-Control', 'no-store');
    response.end(body);
  }
}
