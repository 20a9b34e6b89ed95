// The whole suite: one jest run over every package and service.
export default {
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/services/*/jest.config.js', '<rootDir>/deploy/jest.config.js'],
};
