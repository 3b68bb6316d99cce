/** Where a server is in its life: serving, draining (no new work, finishing what runs), closed. */
export type ServerState = 'RUNNING' | 'DRAINING' | 'CLOSED';

/**
 * Counts the work in flight (open requests, payments and refunds still running even if their
 * client went away) and holds the signal that aborts it when a graceful shutdown runs out of time.
 */
export class ServerLifecycle {
  private running = 0;
  private waiters: (() => void)[] = [];
  private readonly controller = new AbortController();
  private current: ServerState = 'RUNNING';

  /** Where the server is in its life. */
  get state(): ServerState {
    return this.current;
  }

  /** Aborted when in-flight work must stop waiting (the shutdown grace period ran out). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Pieces of work in flight. */
  get inFlight(): number {
    return this.running;
  }

  /** Marks one piece of work as started; call the returned function (once) when it ends. */
  begin(): () => void {
    this.running += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running -= 1;
      if (this.running === 0) this.wake();
    };
  }

  /** Runs `work` counted as in flight. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops taking new work. */
  drain(): void {
    if (this.current === 'RUNNING') this.current = 'DRAINING';
  }

  /** Tells the work still in flight to stop waiting. */
  abort(): void {
    this.controller.abort(new DOMException('The server is shutting down.', 'AbortError'));
  }

  /** Records that the server has closed every connection. */
  markClosed(): void {
    this.current = 'CLOSED';
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
