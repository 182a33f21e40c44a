/**
 * Builds the Kept CDK app. bin/app.ts calls it for `cdk synth`/`cdk deploy`; tests call it with
 * bundling skipped. The cdk-nag AwsSolutions and Serverless packs run on every synth unless
 * `nag: false` or `-c nag=false`, so `cdk synth` fails on a new unacknowledged finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { KeptStack } from './kept-stack';
import { readSettings } from './settings';

export interface BuildAppOptions {
  /** Context for the App (tests pass `{ 'aws:cdk:bundling-stacks': [] }` and `kept:*` keys). */
  readonly context?: Record<string, unknown>;
  /** Run the cdk-nag packs at synth. Default: true unless context `nag` is `false`. */
  readonly nag?: boolean;
  readonly outdir?: string;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: KeptStack } {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const nagContext: unknown = app.node.tryGetContext('nag');
  if (options.nag ?? !(nagContext === false || nagContext === 'false')) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  const settings = readSettings(app.node);
  const stack = new KeptStack(app, 'Kept', {
    stackName: settings.stackName,
    description: 'Kept: Slack-native tracker of service-level agreements between departments',
    settings,
  });
  return { app, stack };
}
