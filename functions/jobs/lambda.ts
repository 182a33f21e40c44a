/** Lambda adapter for the scheduled jobs: config and clients once per cold start. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { createDb } from '../store/client';
import { runScheduled } from './scheduled';

export function scheduledJobHandler() {
  let deps: ReturnType<typeof init> | undefined;
  const init = async () => {
    const config = await loadLambdaConfig();
    return { db: createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT }) };
  };
  return middy(async (event: unknown) => {
    deps ??= init().catch((err) => {
      deps = undefined;
      throw err;
    });
    return runScheduled(await deps, event);
  }).use(injectLambdaContext(logger));
}
