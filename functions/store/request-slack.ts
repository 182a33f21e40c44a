/**
 * What the worker remembers about a request's Slack side (`pk=REQ#<id>`): where its card is
 * (`CARD`), the requester's DM thread (`DM`), which history lines reached the thread and whose DMs
 * went out (on the `EVENT#<seq>` items), and the lease that lets one worker at a time post for the
 * request (`LOCK`). And the thread pointers (`pk=THREAD#<channel>#<ts>`): from the card and each
 * requester DM back to the request, so a reply in their thread finds it with one GetItem.
 */

import type { MessageRef } from '../domain/message-ref';
import * as z from '../zod';
import type { Db } from './client';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from './commands';
import { CARD_SK, DM_SK, eventSk, LOCK_SK, requestPk, THREAD_SK, threadPk } from './request-keys';
import { ifConditionHolds } from './transact';

// ---------------------------------------------------------------------------------------------
// Threads that lead back to a request

/** A Kept message people can reply under: the card (in the provider's channel) or a DM to the requester. */
export interface ThreadPointer {
  id: string;
  where: 'card' | 'dm';
  /** The provider when the message was posted (a reply reads its department with the request). */
  provider: string;
}

const ThreadPointerSchema = z.object({
  id: z.string(),
  where: z.enum(['card', 'dm']),
  provider: z.string(),
});

/** Remembers that replies under `ref` are about a request (written again by a retry: same content). */
export async function rememberThread(db: Db, ref: MessageRef, pointer: ThreadPointer): Promise<void> {
  await db.doc.send(
    new PutCommand({ TableName: db.table, Item: { pk: threadPk(ref.channel, ref.ts), sk: THREAD_SK, ...pointer } }),
  );
}

/** The request a reply under (channel, thread ts) is about, if Kept posted that message about one. */
export async function findThread(db: Db, channel: string, threadTs: string): Promise<ThreadPointer | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: threadPk(channel, threadTs), sk: THREAD_SK } }),
  );
  return out.Item ? ThreadPointerSchema.parse(out.Item) : undefined;
}

/** Remembers the requester's DM thread about the request; the first one stays (false if one was there). */
export async function rememberDmThread(db: Db, id: string, dm: MessageRef): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { pk: requestPk(id), sk: DM_SK, channel: dm.channel, ts: dm.ts },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// What the worker remembers about Slack

/** Remembers where the card was posted; false if another run already posted it. */
export async function rememberCard(db: Db, id: string, card: MessageRef, provider?: string): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { pk: requestPk(id), sk: CARD_SK, ...card, ...(provider ? { provider } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * After a transfer: the card is now `next` (in the new provider's channel, posted for `provider`),
 * only if it is still `old`; false if another run moved it first.
 */
export async function moveCard(
  db: Db,
  id: string,
  old: MessageRef,
  next: MessageRef,
  provider: string,
): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { pk: requestPk(id), sk: CARD_SK, ...next, provider, previous: old },
        ConditionExpression: 'ts = :old AND channel = :channel',
        ExpressionAttributeValues: { ':old': old.ts, ':channel': old.channel },
      }),
    ),
  );
}

/** Remembers that a history line's thread reply is posted (before its DM, which may fail on its own). */
export async function markThreadPosted(db: Db, id: string, seq: number, ts: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: requestPk(id), sk: eventSk(seq) },
      UpdateExpression: 'SET threadTs = if_not_exists(threadTs, :ts)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':ts': ts },
    }),
  );
}

/** Remembers a DM about a history line, by recipient (a retry skips those already sent). */
export async function markDmed(db: Db, id: string, seq: number, user: string, ts: string): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: requestPk(id), sk: eventSk(seq) },
      UpdateExpression: 'SET dmed.#u = if_not_exists(dmed.#u, :ts)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#u': user },
      ExpressionAttributeValues: { ':ts': ts },
    }),
  );
}

/** Marks a history line as told to Slack (thread reply and DMs posted). */
export async function markAnnounced(db: Db, id: string, seq: number, at: Date): Promise<void> {
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: requestPk(id), sk: eventSk(seq) },
      UpdateExpression: 'SET announcedAt = if_not_exists(announcedAt, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// One worker at a time per request

/**
 * Takes the request's Slack lock for `leaseMs` (one worker posts its card, thread and DMs at a
 * time, so two jobs for the same request cannot post the same thing twice). A lock left by a
 * crashed worker is taken over once its lease has run out. False when someone else holds it.
 */
export async function takeLock(db: Db, id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: requestPk(id),
          sk: LOCK_SK,
          owner,
          until: now.getTime() + leaseMs,
          expiresAt: Math.floor((now.getTime() + leaseMs) / 1000) + 3600,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #until < :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now.getTime() },
      }),
    ),
  );
}

export async function releaseLock(db: Db, id: string, owner: string): Promise<void> {
  // Refused: taken over after the lease, not ours to remove.
  await ifConditionHolds(() =>
    db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: { pk: requestPk(id), sk: LOCK_SK },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    ),
  );
}
