// Lint for the whole workspace. The module-boundary rule encodes the dependency
// table of DESIGN.md: tags say which projects may depend on which, and the
// external-import lists say which npm packages each layer may use.
import nx from '@nx/eslint-plugin';

/** Infrastructure that only adapters and the app may import. */
const infrastructure = [
  'typeorm',
  'typeorm/*',
  'better-sqlite3',
  'pg',
  'pg-*',
  'mysql2',
  'inversify',
  'inversify/*',
  '@inversifyjs/*',
  'reflect-metadata',
  '@nestjs/*',
  'express',
  'rxjs',
  'pino',
  'prom-client',
  'zod',
  '@nats-io/*',
];

/** The small, focused libraries a core package may use (an allow-list: adding one is a reviewed change). */
const coreLibraries = ['hdr-histogram-js', 'pure-rand', 'pure-rand/*'];

/** Test-only libraries, allowed in spec files and `testing` entry points. */
const testLibraries = ['fast-check', 'pure-rand', 'pure-rand/*', 'jest', '@jest/*', 'eslint', '@nx/devkit', 'pg', 'better-sqlite3', 'typeorm', 'supertest'];

const depConstraints = (extraAllowed) => [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    allowedExternalImports: [...extraAllowed],
  },
  {
    sourceTag: 'type:core',
    onlyDependOnLibsWithTags: ['type:domain', 'type:core'],
    bannedExternalImports: infrastructure.filter((lib) => !extraAllowed.includes(lib)),
    allowedExternalImports: [...coreLibraries, ...extraAllowed],
  },
  {
    sourceTag: 'type:adapter',
    onlyDependOnLibsWithTags: ['type:domain', 'type:core', 'type:adapter'],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:domain', 'type:core', 'type:adapter', 'type:app'],
  },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:domain', 'type:core', 'type:adapter', 'type:app', 'type:tool'],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '**/data', '**/reports', '.nx/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          checkDynamicDependenciesExceptions: [],
          depConstraints: depConstraints([]),
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Specs and `testing` entry points may use test libraries; the layer rules still hold.
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: depConstraints(testLibraries),
        },
      ],
      'no-console': 'off',
    },
  },
  {
    // README examples import their own package by name, exactly as a user would.
    files: ['**/readme.example.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@aegispay/**'],
          banTransitiveDependencies: true,
          depConstraints: depConstraints([]),
        },
      ],
    },
  },
  {
    // Apps and tools print; libraries never do.
    files: ['apps/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Each library's package.json declares exactly what its published code imports, so that one
    // package can be installed and used on its own.
    files: ['packages/**/package.json'],
    languageOptions: { parser: await import('jsonc-eslint-parser') },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          ignoredFiles: ['{projectRoot}/**/*.spec.ts', '{projectRoot}/src/readme.example.ts', '{projectRoot}/src/**/__fixtures__/**', '{projectRoot}/jest.config.js'],
          includeTransitiveDependencies: false,
          // TypeORM loads its drivers with a dynamic require: the adapter must ship them. Contract
          // suites in `testing` entries call Jest's globals without importing Jest.
          ignoredDependencies: ['better-sqlite3', 'pg', 'jest'],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
