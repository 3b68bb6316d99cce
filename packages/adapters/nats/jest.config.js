/** @type {import('jest').Config} */
module.exports = {
  displayName: 'nats',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
