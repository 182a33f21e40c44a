/**
 * The weekly digest's claims: one item per channel and ISO week (`pk=DIGEST#<channel>`,
 * `sk=WEEK#<YYYY-Www>`), so a channel gets at most one digest a week whatever happens.
 *
 *   claim (conditional put, state `posting`, a lease)  ->  chat.postMessage  ->  mark `posted` + ts
 *
 * - Two runs at once: only one conditional put wins; the other sees a live lease and moves on.
 * - A post that Slack certainly refused (a 429 we gave up on, `ok: false`): the claim is given
 *   back (deleted), and the next run claims and posts.
 * - A crash (or a timeout) after claiming, whose post may or may not have reached Slack: the
 *   claim stays `posting` until its lease runs out; the next run takes it over in state
 *   `checking` and looks for the message in the channel (conversations.history since the claim,
 *   the bot's message with metadata `kept_digest` {week}) before posting: found -> marked posted.
 * The lease outlives any run that could still hold it (the digest Lambda times out at 300 s). The
 * claim's writes are the shared ones of claims.ts.
 */

import { claimOnce, markClaimed, releaseClaim } from './claims';
import type { Db } from './client';
import { GetCommand } from './commands';

export const digestPk = (channel: string) => `DIGEST#${channel}`;
export const weekSk = (week: string) => `WEEK#${week}`;

/** Longer than a digest run can live (Lambda timeout 300 s), so a live owner never loses its claim. */
export const DIGEST_LEASE_MS = 6 * 60_000;
/** Claims are kept for a while as the digest's history, then TTL removes them. */
const KEEP_SECONDS = 400 * 24 * 60 * 60;

export type DigestClaim =
  /** Claimed now: post. */
  | { kind: 'fresh'; owner: string; claimedAt: number }
  /** A claim whose run died mid-post was taken over: look in the channel before posting. */
  | { kind: 'recover'; owner: string; claimedAt: number; since: number }
  /** This week's digest is in the channel already. */
  | { kind: 'posted'; ts?: string }
  /** Another run holds the claim right now. */
  | { kind: 'busy' };

/** Where a digest claim stands: `posting`, `checking` (taken over), then `posted`. */
const DIGEST_STATE = { attribute: 'state', done: 'posted' };

/** Claims (channel, week) for `owner` at real time `at` (ms). */
export async function claimDigest(
  db: Db,
  channel: string,
  week: string,
  owner: string,
  at: number,
): Promise<DigestClaim> {
  const claim = await claimOnce(db, {
    key: { pk: digestPk(channel), sk: weekSk(week) },
    item: {
      channel,
      week,
      state: 'posting',
      claimedAt: at,
      firstClaimedAt: at,
      attempts: 1,
      expiresAt: Math.floor(at / 1000) + KEEP_SECONDS,
    },
    state: DIGEST_STATE,
    owner,
    at,
    leaseMs: DIGEST_LEASE_MS,
    // The run that held it is gone and its post may have reached Slack: take it over, then look.
    takeOver: { set: { state: 'checking', claimedAt: at }, countAttempts: true },
  });
  switch (claim.kind) {
    case 'claimed':
      return { kind: 'fresh', owner, claimedAt: at };
    case 'takenOver':
      return {
        kind: 'recover',
        owner,
        claimedAt: at,
        since: Number(claim.held.firstClaimedAt ?? claim.held.claimedAt),
      };
    case 'done':
      return { kind: 'posted', ...(typeof claim.held.postedTs === 'string' ? { ts: claim.held.postedTs } : {}) };
    case 'vanished':
      return claimDigest(db, channel, week, owner, at); // given back in between: claim again
    case 'busy':
      return { kind: 'busy' };
  }
}

/** The digest is in the channel: remember its ts. False when this owner no longer held the claim. */
export async function markDigestPosted(
  db: Db,
  channel: string,
  week: string,
  owner: string,
  ts: string,
  at: number,
): Promise<boolean> {
  return markClaimed(db, { pk: digestPk(channel), sk: weekSk(week) }, owner, {
    state: 'posted',
    postedTs: ts,
    postedAt: at,
  });
}

/** Slack certainly did not post it: give the claim back so the next run posts. */
export async function releaseDigest(db: Db, channel: string, week: string, owner: string): Promise<void> {
  await releaseClaim(db, { pk: digestPk(channel), sk: weekSk(week) }, owner, DIGEST_STATE);
}

export interface StoredDigestClaim {
  channel: string;
  week: string;
  state: 'posting' | 'checking' | 'posted';
  postedTs?: string;
  attempts: number;
}

export async function getDigestClaim(db: Db, channel: string, week: string): Promise<StoredDigestClaim | undefined> {
  const item = (
    await db.doc.send(
      new GetCommand({ TableName: db.table, Key: { pk: digestPk(channel), sk: weekSk(week) }, ConsistentRead: true }),
    )
  ).Item;
  if (!item) return undefined;
  return {
    channel: String(item.channel),
    week: String(item.week),
    state: item.state as StoredDigestClaim['state'],
    attempts: Number(item.attempts ?? 1),
    ...(typeof item.postedTs === 'string' ? { postedTs: item.postedTs } : {}),
  };
}
