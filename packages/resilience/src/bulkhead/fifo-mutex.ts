/**
 * Runs async sections one at a time, in call order (a FIFO lock without timeouts). Serialises
 * access to a single connection or an in-memory transaction.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `section` once every section queued before it has finished; resolves or rejects with it. */
  async runExclusive<T>(section: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release: () => void = () => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await section();
    } finally {
      release();
    }
  }
}
