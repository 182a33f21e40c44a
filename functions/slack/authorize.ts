/**
 * Bolt needs the bot's IDs only to ignore the bot's own events, and Kept needs the workspace it is
 * installed in to refuse the others (workspace.ts). With SLACK_BOT_ID, SLACK_BOT_USER_ID and
 * SLACK_TEAM_ID set, Kept never asks Slack. Otherwise it asks `auth.test` once when it first needs
 * an answer (the bot's IDs: on the first *event*, never on a person's command, click or form; the
 * workspace: on the first request of any kind), never at start-up, so the app starts offline, and
 * remembers it. A failed ask is asked again next time.
 */
import type { Authorize } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Home } from './workspace';

export interface BotIdentity {
  botToken: string;
  botId?: string;
  botUserId?: string;
  teamId?: string;
  enterpriseId?: string;
}

interface Learned {
  botId?: string;
  botUserId?: string;
  home: Home;
}

/** What Slack says about the bot's token, asked once and shared by everything that needs it. */
export function slackIdentity(client: () => WebClient): () => Promise<Learned> {
  let known: Promise<Learned> | undefined;
  return () => {
    known ??= client()
      .auth.test()
      .then((r) => ({
        botId: r.bot_id,
        botUserId: r.user_id,
        home: { team: String(r.team_id ?? ''), ...(r.enterprise_id ? { enterprise: String(r.enterprise_id) } : {}) },
      }))
      .catch((err) => {
        known = undefined; // ask again next time
        throw err;
      });
    return known;
  };
}

/** The installed workspace: the settings', or Slack's answer. */
export function homeWorkspace(identity: BotIdentity, learn: () => Promise<Learned>): () => Promise<Home> {
  const { teamId, enterpriseId } = identity;
  if (teamId) {
    const home: Home = { team: teamId, ...(enterpriseId ? { enterprise: enterpriseId } : {}) };
    return async () => home;
  }
  return async () => (await learn()).home;
}

export function cachedAuthorize(identity: BotIdentity, learn: () => Promise<Learned>): Authorize<boolean> {
  const { botToken, botId, botUserId } = identity;
  if (botId && botUserId) return async () => ({ botToken, botId, botUserId });
  let learned: { botId?: string; botUserId?: string } = {};
  return async (_source, body) => {
    // Only events are checked against the bot's own IDs; everything else goes on without them.
    if ((body as { type?: unknown } | undefined)?.type !== 'event_callback') return { botToken, ...learned };
    const answer = await learn();
    learned = { botId: answer.botId, botUserId: answer.botUserId };
    return { botToken, ...learned };
  };
}
