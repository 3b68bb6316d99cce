import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Random } from '../ports/random.port';

/**
 * A reproducible `Random` (xoroshiro128+ from pure-rand): the same seed gives the same sequence
 * on every machine.
 */
export class SeededRandom implements Random {
  private readonly generator: ReturnType<typeof xoroshiro128plus>;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`SeededRandom: seed must be an integer, got ${seed}`);
    this.generator = xoroshiro128plus(seed);
  }

  next(): number {
    return uniformFloat64(this.generator);
  }
}
