/** @type {import('jest').Config} */
module.exports = {
  displayName: 'stripe',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
