// Shared jest settings: every package and service runs its TypeScript tests
// as native ES modules (node --experimental-vm-modules) transformed by swc,
// and resolves workspace packages to their sources through the
// `sigil-source` export condition, so no build is needed before testing.
import { dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @param {string} configUrl import.meta.url of the package's jest.config.js */
export function projectConfig(configUrl) {
  const rootDir = dirname(fileURLToPath(configUrl));
  return {
    displayName: basename(rootDir),
    rootDir,
    testEnvironment: 'node',
    testEnvironmentOptions: { customExportConditions: ['sigil-source', 'node', 'node-addons'] },
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2023', keepClassNames: true },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testTimeout: 30_000,
    passWithNoTests: true,
  };
}
