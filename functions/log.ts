/**
 * One structured logger for every entry point: Powertools' Logger, built when the first line is
 * written rather than when the code loads (issue #22). Building it touches the process's output
 * streams and loads Powertools' context stores, about 5 ms of every Slack cold start, whose first
 * answer usually writes no line at all. Lines, levels and keys are Powertools' own. Never log
 * tokens, secrets or raw bodies.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogItemExtraInput, LogItemMessage, LogLevel } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

let built: Logger | undefined;
let level: LogLevel | undefined;
let context: Context | undefined;
let invocations = 0;

/** The Powertools Logger, built on first use with the level and Lambda context given so far. */
function powertools(): Logger {
  if (built) return built;
  // Required here, not imported: the module is loaded only when a line is written (see above). In
  // the Slack function it ships beside the code (lib/constructs/slack-api.ts, SLACK_BESIDE).
  const { Logger } = require('@aws-lambda-powertools/logger') as typeof import('@aws-lambda-powertools/logger');
  built = new Logger({
    serviceName: 'kept',
    logLevel:
      level ?? ((process.env.KEPT_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'SILENT' : 'INFO')) as 'INFO'),
  });
  if (context) {
    built.addContext(context);
    // Powertools marks its first context as the cold start: built during a later invocation, the
    // context is given again so that invocation's lines say cold_start: false.
    if (invocations > 1) built.addContext(context);
  }
  return built;
}

export const logger = {
  info: (message: LogItemMessage, ...extra: LogItemExtraInput): void => powertools().info(message, ...extra),
  warn: (message: LogItemMessage, ...extra: LogItemExtraInput): void => powertools().warn(message, ...extra),
  error: (message: LogItemMessage, ...extra: LogItemExtraInput): void => powertools().error(message, ...extra),
  setLogLevel(next: LogLevel): void {
    level = next;
    built?.setLogLevel(next);
  },
  /** The invocation's Lambda context (request ID, function, cold start) on every line it writes. */
  addContext(next: Context): void {
    context = next;
    invocations++;
    built?.addContext(next);
  },
};

/** A middy middleware (the worker, jobs and web functions): each invocation's context on its lines. */
export const logLambdaContext = {
  before: (request: { context: Context }): void => logger.addContext(request.context),
};
