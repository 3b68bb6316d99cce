import type { IdGenerator } from '../ports/id-generator.port';

/** Random UUID v4 identifiers from the platform (`crypto.randomUUID`), with an optional prefix. */
export class CryptoIdGenerator implements IdGenerator {
  generate(prefix?: string): string {
    const id = globalThis.crypto.randomUUID();
    return prefix === undefined ? id : `${prefix}_${id}`;
  }
}
