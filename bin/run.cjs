#!/usr/bin/env node
// Runs a TypeScript entry on Node 20 (which cannot run .ts itself): esbuild bundles our own
// code into build/ (node_modules stay external), then the bundle runs with the remaining args.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bin/run.cjs <entry.ts> [args...]');
  process.exit(2);
}
const outfile = path.join(root, 'build', 'run', entry.replace(/\.ts$/, '.cjs'));
esbuild.buildSync({
  entryPoints: [path.resolve(root, entry)],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  outfile,
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
process.setSourceMapsEnabled(true);
require(outfile);
