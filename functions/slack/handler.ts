import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { parseStoreConfig } from '../config';
import { logger } from '../log';
import { emfLines } from '../metrics';
import { loadSlackLambdaConfig } from '../secrets';
import { queueOutbox } from '../work/outbox';
import * as z from '../zod';
import { createSlackLambdaHandler } from './lambda';

/*
 * zod writes a fast parser for each object schema (new Function) on its first use: worth it for a
 * schema parsed thousands of times, not for the few dozen a cold start parses once or twice. Off in
 * this function: its first answer came ~9 ms sooner (bench/coldstart.bench.ts, A/B, 30 runs each);
 * the worker and the jobs, which parse whole months of items, keep it.
 */
z.config({ jitless: true });

/**
 * The Slack Lambda: work goes to the worker queue, so this bundle never holds the worker's code. A
 * count (work the queue refused) is written at once as an EMF line: nothing to flush after the
 * answer, and Powertools Metrics stays out of the bundle whose load time Slack waits on. The web
 * dashboard's pages have their own function (functions/web/handler.ts).
 */
export const handler = middy(
  createSlackLambdaHandler(() => loadSlackLambdaConfig(), queueOutbox, undefined, {
    metrics: emfLines('slack'),
    storeConfig: () => parseStoreConfig(process.env),
  }),
).use(injectLambdaContext(logger));
