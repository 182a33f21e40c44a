/**
 * A DM to one person. Slack refuses some for good (the person left, was deactivated, or closed
 * their DMs to apps): retrying cannot help, so a refusal is logged and answered `undefined`, and
 * the job goes on with everyone else. A rate limit, a timeout or Slack being down still throws,
 * so the job is tried again.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { MessageRef } from '../domain/message-ref';
import { logger } from '../log';
import type { SlackMessage } from './views/blocks';

/** What a remembered DM holds when Slack refused it: nothing to update or delete later. */
export const REFUSED_DM_TS = 'refused';

/** Slack's answers to a DM for a person who is no longer there (deactivated, or never was). */
const GONE = new Set(['user_not_found', 'account_inactive']);
const goneListeners = new Set<(user: string) => void>();

/**
 * Hears of each person a DM found gone, until the returned function is called: the worker (jobs/
 * work.ts) takes them off departments, requests and proposals as it does for Slack's `user_change`.
 */
export function onPersonGone(listener: (user: string) => void): () => void {
  goneListeners.add(listener);
  return () => goneListeners.delete(listener);
}

export async function postDm(
  slack: WebClient,
  user: string,
  message: SlackMessage,
  about: string,
  /** A reply in the thread of this earlier DM to the same person. */
  thread?: MessageRef,
): Promise<MessageRef | undefined> {
  try {
    const posted = await slack.chat.postMessage({
      channel: thread?.channel ?? user,
      ...(thread ? { thread_ts: thread.ts } : {}),
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    return { channel: String(posted.channel ?? user), ts: String(posted.ts ?? '') };
  } catch (err) {
    if ((err as { code?: string }).code !== ErrorCode.PlatformError) throw err;
    logger.warn('DM refused by Slack; not tried again', { about, error: (err as Error).message });
    const error = (err as { data?: { error?: string } }).data?.error;
    if (error && GONE.has(error) && /^[UW][A-Z0-9]+$/.test(user)) for (const listener of goneListeners) listener(user);
    return undefined;
  }
}
