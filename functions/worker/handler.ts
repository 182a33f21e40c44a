import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSEvent } from 'aws-lambda';
import { processWorkBatch, type WorkDeps } from '../jobs/work';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { createSlackClient } from '../slack/web-client';
import { createDb } from '../store/client';

let deps: Promise<WorkDeps> | undefined;
const init = async (): Promise<WorkDeps> => {
  const config = await loadLambdaConfig();
  return { db: createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT }), slack: createSlackClient(config) };
};

export const handler = middy(async (event: SQSEvent) => {
  deps ??= init().catch((err) => {
    deps = undefined;
    throw err;
  });
  return processWorkBatch(await deps, event);
}).use(injectLambdaContext(logger));
