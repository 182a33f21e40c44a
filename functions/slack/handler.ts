import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
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

const answer = createSlackLambdaHandler(() => loadSlackLambdaConfig(), queueOutbox, undefined, {
  metrics: emfLines('slack'),
  storeConfig: () => parseStoreConfig(process.env),
});

/**
 * The Slack Lambda: work goes to the worker queue, so this bundle never holds the worker's code. A
 * count (work the queue refused) is written at once as an EMF line: nothing to flush after the
 * answer, and Powertools Metrics stays out of the bundle whose load time Slack waits on. The web
 * dashboard's pages have their own function (functions/web/handler.ts). No middy here: its core
 * loads Node's web streams (about 2 ms of a cold start) for a wrapper that would only add the
 * Lambda context to the log lines, which `logger.addContext` does.
 */
export const handler = (event: APIGatewayProxyEventV2, context: Context) => {
  logger.addContext(context);
  return answer(event, context);
};
