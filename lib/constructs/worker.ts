/**
 * The worker: an SQS queue of slow jobs (Slack calls that do not fit in the 3-second ack, fan-out
 * from the scan and digest), a dead-letter queue, and the function that drains it.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  WORKER_BATCH_SIZE,
  WORKER_MAX_CONCURRENCY,
  WORKER_MAX_RECEIVE_COUNT,
  WORKER_TIMEOUT_SECONDS,
  WORKER_VISIBILITY_TIMEOUT_SECONDS,
} from '../../functions/work/worker-settings';
import { fromRoot } from '../paths';
import { KeptFunction } from './kept-function';
import { ESBUILD, holidaysBundleCommand } from './slack-api';

export { WORKER_BATCH_SIZE, WORKER_MAX_CONCURRENCY, WORKER_MAX_RECEIVE_COUNT };
/** functions/work/worker-settings.ts: the worker's time budget and the request lease are sized from it. */
export const WORKER_TIMEOUT = Duration.seconds(WORKER_TIMEOUT_SECONDS);

/**
 * The chart run-time files (report files, functions/charts/render.ts), relative to node_modules/ both
 * in the repository and in the asset: resvg's wasm with the package.json and CommonJS entry that
 * load it, and the one font the charts use with its licence. `require('@resvg/resvg-wasm')` and
 * `require.resolve('dejavu-fonts-ttf/...')` from the asset's index.js find them there. All are
 * architecture-independent, so the arm64 function gets the same files as an x64 build machine.
 */
export const CHART_RUNTIME_FILES = [
  '@resvg/resvg-wasm/package.json',
  '@resvg/resvg-wasm/index.js',
  '@resvg/resvg-wasm/index_bg.wasm',
  'dejavu-fonts-ttf/package.json',
  'dejavu-fonts-ttf/LICENSE',
  'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
] as const;

/**
 * vega-canvas's Node build awaits `import('canvas')` at top level, which esbuild cannot emit as
 * CommonJS; its browser build is the same without node-canvas (Vega then estimates text widths,
 * which is all a layout needs). `vega-canvas=<path>` for esbuild's --alias.
 */
export const VEGA_CANVAS_ALIAS = `vega-canvas=${fromRoot('node_modules', 'vega-canvas', 'build', 'vega-canvas.browser.js')}`;

/** One shell word: double quotes for cmd.exe, single quotes (escaped) for bash. */
function quote(arg: string): string {
  return process.platform === 'win32' ? `"${arg}"` : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** afterBundling commands that copy `CHART_RUNTIME_FILES` into `<outputDir>/node_modules/` (POSIX mkdir and cp). */
export function chartFilesCommands(outputDir: string): string[] {
  return CHART_RUNTIME_FILES.map((rel) => {
    const to = path.join(outputDir, 'node_modules', rel);
    return `mkdir -p ${quote(path.dirname(to))} && cp ${quote(fromRoot('node_modules', rel))} ${quote(to)}`;
  });
}

/**
 * Vega and Vega-Lite (1.3 MB minified) are not in index.js but each bundled on its own (browser
 * canvas) into node_modules/<name>/index.js beside it, where the first chart's `import('vega')`
 * finds them. In index.js Node parsed them on every cold start: 308 -> 236 ms module load without
 * them (median of 11, busy machine, issue #22); the first chart pays the parse instead.
 */
export const CHART_LIBRARIES = ['vega', 'vega-lite'] as const;

/** afterBundling commands that bundle `CHART_LIBRARIES` into `<outputDir>/node_modules/<name>/index.js`. */
export function chartLibraryCommands(outputDir: string): string[] {
  return CHART_LIBRARIES.map((name) =>
    [
      ESBUILD,
      require.resolve(name, { paths: [fromRoot()] }),
      '--bundle',
      '--platform=node',
      '--target=node22',
      '--format=cjs',
      '--minify',
      '--log-level=warning',
      `--alias:${VEGA_CANVAS_ALIAS}`,
      `--outfile=${path.join(outputDir, 'node_modules', name, 'index.js')}`,
    ]
      .map(quote)
      .join(' '),
  );
}

export interface WorkerProps {
  readonly environment: Record<string, string>;
}

export class Worker extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: KeptFunction;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum, so a failed job survives a long weekend before someone redrives it.
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // At least 6x the function timeout (AWS guidance for Lambda event sources; worker-settings.ts).
      visibilityTimeout: Duration.seconds(WORKER_VISIBILITY_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WORKER_MAX_RECEIVE_COUNT },
    });

    this.function = new KeptFunction(this, 'Worker', {
      entry: 'functions/worker/handler.ts',
      description: 'Kept worker: slow Slack work handed off by the other functions',
      timeout: WORKER_TIMEOUT,
      // Its own queue: a call Slack rate-limits goes back on it, hidden for Retry-After seconds.
      environment: { ...props.environment, KEPT_QUEUE_URL: this.queue.queueUrl },
      // Chosen from measurements on one full core (bench/coldstart.bench.ts, bench/bundles.bench.ts,
      // 2026-12-06): cold start to the first item ~320 ms of CPU, a report's first chart ~0.8 s. At
      // 1,024 MB (0.58 vCPU) that is ~0.55 s and ~1.4 s, far inside the 60 s timeout; charts are rare,
      // and the rest of the worker's time is waiting on Slack (docs/decisions.md).
      memorySize: 1024,
      // Report files: Vega and Vega-Lite are bundled beside index.js (CHART_LIBRARIES, loaded on the
      // first chart only); resvg's wasm and the font are not JavaScript and ship as files there.
      esbuildArgs: { '--alias': [VEGA_CANVAS_ALIAS] },
      // date-holidays (with moment-timezone and astronomia, 1.5 MB) ships beside index.js as in the
      // Slack function (slack-api.ts), loaded by the first calendar with a country: parsing it in
      // index.js cost ~23% of the worker's module load (721 -> 556 ms, busy machine, issue #22).
      externalModules: ['@resvg/resvg-wasm', 'dejavu-fonts-ttf', 'date-holidays', ...CHART_LIBRARIES],
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => [
          ...chartFilesCommands(outputDir),
          ...chartLibraryCommands(outputDir),
          holidaysBundleCommand(outputDir),
        ],
      },
    });

    this.queue.grantSendMessages(this.function.role);

    // reportBatchItemFailures: the handler returns the failed message IDs, so one poison message is
    // retried (and dead-lettered) alone instead of the whole batch of ten being redelivered, and a
    // worker short of time hands back only the records it did not reach.
    this.function.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: WORKER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: WORKER_MAX_CONCURRENCY,
      }),
    );
  }
}
