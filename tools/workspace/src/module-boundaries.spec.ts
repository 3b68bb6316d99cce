import { ensureProjectGraph, lintFixtureAs } from './lint';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

function boundaryErrors(fixture: string, asPath: string): string[] {
  return lintFixtureAs(fixture, asPath)
    .filter((message) => message.ruleId === BOUNDARY_RULE && message.severity === 2)
    .map((message) => message.message);
}

describe('module boundaries', () => {
  beforeAll(() => {
    ensureProjectGraph();
  }, 120_000);

  describe('when a type:domain project imports typeorm', () => {
    it('should report a banned external import', () => {
      const errors = boundaryErrors('domain-imports-typeorm.ts.txt', 'packages/domain/src/boundary-check.ts');

      expect(errors).toContain('A project tagged with "type:domain" is not allowed to import "typeorm"');
    });
  });

  describe('when a type:domain project imports a type:core package', () => {
    it('should report the dependency as a violation', () => {
      // The core package depends on the domain, so the rule reports the cycle before the tags.
      const errors = boundaryErrors('domain-imports-core-package.ts.txt', 'packages/domain/src/boundary-check.ts');

      expect(errors.join('\n')).toMatch(/Circular dependency between "domain" and "(@aegispay\/)?resilience"|"type:domain"/);
    });
  });

  describe('when a type:domain source file imports only relative modules', () => {
    it('should report nothing', () => {
      expect(boundaryErrors('domain-imports-nothing.ts.txt', 'packages/domain/src/boundary-check.ts')).toEqual([]);
    });
  });

  describe('when a type:domain spec imports a test library', () => {
    it('should report nothing', () => {
      expect(boundaryErrors('domain-spec-imports-fast-check.ts.txt', 'packages/domain/src/boundary-check.spec.ts')).toEqual([]);
    });
  });

  describe('when a type:domain source file imports a test library', () => {
    it('should report the banned import', () => {
      const errors = boundaryErrors('domain-spec-imports-fast-check.ts.txt', 'packages/domain/src/boundary-check.ts');

      expect(errors).toContain('A project tagged with "type:domain" is not allowed to import "fast-check"');
    });
  });
});
