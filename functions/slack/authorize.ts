/**
 * Bolt needs the bot's IDs only to ignore the bot's own events. With SLACK_BOT_ID and
 * SLACK_BOT_USER_ID set, Kept never asks Slack. Otherwise it asks `auth.test` once, on the first
 * *event* (never at start-up, so the app starts offline, and never on a person's command, click or
 * form, whose answer must beat Slack's 3 seconds in a cold container), and remembers the answer.
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
  let learned: { botId?: string; botUserId?: string } = {};
  return async (_source, body) => {
    // Only events are checked against the bot's own IDs; everything else goes on without them.
    if ((body as { type?: unknown } | undefined)?.type !== 'event_callback') return { botToken, ...learned };
    known ??= client()
      .auth.test()
      .then((r) => {
        learned = { botId: r.bot_id, botUserId: r.user_id };
        return learned;
      })
      .catch((err) => {
        known = undefined; // ask again next time
        throw err;
      });
    return { botToken, ...(await known) };
  };
}
