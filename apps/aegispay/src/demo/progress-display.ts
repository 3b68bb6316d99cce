import { SingleBar } from 'cli-progress';
import type { CliIo } from '../cli/cli-command';
import type { RunProgress } from './scenario-run';
import { percent, seconds } from './text-table';

/** Shows a run's progress. */
export interface ProgressDisplay {
  update(progress: RunProgress): void;
  /** Ends the display (idempotent). */
  stop(): void;
}

/**
 * A progress bar (cli-progress) when stdout is a terminal; otherwise one plain line per tenth of
 * the run and whenever the scenario changes phase, so logs and CI output stay readable.
 */
export function createProgressDisplay(io: CliIo, total: number): ProgressDisplay {
  return io.stdout.isTTY === true ? new BarDisplay(io, total) : new LineDisplay(io, total);
}

const payload = (progress: RunProgress): Record<string, string> => ({
  time: seconds(progress.virtualMs),
  paid: percent(progress.done === 0 ? 0 : progress.paid / progress.done),
  phase: progress.phase,
});

class BarDisplay implements ProgressDisplay {
  private readonly bar: SingleBar;
  private stopped = false;

  constructor(io: CliIo, total: number) {
    this.bar = new SingleBar({
      stream: io.stdout,
      format: '  {bar} {percentage}% │ {value}/{total} payments │ t+{time} virtual │ paid {paid} │ {phase}',
      barCompleteChar: '█',
      barIncompleteChar: '░',
      barsize: 30,
      fps: 10,
    });
    this.bar.start(total, 0, { time: '0.0s', paid: '–', phase: 'steady' });
  }

  update(progress: RunProgress): void {
    if (!this.stopped) this.bar.update(progress.done, payload(progress));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.stop();
  }
}

class LineDisplay implements ProgressDisplay {
  private nextTenth = 1;
  private phase = 'steady';

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  update(progress: RunProgress): void {
    const tenth = Math.floor((progress.done * 10) / this.total);
    if (tenth < this.nextTenth && progress.phase === this.phase) return;
    this.nextTenth = tenth + 1;
    this.phase = progress.phase;
    const { time, paid, phase } = payload(progress);
    this.io.stdout.write(`  ${String(progress.done).padStart(String(this.total).length)}/${this.total} payments · t+${time} virtual · paid ${paid} · ${phase}\n`);
  }

  stop(): void {
    // Lines need no closing.
  }
}
