#!/usr/bin/env node
// The `kept` command (package.json "bin"): runs bin/kept.ts from its cached build (bin/run.cjs).
require('./run.cjs').run('bin/kept.ts', process.argv.slice(2));
