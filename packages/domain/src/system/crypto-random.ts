import type { Random } from '../ports/random.port';

const BUFFER_SIZE = 256;

/**
 * Randomness from the platform's cryptographic generator (`crypto.getRandomValues`), for
 * production jitter and exploration. Not reproducible: use a seeded `Random` to replay.
 */
export class CryptoRandom implements Random {
  private readonly buffer = new Uint32Array(BUFFER_SIZE);
  private index = BUFFER_SIZE;

  next(): number {
    if (this.index >= BUFFER_SIZE - 1) {
      globalThis.crypto.getRandomValues(this.buffer);
      this.index = 0;
    }
    // 53 random bits: 21 high bits from one word, 32 from the next.
    const high = (this.buffer[this.index++] as number) >>> 11;
    const low = this.buffer[this.index++] as number;
    return (high * 0x100000000 + low) / 0x20000000000000;
  }
}
