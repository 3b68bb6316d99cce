import { ChaosRandom } from './chaos-random';

/**
 * The intermittent-failure schedule of one gateway: time is cut into windows of `windowMs` from
 * `origin`; in each, a burst starts at an instant drawn from the seed and the window's index
 * alone, and the next `burst` calls from that instant fail.
 */
export class IntermittentBursts {
  private window = Number.NaN;
  private burstStart = 0;
  private used = 0;

  constructor(
    private readonly windowMs: number,
    private readonly burst: number,
    private readonly origin: number,
    private readonly streamSeed: number,
  ) {}

  /** Instant (epoch ms) at which the burst of the window containing `at` starts. */
  burstStartFor(at: number): number {
    const index = Math.floor((at - this.origin) / this.windowMs);
    return this.origin + index * this.windowMs + Math.floor(ChaosRandom.at(this.streamSeed, index) * this.windowMs);
  }

  /** True when a call at `at` belongs to a burst; it then takes one of the burst's places. */
  claim(at: number): boolean {
    const index = Math.floor((at - this.origin) / this.windowMs);
    if (index !== this.window) {
      this.window = index;
      this.burstStart = this.burstStartFor(at);
      this.used = 0;
    }
    if (at < this.burstStart || this.used >= this.burst) return false;
    this.used += 1;
    return true;
  }
}
