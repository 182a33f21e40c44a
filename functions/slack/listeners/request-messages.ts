/**
 * Talking inside a request (message.channels, message.groups, message.im): a reply under a request's
 * card or under Kept's DM to its requester is recorded in the request's history as said by the
 * writer's side, and the worker relays it to the other side (services/requests.ts `sayInThread`,
 * notify-requests.ts). app.ts drops every other message before any database read; here one GetItem
 * finds the request from the thread. Someone with no part in the request is told, privately, that
 * their reply stays where it is.
 */
import type { App } from '@slack/bolt';
import { logger } from '../../log';
import { sayInThread } from '../../services/thread-replies';
import { findThread } from '../../store/request-slack';
import { threadReplyOf } from '../messages';
import type { ListenerDeps } from './deps';

export function registerRequestMessages(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, client }) => {
    const reply = threadReplyOf(event, deps.config.SLACK_BOT_USER_ID);
    if (!reply) return;
    const thread = await findThread(deps.db, reply.channel, reply.threadTs);
    if (!thread) return; // a thread under some other message of Kept's (a digest, a report)
    const result = await sayInThread(deps.db, {
      thread,
      user: reply.user,
      text: reply.text,
      files: reply.files,
      via: { channel: reply.channel, ts: reply.ts },
      now: deps.now(),
    });
    if (result.outcome === 'done') return deps.outbox.send({ type: 'request.changed', id: result.request.id });
    if (result.outcome === 'duplicate') return logger.info('message already recorded; Slack sent it again');
    await client.chat
      .postEphemeral({ channel: reply.channel, user: reply.user, thread_ts: reply.threadTs, text: result.message })
      .catch((err: Error) => logger.warn('reply refusal not shown', { error: err.message }));
  });
}
