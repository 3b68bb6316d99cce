import { Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import type { ProblemError } from './problem-details';
import { parseQuery } from './list-query.schemas';
import { parseBody } from './request.schemas';

/** Options of {@link ZodValidationPipe}. */
export interface ZodValidationPipeOptions {
  /** What an empty body means: the problem to answer, or the value to validate instead. */
  readonly whenEmpty: { readonly problem: () => ProblemError } | { readonly value: unknown };
}

/**
 * Validates a body with a zod schema of `request.schemas.ts`: card data first, anywhere (so no
 * later message can quote it), then `__proto__` keys, then the schema, every problem reported
 * with its field (`400 PAYMENT.CARD_DATA_DETECTED` or `REQUEST.VALIDATION_FAILED`).
 */
@Injectable()
export class ZodValidationPipe<T> implements PipeTransform<unknown, T> {
  /** The problems it answers with, besides an empty body's (the OpenAPI document lists them on every route it validates). */
  static readonly problems: readonly string[] = ['PAYMENT.CARD_DATA_DETECTED', 'REQUEST.VALIDATION_FAILED'];

  constructor(
    readonly schema: z.ZodType<T>,
    readonly options: ZodValidationPipeOptions,
  ) {}

  transform(value: unknown): T {
    if (value !== undefined) return parseBody(this.schema, value);
    const empty = this.options.whenEmpty;
    if ('problem' in empty) throw empty.problem();
    return parseBody(this.schema, empty.value);
  }
}

/**
 * Validates a query string with a zod schema: card data first, then the schema, every problem
 * reported with its parameter (`400 PAYMENT.CARD_DATA_DETECTED` or `REQUEST.VALIDATION_FAILED`).
 */
@Injectable()
export class ZodQueryPipe<T> implements PipeTransform<unknown, T> {
  /** The problems it answers with (the OpenAPI document lists them on every route it validates). */
  static readonly problems: readonly string[] = ['PAYMENT.CARD_DATA_DETECTED', 'REQUEST.VALIDATION_FAILED'];

  constructor(readonly schema: z.ZodType<T>) {}

  transform(value: unknown): T {
    return parseQuery(this.schema, value);
  }
}
