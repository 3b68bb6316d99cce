/** @type {import('jest').Config} */
module.exports = {
  displayName: 'typeorm-adapter',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};
