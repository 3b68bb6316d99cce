/** @type {import('jest').Config} */
module.exports = {
  displayName: 'hooks',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
