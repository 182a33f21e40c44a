/** The dashboard behind API Gateway's HTTP API, answered by the Slack function (its non-Slack routes). */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createWebApp, type WebDeps } from './app';

export type WebLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export function webLambda(deps: WebDeps): WebLambda {
  const handler = handle(createWebApp(deps));
  return async (event, context) =>
    (await handler(event as never, context as never)) as APIGatewayProxyStructuredResultV2;
}
