/** @type {import('jest').Config} */
module.exports = {
  displayName: 'chaos',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
