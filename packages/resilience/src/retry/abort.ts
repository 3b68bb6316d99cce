/** True for the errors an aborted `AbortSignal` produces (its default reason, or fetch's). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
