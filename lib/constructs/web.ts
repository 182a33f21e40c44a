/**
 * The web dashboard's function (functions/web/handler.ts) and its routes in the Slack endpoint's
 * HTTP API: GET /, GET /web, GET /web/{proxy+} and POST /web/signout. A function of its own, so the
 * Slack function's cold start never loads Hono and the pages, and this one can carry the chart
 * libraries' browser builds, which it serves to the pages as files.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { fromRoot } from '../paths';
import { KeptFunction } from './kept-function';

/** The web dashboard's routes: its pages, the sign-in link, and signing out. */
export const WEB_ROUTES = [
  { path: '/', method: apigw.HttpMethod.GET },
  { path: '/web', method: apigw.HttpMethod.GET },
  { path: '/web/{proxy+}', method: apigw.HttpMethod.GET },
  { path: '/web/signout', method: apigw.HttpMethod.POST },
] as const;
/** A page reads the directory and a few day counters; a request page a request's record. */
export const WEB_TIMEOUT = Duration.seconds(10);

/**
 * The browser builds of the chart libraries, relative to node_modules/ both in the repository and in
 * the asset, where functions/web/assets.ts finds them (`require.resolve('<pkg>/build/<file>')` from
 * index.js; tests/lib/web-assets.test.ts checks the list against the files it serves). Only the files: the packages' package.json files would restrict `require.resolve` to
 * their `exports`, which do not list the builds.
 */
export const WEB_ASSET_FILES = [
  'vega/build/vega.min.js',
  'vega-lite/build/vega-lite.min.js',
  'vega-embed/build/vega-embed.min.js',
  'vega-interpreter/build/vega-interpreter.js',
] as const;

/** One shell word: double quotes for cmd.exe, single quotes (escaped) for bash. */
function quote(arg: string): string {
  return process.platform === 'win32' ? `"${arg}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** afterBundling commands that copy `WEB_ASSET_FILES` into `<outputDir>/node_modules/` (POSIX mkdir and cp). */
export function webAssetCommands(outputDir: string): string[] {
  return WEB_ASSET_FILES.map((rel) => {
    const to = path.join(outputDir, 'node_modules', rel);
    return `mkdir -p ${quote(path.dirname(to))} && cp ${quote(fromRoot('node_modules', rel))} ${quote(to)}`;
  });
}

export interface WebPagesProps {
  /** The Slack endpoint's API: one API, one URL for Slack and for people. */
  readonly api: apigw.HttpApi;
  /** The API's URL, where the pages' links and secure cookies point (KEPT_PUBLIC_URL). */
  readonly publicUrl: string;
  readonly environment: Record<string, string>;
}

export class WebPages extends Construct {
  readonly function: KeptFunction;

  constructor(scope: Construct, id: string, props: WebPagesProps) {
    super(scope, id);

    this.function = new KeptFunction(this, 'Web', {
      entry: 'functions/web/handler.ts',
      description: 'Kept web dashboard: the pages people open from /sla web',
      timeout: WEB_TIMEOUT,
      environment: { ...props.environment, KEPT_PUBLIC_URL: props.publicUrl },
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => webAssetCommands(outputDir),
      },
    });

    const integration = new HttpLambdaIntegration('WebIntegration', this.function.fn);
    for (const route of WEB_ROUTES) props.api.addRoutes({ path: route.path, methods: [route.method], integration });
  }
}
