/**
 * Bolt needs the bot's IDs to ignore its own events. With SLACK_BOT_ID and SLACK_BOT_USER_ID
 * set, Kept never asks Slack; otherwise it asks `auth.test` once, on the first request
 * (never at start-up, so the app starts offline), and remembers the answer.
 */
import type { Authorize } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

export interface BotIdentity {
  botToken: string;
  botId?: string;
  botUserId?: string;
}

export function cachedAuthorize(identity: BotIdentity, client: () => WebClient): Authorize<boolean> {
  const { botToken, botId, botUserId } = identity;
  if (botId && botUserId) return async () => ({ botToken, botId, botUserId });
  let known: Promise<{ botId?: string; botUserId?: string }> | undefined;
  return async () => {
    known ??= client()
      .auth.test()
      .then((r) => ({ botId: r.bot_id, botUserId: r.user_id }))
      .catch((err) => {
        known = undefined; // ask again next time
        throw err;
      });
    return { botToken, ...(await known) };
  };
}
