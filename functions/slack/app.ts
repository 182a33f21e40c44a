/**
 * The one Bolt app factory, used by the Lambda handler (AwsLambdaReceiver) and the local
 * runner (HTTPReceiver or Socket Mode). Building it makes no network call.
 */
import { App, ErrorCode, LogLevel, type Receiver, type ReceiverEvent, type RespondFn } from '@slack/bolt';
import type { Config } from '../config';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import type { Db } from '../store/client';
import { InProgressError, once, SLACK_LEASE_MS } from '../store/deliveries';
import type { Outbox } from '../work/outbox';
import { cachedAuthorize, homeWorkspace, slackIdentity } from './authorize';
import { loadListenerGroupsOnUse } from './listener-groups';
import type { ListenerDeps } from './listeners/deps';
import { registerHome } from './listeners/home';
import { registerSlaCommand } from './listeners/sla';
import { threadReplyOf } from './messages';
import { reactionMatters } from './reactions';
import { routeListenersByKind } from './route-listeners';
import { createSlackClient, REQUEST_PATH_CLIENT, slackClientOptions } from './web-client';
import { guardWorkspace } from './workspace';

export interface SlackAppDeps {
  config: Config;
  db: Db;
  receiver: Receiver;
  /** Where slow work goes, built by the entry point: the queue in AWS, this process locally. */
  outbox: Outbox;
  now?: () => Date;
  /** Runs still going (listeners go on after the ack); the local front door waits on them in idle(). */
  inflight?: Set<Promise<unknown>>;
  /** Where work the queue refused is counted (OutboxSendFailed); without one, only the log says so. */
  metrics?: Metrics;
}

/**
 * Listeners hand work over after their change is saved; a queue that refuses it must not turn a
 * saved change into an error for the user. The failure is logged and counted (OutboxSendFailed, which
 * raises an alarm); requests are caught up by the scan (their check index), proposals and kudos DMs
 * are the ones that can be lost.
 */
function neverThrows(outbox: Outbox, metrics?: Metrics): Outbox {
  return {
    send: async (item, options) => {
      try {
        await outbox.send(item, options);
      } catch (err) {
        logger.error('work not handed to the worker', { type: item.type, error: (err as Error).message });
        metrics?.count('OutboxSendFailed');
      }
    },
    idle: () => outbox.idle(),
  };
}

/**
 * Slack re-delivers events it thinks we missed; each event_id has its effect once. The event's key
 * is leased before Bolt sees the event, because Bolt acknowledges an event before any middleware
 * runs: a delivery whose event is done is answered 200 and nothing runs; one that finds another
 * attempt still working (in Lambda the first attempt is answered only when its listeners end, and
 * Slack retries after 3 s) is refused with an InProgressError, which the front doors answer with a
 * non-2xx (500 in Lambda, 503 locally), so Slack sends it again in a minute or five, when that
 * attempt has finished, failed or been killed. A listener that fails gives the lease back (and the error handler fails the event),
 * so Slack's retry does the work; an attempt killed mid-way leaves a lease that runs out after the
 * Slack function's timeout. `inflight` tracks every run, for the local front door's idle().
 */
function leaseEvents(
  app: App,
  db: Db,
  now: () => Date,
  botUserId: string | undefined,
  kudosEmoji: string,
  inflight?: Set<Promise<unknown>>,
): void {
  const dispatch = app.processEvent.bind(app);
  const leased = async (event: ReceiverEvent): Promise<void> => {
    // Message events arrive for every message in every channel Kept is in: all but replies under
    // Kept's own messages are answered at once, without a database call. Those that stay need no
    // lease: the history line they write carries the message's own delivery claim (channel + ts).
    const inner = (event.body as { type?: unknown; event?: { type?: unknown } }).event;
    if ((event.body as { type?: unknown }).type === 'event_callback' && inner?.type === 'message') {
      if (threadReplyOf(inner, botUserId)) return dispatch(event);
      return event.ack();
    }
    // Reactions too arrive for every emoji on every message: only the kudos emoji and the request
    // gestures (reactions.ts) are leased and dispatched.
    if (
      (event.body as { type?: unknown }).type === 'event_callback' &&
      (inner?.type === 'reaction_added' || inner?.type === 'reaction_removed') &&
      !reactionMatters(inner, kudosEmoji)
    )
      return event.ack();
    const eventId = (event.body as { event_id?: unknown }).event_id;
    // No usable id, no de-duplication: an empty id would make unrelated events one.
    if (typeof eventId !== 'string' || eventId.trim() === '') return dispatch(event);
    try {
      const done = await once(db, `event:${eventId}`, { leaseMs: SLACK_LEASE_MS, now }, () => dispatch(event));
      if (done === 'already-done') {
        logger.info('duplicate Slack event ignored', { eventId });
        await event.ack();
      }
    } catch (err) {
      if (err instanceof InProgressError)
        logger.info('Slack event still being handled by an earlier delivery; Slack is asked to send it later', {
          eventId,
          retryNum: event.retryNum,
        });
      throw err;
    }
  };
  app.processEvent = async (event) => {
    const run = leased(event);
    inflight?.add(run);
    try {
      await run;
    } finally {
      inflight?.delete(run);
    }
  };
}

/** What a person reads when their click or command failed after Slack had its answer. */
export const COULD_NOT_FINISH =
  'Sorry, Kept could not finish that just now. If nothing has changed in a minute, please try again.';

/** On a form whose submission failed (DynamoDB slow or gone): the person presses Submit again. */
export const FORM_NOT_SAVED =
  'Sorry, Kept could not save this just now. Please press Submit again in a minute: it will not be saved twice.';

function firstInputBlock(body: unknown): string | undefined {
  const blocks = (body as { view?: { blocks?: unknown } }).view?.blocks;
  if (!Array.isArray(blocks)) return undefined;
  const input = blocks.find(
    (b): b is { block_id: string } =>
      (b as { type?: unknown })?.type === 'input' && typeof (b as { block_id?: unknown }).block_id === 'string',
  );
  return input?.block_id;
}

/** Bolt's RespondError, or our deadline on the response_url (fetchWithin) running out. */
function respondFailed(err: unknown): boolean {
  // fetch rejects with the signal's DOMException; the AWS SDK's own TimeoutError is a plain Error.
  if (err instanceof DOMException) return err.name === 'TimeoutError';
  return (err as { code?: unknown } | undefined)?.code === ErrorCode.RespondError;
}

export function createSlackApp({
  config,
  db,
  receiver,
  outbox,
  now = () => new Date(),
  inflight,
  metrics,
}: SlackAppDeps): App {
  const deps: ListenerDeps = { config, db, outbox: neverThrows(outbox, metrics), now };
  const identity = {
    botToken: config.SLACK_BOT_TOKEN,
    botId: config.SLACK_BOT_ID,
    botUserId: config.SLACK_BOT_USER_ID,
    teamId: config.SLACK_TEAM_ID,
    enterpriseId: config.SLACK_ENTERPRISE_ID,
  };
  // On the Slack request path: bounded like every other call there.
  const learn = slackIdentity(() => createSlackClient(config, REQUEST_PATH_CLIENT));
  const app = new App({
    receiver,
    authorize: cachedAuthorize(identity, learn),
    clientOptions: slackClientOptions(config, REQUEST_PATH_CLIENT),
    logLevel: LogLevel.WARN,
    extendedErrorHandler: true,
    // Kept keeps no state per conversation in Bolt's store; on by default, it looked each request's
    // channel up and built an Error for each one not found (issue #22).
    convoStore: false,
  });

  // Each request's ack, wrapped to note that it was called: the catch-all below acks only a request
  // no listener answered (a second ack would make Bolt build and throw an error every time).
  const acked = new WeakSet<object>();
  // Innermost: every way in (the card's menu pressing a button too) loads the listener groups the
  // request needs before Bolt runs its listeners (listener-groups.ts).
  const bolt = loadListenerGroupsOnUse(app, deps, app.processEvent.bind(app));
  const dispatchTracked = (event: ReceiverEvent): Promise<void> => {
    const ack: ReceiverEvent['ack'] = (response) => {
      acked.add(ack);
      return event.ack(response);
    };
    return bolt({ ...event, ack });
  };
  app.processEvent = dispatchTracked;

  // The card's menu presses the button a choice stands for through Bolt itself, not through the
  // wrappers below (a wrapper that limits how many run at once would wait on itself).
  const dispatch = app.processEvent.bind(app);
  deps.redispatch = (event) => dispatch(event);
  leaseEvents(app, db, now, config.SLACK_BOT_USER_ID, config.KEPT_KUDOS_EMOJI, inflight);
  // Outermost: a request from another workspace or organisation is refused before anything is written.
  app.processEvent = guardWorkspace(
    app.processEvent.bind(app),
    homeWorkspace(identity, learn),
    config.KEPT_EXTERNAL_TEAMS,
  );

  // A click, form or command no listener handles is answered as soon as the listeners are done
  // (Bolt would answer 404 after 3 s, and Slack would show the person an error); one a listener
  // answered already is left alone. A click or command
  // whose listener failed after answering tells the person, instead of leaving them in silence.
  app.use(async (args) => {
    const { next, body } = args;
    const { ack, respond } = args as { ack?: (answer?: unknown) => Promise<void>; respond?: RespondFn };
    try {
      await next();
    } catch (err) {
      const { type, command } = body as { type?: unknown; command?: unknown };
      // A form that could not be saved stays open with what was typed, and says so on its first field.
      if (type === 'view_submission' && ack) {
        const field = firstInputBlock(body);
        await ack(field ? { response_action: 'errors', errors: { [field]: FORM_NOT_SAVED } } : undefined).catch(
          () => {},
        );
      }
      // When respond() itself failed (the response_url hung or expired), a second try would fail too
      // and only hold the answer longer.
      if (respond && !respondFailed(err) && (type === 'block_actions' || typeof command === 'string')) {
        if (ack && !acked.has(ack)) await ack().catch(() => {}); // failed before answering: answer now, not Slack's error
        await respond({ response_type: 'ephemeral', replace_original: false, text: COULD_NOT_FINISH }).catch(() => {});
      }
      throw err;
    }
    if (ack && !acked.has(ack)) await ack().catch(() => {});
  });

  // `/sla` (its words' code imported on use) and the App Home's (its middleware sees every press on
  // the tab) from the start; every other listener group when a request first needs it.
  registerSlaCommand(app, deps);
  registerHome(app, deps);
  routeListenersByKind(app);

  app.error(async ({ error, body }: { error: Error; body?: unknown }) => {
    logger.error('Slack listener failed', { error: error.message, code: (error as { code?: string }).code });
    // An event was acknowledged before its listeners ran; failing it makes the Lambda answer 500,
    // so Slack sends it again (commands and clicks already have their answer: nothing to retry).
    if ((body as { type?: unknown } | undefined)?.type === 'event_callback') throw error;
  });
  return app;
}
