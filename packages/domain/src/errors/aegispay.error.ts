const BRAND = Symbol.for('aegispay.error');
const KINDS = Symbol.for('aegispay.error.kinds');

/** Structured, JSON-safe details attached to an error (field names, limits, identifiers; never secrets). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

type AnyErrorClass = abstract new (...args: never[]) => AegisPayError;

/** The names of an error class and of its AegisPay ancestors, up to `Error`. */
function kindsOf(errorClass: object): readonly string[] {
  const names: string[] = [];
  for (let proto: unknown = errorClass; typeof proto === 'function' && proto !== Error; proto = Object.getPrototypeOf(proto)) {
    names.push((proto as { name: string }).name);
  }
  return Object.freeze(names);
}

/**
 * Base class of every error AegisPay throws.
 *
 * - `code` is stable and machine-readable (`MONEY.UNKNOWN_CURRENCY`); messages may change, codes do not.
 * - `cause` goes through the standard `ErrorOptions`.
 * - `X.is(value)` recognises an error of class `X` (or a subclass) even when it was thrown by a
 *   second copy of this module (two versions of a package in one `node_modules`), where
 *   `instanceof` fails.
 */
export abstract class AegisPayError extends Error {
  /** Stable machine-readable code, `AREA.REASON`. */
  readonly code: string;
  /** Structured details for programs and problem responses. */
  readonly details: ErrorDetails;
  /** @internal Brand recognised by `is()` across module copies. */
  readonly [BRAND] = true;
  /** @internal Names of this class and its AegisPay ancestors. */
  readonly [KINDS]: readonly string[];

  constructor(code: string, message: string, options?: ErrorOptions & { details?: ErrorDetails }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...options?.details });
    this.name = new.target.name;
    this[KINDS] = kindsOf(new.target);
  }

  /**
   * True when `value` is an error of this class or of a subclass, including errors created by
   * another copy of this module. `AegisPayError.is(e)` accepts every AegisPay error.
   */
  static is<C extends AnyErrorClass>(this: C, value: unknown): value is InstanceType<C> {
    if (value instanceof this) return true;
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
      return false;
    }
    const kinds = (value as Record<symbol, unknown>)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }

  /** A JSON-safe view for logs and API responses: code, message and details, never the stack. */
  toJSON(): { name: string; code: string; message: string; details: ErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}
