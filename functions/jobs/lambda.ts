/** Lambda adapter for the scheduled jobs (scan, digest): config and clients once per cold start. */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { coldStart } from '../cold-start';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { dbFromConfig } from '../store/client';
import { queueOutbox } from '../work/outbox';
import { digestSlackClient } from './digest';
import { runScheduled } from './scheduled';

/** Work found by the jobs goes to the worker queue, so their bundles never hold the worker's code. */
export function scheduledJobHandler() {
  const deps = coldStart(async () => {
    const config = await loadLambdaConfig();
    return { db: dbFromConfig(config), outbox: queueOutbox(config), slack: digestSlackClient(config) };
  });
  return middy(async (event: unknown) => runScheduled(await deps(), event)).use(injectLambdaContext(logger));
}
