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
 * The lease outlives any run that could still hold it (the digest Lambda times out at 300 s).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import { ifConditionHolds } from './transact';

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

/** Claims (channel, week) for `owner` at real time `at` (ms). */
export async function claimDigest(
  db: Db,
  channel: string,
  week: string,
  owner: string,
  at: number,
): Promise<DigestClaim> {
  const Key = { pk: digestPk(channel), sk: weekSk(week) };
  const claimed = await ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          ...Key,
          channel,
          week,
          state: 'posting',
          owner,
          claimedAt: at,
          firstClaimedAt: at,
          leaseUntil: at + DIGEST_LEASE_MS,
          attempts: 1,
          expiresAt: Math.floor(at / 1000) + KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (claimed) return { kind: 'fresh', owner, claimedAt: at };
  const held = (await db.doc.send(new GetCommand({ TableName: db.table, Key, ConsistentRead: true }))).Item;
  if (!held) return claimDigest(db, channel, week, owner, at); // given back in between: claim again
  if (held.state === 'posted')
    return { kind: 'posted', ...(typeof held.postedTs === 'string' ? { ts: held.postedTs } : {}) };
  if (Number(held.leaseUntil) > at) return { kind: 'busy' };
  // The run that held it is gone and its post may have reached Slack: take it over, then look.
  const tookOver = await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key,
        UpdateExpression:
          'SET #state = :checking, #owner = :owner, claimedAt = :at, leaseUntil = :lease ADD attempts :one',
        ConditionExpression: '#state <> :posted AND leaseUntil = :seen',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':checking': 'checking',
          ':owner': owner,
          ':at': at,
          ':lease': at + DIGEST_LEASE_MS,
          ':one': 1,
          ':posted': 'posted',
          ':seen': held.leaseUntil,
        },
      }),
    ),
  );
  if (!tookOver) return { kind: 'busy' }; // another run took it over first
  return { kind: 'recover', owner, claimedAt: at, since: Number(held.firstClaimedAt ?? held.claimedAt) };
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
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: digestPk(channel), sk: weekSk(week) },
        UpdateExpression: 'SET #state = :posted, postedTs = :ts, postedAt = :at REMOVE leaseUntil',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: { ':posted': 'posted', ':ts': ts, ':at': at, ':owner': owner },
      }),
    ),
  );
}

/** Slack certainly did not post it: give the claim back so the next run posts. */
export async function releaseDigest(db: Db, channel: string, week: string, owner: string): Promise<void> {
  await ifConditionHolds(() =>
    db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: { pk: digestPk(channel), sk: weekSk(week) },
        ConditionExpression: '#owner = :owner AND #state <> :posted',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':posted': 'posted' },
      }),
    ),
  );
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
