#!/usr/bin/env node
// Run by `npm install` (package.json "postinstall"): makes `npx kept` find the command at once and
// builds it, so no call pays for a build. npm links the bins of dependencies into node_modules/.bin
// but not the project's own; without the link, `npx kept` loads npm's whole view of node_modules
// to find it (about a second here). The build is the one bin/run.cjs reuses until a source changes.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const link = path.join(root, 'node_modules', '.bin', 'kept');
try {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(path.dirname(link), path.join(root, 'bin', 'kept.cjs')), link);
  require('./run.cjs').bundleOf('bin/kept.ts');
  // `kept due` has a build of its own (bin/kept-due.ts).
  if (fs.existsSync(path.join(root, 'bin', 'kept-due.ts'))) require('./run.cjs').bundleOf('bin/kept-due.ts');
} catch (err) {
  // Never fail an install over this: `kept` still works, only slower.
  console.warn(`kept: could not prepare the kept command (${err.message}); it will build on first use`);
}
