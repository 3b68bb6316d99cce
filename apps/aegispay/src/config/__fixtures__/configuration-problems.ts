import { ConfigurationError } from '../app-config';

/** The problems of the `ConfigurationError` that `fn` throws (fails the test when it throws none). */
export function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (ConfigurationError.is(error)) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
