/**
 * Vega and the d3 modules under it ship ES modules only (functions/charts/render.ts), and so does
 * middy, which wraps the Lambda handlers (tests/unit/metrics.test.ts); swc turns just these into
 * CommonJS, like our TypeScript. Every other package in node_modules stays untransformed.
 */
const ESM_ONLY = [
  '@middy/core',
  'vega',
  'vega-[a-z-]+',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'json-stringify-pretty-compact',
];

/** One DynamoDB Local for the whole run (globalSetup); each test file makes its own table. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '/node_modules/.+\\.m?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  // vega-canvas's Node build awaits import('canvas') at top level; its browser build is the same minus
  // node-canvas (the worker bundle aliases it the same way, lib/constructs/worker.ts).
  moduleNameMapper: { '^vega-canvas$': '<rootDir>/node_modules/vega-canvas/build/vega-canvas.browser.js' },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  setupFiles: ['<rootDir>/tests/support/env.ts'],
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  testTimeout: 30000,
};
