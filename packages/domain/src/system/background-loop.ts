import { OptionChecks } from '../options/option-checks';
import type { Clock, TimerHandle } from '../ports/clock.port';

/** Options of {@link BackgroundLoop}. */
export interface BackgroundLoopOptions {
  /** Schedules the runs (`setTimer`: real timers are `unref()`ed, virtual ones move with the test). */
  readonly clock: Clock;
  /** One run. Resolves to the delay before the next run in ms (≥ 0), or to nothing for `intervalMs`. */
  readonly run: () => Promise<number | void>;
  /** Delay between runs when `run` does not name one, in ms (≥ 0). Required. */
  readonly intervalMs: number;
  /** Delay after a run that rejected, in ms (≥ 0). Defaults to `intervalMs`. */
  readonly errorDelayMs?: number;
  /**
   * Receives what a run rejected with; the loop goes on after `errorDelayMs`. What it throws is
   * dropped, so a broken reporter can neither stop the loop nor surface as an unhandled rejection.
   * Defaults to none: a failed run is then visible only in what its owner counts.
   */
  readonly onError?: (error: unknown) => void;
}

const checks = new OptionChecks('BACKGROUND_LOOP.INVALID_OPTION', 'BackgroundLoop');

/**
 * A periodic background job on the {@link Clock} port (an outbox relay, payment recovery): runs
 * `run` at once on {@link start}, then again after the delay each run asks for, one run at a time,
 * until {@link stop}.
 *
 * - Its timer comes from `clock.setTimer`, which real clocks `unref()`: the loop never keeps a
 *   process alive, and tests drive it with a `VirtualClock`.
 * - A run that rejects goes to `onError` and the loop carries on; nothing it does can become an
 *   unhandled rejection.
 * - `stop()` cancels the pending timer and resolves once the run in flight (if any) has finished,
 *   so a caller shutting down can close what the run uses afterwards.
 * - Stopping and starting again while a run is in flight never lets two runs overlap: the new
 *   loop continues after that run.
 */
export class BackgroundLoop {
  private readonly clock: Clock;
  private readonly run: () => Promise<number | void>;
  private readonly intervalMs: number;
  private readonly errorDelayMs: number;
  private readonly onError: ((error: unknown) => void) | undefined;
  private running = false;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;

  /** @throws InvalidOptionError `BACKGROUND_LOOP.INVALID_OPTION` naming a malformed option. */
  constructor(options: BackgroundLoopOptions) {
    checks.object('options', options, undefined);
    this.clock = checks.port('clock', options.clock, undefined, ['now', 'setTimer']);
    this.run = checks.requiredFunction('run', options.run);
    this.intervalMs = checks.number('intervalMs', options.intervalMs, undefined, { min: 0 });
    this.errorDelayMs = checks.number('errorDelayMs', options.errorDelayMs, this.intervalMs, { min: 0 });
    this.onError = checks.optionalFunction('onError', options.onError);
  }

  /** True between {@link start} and {@link stop}. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the loop: a run now (or, when one is still in flight, right after it). Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.inFlight === undefined) this.schedule(0);
  }

  /** Stops the loop and resolves once the run in flight, if any, has finished. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    // One pending run at most: a run that ends after stop() and start() must not add a second
    // timer beside the one start() set.
    if (!this.running || this.timer !== undefined) return;
    this.timer = this.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      const current = this.runGuarded().then((next) => {
        if (this.inFlight === current) this.inFlight = undefined;
        this.schedule(next);
      });
      this.inFlight = current;
    });
  }

  /** One run, as the delay before the next; never rejects. */
  private async runGuarded(): Promise<number> {
    try {
      const next = await this.run();
      return typeof next === 'number' && next >= 0 ? next : this.intervalMs;
    } catch (error) {
      this.report(error);
      return this.errorDelayMs;
    }
  }

  private report(error: unknown): void {
    if (this.onError === undefined) return;
    try {
      this.onError(error);
    } catch {
      // The reporter is the last place a failed run can go; its own failure must not stop the loop.
    }
  }
}
