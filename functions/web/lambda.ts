/**
 * The dashboard behind API Gateway's HTTP API, in its own function (web/handler.ts): init, once per
 * cold start, loads the configuration and builds the table client and the Hono app; each request is
 * answered by `hono/aws-lambda`.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { coldStart } from '../cold-start';
import type { WebConfig } from '../config';
import { dbFromConfig } from '../store/client';
import { createWebApp, type WebDeps } from './app';

export type WebLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The app as a Lambda handler, for deps already built. */
export function webLambda(deps: WebDeps): WebLambda {
  const handler = handle(createWebApp(deps));
  return async (event, context) =>
    (await handler(event as never, context as never)) as APIGatewayProxyStructuredResultV2;
}

/**
 * The web function's handler: `loadConfig` runs on the first request (a failure fails that request
 * and the next one tries again). A page waits on the table like a person does, so the table client
 * has the Slack budget (short tries): a slow moment shows the "try again" page rather than a spinner.
 */
export function createWebLambdaHandler(
  loadConfig: () => Promise<WebConfig>,
  options: { now?: () => Date } = {},
): WebLambda {
  const ready = coldStart(async () => {
    const config = await loadConfig();
    return webLambda({ config, db: dbFromConfig(config, 'slack'), ...(options.now ? { now: options.now } : {}) });
  });
  return async (event, context) => (await ready())(event, context);
}
