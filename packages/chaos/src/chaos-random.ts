import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** The random numbers one chaos-eligible call consumes, always all of them, whatever it ends up doing. */
export interface ChaosDice {
  /** Below `latencyRate`: add latency. */
  readonly latency: number;
  /** Position in [min, max] of the injected latency. */
  readonly latencyAmount: number;
  /** Which failure band the call falls in (timeout, error, cascade, none). */
  readonly failure: number;
  /** Which of `errorTypes` a failure takes. */
  readonly errorType: number;
  /** Below `afterTimeoutShare`: a MIXED timeout happens after the real call. */
  readonly phase: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `text`. */
export function hashName(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Mixes integers (any safe integer: the high and low 32-bit halves both count) into one
 * well-spread 32-bit seed. Deterministic on every platform.
 */
export function mixSeed(...parts: readonly number[]): number {
  let h = FNV_OFFSET;
  for (const part of parts) {
    const low = part >>> 0;
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = fmix32(Math.imul(h ^ low, FNV_PRIME));
    h = fmix32(Math.imul(h ^ high, FNV_PRIME));
  }
  return h;
}

/**
 * The stream of dice of one chaos gateway (xoroshiro128+ from pure-rand). Derived from the seed
 * and the gateway's name, so that several gateways sharing one config do not fail in lockstep.
 */
export class ChaosRandom {
  private readonly generator: RandomGenerator;

  constructor(readonly streamSeed: number) {
    this.generator = xoroshiro128plus(streamSeed | 0);
  }

  /** The five draws of the next call. */
  roll(): ChaosDice {
    const g = this.generator;
    return {
      latency: uniformFloat64(g),
      latencyAmount: uniformFloat64(g),
      failure: uniformFloat64(g),
      errorType: uniformFloat64(g),
      phase: uniformFloat64(g),
    };
  }

  /** A float in [0, 1) determined by `streamSeed` and `key` alone (no shared state): used per time window. */
  static at(streamSeed: number, key: number): number {
    return uniformFloat64(xoroshiro128plus(mixSeed(streamSeed, 0x1ba5e, key) | 0));
  }
}

/** Picks `items[floor(u · length)]`. `items` must not be empty. */
export function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))] as T;
}
