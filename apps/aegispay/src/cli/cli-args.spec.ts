import { formatOptions, numberOption, parseCliArgs, wantsHelp, type CliOption } from './cli-args';
import { UsageError } from './cli.errors';

const OPTIONS: readonly CliOption[] = [
  { name: 'payments', value: '<n>', description: 'payments to send', defaultValue: '2000' },
  { name: 'verbose', value: null, description: 'say more' },
];

describe(parseCliArgs, () => {
  describe('when the arguments are well formed', () => {
    it('should read --name value, --name=value, switches and positionals', () => {
      const parsed = parseCliArgs('demo', ['file.json', '--payments', '300', '--verbose'], OPTIONS, 1);
      const equals = parseCliArgs('demo', ['--payments=5'], OPTIONS);

      expect([...parsed.options]).toEqual([
        ['payments', '300'],
        ['verbose', true],
      ]);
      expect(parsed.positionals).toEqual(['file.json']);
      expect(equals.options.get('payments')).toBe('5');
    });

    it('should take everything after -- as positionals', () => {
      expect(parseCliArgs('chaos', ['--', '--weird-name.json'], OPTIONS, 1).positionals).toEqual(['--weird-name.json']);
    });
  });

  describe('when the arguments are wrong', () => {
    it.each<[string, readonly string[], string]>([
      ['an unknown option', ['--payment', '3'], 'Unknown option --payment for "aegispay demo" (known: --payments, --verbose).'],
      ['a short option', ['-p', '3'], 'Unknown option -p for "aegispay demo"'],
      ['a missing value', ['--payments'], 'Option --payments needs a value: --payments <n>.'],
      ['an option instead of a value', ['--payments', '--verbose'], 'Option --payments needs a value'],
      ['a value given to a switch', ['--verbose=yes'], 'Option --verbose is a switch and takes no value.'],
      ['a repeated option', ['--payments', '1', '--payments', '2'], 'Option --payments is given twice.'],
      ['an extra argument', ['extra'], 'Unexpected argument "extra" for "aegispay demo".'],
    ])('should refuse %s with a usage error saying what is wrong', (_case, args, message) => {
      let error: unknown;
      try {
        parseCliArgs('demo', args, OPTIONS);
      } catch (thrown) {
        error = thrown;
      }

      expect(UsageError.is(error)).toBe(true);
      expect((error as UsageError).message).toContain(message);
      expect((error as UsageError).code).toBe('CLI.USAGE');
    });
  });
});

describe(numberOption, () => {
  const parsed = (value: string) => parseCliArgs('demo', ['--payments', value], OPTIONS);

  describe('when the option is absent', () => {
    it('should return the fallback', () => {
      expect(numberOption('demo', parseCliArgs('demo', [], OPTIONS), 'payments', { min: 1, max: 10 }, 7)).toBe(7);
    });
  });

  describe('when the value is a number in range', () => {
    it('should return it, underscores allowed', () => {
      expect(numberOption('demo', parsed('2_000'), 'payments', { min: 1, max: 10_000 }, 1)).toBe(2000);
      expect(numberOption('demo', parsed('2.5'), 'payments', { min: 0.1, max: 10, integer: false }, 1)).toBe(2.5);
    });
  });

  describe('when the value is not acceptable', () => {
    it.each([['0'], ['11'], ['2.5'], ['ten'], ['-3'], ['1e3'], ['0x10']])('should refuse %s naming the option and the range', (value) => {
      expect(() => numberOption('demo', parsed(value), 'payments', { min: 1, max: 10 }, 1)).toThrow(`--payments must be a whole number from 1 to 10, got "${value}".`);
    });
  });
});

describe(wantsHelp, () => {
  it('should see --help and -h anywhere before --', () => {
    expect(wantsHelp(['--payments', '3', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--payments', '3'])).toBe(false);
  });
});

describe(formatOptions, () => {
  it('should align the options and show defaults and --help', () => {
    expect(formatOptions(OPTIONS)).toBe(
      ['  --payments <n>  payments to send (default: 2000)', '  --verbose       say more', '  -h, --help      this help'].join('\n'),
    );
  });
});
