import { UsageError } from './cli.errors';

/** One `--option` a command accepts. */
export interface CliOption {
  /** The long name without dashes: `payments` for `--payments`. */
  readonly name: string;
  /** Placeholder of the value in help (`<n>`), or `null` for a boolean switch. */
  readonly value: string | null;
  readonly description: string;
  /** The default, as shown in help; `null` when there is none. */
  readonly defaultValue?: string | null;
}

/** What {@link parseCliArgs} found. */
export interface ParsedArgs {
  /** Option values by name (`true` for switches). */
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** True when the arguments ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * Parses `--name value`, `--name=value`, switches and positionals against `options`; everything
 * after `--` is positional. Unknown options, missing values and values given to switches are
 * usage errors naming the command, so the user sees what was wrong and where to look.
 *
 * @throws UsageError
 */
export function parseCliArgs(command: string, args: readonly string[], options: readonly CliOption[], maxPositionals = 0): ParsedArgs {
  const known = new Map(options.map((option) => [option.name, option]));
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`Unknown option ${arg} for "aegispay ${command}"; options are written --name (see aegispay ${command} --help).`, command);
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals < 0 ? undefined : equals);
    const option = known.get(name);
    if (option === undefined) {
      const names = options.map((candidate) => `--${candidate.name}`).join(', ');
      throw new UsageError(`Unknown option --${name} for "aegispay ${command}" (known: ${names === '' ? 'none' : names}).`, command);
    }
    if (values.has(name)) throw new UsageError(`Option --${name} is given twice.`, command);
    if (option.value === null) {
      if (equals >= 0) throw new UsageError(`Option --${name} is a switch and takes no value.`, command);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (equals >= 0) {
      value = arg.slice(equals + 1);
    } else {
      value = args[index + 1];
      index += 1;
    }
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
      throw new UsageError(`Option --${name} needs a value: --${name} ${option.value}.`, command);
    }
    values.set(name, value);
  }
  if (positionals.length > maxPositionals) {
    const extra = positionals.slice(maxPositionals).join(' ');
    throw new UsageError(`Unexpected argument${positionals.length - maxPositionals > 1 ? 's' : ''} "${extra}" for "aegispay ${command}".`, command);
  }
  return { options: values, positionals };
}

/** The value of a string option, or `undefined` when it was not given. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/**
 * The value of a numeric option: `fallback` when not given, else a number within `[min, max]`
 * (an integer unless `integer` is false).
 *
 * @throws UsageError naming the option and the accepted range.
 */
export function numberOption(
  command: string,
  parsed: ParsedArgs,
  name: string,
  bounds: { readonly min: number; readonly max: number; readonly integer?: boolean },
  fallback: number,
): number {
  const raw = stringOption(parsed, name);
  if (raw === undefined) return fallback;
  const integer = bounds.integer ?? true;
  const value = Number(raw.replace(/_/g, ''));
  if (!/^[0-9][0-9_]*(\.[0-9]+)?$/.test(raw) || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < bounds.min || value > bounds.max) {
    const kind = integer ? 'a whole number' : 'a number';
    throw new UsageError(`--${name} must be ${kind} from ${bounds.min} to ${bounds.max}, got "${raw}".`, command);
  }
  return value;
}

/** The options part of a command's help: one aligned line per option, with its default. */
export function formatOptions(options: readonly CliOption[]): string {
  const heads = options.map((option) => `  --${option.name}${option.value === null ? '' : ` ${option.value}`}`);
  const width = Math.max(...heads.map((head) => head.length), 0) + 2;
  return options
    .map((option, index) => {
      const head = (heads[index] as string).padEnd(width);
      const fallback = option.defaultValue === undefined || option.defaultValue === null ? '' : ` (default: ${option.defaultValue})`;
      return `${head}${option.description}${fallback}`;
    })
    .concat(`${'  -h, --help'.padEnd(width)}this help`)
    .join('\n');
}
