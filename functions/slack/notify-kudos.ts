/**
 * The worker's side of kudos: each recipient's DM, posted once (post, then remember); a retried
 * job skips those already sent, and a kudos taken back meanwhile sends nothing.
 */
import type { WebClient } from '@slack/web-api';
import type { Kudos } from '../domain/kudos';
import type { Db } from '../store/client';
import { getKudos, markKudosDmed } from '../store/kudos';
import { kudosDm } from './views/kudos';

export async function notifyKudos(deps: { db: Db; slack: WebClient }, week: string, id: string): Promise<void> {
  const stored = await getKudos(deps.db, week, id);
  if (!stored) return; // taken back
  const { dmed, ...kudos } = stored;
  const dm = kudosDm(kudos as Kudos);
  for (const user of kudos.recipients) {
    if (dmed[user]) continue;
    const posted = await deps.slack.chat.postMessage({ channel: user, text: dm.text, blocks: dm.blocks, unfurl_links: false });
    await markKudosDmed(deps.db, week, id, user, String(posted.ts ?? ''));
  }
}
