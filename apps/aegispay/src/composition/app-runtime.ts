import { AegisPayError } from '@aegispay/domain';
import type { DataSource } from 'typeorm';

/** A background loop the runtime starts and stops (payment recovery, the outbox relay). */
export interface RuntimeLoop {
  readonly isRunning: boolean;
  start(): void;
  /** Stops the loop, waiting for a run in progress. */
  stop(): Promise<void>;
}

/** What {@link AppRuntime} starts and closes. */
export interface AppRuntimeParts {
  readonly loops: Readonly<Record<string, RuntimeLoop>>;
  /** The database connection, closed last; `null` with in-memory persistence. */
  readonly dataSource: Pick<DataSource, 'isInitialized' | 'destroy'> | null;
  /**
   * The event broker's connection (NATS JetStream): started with the loops, closed once they have
   * stopped (so the relay's last batch is acknowledged), before the database. Defaults to none.
   */
  readonly broker?: { start(): void; close(): Promise<void> } | null;
}

/** One step of closing the app that failed, with its error. */
export interface CloseFailure {
  /** `loop <name>`, `event broker` or `database`. */
  readonly step: string;
  readonly error: unknown;
}

/**
 * Closing the app failed part-way (`APP.CLOSE_FAILED`): every step was still tried — each loop
 * stopped, the database closed — and `failures` says which ones failed and why.
 */
export class AppCloseError extends AegisPayError {
  constructor(readonly failures: readonly CloseFailure[]) {
    super(
      'APP.CLOSE_FAILED',
      `The app did not close cleanly: ${failures.map((failure) => `${failure.step} (${failure.error instanceof Error ? failure.error.message : String(failure.error)})`).join('; ')}.`,
      { cause: failures[0]?.error, details: { steps: failures.map((failure) => failure.step) } },
    );
  }
}

/**
 * The lifecycle of a composed app: its background loops, its event broker's connection and its
 * database connection. `start` starts the broker's connection and the loops; `close` stops the
 * loops, then closes the broker and the database — every step is tried even when one fails, and
 * a failure is surfaced as an {@link AppCloseError}, never swallowed.
 */
export class AppRuntime {
  private started = false;

  constructor(private readonly parts: AppRuntimeParts) {}

  /** Whether the loops were started and not closed since. */
  get isStarted(): boolean {
    return this.started;
  }

  /** Starts every loop (payment recovery runs once at once). Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.parts.broker?.start();
    for (const loop of Object.values(this.parts.loops)) loop.start();
  }

  /**
   * Stops the loops (waiting for runs in progress), then closes the database connection.
   * Idempotent.
   *
   * @throws AppCloseError naming each step that failed, after every step was tried.
   */
  async close(): Promise<void> {
    const failures: CloseFailure[] = [];
    if (this.started) {
      this.started = false;
      const loops = Object.entries(this.parts.loops);
      const stopped = await Promise.allSettled(loops.map(([, loop]) => loop.stop()));
      stopped.forEach((outcome, index) => {
        if (outcome.status === 'rejected') failures.push({ step: `loop ${loops[index]?.[0] ?? index}`, error: outcome.reason });
      });
    }
    try {
      await this.parts.broker?.close();
    } catch (error) {
      failures.push({ step: 'event broker', error });
    }
    const dataSource = this.parts.dataSource;
    if (dataSource?.isInitialized === true) {
      try {
        await dataSource.destroy();
      } catch (error) {
        failures.push({ step: 'database', error });
      }
    }
    if (failures.length > 0) throw new AppCloseError(failures);
  }
}
