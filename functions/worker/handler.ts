/** The worker Lambda: drains the work queue (SQS), with config and clients once per cold start. */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { coldStart } from '../cold-start';
import { processWorkBatch } from '../jobs/work';
import { LambdaMetrics } from '../lambda-metrics';
import { logLambdaContext } from '../log';
import { loadLambdaConfig } from '../secrets';
import { workerSlackClient } from '../slack/web-client';
import { dbFromConfig } from '../store/client';
import { queueOutbox } from '../work/outbox';

export function workerHandler() {
  const metrics = new LambdaMetrics('worker');
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    return {
      db: dbFromConfig(config),
      slack: workerSlackClient(config),
      admins: config.KEPT_ADMINS,
      metrics,
      // Its own queue: an item Slack rate-limits goes back on it, hidden for Retry-After seconds.
      outbox: queueOutbox(config),
    };
  });
  return middy(async (event: SQSEvent, context: Context) =>
    processWorkBatch(await deps(), event, () => context.getRemainingTimeInMillis()),
  )
    .use(logLambdaContext)
    .use(logMetrics(metrics));
}

export const handler = workerHandler();
