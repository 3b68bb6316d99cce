// Retry
export {
  RetryPolicy,
  retry,
  type JitterStrategy,
  type RetryContext,
  type RetryEvent,
  type RetryOptions,
} from './retry/retry-policy';
export { RetryExhaustedError } from './retry/retry.errors';
export { isAbortError } from './retry/abort';

// Options
export { InvalidOptionError } from './options/invalid-option.error';
