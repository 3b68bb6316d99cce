import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import { sendAnswer } from './http-response';
import { parseIdempotencyKey } from './idempotency-key.header';
import { readJsonBody } from './json-body.reader';
import { ProblemError } from './problem-details';
import { createPaymentBodySchema, parseBody, refundBodySchema, type CreatePaymentBody, type RefundBody } from './request.schemas';
import { requestContextOf, safePathOf } from './request-context';

/**
 * `/v1/payments`: create, read, refund. Checks run in the order that does the least work for a
 * bad request: API key (guard), Idempotency-Key header, body size and media type, JSON, card
 * data, schema — and nothing is stored before all of them passed.
 */
@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
export class PaymentsController {
  constructor(@Inject(API_CONTEXT) private readonly api: ApiContext) {}

  /** Takes a payment for the key's merchant. */
  @Post()
  async create(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const { requestId, merchantId } = requestContextOf(request);
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const raw = await readJsonBody(request, { ...this.api.body, signal: this.api.lifecycle.signal });
    if (raw === undefined) {
      throw new ProblemError(400, 'REQUEST.BODY_REQUIRED', 'Send the payment as a JSON object: {"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_…"}}.');
    }
    const body = parseBody(createPaymentBodySchema, raw) as CreatePaymentBody;
    const answer = await this.api.payments.createPayment(merchantId as string, key, body, { requestId, instance: safePathOf(request) });
    sendAnswer(response, answer, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
  }

  /** One of the merchant's payments (another merchant's is a 404). */
  @Get(':id')
  async get(@Req() request: IncomingMessage, @Res() response: ServerResponse, @Param('id') id: string): Promise<void> {
    const view = await this.api.payments.getPayment(requestContextOf(request).merchantId as string, id);
    sendAnswer(response, { status: 200, kind: 'json', headers: {}, body: view }, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
  }

  /** Refunds part or all of one of the merchant's captured payments. */
  @Post(':id/refunds')
  async refund(@Req() request: IncomingMessage, @Res() response: ServerResponse, @Param('id') id: string): Promise<void> {
    const { requestId, merchantId } = requestContextOf(request);
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const body = parseBody(refundBodySchema, (await readJsonBody(request, { ...this.api.body, signal: this.api.lifecycle.signal })) ?? {}) as RefundBody;
    const answer = await this.api.payments.refundPayment(merchantId as string, id, key, body, { requestId, instance: safePathOf(request) });
    sendAnswer(response, answer, { closeConnection: this.api.lifecycle.state !== 'RUNNING' });
  }
}
