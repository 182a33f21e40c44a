/**
 * The one Bolt app factory, used by the Lambda handler (AwsLambdaReceiver) and the local
 * runner (HTTPReceiver or Socket Mode). Building it makes no network call.
 */
import { App, LogLevel, type Receiver } from '@slack/bolt';
import type { Config } from '../config';
import { logger } from '../log';
import type { Db } from '../store/client';
import { claimDelivery } from '../store/deliveries';
import { cachedAuthorize } from './authorize';
import { registerHome } from './listeners/home';
import { registerShortcuts } from './listeners/shortcuts';
import { registerSlaCommand } from './listeners/sla';
import { createSlackClient, slackClientOptions } from './web-client';

export interface SlackAppDeps {
  config: Config;
  db: Db;
  receiver: Receiver;
}

export function createSlackApp({ config, db, receiver }: SlackAppDeps): App {
  const app = new App({
    receiver,
    authorize: cachedAuthorize(
      { botToken: config.SLACK_BOT_TOKEN, botId: config.SLACK_BOT_ID, botUserId: config.SLACK_BOT_USER_ID },
      () => createSlackClient(config),
    ),
    clientOptions: slackClientOptions(config),
    logLevel: LogLevel.WARN,
  });

  // Slack re-delivers events it thinks we missed; each event_id has its effect once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await claimDelivery(db, `event:${eventId}`))) {
      logger.info('duplicate Slack event ignored', { eventId });
      return;
    }
    await next();
  });

  registerSlaCommand(app);
  registerHome(app);
  registerShortcuts(app);

  app.error(async (error) => {
    logger.error('Slack listener failed', { error: error.message, code: (error as { code?: string }).code });
  });
  return app;
}
