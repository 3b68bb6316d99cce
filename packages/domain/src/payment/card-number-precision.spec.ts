import { SeededRandom, randomUuid } from '../testing';
import type { Random } from '../ports/random.port';
import { containsCardNumber } from './card-number-detector';

/** The prefixes the app's ids and the simulated acquirers' references are generated with. */
const ID_PREFIXES = ['pay', 'evt', 'req', 're', 'ch', 'pp', 'pprf', 'sq', 'sqrf', 'psp', 'psprf'];

/**
 * What the detector must never refuse: the idempotency keys clients generate. Counted over seeded
 * (reproducible) samples; every refusal is listed, so a failure shows the keys that tripped it.
 */
describe('containsCardNumber on generated keys', () => {
  describe('when the keys are random UUIDv4', () => {
    it('should refuse none of 1 000 000', () => {
      const random = new SeededRandom(20_260_101);
      const refused: string[] = [];

      for (let index = 0; index < 1_000_000; index += 1) {
        const uuid = randomUuid(random);
        if (containsCardNumber(uuid)) refused.push(uuid);
      }

      expect(refused).toEqual([]);
    });

    it('should refuse none in upper case, without dashes, or behind an id prefix (3 × 100 000)', () => {
      const random = new SeededRandom(7);
      const refused: string[] = [];

      for (let index = 0; index < 100_000; index += 1) {
        const uuid = randomUuid(random);
        const prefixed = `${ID_PREFIXES[index % ID_PREFIXES.length] as string}_${uuid}`;
        for (const key of [uuid.toUpperCase(), uuid.replace(/-/g, ''), prefixed]) if (containsCardNumber(key)) refused.push(key);
      }

      expect(refused).toEqual([]);
    });
  });

  describe('when an id is a prefix and a UUID whose digit groups make a card number', () => {
    // `CryptoIdGenerator` ids, as the simulated acquirers' refund references (`psprf_<uuid>`) that
    // `Payment.refund` checks: the parts of a UUID are never joined, and none holds 13 digits.
    it.each(ID_PREFIXES.map((prefix) => [`${prefix}_42424242-4242-4242-8242-424242424242`]))('should not refuse %s', (id) => {
      expect(containsCardNumber(id)).toBe(false);
    });
  });

  describe('when the keys are built from timestamps between 2001 and 2039', () => {
    it('should refuse none of 100 000, in 18 formats', () => {
      const random = new SeededRandom(42);
      const refused: string[] = [];

      for (let index = 0; index < 100_000; index += 1) {
        const key = timestampKey(random, index);
        if (containsCardNumber(key)) refused.push(key);
      }

      expect(refused).toEqual([]);
    });
  });
});

/** 2001-09-09 (the first 13-digit millisecond timestamp) to 2039-09-01. */
const FIRST_MS = 1_000_000_000_000;
const LAST_MS = Date.UTC(2039, 8, 1);

const int = (random: Random, below: number): number => Math.floor(random.next() * below);
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/**
 * One key in the shapes clients build from the clock: `order-<ms>`, `<ms>-<counter>`,
 * microseconds, nanoseconds, `yyyyMMddHHmmssSSS`, ISO-8601 and others. Beyond 2039 microsecond
 * timestamps begin with Mir's and then Mastercard's IINs (2200–2720): one in ten of those is a
 * valid Mastercard number, which no detector can tell from a card.
 */
function timestampKey(random: Random, index: number): string {
  const ms = FIRST_MS + int(random, LAST_MS - FIRST_MS);
  const seconds = Math.floor(ms / 1_000);
  const seq = 1 + int(random, 999_999);
  const date = new Date(ms);
  const yyyyMMdd = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
  const hhmmss = `${pad(date.getUTCHours(), 2)}${pad(date.getUTCMinutes(), 2)}${pad(date.getUTCSeconds(), 2)}`;
  const formats: readonly (() => string)[] = [
    () => `order-${ms}`,
    () => `order_${ms}`,
    () => `${ms}`,
    () => `order-${ms}-${seq}`,
    () => `ord:${ms}:${pad(int(random, 10_000), 4)}`,
    () => `order-${ms}${pad(int(random, 1_000), 3)}`,
    () => `${seconds}-${pad(int(random, 1_000_000), 6)}`,
    () => `key-${seconds}`,
    () => `${ms * 1_000 + int(random, 1_000)}`,
    () => `${BigInt(ms) * 1_000_000n + BigInt(int(random, 1_000_000))}`,
    () => `evt.${ms}.${seq}`,
    () => `order-${yyyyMMdd}${hhmmss}${pad(date.getUTCMilliseconds(), 3)}`,
    () => `order-${yyyyMMdd}-${hhmmss}-${seq}`,
    () => date.toISOString(),
    () => `order-${ms}-retry-${int(random, 10)}`,
    () => `merchant_42:${ms}`,
    () => `order ${ms} ${seq}`,
    () => `${ms}-${ms + int(random, 10_000)}`,
  ];
  return (formats[index % formats.length] as () => string)();
}
