import { InvalidOptionError } from '@aegispay/domain';
import { WeightedTable } from './weighted-table';

describe(WeightedTable, () => {
  const table = new WeightedTable('mix', [{ name: 'a', weight: 1 }, { name: 'none', weight: 0 }, { name: 'b', weight: 3 }], []);

  describe('.pick', () => {
    it('should pick each entry for its share of [0, 1) and never an entry of weight 0', () => {
      expect([0, 0.2499, 0.25, 0.5, 0.9999].map((u) => table.pick(u).name)).toEqual(['a', 'a', 'b', 'b', 'b']);
      expect(table.pick(1).name).toBe('b');
    });
  });

  describe('constructor', () => {
    it.each<[string, unknown, RegExp]>([
      ['an empty table', [], /Invalid option mix: must be a non-empty array/],
      ['a negative weight', [{ weight: -1 }], /Invalid option mix\[0\]\.weight: must be a finite number ≥ 0/],
      ['only zero weights', [{ weight: 0 }], /Invalid option mix: must have a positive total weight/],
    ])('should refuse %s', (_case, entries, message) => {
      expect(() => new WeightedTable('mix', entries as { weight: number }[], [])).toThrow(InvalidOptionError);
      expect(() => new WeightedTable('mix', entries as { weight: number }[], [])).toThrow(message);
    });
  });
});
