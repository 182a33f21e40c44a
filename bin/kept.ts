/** Entry of the `kept` command (package.json "bin" -> bin/kept.cjs -> here). */

import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import type { CliIO } from './cli/io';
import { kept } from './cli/main';

dotenv.config({ quiet: true });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const io: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path, 'utf8'),
  env: process.env,
};
kept(process.argv.slice(2), io).then((code) => (process.exitCode = code));
