import { AegisPayError } from '@aegispay/domain';
import { ChaosInjectedError, ChaosTimeoutError } from './chaos.errors';

describe('ChaosInjectedError', () => {
  describe('when created for a 429', () => {
    const error = new ChaosInjectedError({
      type: 'RATE_LIMITED',
      kind: 'INTERMITTENT',
      gateway: 'PAYPAL',
      operation: 'charge',
      reference: 'pay_1:1',
      mayHaveBeenSent: false,
    });

    it('should carry its type, kind, retry-safety and HTTP status', () => {
      expect(error).toMatchObject({
        name: 'ChaosInjectedError',
        code: 'CHAOS.RATE_LIMITED',
        type: 'RATE_LIMITED',
        kind: 'INTERMITTENT',
        mayHaveBeenSent: false,
        httpStatus: 429,
      });
      expect(error.message).toContain('PAYPAL.charge');
    });

    it('should be recognised by the AegisPay guards and serialise without the stack', () => {
      expect(AegisPayError.is(error)).toBe(true);
      expect(ChaosInjectedError.is(error)).toBe(true);
      expect(ChaosTimeoutError.is(error)).toBe(false);
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        name: 'ChaosInjectedError',
        code: 'CHAOS.RATE_LIMITED',
        message: error.message,
        details: {
          type: 'RATE_LIMITED',
          kind: 'INTERMITTENT',
          gateway: 'PAYPAL',
          operation: 'charge',
          reference: 'pay_1:1',
          mayHaveBeenSent: false,
        },
      });
    });
  });
});

describe('ChaosTimeoutError', () => {
  const base = { kind: 'TIMEOUT', gateway: 'STRIPE', reference: 'pay_1:1', timeoutMs: 5_000 } as const;

  describe('when the timeout happened BEFORE the real call', () => {
    it('should be retry-safe', () => {
      const error = new ChaosTimeoutError({ ...base, operation: 'charge', phase: 'BEFORE' });
      expect(error).toMatchObject({ code: 'CHAOS.TIMEOUT', type: 'TIMEOUT', phase: 'BEFORE', mayHaveBeenSent: false, httpStatus: null });
      expect(ChaosInjectedError.is(error)).toBe(true);
    });
  });

  describe('when the timeout happened AFTER the real call', () => {
    it('should not be retry-safe for a charge and tell the caller to check the status first', () => {
      const error = new ChaosTimeoutError({ ...base, operation: 'charge', phase: 'AFTER' });
      expect(error.mayHaveBeenSent).toBe(true);
      expect(error.message).toContain("getStatus('pay_1:1')");
      expect(error.details).toMatchObject({ phase: 'AFTER', timeoutMs: 5_000, mayHaveBeenSent: true });
    });

    it('should stay retry-safe for a status read', () => {
      expect(new ChaosTimeoutError({ ...base, operation: 'getStatus', phase: 'AFTER' }).mayHaveBeenSent).toBe(false);
    });
  });
});
