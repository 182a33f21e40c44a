/**
 * The Lambda front door behind API Gateway's HTTP API. Init (once per cold start) loads the
 * Slack secrets and builds the app; each request is decoded as UTF-8 (Bolt 5.1 decodes base64
 * bodies as ASCII and corrupts non-ASCII text) and its signature checked before Bolt parses it
 * (only there: Bolt's own check is off).
 */
import { type App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { coldStart } from '../cold-start';
import type { Config } from '../config';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import { type Db, dbFromConfig } from '../store/client';
import { InProgressError } from '../store/deliveries';
import { readDirectoryAhead } from '../store/directory';
import type { Outbox } from '../work/outbox';
import { createSlackApp } from './app';
import { checkEnvelope } from './envelope';
import { header, verifySlackRequest } from './verify';

type BoltHandler = ReturnType<AwsLambdaReceiver['toHandler']>;
export interface SlackLambdaHandler {
  (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2>;
  /**
   * Resolves when work handed over by this process is done: at once with the queue (AWS); with the
   * in-process outbox the work runs here after the answer, and tests wait on this before they stop
   * the fake Slack server (otherwise its calls outlive the test).
   */
  idle(): Promise<void>;
}

export function utf8Event(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!event.isBase64Encoded || event.body === undefined) return event;
  return { ...event, body: Buffer.from(event.body, 'base64').toString('utf8'), isBase64Encoded: false };
}

/**
 * An event another delivery is still handling is refused (createSlackApp) with an error, which
 * AwsLambdaReceiver answers with a 500, so Slack sends it again later. The receiver keeps a
 * "not acknowledged" timer until ack() (it would log an error 3 s later, in whichever invocation
 * is running then); acking first stops it and changes nothing else: a failed event is answered
 * 500 whatever was acked.
 */
function answerRefusedEvents(app: App): void {
  const dispatch = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    try {
      await dispatch(event);
    } catch (err) {
      if (err instanceof InProgressError) await event.ack().catch(() => {});
      throw err;
    }
  };
}

/**
 * `outboxFor` builds where slow work goes once the configuration is loaded: the entry point's
 * choice (the worker queue in AWS, the in-process outbox in tests). `extend` lets tests add a
 * listener to the real app; `options.now` holds its clock, `options.metrics` is where the app counts
 * failures (in AWS, each one an EMF line). The web dashboard's paths reach another function
 * (functions/web/handler.ts).
 */
export function createSlackLambdaHandler(
  loadConfig: () => Promise<Config>,
  outboxFor: (config: Config, db: Db) => Outbox,
  extend?: (app: App) => void,
  options: {
    now?: () => Date;
    metrics?: Metrics;
    /**
     * Where the table is, known before the secrets (the entry point reads it from the same
     * environment as `loadConfig`): the cold start's directory read then starts beside the secrets.
     */
    storeConfig?: () => { KEPT_TABLE: string; DYNAMODB_ENDPOINT?: string | undefined };
  } = {},
): SlackLambdaHandler {
  const { storeConfig, ...appOptions } = options;
  /** The invocation now asking for the app: the one whose request a cold start's init serves. */
  let asking = 0;
  let directoryAhead: { owner: number; forget(): void } | undefined;
  const ready = coldStart(async (): Promise<{ config: Config; bolt: BoltHandler; outbox: Outbox }> => {
    const owner = asking;
    // The request that caused this cold start nearly always reads the directory: its read runs while
    // the secrets are fetched (or, without `storeConfig`, while the app is built and the request
    // routed); `handle` forgets it once that request is answered.
    const store = storeConfig?.();
    const early = store && dbFromConfig(store, 'slack');
    if (early) directoryAhead = { owner, ...readDirectoryAhead(early) };
    const config = await loadConfig();
    const sameTable =
      early && store.KEPT_TABLE === config.KEPT_TABLE && store.DYNAMODB_ENDPOINT === config.DYNAMODB_ENDPOINT;
    const db = sameTable ? early : dbFromConfig(config, 'slack');
    if (!sameTable) {
      directoryAhead?.forget();
      directoryAhead = { owner, ...readDirectoryAhead(db) };
    }
    // `handle` below checks the signature before Bolt sees the request: checked once (docs/decisions.md).
    const receiver = new AwsLambdaReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET,
      signatureVerification: false,
      logLevel: LogLevel.ERROR,
    });
    const outbox = outboxFor(config, db);
    const app = createSlackApp({ config, db, receiver, outbox, ...appOptions });
    answerRefusedEvents(app);
    extend?.(app);
    return { config, bolt: receiver.toHandler(), outbox };
  });

  let invocations = 0;
  const handle = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const me = ++invocations;
    asking = me; // read by the init this call may start (synchronously, inside `answer`'s ready())
    try {
      return await answer(event, context);
    } finally {
      if (directoryAhead?.owner === me) directoryAhead.forget();
    }
  };
  const answer = async (
    event: APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    const { config, bolt } = await ready();
    const decoded = utf8Event(event);
    const verdict = verifySlackRequest(config.SLACK_SIGNING_SECRET, {
      signature: header(decoded.headers, 'x-slack-signature'),
      timestamp: header(decoded.headers, 'x-slack-request-timestamp'),
      rawBody: decoded.body ?? '',
    });
    if (!verdict.ok) {
      logger.warn('Slack request refused', { reason: verdict.reason });
      return { statusCode: 401, body: '' };
    }
    const envelope = checkEnvelope(header(decoded.headers, 'content-type'), decoded.body ?? '');
    if (!envelope.ok) {
      logger.warn('Slack body not handled', { reason: envelope.reason });
      return { statusCode: 200, body: '' };
    }
    return bolt(decoded, context);
  };
  return Object.assign(handle, { idle: async () => (await ready()).outbox.idle() });
}
