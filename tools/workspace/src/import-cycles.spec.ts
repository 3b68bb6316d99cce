import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from './lint';
import { findCycles, importGraph } from './import-graph';

/** The applications: every project under `apps/` with sources. */
const APPS = readdirSync(join(workspaceRoot, 'apps'))
  .map((name) => join('apps', name, 'src'))
  .filter((src) => existsSync(join(workspaceRoot, src)));

describe('import cycles', () => {
  describe(findCycles, () => {
    describe('when two folders import each other through a third file', () => {
      it('should report the loop', () => {
        const graph = new Map([
          ['cli', new Set(['http'])],
          ['http', new Set(['composition', 'cli'])],
          ['composition', new Set<string>()],
        ]);

        expect(findCycles(graph)).toEqual([['cli', 'http']]);
      });
    });

    describe('when the graph is layered', () => {
      it('should report nothing', () => {
        expect(findCycles(new Map([['demo', new Set(['cli', 'composition'])], ['cli', new Set(['composition'])]]))).toEqual([]);
      });
    });
  });

  describe.each(APPS)('%s', (src) => {
    const graph = importGraph(join(workspaceRoot, src));

    it('should have files', () => {
      expect(graph.files.size).toBeGreaterThan(0);
    });

    it('should have no loop between its top-level folders (type-only imports included)', () => {
      expect(findCycles(graph.folders)).toEqual([]);
    });

    it('should have no loop between its files', () => {
      expect(findCycles(graph.files)).toEqual([]);
    });
  });
});
