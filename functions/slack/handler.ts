import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { queueOutbox } from '../work/outbox';
import { createSlackLambdaHandler } from './lambda';

/** The Slack Lambda: work goes to the worker queue, so this bundle never holds the worker's code. */
export const handler = middy(createSlackLambdaHandler(() => loadLambdaConfig(), queueOutbox)).use(
  injectLambdaContext(logger),
);
