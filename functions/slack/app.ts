/**
 * The one Bolt app factory, used by the Lambda handler (AwsLambdaReceiver) and the local
 * runner (HTTPReceiver or Socket Mode). Building it makes no network call.
 */
import { App, LogLevel, type Receiver, type RespondFn } from '@slack/bolt';
import type { Config } from '../config';
import { logger } from '../log';
import type { Db } from '../store/client';
import { once } from '../store/deliveries';
import type { Outbox } from '../work/outbox';
import { cachedAuthorize } from './authorize';
import { registerAgreements } from './listeners/agreements';
import type { ListenerDeps } from './listeners/deps';
import { registerHome } from './listeners/home';
import { registerKudos } from './listeners/kudos';
import { registerRequests } from './listeners/requests';
import { registerSlaCommand } from './listeners/sla';
import { registerUsergroupEvents } from './listeners/usergroups';
import { createSlackClient, REQUEST_PATH_CLIENT, slackClientOptions } from './web-client';

export interface SlackAppDeps {
  config: Config;
  db: Db;
  receiver: Receiver;
  /** Where slow work goes, built by the entry point: the queue in AWS, this process locally. */
  outbox: Outbox;
  now?: () => Date;
  /** Listener runs still going (they go on after the ack); the local front door waits on them in idle(). */
  inflight?: Set<Promise<unknown>>;
}

/**
 * Listeners hand work over after their change is saved; a queue that refuses it must not turn a
 * saved change into an error for the user. The failure is logged; requests are caught up by the
 * scan (their check index), proposals and kudos DMs are the ones that can be lost.
 */
function neverThrows(outbox: Outbox): Outbox {
  return {
    send: async (item, options) => {
      try {
        await outbox.send(item, options);
      } catch (err) {
        logger.error('work not handed to the worker', { type: item.type, error: (err as Error).message });
      }
    },
    idle: () => outbox.idle(),
  };
}

/** What a person reads when their click or command failed after Slack had its answer. */
export const COULD_NOT_FINISH =
  'Sorry, Kept could not finish that just now. If nothing has changed in a minute, please try again.';

export function createSlackApp({ config, db, receiver, outbox, now = () => new Date(), inflight }: SlackAppDeps): App {
  const deps: ListenerDeps = { config, db, outbox: neverThrows(outbox), now };
  const app = new App({
    receiver,
    authorize: cachedAuthorize(
      { botToken: config.SLACK_BOT_TOKEN, botId: config.SLACK_BOT_ID, botUserId: config.SLACK_BOT_USER_ID },
      () => createSlackClient(config),
    ),
    clientOptions: slackClientOptions(config, REQUEST_PATH_CLIENT),
    logLevel: LogLevel.WARN,
    extendedErrorHandler: true,
  });

  if (inflight) {
    app.use(async ({ next }) => {
      const run = next();
      inflight.add(run);
      try {
        await run;
      } finally {
        inflight.delete(run);
      }
    });
  }

  // Slack re-delivers events it thinks we missed; each event_id has its effect once. A listener that
  // fails gives the claim back, so Slack's retry of that event can finish the work.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    // No usable id, no de-duplication: an empty id would make unrelated events one.
    if (typeof eventId !== 'string' || eventId.trim() === '') return next();
    if ((await once(db, `event:${eventId}`, next)) === 'already-done')
      logger.info('duplicate Slack event ignored', { eventId });
  });

  // A click, form or command no listener handles is answered as soon as the listeners are done
  // (Bolt would answer 404 after 3 s, and Slack would show the person an error). A listener that
  // answered already makes this second ack fail, which is expected and ignored. A click or command
  // whose listener failed after answering tells the person, instead of leaving them in silence.
  app.use(async (args) => {
    const { next, body } = args;
    const { ack, respond } = args as { ack?: () => Promise<void>; respond?: RespondFn };
    try {
      await next();
    } catch (err) {
      const { type, command } = body as { type?: unknown; command?: unknown };
      if (respond && (type === 'block_actions' || typeof command === 'string')) {
        if (ack) await ack().catch(() => {}); // failed before answering: answer now, not Slack's error
        await respond({ response_type: 'ephemeral', replace_original: false, text: COULD_NOT_FINISH }).catch(() => {});
      }
      throw err;
    }
    if (ack) await ack().catch(() => {});
  });

  registerSlaCommand(app, deps);
  registerAgreements(app, deps);
  registerRequests(app, deps);
  registerHome(app, deps);
  registerKudos(app, deps);
  registerUsergroupEvents(app, deps);

  app.error(async ({ error, body }: { error: Error; body?: unknown }) => {
    logger.error('Slack listener failed', { error: error.message, code: (error as { code?: string }).code });
    // An event was acknowledged before its listeners ran; failing it makes the Lambda answer 500,
    // so Slack sends it again (commands and clicks already have their answer: nothing to retry).
    if ((body as { type?: unknown } | undefined)?.type === 'event_callback') throw error;
  });
  return app;
}
