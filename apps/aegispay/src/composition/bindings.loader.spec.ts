import { join } from 'node:path';
import { problemsOf } from '../config/__fixtures__/configuration-problems';
import { loadBindings } from './bindings.loader';

const FIXTURES = join(__dirname, '__fixtures__');

describe(loadBindings, () => {
  describe('when a module exports a list as "bindings"', () => {
    it('should return its modules, resolving the path from the working directory', () => {
      expect(loadBindings(['./bindings-list'], FIXTURES)).toHaveLength(2);
    });
  });

  describe('when nothing is named', () => {
    it('should return no module', () => {
      expect(loadBindings([])).toEqual([]);
    });
  });

  describe('when modules cannot be loaded or export no ContainerModule', () => {
    it('should report every one at once, as a configuration error', () => {
      const problems = problemsOf(() => loadBindings(['./missing-bindings', './bindings-none'], FIXTURES));

      expect(problems).toEqual([
        expect.stringMatching(/^AEGISPAY_BINDINGS \/ --bindings: "\.\/missing-bindings" cannot be loaded \(Cannot find module/),
        'AEGISPAY_BINDINGS / --bindings: "./bindings-none" must export a ContainerModule, or a list of them, as its default export or as "bindings"',
      ]);
    });
  });
});
