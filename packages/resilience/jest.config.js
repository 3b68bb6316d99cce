/** @type {import('jest').Config} */
module.exports = {
  displayName: 'resilience',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
