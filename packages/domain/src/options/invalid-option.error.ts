import { ValidationError } from '../errors/validation.error';

/** What {@link InvalidOptionError} is told besides the option and the problem. */
export interface InvalidOptionContext {
  /** The rejected value; shown in the message as `(got …)` when given. */
  readonly value?: unknown;
  /** The class or function whose option it is (`OutboxRelay`); prefixes the message when given. */
  readonly owner?: string;
}

/**
 * An option (a constructor argument, a configuration field) was rejected: the one error class of
 * every invalid option in AegisPay. `code` says the area (`RESILIENCE.INVALID_OPTION`,
 * `LOCKING.INVALID_OPTION`, …), `field` the option's path (`retry.maxBackoffMs`), and the message
 * what was wrong: `OutboxRelay: batchSize must be an integer ≥ 1 (got 0).` (`Invalid option
 * batchSize: …` when no owner is named). Thrown at construction,
 * so a misconfiguration is found before the first payment, not at the first outage.
 */
export class InvalidOptionError extends ValidationError {
  /** What is wrong with it (`must be between 0 and 1`). */
  readonly problem: string;
  /** The rejected value (`undefined` when none was given). */
  readonly value: unknown;
  /** Whose option it is, when known. */
  readonly owner: string | undefined;
  /** What is wrong, without naming the option: `must be between 0 and 1 (got 2)` (for callers that name it themselves). */
  readonly detail: string;
  private readonly context: InvalidOptionContext;

  constructor(code: string, option: string, problem: string, context: InvalidOptionContext = {}) {
    const subject =
      context.owner === undefined ? `Invalid option ${option}:` : option === '' ? `${context.owner}:` : `${context.owner}: ${option}`;
    const got = 'value' in context ? ` (got ${describeValue(context.value)})` : '';
    super(code, option, `${subject} ${problem}${got}.`, { details: { option } });
    this.detail = `${problem}${got}`;
    this.problem = problem;
    this.value = context.value;
    this.owner = context.owner;
    this.context = context;
  }

  /** The same error for an option nested under `prefix` (`profiles.STRIPE` + `approvalRate`). */
  within(prefix: string): InvalidOptionError {
    return new InvalidOptionError(this.code, `${prefix}.${this.field}`, this.problem, this.context);
  }
}

/** A short, safe rendering of a rejected value: strings quoted and cut, objects named, never dumped. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
