import middy from '@middy/core';
import { logLambdaContext } from '../log';
import { loadWebLambdaConfig } from '../secrets';
import { createWebLambdaHandler } from './lambda';

/**
 * The web function: the dashboard's pages (GET /, /web/…) in the same HTTP API as Slack's
 * POST /slack/events, in a function of their own, so the Slack function's cold start never loads
 * Hono, the pages or the chart scripts, and this one never holds a Slack credential.
 */
export const handler = middy(createWebLambdaHandler(() => loadWebLambdaConfig())).use(logLambdaContext);
