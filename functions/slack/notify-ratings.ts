/**
 * The worker's follow-ups of a request's rating (notify-requests.ts calls them for each history
 * line): which resolve a rating belongs to, the heads' DM about a low score and its update when a
 * comment follows, and the requester's resolved DM redrawn when Kept closes the request at the end
 * of its reopen window, ending the rating. Each update is remembered, so a retried job repeats none.
 */
import { ErrorCode } from '@slack/web-api';
import type { Department } from '../domain/department';
import { type Request, SYSTEM_ACTOR } from '../domain/request';
import { logger } from '../log';
import { markDmed } from '../store/request-slack';
import type { StoredEvent } from '../store/requests';
import { REFUSED_DM_TS } from './dm';
import type { DmContext } from './line-messages';
import type { RequestNotifyDeps } from './notify-requests';
import type { SlackMessage } from './views/blocks';
import { LOW_SCORE, lowScoreAlert } from './views/provider-dms';
import { resolvedDm } from './views/request-dms';

/** What a head's low-score DM is remembered under on the rating's score line (a head may also be its resolver). */
export const lowScoreMark = (user: string) => `low:${user}`;

/** The heads told of a low score: the provider's, except the requester themselves. */
export const lowScoreHeads = (request: Request, provider: Department) =>
  provider.heads.filter((h) => h !== request.requester);

/**
 * The rating a `rate` line belongs to, within its resolve (a reopen and the next resolve ask again):
 * its score line (the first), the comment given with it or after it, and who resolved it.
 */
export function ratingOf(
  history: StoredEvent[],
  event: StoredEvent,
): { score: StoredEvent | undefined; comment?: string; resolver?: string } {
  const sorted = [...history].sort((a, b) => a.seq - b.seq);
  const resolve = sorted.filter((e) => e.type === 'resolve' && e.seq < event.seq).at(-1);
  const from = resolve?.seq ?? 0;
  const to = sorted.find((e) => e.seq > event.seq && (e.type === 'reopen' || e.type === 'resolve'))?.seq;
  const rates = sorted.filter((e) => e.type === 'rate' && e.seq > from && (to === undefined || e.seq < to));
  const comment = rates.find((e) => e.note)?.note;
  return {
    score: rates[0],
    ...(comment ? { comment } : {}),
    ...(resolve ? { resolver: resolve.actor } : {}),
  };
}

/** The heads' DM about a low score, as its rating stands in the history (the comment once given). */
export function lowScoreMessage(c: DmContext, rating: ReturnType<typeof ratingOf>): SlackMessage | undefined {
  const score = rating.score?.score;
  if (score === undefined || score > LOW_SCORE) return undefined;
  return lowScoreAlert({
    request: c.request,
    score,
    ...(rating.comment ? { comment: rating.comment } : {}),
    ...(rating.resolver ? { resolver: rating.resolver } : {}),
    providerName: c.provider.name,
    ...c.link,
  });
}

/**
 * A comment added to a low score: the heads' DMs about that score are updated to show it (no
 * second DM). Each update is remembered on the comment's line, so a retried job does not repeat it.
 */
export async function updateLowScoreAlerts(deps: RequestNotifyDeps, c: DmContext): Promise<void> {
  if (c.event.type !== 'rate') return;
  const rating = ratingOf(c.history, c.event);
  if (!rating.score || rating.score.seq === c.event.seq) return;
  const message = lowScoreMessage(c, rating);
  if (!message) return;
  for (const head of lowScoreHeads(c.request, c.provider)) {
    const mark = lowScoreMark(head);
    const ts = rating.score.dmed[mark];
    if (c.event.dmed[mark] || !ts || ts === REFUSED_DM_TS) continue;
    try {
      const opened = await deps.slack.conversations.open({ users: head });
      const channel = opened.channel?.id;
      if (channel) await deps.slack.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    } catch (err) {
      if ((err as { code?: string }).code !== ErrorCode.PlatformError) throw err;
      logger.warn('low-score DM not updated with the comment', { id: c.request.id, error: (err as Error).message });
    }
    await markDmed(deps.db, c.request.id, c.event.seq, mark, ts);
    c.event.dmed[mark] = ts;
  }
}

/**
 * Kept closing a request at the end of its reopen window also ends its rating: the requester's
 * "resolved" DM is drawn again, its rating buttons giving way to a line saying so (an update says
 * the same however often a retry sends it).
 */
export async function closeRatingOnAutoClose(deps: RequestNotifyDeps, c: DmContext): Promise<void> {
  const { event, request } = c;
  if (event.type !== 'close' || event.actor !== SYSTEM_ACTOR) return;
  const resolve = [...c.history]
    .sort((a, b) => a.seq - b.seq)
    .filter((e) => e.type === 'resolve' && e.seq < event.seq)
    .at(-1);
  const ts = resolve?.dmed[request.requester];
  if (!resolve || !ts || ts === REFUSED_DM_TS) return;
  const message = resolvedDm({
    request,
    by: c.provider.name,
    ...(resolve.note ? { note: resolve.note } : {}),
    used: { closed: { by: SYSTEM_ACTOR, at: event.at } },
    at: event.at,
    resolver: resolve.actor,
  });
  try {
    const channel =
      c.dm.ref?.channel ?? (await deps.slack.conversations.open({ users: request.requester })).channel?.id;
    if (channel) await deps.slack.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
  } catch (err) {
    if ((err as { code?: string }).code !== ErrorCode.PlatformError) throw err;
    logger.warn('resolved DM not redrawn at the auto-close', { id: request.id, error: (err as Error).message });
  }
}
