/** Lambda adapter for the scheduled jobs (scan, digest): config and clients once per cold start. */

import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { coldStart } from '../cold-start';
import { LambdaMetrics } from '../lambda-metrics';
import { logLambdaContext } from '../log';
import { loadLambdaConfig } from '../secrets';
import { dbFromConfig } from '../store/client';
import { queueOutbox } from '../work/outbox';
import { digestSlackClient } from './digest';
import { runScheduled } from './scheduled';

/**
 * Work found by the jobs goes to the worker queue, so their bundles never hold the worker's code.
 * `service`: the function, the `service` dimension of its metrics, flushed after every run.
 */
export function scheduledJobHandler(service: 'scan' | 'digest') {
  const metrics = new LambdaMetrics(service);
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    return {
      db: dbFromConfig(config),
      outbox: queueOutbox(config),
      slack: digestSlackClient(config),
      metrics,
      ...(config.KEPT_RETENTION_MONTHS !== undefined ? { retentionMonths: config.KEPT_RETENTION_MONTHS } : {}),
    };
  });
  return middy(async (event: unknown) => runScheduled(await deps(), event))
    .use(logLambdaContext)
    .use(logMetrics(metrics));
}
