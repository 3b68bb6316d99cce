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

  describe('when a type:core project imports infrastructure', () => {
    it.each([
      ['typeorm', 'imports-typeorm.ts.txt', 'packages/resilience/src/boundary-check.ts'],
      ['inversify', 'imports-inversify.ts.txt', 'packages/orchestrator/src/boundary-check.ts'],
      ['@nestjs/common', 'imports-nestjs.ts.txt', 'packages/routing/src/boundary-check.ts'],
      ['@nats-io/jetstream', 'imports-nats.ts.txt', 'packages/locking/src/boundary-check.ts'],
    ])('should report the banned import of %s', (library, fixture, path) => {
      expect(boundaryErrors(fixture, path)).toContain(`A project tagged with "type:core" is not allowed to import "${library}"`);
    });
  });

  describe('when a type:core project imports an allow-listed small library', () => {
    it('should report nothing', () => {
      expect(boundaryErrors('imports-pure-rand.ts.txt', 'packages/chaos/src/boundary-check.ts')).toEqual([]);
    });
  });

  describe('when a type:adapter project imports the infrastructure it adapts', () => {
    it.each([
      ['imports-typeorm.ts.txt', 'packages/adapters/typeorm/src/boundary-check.ts'],
      ['imports-nats.ts.txt', 'packages/adapters/nats/src/boundary-check.ts'],
    ])('should report nothing for %s in %s', (fixture, path) => {
      expect(boundaryErrors(fixture, path)).toEqual([]);
    });
  });

  describe('when a package.json does not declare what its code imports', () => {
    it('should report the missing dependency', () => {
      const messages = lintFixtureAs('gateways-package-missing-domain.json.txt', 'packages/adapters/gateways/package.json');

      expect(messages.filter((message) => message.ruleId === '@nx/dependency-checks').map((message) => message.message).join('\n')).toMatch(
        /missing from "dependencies"[\s\S]*@aegispay\/domain/,
      );
    });
  });

  describe('when a package.json declares a dependency its code does not use', () => {
    it('should report the obsolete dependency', () => {
      const messages = lintFixtureAs('gateways-package-unused-typeorm.json.txt', 'packages/adapters/gateways/package.json');

      expect(messages.map((message) => message.message)).toContain('The "typeorm" package is not used by "gateways" project.');
    });
  });
});
