/** The worker Lambda: drains the work queue (SQS), with config and clients once per cold start. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { coldStart } from '../cold-start';
import { processWorkBatch } from '../jobs/work';
import { LambdaMetrics } from '../lambda-metrics';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { createSlackClient } from '../slack/web-client';
import { dbFromConfig } from '../store/client';

export function workerHandler() {
  const metrics = new LambdaMetrics('worker');
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    return { db: dbFromConfig(config), slack: createSlackClient(config), admins: config.KEPT_ADMINS, metrics };
  });
  return middy(async (event: SQSEvent) => processWorkBatch(await deps(), event))
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
}

export const handler = workerHandler();
