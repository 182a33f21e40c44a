/**
 * The worker's side of proposals: DMs to the heads who answer a proposal, the confirmation to
 * the proposer, and, once it is decided, the updated DMs and the news to both sides. Each DM is
 * posted, then remembered on the version item; a retried job skips what it already posted.
 */
import type { WebClient } from '@slack/web-api';
import { type AgreementVersion, EVERY_DEPARTMENT } from '../domain/agreement';
import { findDepartment } from '../domain/directory';
import { answerers } from '../domain/proposal';
import { getAgreementVersion, rememberMessage, type StoredAgreementVersion } from '../store/agreements';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { postDm, REFUSED_DM_TS } from './dm';
import { readShownAdvice } from './target-advice';
import {
  activatedMessage,
  type Decision,
  declinedMessage,
  proposalMessage,
  proposalSentMessage,
} from './views/agreements';
import type { SlackMessage } from './views/blocks';

export interface NotifyDeps {
  db: Db;
  slack: WebClient;
  admins: readonly string[];
}

async function dmOnce(
  deps: NotifyDeps,
  v: StoredAgreementVersion,
  key: string,
  user: string,
  message: SlackMessage,
): Promise<void> {
  if (v.messages[key]) return;
  const posted = await postDm(deps.slack, user, message, `${v.id} v${v.version}`);
  // A refused DM is remembered too, so a retry of the job does not try it again.
  await rememberMessage(deps.db, v.id, v.version, key, posted ?? { channel: user, ts: REFUSED_DM_TS });
}

function decisionOf(v: AgreementVersion): Decision | undefined {
  if (v.status === 'active' || (v.status === 'retired' && v.decidedBy))
    return { outcome: 'accepted', by: v.decidedBy ?? '', at: v.decidedAt ?? v.activatedAt ?? '' };
  if (v.status === 'declined')
    return {
      outcome: 'declined',
      by: v.decidedBy ?? '',
      at: v.decidedAt ?? '',
      ...(v.declineReason ? { reason: v.declineReason } : {}),
    };
  if (v.status === 'withdrawn') return { outcome: 'withdrawn', by: v.decidedBy ?? '', at: v.decidedAt ?? '' };
  return undefined;
}

/** The version `v` would replace, for the "what changes" part. */
async function replaced(deps: NotifyDeps, v: AgreementVersion): Promise<AgreementVersion | undefined> {
  return v.replaces === undefined ? undefined : getAgreementVersion(deps.db, v.id, v.replaces);
}

export async function notifyProposal(deps: NotifyDeps, id: string, version: number): Promise<void> {
  const v = await getAgreementVersion(deps.db, id, version);
  if (v?.status !== 'proposed') return; // answered already: the decision job tells people
  const dir = await readDirectory(deps.db);
  const active = await replaced(deps, v);
  // As of the proposal (a retried job shows the same figures); the agreement's own history when
  // the same provider changes its targets, else the provider's across its agreements.
  const advice = await readShownAdvice(deps.db, dir, v, active?.provider === v.provider, Date.parse(v.createdAt));
  const message = proposalMessage({ proposal: v, active, dir, advice });
  for (const user of answerers(dir, deps.admins, v)) await dmOnce(deps, v, `proposal:${user}`, user, message);
  if (v.proposedBy)
    await dmOnce(deps, v, `sent:${v.proposedBy}`, v.proposedBy, proposalSentMessage({ proposal: v, dir, advice }));
}

export async function notifyDecision(deps: NotifyDeps, id: string, version: number): Promise<void> {
  const v = await getAgreementVersion(deps.db, id, version);
  const decided = v && decisionOf(v);
  if (!v || !decided) return;
  const dir = await readDirectory(deps.db);
  // The proposal DMs lose their buttons and show the outcome.
  const previous = await replaced(deps, v);
  for (const [key, ref] of Object.entries(v.messages)) {
    if (!key.startsWith('proposal:') || ref.ts === REFUSED_DM_TS) continue;
    const reader = key.slice('proposal:'.length);
    const message = proposalMessage({ proposal: v, active: previous, dir, decided, reader });
    await deps.slack.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
  }
  if (decided.outcome === 'accepted') {
    const heads = (side: string) =>
      side === EVERY_DEPARTMENT ? [...deps.admins] : (findDepartment(dir, side)?.heads ?? []);
    const people = new Set([...heads(v.provider), ...heads(v.customer), ...(v.proposedBy ? [v.proposedBy] : [])]);
    const news = activatedMessage({ agreement: v, dir, acceptedBy: decided.by });
    // The person who accepted was told on their click, and their DM now says so: no DM about it.
    for (const user of people) if (user !== decided.by) await dmOnce(deps, v, `activated:${user}`, user, news);
  } else if (decided.outcome === 'declined' && v.proposedBy) {
    await dmOnce(
      deps,
      v,
      `declined:${v.proposedBy}`,
      v.proposedBy,
      declinedMessage({ proposal: v, ...(previous ? { active: previous } : {}), dir, decided }),
    );
  }
}
