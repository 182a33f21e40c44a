/**
 * The house Lambda function: one place for runtime, architecture, bundling, log retention and the
 * execution role, so the five functions differ only in what they do and what they may touch.
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fromRoot } from '../paths';

/**
 * The AWS SDK packages left to the Lambda runtime: only the DynamoDB client, which the functions
 * load for table administration alone (never in Lambda; their calls go through
 * functions/aws-call.ts). AWS's marshalling helper (`@aws-sdk/util-dynamodb`, 11 KB) is bundled, so
 * the version the tests ran is the one that runs, and a cold start does not look for it on disk.
 */
export const SDK_EXTERNAL = ['@aws-sdk/client-dynamodb'];

/**
 * Node's options in every function (none). `--enable-source-maps` made Node read and parse the
 * bundle's 3 MB source map at every cold start and map every Error's stack: the Slack function's
 * cold start went from 815 ms to 547 ms without it (bench/coldstart.bench.ts, docs/benchmarks.md).
 * The map still ships beside index.js, so a logged stack trace can be mapped back by hand.
 */
export const LAMBDA_NODE_OPTIONS: string = '';

/** How long function and API logs are kept. One month covers an incident review without hoarding user text. */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

export interface KeptFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/scan/handler.ts` (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  /** Default 512 MB; Lambda's CPU share grows with memory, which shortens Bolt's cold start. */
  readonly memorySize?: number;
  readonly environment: Record<string, string>;
  /** Extra esbuild CLI arguments (the Slack function aliases unused Bolt receivers away). */
  readonly esbuildArgs?: Record<string, string | boolean | string[]>;
  /** Modules left out of the bundle besides the AWS SDK (the Slack function ships date-holidays beside it, the worker resvg and the font). */
  readonly externalModules?: string[];
  /** Shell commands run around esbuild (the Slack function bundles date-holidays after it). */
  readonly commandHooks?: ICommandHooks;
}

export class KeptFunction extends Construct {
  readonly fn: NodejsFunction;
  /** This function's own execution role; grants go here, never to a shared role. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: KeptFunctionProps) {
    super(scope, id);

    // Explicit log group: retention is set, and it is deleted with the stack (logs are not the record).
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of the default one with the AWSLambdaBasicExecutionRole managed policy:
    // that policy lets the function write to any log group in the account (cdk-nag IAM4/IAM5).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the Kept ${id} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: fromRoot(props.entry),
      handler: 'handler',
      description: props.description,
      // Pinned by the project contract; nodejs24.x is newer (acknowledged as AwsSolutions-L1).
      runtime: lambda.Runtime.NODEJS_22_X,
      // Graviton: about 20% cheaper per GB-second. Nothing measured argues for x86: the bundles are
      // plain JavaScript and the charts' resvg is wasm (no native module); we cannot time either
      // architecture on Lambda from here (docs/decisions.md).
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      // No reserved concurrency: new accounts often have a 10-execution limit and Lambda refuses
      // reservations that leave fewer than 10 unreserved, so the deploy would fail; overlap is
      // handled by idempotent writes instead (checklist G1).
      environment: {
        ...(LAMBDA_NODE_OPTIONS ? { NODE_OPTIONS: LAMBDA_NODE_OPTIONS } : {}),
        POWERTOOLS_SERVICE_NAME: 'kept',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        // Nothing else is left out by hand: only the worker's entry reaches the chart engine
        // (tests/unit/layers.test.ts and the bundle tests in tests/lib/ check the others do not).
        externalModules: [...SDK_EXTERNAL, ...(props.externalModules ?? [])],
        ...(props.esbuildArgs ? { esbuildArgs: props.esbuildArgs } : {}),
        ...(props.commandHooks ? { commandHooks: props.commandHooks } : {}),
      },
    });
  }
}
