/**
 * Shared Jest settings for every project of the workspace.
 *
 * Workspace packages are resolved through their `exports` maps with the
 * `@aegispay/source` condition, so tests run against the TypeScript sources of
 * sibling packages without a build. ts-jest transpiles only (isolatedModules):
 * type-checking is the `typecheck` target's job.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@aegispay/source', 'node', 'require', 'default'],
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  clearMocks: true,
  restoreMocks: true,
};
