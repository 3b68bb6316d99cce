/** @type {import('jest').Config} */
module.exports = {
  displayName: 'gateways',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
