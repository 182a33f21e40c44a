#!/usr/bin/env node
// The `kept` command (package.json "bin"): runs bin/kept.ts from its cached build (bin/run.cjs);
// `kept due` runs a build of its own, made to start fast (bin/kept-due.ts).
const args = process.argv.slice(2);
if (args[0] === 'due') require('./run.cjs').run('bin/kept-due.ts', args.slice(1));
else require('./run.cjs').run('bin/kept.ts', args);
