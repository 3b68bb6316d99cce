/** @type {import('jest').Config} */
module.exports = {
  displayName: 'locking',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
