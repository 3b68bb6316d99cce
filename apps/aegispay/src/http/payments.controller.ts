import { Body, Controller, Get, Inject, Param, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { AnswerInterceptor } from './answer.interceptor';
import { API_CONTEXT, type ApiContext } from './api-context';
import { ApiKeyGuard } from './api-key.guard';
import { CurrentRequest, IdempotencyKey, type ApiRequest } from './api-request.decorator';
import type { ApiAnswer } from './http-response';
import { IdempotencyKeyGuard } from './idempotency-key.guard';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { listPaymentsQuerySchema, type ListPaymentsQuery } from './list-query.schemas';
import { bodyRequired, createPaymentBodySchema, refundBodySchema, type CreatePaymentBody, type RefundBody } from './request.schemas';
import { ZodQueryPipe, ZodValidationPipe } from './zod-validation.pipe';

/**
 * `/v1/payments`: create, list, read, refund, list refunds. Checks run in the order that does the least work for a
 * bad request: API key and Idempotency-Key header (guards), body size, media type and JSON (the
 * body interceptor), card data and schema (the validation pipe) — and nothing is stored before all
 * of them passed.
 */
@Controller('v1/payments')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerInterceptor)
export class PaymentsController {
  constructor(@Inject(API_CONTEXT) private readonly api: Pick<ApiContext, 'payments'>) {}

  /** Takes a payment for the key's merchant. */
  @Post()
  @UseGuards(IdempotencyKeyGuard)
  @UseInterceptors(JsonBodyInterceptor)
  create(
    @CurrentRequest() request: ApiRequest,
    @IdempotencyKey() key: string,
    @Body(new ZodValidationPipe(createPaymentBodySchema, { whenEmpty: { problem: bodyRequired } })) body: CreatePaymentBody,
  ): Promise<ApiAnswer> {
    return this.api.payments.createPayment(request.merchantId, key, body, request);
  }

  /** A page of the merchant's payments, newest first, filtered by the query. */
  @Get()
  async list(@CurrentRequest() request: ApiRequest, @Query(new ZodQueryPipe(listPaymentsQuerySchema)) query: ListPaymentsQuery): Promise<ApiAnswer> {
    return { status: 200, kind: 'json', headers: {}, body: await this.api.payments.listPayments(request.merchantId, query) };
  }

  /** One of the merchant's payments (another merchant's is a 404). */
  @Get(':id')
  async get(@CurrentRequest() request: ApiRequest, @Param('id') id: string): Promise<ApiAnswer> {
    return { status: 200, kind: 'json', headers: {}, body: await this.api.payments.getPayment(request.merchantId, id) };
  }

  /** Every refund of one of the merchant's payments. */
  @Get(':id/refunds')
  async refunds(@CurrentRequest() request: ApiRequest, @Param('id') id: string): Promise<ApiAnswer> {
    return { status: 200, kind: 'json', headers: {}, body: await this.api.payments.listRefunds(request.merchantId, id) };
  }

  /** Refunds part or all of one of the merchant's captured payments (an empty body refunds what is left). */
  @Post(':id/refunds')
  @UseGuards(IdempotencyKeyGuard)
  @UseInterceptors(JsonBodyInterceptor)
  refund(
    @CurrentRequest() request: ApiRequest,
    @IdempotencyKey() key: string,
    @Param('id') id: string,
    @Body(new ZodValidationPipe(refundBodySchema, { whenEmpty: { value: {} } })) body: RefundBody,
  ): Promise<ApiAnswer> {
    return this.api.payments.refundPayment(request.merchantId, id, key, body, request);
  }
}
