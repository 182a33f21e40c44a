/**
 * `kept due` on its own (bin/kept.cjs sends it here): a build of just what a due-time computation
 * needs, with its packages bundled in and minified, so the command starts near node's own floor
 * (issue #22, docs/benchmarks.md). Same output, messages and exit codes as through bin/kept.ts.
 */
import { readFile } from 'node:fs/promises';
import { due } from './cli/due';

due(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path, 'utf8'),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`kept due: ${err.message}\n`);
    process.exitCode = 1;
  },
);
