/**
 * The worker's side of kudos: each recipient's DM, posted once (post, then remember); a retried
 * job skips those already sent, and a kudos taken back meanwhile sends nothing. A kudos taken back
 * after its DMs went out has them deleted (`kudos.taken`).
 */
import type { WebClient } from '@slack/web-api';
import type { Kudos } from '../domain/kudos';
import type { MessageRef } from '../domain/message-ref';
import type { Db } from '../store/client';
import { getKudos, markKudosDmed } from '../store/kudos';
import { postDm, REFUSED_DM_TS } from './dm';
import { kudosDm } from './views/kudos';

export async function notifyKudos(deps: { db: Db; slack: WebClient }, week: string, id: string): Promise<void> {
  const stored = await getKudos(deps.db, week, id);
  if (!stored) return; // taken back
  const { dmed, ...kudos } = stored;
  const dm = kudosDm(kudos as Kudos);
  for (const user of kudos.recipients) {
    if (dmed[user]) continue;
    const sent = (await postDm(deps.slack, user, dm, `kudos ${id}`)) ?? { channel: user, ts: REFUSED_DM_TS };
    // Taken back while this DM was on its way: the take-back could not see it, so it goes here.
    if (!(await markKudosDmed(deps.db, week, id, user, sent))) return recallKudosDms(deps.slack, [sent]);
  }
}

/** Deletes the DMs of a kudos taken back; one already gone (deleted by hand, or by a retry) is fine. */
export async function recallKudosDms(slack: WebClient, dms: readonly MessageRef[]): Promise<void> {
  for (const dm of dms) {
    if (dm.ts === REFUSED_DM_TS) continue; // Slack never delivered it
    try {
      await slack.chat.delete({ channel: dm.channel, ts: dm.ts });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error !== 'message_not_found') throw err;
    }
  }
}
