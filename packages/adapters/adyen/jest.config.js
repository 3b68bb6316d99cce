/** @type {import('jest').Config} */
module.exports = {
  displayName: 'adyen-adapter',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
