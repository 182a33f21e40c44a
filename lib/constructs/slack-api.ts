/**
 * The Slack endpoint: an HTTP API in front of the Slack function. Slash commands, interactivity and
 * events all use one request URL, POST /slack/events. The web dashboard's routes (GET /, /web/…)
 * are in the same API but reach their own function (lib/constructs/web.ts).
 */
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fromRoot } from '../paths';
import { KeptFunction, LOG_RETENTION, SDK_EXTERNAL } from './kept-function';

export const SLACK_EVENTS_PATH = '/slack/events';
export const SLACK_TIMEOUT = Duration.seconds(10);
/** Stage throttling (checklist B5). Slack sends a handful of requests a second even in a big workspace. */
export const API_THROTTLE = { burstLimit: 200, rateLimit: 100 } as const;

/**
 * Bolt requires these at load for receivers Lambda never uses: express, Socket Mode, and raw-body
 * (which drags in iconv-lite, 480 KiB) for the HTTP receiver. AwsLambdaReceiver needs none of them;
 * the stub keeps ~1 MiB out of the bundle. bench/bundles.bench.ts builds with the same list.
 */
const LAMBDA_STUB = fromRoot('functions/slack/lambda-stubs.cjs');
export const SLACK_BUNDLE_STUBBED = ['@slack/socket-mode', 'express', 'raw-body'] as const;

/** The project's own esbuild (the one NodejsFunction bundles with locally; never Docker). */
export const ESBUILD = fromRoot('node_modules', '.bin', 'esbuild');
/**
 * date-holidays' CommonJS entry as Node resolves it (`exports["."].require`, today `lib/index.cjs`),
 * which esbuild bundles with the data it requires.
 */
const HOLIDAYS_ENTRY = require.resolve('date-holidays', { paths: [fromRoot()] });
/** Where the holiday bundle goes inside the asset: `require('date-holidays')` from /var/task/index.js finds it. */
export const HOLIDAYS_BUNDLE = path.join('node_modules', 'date-holidays', 'index.js');

/** One shell word: double quotes for cmd.exe, single quotes (escaped) for bash. */
function quote(arg: string): string {
  return process.platform === 'win32' ? `"${arg}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** esbuild command that writes date-holidays (code and tables) to `HOLIDAYS_BUNDLE` under `outputDir`; cwd does not matter. */
export function holidaysBundleCommand(outputDir: string): string {
  return besideCommand(HOLIDAYS_ENTRY, path.resolve(outputDir, HOLIDAYS_BUNDLE));
}

/** luxon's CommonJS entry as Node resolves it (`exports["."].require`). */
const LUXON_ENTRY = require.resolve('luxon', { paths: [fromRoot()] });
/**
 * Where luxon goes inside the Slack asset. The bundle holds functions/slack/luxon-on-use.cjs in its
 * place, which requires this file the first time a luxon export is read (issue #22).
 */
export const LUXON_BUNDLE = path.join('node_modules', 'luxon', 'index.js');
const LUXON_ON_USE = fromRoot('functions/slack/luxon-on-use.cjs');

/** esbuild command that writes luxon to `LUXON_BUNDLE` under `outputDir`. */
export function luxonBundleCommand(outputDir: string): string {
  return besideCommand(LUXON_ENTRY, path.resolve(outputDir, LUXON_BUNDLE));
}

/** Powertools' Logger (CommonJS, with its commons), which functions/log.ts requires on the first line written. */
const POWERTOOLS_LOGGER = '@aws-lambda-powertools/logger';
const POWERTOOLS_LOGGER_ENTRY = require.resolve(POWERTOOLS_LOGGER, { paths: [fromRoot()] });
/**
 * Where the Logger goes inside the Slack asset: a cold start that writes no line (nearly all)
 * never parses its 31 KiB (issue #22).
 */
export const POWERTOOLS_LOGGER_BUNDLE = path.join('node_modules', '@aws-lambda-powertools', 'logger', 'index.js');

/** esbuild command that writes Powertools' Logger to `POWERTOOLS_LOGGER_BUNDLE` under `outputDir`. */
export function loggerBundleCommand(outputDir: string): string {
  return besideCommand(POWERTOOLS_LOGGER_ENTRY, path.resolve(outputDir, POWERTOOLS_LOGGER_BUNDLE));
}

/** A library bundled on its own, minified, into `outfile` beside the function's code. */
function besideCommand(entry: string, outfile: string): string {
  return [
    ESBUILD,
    entry,
    '--bundle',
    '--platform=node',
    '--target=node22',
    '--format=cjs',
    '--minify',
    '--log-level=warning',
    `--outfile=${outfile}`,
  ]
    .map(quote)
    .join(' ');
}

const SLACK_ENTRY = 'functions/slack/handler.ts';
/** bin/split-bundle.cjs: the Slack function's code as CommonJS files that require each other. */
const SPLIT_BUNDLE = fromRoot('bin', 'split-bundle.cjs');

/**
 * What the Slack function's bundle leaves out and stands in for, for NodejsFunction's pass and the
 * split below alike (bench/bundles.bench.ts builds with the same).
 */
export const SLACK_BUNDLE = {
  external: [...SDK_EXTERNAL, 'date-holidays', POWERTOOLS_LOGGER],
  alias: {
    ...Object.fromEntries(SLACK_BUNDLE_STUBBED.map((name) => [name, LAMBDA_STUB])),
    luxon: LUXON_ON_USE,
  },
};

/**
 * Rewrites the Slack function's asset as index.js and the chunks it loads at start, plus one chunk
 * per listener group and `/sla` word loaded when first used (issue #22): a cold start then parses
 * ~480 of ~780 KiB. A node command, so the same script builds the benches' copy.
 */
export function splitBundleCommand(outputDir: string): string {
  const options = { entry: fromRoot(SLACK_ENTRY), outdir: path.resolve(outputDir), ...SLACK_BUNDLE };
  return [process.execPath, SPLIT_BUNDLE, Buffer.from(JSON.stringify(options)).toString('base64')].map(quote).join(' ');
}

export interface SlackApiProps {
  readonly environment: Record<string, string>;
}

export class SlackApi extends Construct {
  readonly function: KeptFunction;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** The stage's access log (request metadata only); the 429 alarm counts throttled requests in it. */
  readonly accessLogs: logs.LogGroup;
  /** The URL to paste into the Slack app's manifest. */
  readonly requestUrl: string;
  /** The API's base URL (with a trailing slash): where `/sla web` links and the web pages are. */
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: SlackApiProps) {
    super(scope, id);

    this.function = new KeptFunction(this, 'Slack', {
      entry: SLACK_ENTRY,
      description: 'Kept Slack endpoint: verifies the signature, acks within 3 s, hands slow work to the worker',
      timeout: SLACK_TIMEOUT,
      // Chosen from the cold start measured on one full core (bench/coldstart.bench.ts, 2026-12-06):
      // 380 ms of CPU from load to the first answer. Lambda gives 1,024 MB 0.58 of a vCPU (1,769 MB =
      // 1 vCPU), so about 650 ms plus Node's start: well inside Slack's 3 s. 1,769 MB would save
      // ~270 ms per cold start but bill 1.7x for every warm request, whose time is mostly waiting on
      // DynamoDB and Slack (docs/decisions.md).
      memorySize: 1024,
      environment: props.environment,
      esbuildArgs: { '--alias': Object.entries(SLACK_BUNDLE.alias).map(([name, stub]) => `${name}=${stub}`) },
      // date-holidays (with moment-timezone and astronomia, 1.4 MB) would cost ~45 ms on every cold
      // start inside index.js, against a budget of 1.3x a bare Bolt handler (bench/bundles.bench.ts).
      // The Slack function needs it only to check or compile a calendar with a `country`, which
      // functions/domain/calendar-spec.ts require()s lazily. So it stays out of index.js and is
      // bundled on its own into node_modules/date-holidays/index.js next to it: an instance loads
      // the tables (~0.1 s) the first time it checks or compiles such a calendar, never otherwise.
      // Powertools' Logger ships beside the code the same way (loggerBundleCommand).
      externalModules: ['date-holidays', POWERTOOLS_LOGGER],
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => [
          splitBundleCommand(outputDir),
          holidaysBundleCommand(outputDir),
          luxonBundleCommand(outputDir),
          loggerBundleCommand(outputDir),
        ],
      },
    });

    // No default stage from HttpApi: its options cannot set throttling or access logs.
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Kept: Slack request URL',
      createDefaultStage: false,
    });
    const integration = new HttpLambdaIntegration('SlackIntegration', this.function.fn);
    this.api.addRoutes({ path: SLACK_EVENTS_PATH, methods: [apigw.HttpMethod.POST], integration });

    // Access logs carry request metadata only; API Gateway never logs bodies or Slack signatures.
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
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
    this.publicUrl = this.stage.url;
    // Where `/sla web` links point: the same API (functions/config.ts KEPT_PUBLIC_URL).
    this.function.fn.addEnvironment('KEPT_PUBLIC_URL', this.publicUrl);
  }
}
