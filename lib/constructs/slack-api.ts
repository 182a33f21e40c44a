/**
 * The Slack endpoint: an HTTP API with one route, POST /slack/events, in front of the Slack
 * function. Slash commands, interactivity and events all use this one request URL.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fromRoot } from '../paths';
import { KeptFunction, LOG_RETENTION } from './kept-function';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_TIMEOUT = Duration.seconds(10);
/** Stage throttling (checklist B5). Slack sends a handful of requests a second even in a big workspace. */
export const API_THROTTLE = { burstLimit: 200, rateLimit: 100 } as const;

/** Bolt requires these at load for receivers Lambda never uses; the stub keeps ~500 KiB out of the bundle. */
const LAMBDA_STUB = fromRoot('functions/slack/lambda-stubs.cjs');

export interface SlackApiProps {
  readonly environment: Record<string, string>;
}

export class SlackApi extends Construct {
  readonly function: KeptFunction;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** The URL to paste into the Slack app's manifest. */
  readonly requestUrl: string;

  constructor(scope: Construct, id: string, props: SlackApiProps) {
    super(scope, id);

    this.function = new KeptFunction(this, 'Slack', {
      entry: 'functions/slack/handler.ts',
      description: 'Kept Slack endpoint: verifies the signature, acks within 3 s, hands slow work to the worker',
      timeout: SLACK_TIMEOUT,
      // More memory means more CPU, which shortens Bolt's cold start; Slack gives us 3 seconds.
      memorySize: 1024,
      environment: props.environment,
      // date-holidays (with moment-timezone and astronomia, 1.4 MB) is only loaded to check a
      // calendar's country, which the Slack function never does; left in, it costs ~45 ms per cold start.
      esbuildArgs: { '--alias': [`@slack/socket-mode=${LAMBDA_STUB}`, `express=${LAMBDA_STUB}`, `date-holidays=${LAMBDA_STUB}`] },
    });

    // No default stage from HttpApi: its options cannot set throttling or access logs.
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Kept: Slack request URL',
      createDefaultStage: false,
    });
    this.api.addRoutes({
      path: SLACK_EVENTS_PATH,
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('SlackIntegration', this.function.fn),
    });

    // Access logs carry request metadata only; API Gateway never logs bodies or Slack signatures.
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.requestUrl = `${this.stage.url}${SLACK_EVENTS_PATH.slice(1)}`;
  }
}
