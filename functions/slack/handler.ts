import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../log';
import { emfLines } from '../metrics';
import { loadSlackLambdaConfig } from '../secrets';
import { queueOutbox } from '../work/outbox';
import { createSlackLambdaHandler } from './lambda';

/**
 * The Slack Lambda: work goes to the worker queue, so this bundle never holds the worker's code. A
 * count (work the queue refused) is written at once as an EMF line: nothing to flush after the
 * answer, and Powertools Metrics stays out of the bundle whose load time Slack waits on. The web
 * dashboard's pages have their own function (functions/web/handler.ts).
 */
export const handler = middy(
  createSlackLambdaHandler(() => loadSlackLambdaConfig(), queueOutbox, undefined, {
    metrics: emfLines('slack'),
  }),
).use(injectLambdaContext(logger));
