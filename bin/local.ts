/** `npm start`: runs Kept locally on the embedded DynamoDB Local. Ctrl-C stops everything. */
import dotenv from 'dotenv';
import { ConfigError, parseConfig } from '../functions/config';
import { JavaMissingError } from '../functions/local/dynamodb-local';
import { noSlackSettings, startPlayground } from '../functions/local/playground';
import { startKept } from '../functions/local/runner';
import { logger } from '../functions/log';

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const say = (line: string) => console.log(line);
  // No Slack app configured at all: the playground, a stand-in for Slack on this machine.
  const kept = noSlackSettings(process.env)
    ? await startPlayground(process.env, say)
    : await startKept(parseConfig(process.env), say);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping Kept...`);
    kept.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // One request's failure must never stop Kept for everyone: a promise nobody awaited that fails is
  // logged, and the server goes on (the request it belonged to has its own error answer).
  process.on('unhandledRejection', (reason) => {
    logger.error('a task failed and nobody was waiting for it', {
      error: String((reason as Error)?.message ?? reason),
    });
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  const known =
    err instanceof ConfigError ||
    err instanceof JavaMissingError ||
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  const message =
    (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `Port ${process.env.PORT ?? 3000} is already in use; stop the other program or set PORT in .env.`
      : err.message;
  console.error(known ? message : `Kept could not start: ${message}`);
  process.exit(1);
});
