import { ValidationError } from '../errors/validation.error';
import { SystemClock } from '../system/system-clock';
import { InvalidOptionError } from './invalid-option.error';
import { OptionChecks } from './option-checks';

const checks = new OptionChecks('TEST.INVALID_OPTION', 'Widget');

describe(OptionChecks, () => {
  describe('when an option is left out', () => {
    it('should give its default', () => {
      expect(checks.number('delayMs', undefined, 50, { min: 0 })).toBe(50);
      expect(checks.integer('size', undefined, 10)).toBe(10);
      expect(checks.rate('share', undefined, 0.5)).toBe(0.5);
      expect(checks.boolean('enabled', undefined, true)).toBe(true);
      expect(checks.oneOf('mode', undefined, 'A', ['A', 'B'])).toBe('A');
      expect(checks.optionalFunction('onEvent', undefined)).toBeUndefined();
      expect(checks.object('group', undefined, { a: 1 })).toEqual({ a: 1 });
      expect(checks.string('name', undefined, 'widget')).toBe('widget');
      expect(checks.nonEmptyArray('items', undefined, [1])).toEqual([1]);
      expect(checks.port('clock', undefined, () => new SystemClock(), ['now'])).toBeInstanceOf(SystemClock);
    });

    describe('and it has no default', () => {
      it('should refuse it as required', () => {
        expect(() => checks.number('delayMs', undefined, undefined)).toThrow('Widget: delayMs is required (got undefined).');
        expect(() => checks.requiredFunction('run', undefined)).toThrow(expect.objectContaining({ field: 'run', problem: 'is required' }) as Error);
        expect(() => checks.port('clock', undefined, undefined, ['now'])).toThrow(expect.objectContaining({ field: 'clock', problem: 'is required' }) as Error);
      });
    });
  });

  describe('when an option is valid', () => {
    it('should return it unchanged', () => {
      const run = (): void => undefined;
      const clock = new SystemClock();

      expect(checks.number('delayMs', 0, 50, { min: 0 })).toBe(0);
      expect(checks.number('limit', undefined, Infinity)).toBe(Infinity);
      expect(checks.integer('size', 1, 10, { min: 1 })).toBe(1);
      expect(checks.rate('share', 1, 0.5)).toBe(1);
      expect(checks.boolean('enabled', false, true)).toBe(false);
      expect(checks.oneOf('mode', 'B', 'A', ['A', 'B'])).toBe('B');
      expect(checks.requiredFunction('run', run)).toBe(run);
      expect(checks.port('clock', clock, undefined, ['now', 'sleep', 'setTimer'])).toBe(clock);
      expect(checks.string('name', 'acme', undefined)).toBe('acme');
    });
  });

  describe('when an option is malformed', () => {
    it.each([
      ['a negative delay', () => checks.number('delayMs', -1, 0, { min: 0 }), 'delayMs', 'must be a finite number ≥ 0'],
      ['an infinite delay', () => checks.number('delayMs', Infinity, 0, { min: 0 }), 'delayMs', 'must be a finite number ≥ 0'],
      ['NaN', () => checks.number('delayMs', Number.NaN, 0), 'delayMs', 'must be a finite number'],
      ['a fraction where an integer is due', () => checks.integer('size', 1.5, 1, { min: 1 }), 'size', 'must be an integer ≥ 1'],
      ['zero where above 0 is due', () => checks.number('ttlMs', 0, 1, { above: 0 }), 'ttlMs', 'must be a finite number above 0'],
      ['a rate above 1', () => checks.rate('share', 1.5, 0), 'share', 'must be a finite number between 0 and 1'],
      ['a zero rate where above 0 is due', () => checks.rate('share', 0, 0.5, { above: 0 }), 'share', 'must be a finite number between 0 and 1 and above 0'],
      ['a string where a number is due', () => checks.number('delayMs', '5', 0), 'delayMs', 'must be a finite number'],
      ['the string "false" where a boolean is due', () => checks.boolean('enabled', 'false', true), 'enabled', 'must be true or false'],
      ['an unknown choice', () => checks.oneOf('mode', 'C', 'A', ['A', 'B']), 'mode', "must be one of 'A', 'B'"],
      ['a non-function', () => checks.optionalFunction('onEvent', 'log' as never), 'onEvent', 'must be a function'],
      ['an object without the port methods', () => checks.port('clock', {} as never, undefined, ['now']), 'clock', 'must be an object with now()'],
      ['an array where a group is due', () => checks.object('group', [] as never, {}), 'group', 'must be an object'],
      ['a padded string', () => checks.string('name', ' acme', undefined), 'name', 'must be a non-empty string without surrounding spaces'],
      ['an empty array', () => checks.nonEmptyArray('items', [], [1]), 'items', 'must be a non-empty array'],
    ])('should refuse %s, naming the option and what it must be', (_case, check, field, problem) => {
      expect(check).toThrow(InvalidOptionError);
      expect(check).toThrow(ValidationError);
      expect(check).toThrow(expect.objectContaining({ code: 'TEST.INVALID_OPTION', field, problem, owner: 'Widget', details: { field, option: field } }) as Error);
      expect(check).toThrow(new RegExp(`^Widget: ${field} `));
    });
  });
});

describe('OptionChecks with an error factory', () => {
  class InvalidWidgetOptionError extends InvalidOptionError {
    constructor(option: string, problem: string, context: { value?: unknown; owner?: string } = {}) {
      super('WIDGET.INVALID_OPTION', option, problem, context);
    }
  }
  const widgetChecks = new OptionChecks('WIDGET.INVALID_OPTION', 'Widget', (option, problem, context) => new InvalidWidgetOptionError(option, problem, context));

  describe('when an option is refused', () => {
    it('should throw the area\'s own error class, still an InvalidOptionError with its owner and value', () => {
      const check = (): number => widgetChecks.integer('size', 0, 1, { min: 1 });

      expect(check).toThrow(InvalidWidgetOptionError);
      expect(check).toThrow(InvalidOptionError);
      expect(check).toThrow(expect.objectContaining({ code: 'WIDGET.INVALID_OPTION', field: 'size', owner: 'Widget', value: 0 }) as Error);
      expect(check).toThrow('Widget: size must be an integer ≥ 1 (got 0).');
    });
  });

  describe('.invalidSecret', () => {
    it('should name the option and the problem without the value', () => {
      const error = widgetChecks.invalidSecret('apiKey', 'must be a live key');

      expect(error).toBeInstanceOf(InvalidWidgetOptionError);
      expect(error.message).toBe('Widget: apiKey must be a live key.');
      expect(error.value).toBeUndefined();
      expect(checks.invalidSecret('apiKey', 'must be a live key')).toMatchObject({ code: 'TEST.INVALID_OPTION', owner: 'Widget', message: 'Widget: apiKey must be a live key.' });
    });
  });
});

describe(InvalidOptionError, () => {
  describe('construction', () => {
    it('should say whose option, which, what is wrong and what it got, without dumping values', () => {
      expect(new InvalidOptionError('X.INVALID_OPTION', 'mode', 'must be FAST', { value: 'a'.repeat(60), owner: 'Gate' }).message).toBe(
        `Gate: mode must be FAST (got "${'a'.repeat(40)}…").`,
      );
      expect(new InvalidOptionError('X.INVALID_OPTION', 'hooks', 'must be a list', { value: { secret: 1 } }).message).toBe('Invalid option hooks: must be a list (got an object).');
      expect(new InvalidOptionError('X.INVALID_OPTION', 'gateways', 'must name at least one gateway').message).toBe('Invalid option gateways: must name at least one gateway.');
    });
  });

  describe('.within', () => {
    it('should name the option under a prefix, keeping the code, the problem and the value', () => {
      const nested = checks.invalid('approvalRate', 'must be a finite number between 0 and 1', 2).within('profiles.STRIPE');

      expect(nested).toBeInstanceOf(InvalidOptionError);
      expect(nested).toMatchObject({ code: 'TEST.INVALID_OPTION', field: 'profiles.STRIPE.approvalRate', value: 2, owner: 'Widget' });
      expect(nested.message).toBe('Widget: profiles.STRIPE.approvalRate must be a finite number between 0 and 1 (got 2).');
      expect(nested.detail).toBe('must be a finite number between 0 and 1 (got 2)');
    });
  });
});
