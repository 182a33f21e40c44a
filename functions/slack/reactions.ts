/**
 * Which `reaction_added` / `reaction_removed` events Kept acts on, decided from the event alone (no
 * database read): the kudos emoji (added or removed), and the request gestures when added — 🎫
 * (`ticket`) files a message, 👀 (`eyes`) takes a card, ✅ (`white_check_mark`) resolves one.
 * Every other reaction is answered at once, before the event's lease (app.ts).
 */
import { baseEmoji } from '../domain/emoji';
import * as z from '../zod';

export const GESTURES = { file: 'ticket', take: 'eyes', resolve: 'white_check_mark' } as const;
export type Gesture = keyof typeof GESTURES;

const GESTURE_OF: Record<string, Gesture> = Object.fromEntries(
  Object.entries(GESTURES).map(([gesture, emoji]) => [emoji, gesture as Gesture]),
);

const nonEmpty = () => z.string().check(z.minLength(1));
const ReactionEvent = z.lazy(() =>
  z.object({
    type: z.enum(['reaction_added', 'reaction_removed']),
    user: nonEmpty(),
    reaction: nonEmpty(),
    item_user: z.optional(nonEmpty()),
    item: z.object({ type: z.literal('message'), channel: nonEmpty(), ts: z.string().check(z.regex(/^\d+\.\d+$/)) }),
  }),
);

/** A gesture on a message: who reacted, with which gesture, on which message (and its author, when Slack names one). */
export interface GestureReaction {
  gesture: Gesture;
  emoji: string;
  user: string;
  channel: string;
  ts: string;
  author?: string;
}

/** The gesture an added reaction is, if it is one. */
export function gestureOf(event: unknown): GestureReaction | undefined {
  const e = ReactionEvent.safeParse(event);
  if (!e.success || e.data.type !== 'reaction_added') return undefined;
  const emoji = baseEmoji(e.data.reaction);
  const gesture = GESTURE_OF[emoji];
  if (!gesture) return undefined;
  const { channel, ts } = e.data.item;
  return { gesture, emoji, user: e.data.user, channel, ts, ...(e.data.item_user ? { author: e.data.item_user } : {}) };
}

/** Whether a reaction event is worth its lease: the kudos emoji either way, a gesture when added. */
export function reactionMatters(event: unknown, kudosEmoji: string): boolean {
  const e = event as { type?: unknown; reaction?: unknown };
  if (typeof e.reaction !== 'string') return true; // an odd payload: the listeners decide
  const emoji = baseEmoji(e.reaction);
  if (emoji === kudosEmoji) return true;
  return e.type === 'reaction_added' && GESTURE_OF[emoji] !== undefined;
}
