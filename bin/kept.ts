/** Entry of the `kept` command (node_modules/.bin/kept, linked at install -> bin/kept.cjs -> here). */

import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import { logger } from '../functions/log';
import type { CliIO } from './cli/io';
import { kept } from './cli/main';

dotenv.config({ quiet: true });
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A person reads this output: each command prints its own plain lines (the scan's and digest's
// summaries among them), so the JSON log lines meant for CloudWatch show only warnings and errors,
// unless KEPT_LOG_LEVEL asks for more.
if (!process.env.KEPT_LOG_LEVEL?.trim()) logger.setLogLevel('WARN');
const io: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFile(path, 'utf8'),
  env: process.env,
};
kept(process.argv.slice(2), io).then((code) => (process.exitCode = code));
