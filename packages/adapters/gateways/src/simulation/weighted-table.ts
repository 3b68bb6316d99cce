import { check } from '../options/option-checks';

/** Entries picked in proportion to their weights from one uniform draw (internal). */
export class WeightedTable<T extends { readonly weight: number }> {
  readonly entries: readonly T[];
  private readonly cumulative: readonly number[];
  private readonly total: number;

  constructor(option: string, entries: readonly T[] | undefined, fallback: readonly T[]) {
    const checked = check.nonEmptyArray(option, entries, fallback);
    let total = 0;
    const cumulative: number[] = [];
    checked.forEach((entry, index) => {
      if (typeof entry !== 'object' || entry === null) {
        throw check.invalid(`${option}[${index}]`, 'must be an object', entry);
      }
      total += check.number(`${option}[${index}].weight`, entry.weight, 1, { min: 0 });
      cumulative.push(total);
    });
    if (!(total > 0)) throw check.invalid(option, 'must have a positive total weight', total);
    this.entries = Object.freeze([...checked]);
    this.cumulative = cumulative;
    this.total = total;
  }

  /** The entry whose share of the total weight contains `u` (a uniform draw in [0, 1)). */
  pick(u: number): T {
    const target = u * this.total;
    const { cumulative, entries } = this;
    for (let i = 0; i < cumulative.length; i++) {
      if (target < (cumulative[i] as number)) return entries[i] as T;
    }
    // Only reachable through float rounding at u → 1: the last entry with a positive weight.
    for (let i = entries.length - 1; i > 0; i--) if ((entries[i] as T).weight > 0) return entries[i] as T;
    return entries[0] as T;
  }
}
