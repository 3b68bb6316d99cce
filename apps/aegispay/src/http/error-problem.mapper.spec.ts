import {
  CardDataDetectedError,
  IdempotencyKeyReuseError,
  IllegalStateTransitionError,
  InvalidCurrencyError,
  PaymentNotFoundError,
  RefundExceedsCapturedError,
  ValidationError,
} from '@aegispay/domain';
import { MaxRetriesExceededError } from '@aegispay/locking';
import { RefundFailedError, RefundInProgressError, RefundKeyReuseError, RefundRejectedError, UnknownGatewayError } from '@aegispay/orchestrator';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { mapErrorToProblem } from './error-problem.mapper';
import { ProblemError } from './problem-details';

describe(mapErrorToProblem, () => {
  describe('when the error is an AegisPay error', () => {
    it.each<[string, unknown, number, string]>([
      ['card data', new CardDataDetectedError('metadata.note'), 400, 'PAYMENT.CARD_DATA_DETECTED'],
      ['a missing payment', new PaymentNotFoundError('pay_1'), 404, 'PAYMENT.NOT_FOUND'],
      ['a reused idempotency key', new IdempotencyKeyReuseError('m', 'k'), 422, 'IDEMPOTENCY.KEY_REUSED'],
      ['an over-refund', new RefundExceedsCapturedError('pay_1', 500, 400, 'EUR'), 422, 'PAYMENT.REFUND_EXCEEDS_CAPTURED'],
      ['an illegal transition', new IllegalStateTransitionError('FAILED', 'REFUNDED', 'pay_1'), 409, 'PAYMENT.ILLEGAL_TRANSITION'],
      ['a reused refund key', new RefundKeyReuseError('pay_1', 'k'), 422, 'IDEMPOTENCY.KEY_REUSED'],
      ['a refund still being carried out', new RefundInProgressError('pay_1', 'k'), 409, 'IDEMPOTENCY.REQUEST_IN_PROGRESS'],
      ['a refund the gateway rejected', new RefundRejectedError('pay_1', 'STRIPE', 'charge_not_found'), 422, 'REFUND.REJECTED'],
      ['a refund that failed', new RefundFailedError('pay_1', 'STRIPE', 'timeout'), 503, 'REFUND.FAILED'],
      ['write contention', new MaxRetriesExceededError('pay_1', 5, 7), 409, 'LOCKING.CONFLICT'],
      ['an unknown gateway', new UnknownGatewayError('OLD'), 503, 'SERVER.UNAVAILABLE'],
      ['an unknown currency', new InvalidCurrencyError('MONEY.UNKNOWN_CURRENCY', 'XYZ is not an active ISO 4217 currency.'), 422, 'MONEY.UNKNOWN_CURRENCY'],
    ])('should map %s by its code', (_case, error, status, code) => {
      const { problem, unexpected } = mapErrorToProblem(error);

      expect([problem.status, problem.code, unexpected]).toEqual([status, code, false]);
    });

    it('should give the retry advice of a transient failure', () => {
      const { problem } = mapErrorToProblem(new RefundFailedError('pay_1', 'STRIPE', 'timeout'));

      expect(problem.retryable).toBe(true);
      expect(problem.headers).toEqual({ 'Retry-After': '2' });
    });

    it('should carry the field of a validation error', () => {
      const { problem } = mapErrorToProblem(new CardDataDetectedError('metadata.note'));

      expect(problem.errors).toEqual([{ field: 'metadata.note', code: 'PAYMENT.CARD_DATA_DETECTED', message: expect.stringContaining('metadata.note') }]);
    });

    it('should treat a validation error outside payment and money as unexpected', () => {
      expect(mapErrorToProblem(new ValidationError('PERSISTENCE.INVALID_OPTION', 'poolSize', 'bad')).problem.status).toBe(500);
    });
  });

  describe('when the error is a ProblemError', () => {
    it('should keep it as it is', () => {
      const error = new ProblemError(418, 'TEST.TEAPOT', 'short and stout');

      expect(mapErrorToProblem(error)).toEqual({ problem: error, unexpected: false });
    });
  });

  describe('when Nest refuses the route or the URL', () => {
    it('should answer in its own words, never echoing the path', () => {
      const notFound = mapErrorToProblem(new NotFoundException('Cannot GET /v1/payments/4111111111111111')).problem;
      const badUrl = mapErrorToProblem(new BadRequestException("Failed to decode param '%E0%A4%A'")).problem;

      expect([notFound.status, notFound.code]).toEqual([404, 'HTTP.NOT_FOUND']);
      expect(notFound.message).not.toContain('4111');
      expect([badUrl.status, badUrl.code]).toEqual([400, 'HTTP.BAD_REQUEST']);
      expect(badUrl.message).not.toContain('%E0');
    });
  });

  describe('when the error is anything else', () => {
    it('should answer 500 with nothing of the error but flag it for the log', () => {
      const { problem, unexpected } = mapErrorToProblem(new Error('SQLITE_CORRUPT: secret table layout'));

      expect([problem.status, problem.code, unexpected]).toEqual([500, 'SERVER.INTERNAL_ERROR', true]);
      expect(JSON.stringify(problem.toProblem('/v1/payments', 'req_1'))).not.toContain('SQLITE');
    });

    it('should answer 503 for an abort during shutdown', () => {
      expect(mapErrorToProblem(new DOMException('stop', 'AbortError')).problem.code).toBe('SERVER.SHUTTING_DOWN');
    });
  });
});
