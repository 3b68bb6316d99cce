/** @type {import('jest').Config} */
module.exports = {
  displayName: 'orchestrator',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
