import { AegisPayError } from './aegispay.error';
import { ValidationError } from './validation.error';
import type * as ValidationErrorModule from './validation.error';

class TestError extends AegisPayError {
  constructor(message: string, cause?: unknown) {
    super('TEST.FAILURE', message, { cause, details: { reason: 'testing' } });
  }
}

describe(AegisPayError, () => {
  describe('construction', () => {
    it('should carry a stable code, the subclass name, details and the cause', () => {
      const cause = new Error('socket hang up');
      const error = new TestError('it broke', cause);

      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('TestError');
      expect(error.code).toBe('TEST.FAILURE');
      expect(error.details).toEqual({ reason: 'testing' });
      expect(error.cause).toBe(cause);
    });

    it('should serialise without a stack trace', () => {
      const json = JSON.parse(JSON.stringify(new TestError('it broke'))) as Record<string, unknown>;

      expect(json).toEqual({ name: 'TestError', code: 'TEST.FAILURE', message: 'it broke', details: { reason: 'testing' } });
    });
  });

  describe('.is', () => {
    describe('when the error comes from this copy of the module', () => {
      it('should recognise the class, its ancestors and nothing else', () => {
        const error = new ValidationError('X.Y', 'field', 'bad');

        expect(ValidationError.is(error)).toBe(true);
        expect(AegisPayError.is(error)).toBe(true);
        expect(TestError.is(error)).toBe(false);
        expect(AegisPayError.is(new Error('plain'))).toBe(false);
        expect(AegisPayError.is({ code: 'X.Y' })).toBe(false);
        expect(AegisPayError.is(null)).toBe(false);
      });
    });

    describe('when the error was created by a second copy of the module', () => {
      it('should still recognise it, where instanceof fails', () => {
        let foreign: unknown;
        jest.isolateModules(() => {
          // A fresh module registry loads a second copy, as two installed versions of a package would.
          const copy = jest.requireActual<typeof ValidationErrorModule>('./validation.error');
          foreign = new copy.ValidationError('X.Y', 'field', 'bad');
        });

        expect(foreign).not.toBeInstanceOf(ValidationError);
        expect(ValidationError.is(foreign)).toBe(true);
        expect(AegisPayError.is(foreign)).toBe(true);
        expect(TestError.is(foreign)).toBe(false);
      });
    });
  });
});
