import { AegisPayError } from '../errors/aegispay.error';
import { IdempotencyKeyNotInProgressError, IdempotencyKeyReuseError } from './idempotency-store.errors';

describe('idempotency store errors', () => {
  it.each([
    [new IdempotencyKeyReuseError('m', 'k'), 'IDEMPOTENCY.KEY_REUSED', IdempotencyKeyReuseError],
    [new IdempotencyKeyNotInProgressError('m', 'k'), 'IDEMPOTENCY.NOT_IN_PROGRESS', IdempotencyKeyNotInProgressError],
  ] as const)('should give %s a stable code, an is() guard, the key and a JSON view', (error, code, type) => {
    expect(error.code).toBe(code);
    expect(AegisPayError.is(error)).toBe(true);
    expect(type.is(error)).toBe(true);
    expect(type.is(new Error(error.message))).toBe(false);
    expect(error).toMatchObject({ merchantId: 'm', key: 'k', details: { merchantId: 'm', key: 'k' } });
    expect(error.toJSON()).toMatchObject({ code, message: error.message });
  });
});
