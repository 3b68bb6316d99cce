import type { IdGenerator } from '../ports/id-generator.port';

/** Predictable identifiers for tests: `pay_000001`, `evt_000002`, … (one counter for all prefixes). */
export class SequentialIdGenerator implements IdGenerator {
  private counter = 0;

  generate(prefix = 'id'): string {
    this.counter += 1;
    return `${prefix}_${String(this.counter).padStart(6, '0')}`;
  }
}
