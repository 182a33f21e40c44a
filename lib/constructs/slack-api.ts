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
export const SLACK_BUNDLE_STUBBED = ['@slack/socket-mode', 'express', 'raw-body'] as const;

/**
 * What stands in for a package in the Slack function's bundle (esbuild `alias`; files from the
 * repository's root): the receiver stubs, and luxon's stand-in, which requires the copy beside the
 * code the first time a luxon export is read (a cold `/sla new` reads none; issue #22).
 */
export const SLACK_STAND_INS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(SLACK_BUNDLE_STUBBED.map((name) => [name, 'functions/slack/lambda-stubs.cjs'])),
  luxon: 'functions/slack/luxon-on-use.cjs',
};

/**
 * Libraries the Slack function ships beside its code (`besideBundleCommand`), each loaded on
 * first use: date-holidays for a calendar with a country, luxon through its stand-in, Powertools'
 * Logger on the first line written (functions/log.ts). A cold `/sla new` loads none of them.
 */
export const SLACK_BESIDE = ['date-holidays', 'luxon', '@aws-lambda-powertools/logger'] as const;

/** The project's own esbuild (the one NodejsFunction bundles with locally; never Docker). */
export const ESBUILD = fromRoot('node_modules', '.bin', 'esbuild');

/** Where a library shipped beside a function's code goes: `require(pkg)` from /var/task/index.js finds it. */
export const besideFile = (pkg: string): string => path.join('node_modules', pkg, 'index.js');
export const HOLIDAYS_BUNDLE = besideFile('date-holidays');

/** One shell word: double quotes for cmd.exe, single quotes (escaped) for bash. */
function quote(arg: string): string {
  return process.platform === 'win32' ? `"${arg}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * esbuild command that writes `pkg` on its own, minified, to `besideFile(pkg)` under `outputDir`:
 * its CommonJS entry as Node resolves it (`exports["."].require`; date-holidays' `lib/index.cjs`)
 * with all it requires (date-holidays' tables too). cwd does not matter.
 */
export function besideBundleCommand(pkg: string, outputDir: string): string {
  return [
    ESBUILD,
    require.resolve(pkg, { paths: [fromRoot()] }),
    '--bundle',
    '--platform=node',
    '--target=node22',
    '--format=cjs',
    '--minify',
    '--log-level=warning',
    `--outfile=${path.resolve(outputDir, besideFile(pkg))}`,
  ]
    .map(quote)
    .join(' ');
}

/** date-holidays beside a function's code (the worker, the jobs and the Slack function). */
export const holidaysBundleCommand = (outputDir: string): string => besideBundleCommand('date-holidays', outputDir);

const SLACK_ENTRY = 'functions/slack/handler.ts';
/** bin/split-bundle.cjs: the Slack function's code as CommonJS files that require each other. */
const SPLIT_BUNDLE = fromRoot('bin', 'split-bundle.cjs');

/**
 * What the Slack function's bundle leaves out and stands in for, for NodejsFunction's pass and the
 * split below alike: the libraries beside the code are required by name at run time, but luxon,
 * which has a stand-in, must not be external (its imports would load it at start).
 */
export const SLACK_BUNDLE = {
  external: [...SDK_EXTERNAL, ...SLACK_BESIDE.filter((pkg) => !(pkg in SLACK_STAND_INS))],
  alias: Object.fromEntries(Object.entries(SLACK_STAND_INS).map(([pkg, file]) => [pkg, fromRoot(file)])),
};

/**
 * Rewrites the Slack function's asset as index.js and the one chunk it loads at start, plus the
 * chunks of each listener group and `/sla` word, loaded when first used (issue #22): a cold start
 * then reads 2 files and ~380 of ~710 KiB. A node command, so the same script builds the benches' copy.
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
      // luxon and Powertools' Logger ship beside the code the same way (SLACK_BESIDE).
      externalModules: SLACK_BUNDLE.external.filter((pkg) => !SDK_EXTERNAL.includes(pkg)),
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => [
          splitBundleCommand(outputDir),
          ...SLACK_BESIDE.map((pkg) => besideBundleCommand(pkg, outputDir)),
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
