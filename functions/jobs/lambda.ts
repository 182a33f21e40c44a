/** Lambda adapters for the scheduled jobs and the SQS worker: config and clients once per cold start. */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { coldStart } from '../cold-start';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { createSlackClient } from '../slack/web-client';
import { dbFromConfig } from '../store/client';
import { digestSlackClient } from './digest';
import { outboxFromConfig } from './outbox';
import { runScheduled } from './scheduled';
import { processWorkBatch } from './work';

export function scheduledJobHandler() {
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    const db = dbFromConfig(config);
    return { db, outbox: outboxFromConfig(config, db), slack: digestSlackClient(config) };
  });
  return middy(async (event: unknown) => runScheduled(await deps(), event)).use(injectLambdaContext(logger));
}

export function workerHandler() {
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    return { db: dbFromConfig(config), slack: createSlackClient(config), admins: config.KEPT_ADMINS };
  });
  return middy(async (event: SQSEvent) => processWorkBatch(await deps(), event)).use(injectLambdaContext(logger));
}
