import type { FormParams, FormValue } from './form-body';
import { errorBody, type StubObject } from './stub-objects';

/** What the stub answers to one API call. */
export interface StubAnswer {
  readonly status: number;
  readonly body: StubObject;
  /**
   * Whether Stripe saves this answer under the request's idempotency key: yes once the endpoint
   * has started executing (successes, card errors, a 500 from inside); no for requests refused
   * before (validation, authentication, rate limits).
   */
  readonly saved: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request Stripe refuses before running the endpoint: 400 `invalid_request_error`, not saved. */
export class InvalidStubRequest extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly status = 400,
  ) {
    super(message);
  }

  answer(): StubAnswer {
    const extra: StubObject = {};
    if (this.code !== undefined) extra['code'] = this.code;
    if (this.param !== undefined) extra['param'] = this.param;
    return { status: this.status, body: errorBody('invalid_request_error', this.message, extra), saved: false };
  }
}

/** Refuses parameters outside `allowed` as Stripe does (`parameter_unknown`). */
export function onlyKnown(params: FormParams, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw new InvalidStubRequest(`Received unknown parameter: ${name}`, 'parameter_unknown', name);
  }
}

/** A string parameter, or `undefined` when absent. */
export function optionalString(params: FormParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidStubRequest(`Invalid string: ${name} must be a string`, 'parameter_invalid_string', name);
  return value;
}

/** A required string parameter. */
export function requiredString(params: FormParams, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === '') throw new InvalidStubRequest(`Missing required param: ${name}.`, 'parameter_missing', name);
  return value;
}

/** A positive integer parameter, or `undefined` when absent. */
export function optionalPositiveInteger(params: FormParams, name: string): number | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidStubRequest(`Invalid integer: ${value}`, 'parameter_invalid_integer', name);
  const number = Number(value);
  if (number < 1 || !Number.isSafeInteger(number)) throw new InvalidStubRequest('This value must be greater than or equal to 1.', 'parameter_invalid_integer', name);
  return number;
}

/** A boolean parameter (`true` / `false`), `fallback` when absent. */
export function booleanParam(params: FormParams, name: string, fallback: boolean): boolean {
  const value = optionalString(params, name);
  if (value === undefined) return fallback;
  if (value !== 'true' && value !== 'false') throw new InvalidStubRequest(`Invalid boolean: ${value}`, 'parameter_invalid_boolean', name);
  return value === 'true';
}

/** Stripe's metadata rules: up to 50 keys of up to 40 characters, string values of up to 500. */
export function metadataParam(params: FormParams): Record<string, string> {
  const value: FormValue | undefined = params['metadata'];
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidStubRequest('Invalid metadata: must be a hash', 'parameter_invalid_empty', 'metadata');
  const entries = Object.entries(value as Record<string, FormValue>);
  if (entries.length > 50) throw new InvalidStubRequest('Invalid metadata: metadata can have up to 50 keys', undefined, 'metadata');
  const metadata: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (key.length > 40) throw new InvalidStubRequest(`Metadata keys can have up to 40 characters, but "${key}" has ${key.length}.`, undefined, `metadata[${key}]`);
    if (typeof item !== 'string') throw new InvalidStubRequest(`Invalid metadata[${key}]: must be a string`, undefined, `metadata[${key}]`);
    if (item.length > 500) throw new InvalidStubRequest(`Metadata values can have up to 500 characters, but metadata[${key}] has ${item.length}.`, undefined, `metadata[${key}]`);
    metadata[key] = item;
  }
  return metadata;
}
