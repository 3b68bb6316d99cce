/**
 * Runs async sections one at a time, in the order they were asked for: a bulkhead of one with an
 * unbounded queue that never rejects, and no timeouts. For serialising access to something that
 * takes one caller at a time — a single database connection, a transaction's savepoints, a
 * relay's batches. A section that rejects releases the mutex like one that resolves.
 */
export class FifoMutex {
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
