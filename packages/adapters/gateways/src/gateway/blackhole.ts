/**
 * @internal The requests a gateway taken down in `BLACKHOLE` mode swallowed: each hangs unanswered
 * until it is released (the gateway comes back) or its signal aborts.
 */
export class Blackhole {
  private readonly waiting = new Set<() => void>();

  /** A request dropped unanswered: settles with `onRelease` at {@link releaseAll}, or rejects with the reason when `signal` aborts. */
  swallow<T>(onRelease: T, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as unknown);
        return;
      }
      const onAbort = (): void => {
        this.waiting.delete(release);
        reject(signal?.reason as unknown);
      };
      const release = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(onRelease);
      };
      this.waiting.add(release);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Answers every swallowed request, oldest first. */
  releaseAll(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const release of waiting) release();
  }
}
