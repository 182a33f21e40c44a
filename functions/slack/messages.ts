/**
 * Which Slack `message` events can be part of a request's conversation, decided from the event
 * alone (no database read): a person's reply in a thread under one of Kept's messages. Everything
 * else (messages outside threads, bots including Kept itself, edits, deletions, joins, replies
 * under other people's messages) is dropped at once.
 */
import { SLACK_USER_ID } from '../domain/department';
import { FILES_MAX, type FileLink } from '../domain/request-fields';
import * as z from '../zod';

/** Subtypes that are still a person saying something new in the thread. */
const SPOKEN_SUBTYPES = ['file_share', 'thread_broadcast'] as const;

const SlackTs = z.string().check(z.regex(/^\d+\.\d+$/));

const ThreadReplyEvent = z.lazy(() =>
  z.object({
    type: z.literal('message'),
    subtype: z.optional(z.enum(SPOKEN_SUBTYPES)),
    user: z.string().check(z.regex(SLACK_USER_ID)),
    text: z._default(z.string().check(z.maxLength(40_000)), ''),
    ts: SlackTs,
    thread_ts: SlackTs,
    channel: z.string().check(z.regex(/^[CGD][A-Z0-9]{2,}$/)),
    parent_user_id: z.optional(z.string()),
    files: z.optional(
      z.array(
        z.looseObject({
          name: z.optional(z.string()),
          title: z.optional(z.string()),
          permalink: z.optional(z.string()),
        }),
      ),
    ),
  }),
);

export interface ThreadReply {
  user: string;
  text: string;
  ts: string;
  threadTs: string;
  channel: string;
  files: FileLink[];
}

/**
 * The reply, when `event` is a person's new message in a thread under a message of Kept's (Slack
 * names the thread's author in `parent_user_id`; without it, the thread lookup decides). Bot
 * messages (`bot_id`), Kept's own posts, edits (`message_changed`), deletions and every other
 * subtype give undefined.
 */
export function threadReplyOf(event: unknown, botUserId: string | undefined): ThreadReply | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const raw = event as Record<string, unknown>;
  if (raw.type !== 'message' || raw.bot_id !== undefined || raw.thread_ts === undefined) return undefined;
  const parsed = ThreadReplyEvent.safeParse(event);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (e.thread_ts === e.ts || e.user === botUserId) return undefined;
  if (botUserId && e.parent_user_id !== undefined && e.parent_user_id !== botUserId) return undefined;
  const files: FileLink[] = (e.files ?? []).flatMap((f) =>
    f.permalink && /^https:\/\//.test(f.permalink)
      ? [{ name: (f.title ?? f.name ?? 'file').slice(0, 200), permalink: f.permalink }]
      : [],
  );
  if (e.text.trim() === '' && files.length === 0) return undefined;
  return {
    user: e.user,
    text: e.text,
    ts: e.ts,
    threadTs: e.thread_ts,
    channel: e.channel,
    files: files.slice(0, FILES_MAX),
  };
}
