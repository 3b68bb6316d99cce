/** One step of a {@link scriptedOperation}: a value to resolve with, or an error to throw. */
export type ScriptStep<T> = { readonly value: T } | { readonly error: unknown };

/**
 * An async operation that plays `steps` in order (resolving or rejecting), then repeats the last
 * step. `calls` counts invocations. For testing retries and breakers without mocks.
 */
export function scriptedOperation<T>(
  steps: readonly ScriptStep<T>[],
): { (): Promise<T>; readonly calls: number } {
  if (steps.length === 0) throw new RangeError('scriptedOperation: give at least one step');
  let calls = 0;
  const operation = (): Promise<T> => {
    const step = steps[Math.min(calls, steps.length - 1)] as ScriptStep<T>;
    calls += 1;
    return 'error' in step ? Promise.reject(step.error) : Promise.resolve(step.value);
  };
  return Object.defineProperty(operation, 'calls', { get: () => calls, enumerable: true }) as {
    (): Promise<T>;
    readonly calls: number;
  };
}
