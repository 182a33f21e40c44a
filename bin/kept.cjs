#!/usr/bin/env node
// The `kept` command (package.json "bin"): builds and runs bin/kept.ts.
process.argv.splice(2, 0, 'bin/kept.ts');
require('./run.cjs');
