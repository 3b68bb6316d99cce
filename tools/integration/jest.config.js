/** @type {import('jest').Config} */
module.exports = {
  displayName: 'integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 120_000,
};
