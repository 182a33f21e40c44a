/**
 * Sign-in tokens for the web dashboard (`pk=SIGNIN#<sha256 of the token>`, `sk=SIGNIN`): who asked
 * (`/sla web`), until when it may be used, and when it was used. Only the token's hash is stored,
 * so a copy of the table signs nobody in. Using one is a conditional update: of two uses, one wins.
 */

import type { Db } from './client';
import { PutCommand, UpdateCommand } from './commands';
import { TTL_ATTRIBUTE } from './schema';
import { ifConditionHolds } from './transact';

export const signinPk = (tokenHash: string) => `SIGNIN#${tokenHash}`;
export const SIGNIN_SK = 'SIGNIN';
/** How long DynamoDB keeps a token after it stops being usable (reads compare `until` themselves). */
const KEEP_AFTER_MS = 24 * 60 * 60 * 1000;

/** Writes a new token for `user`, usable until `until`; a hash already there is refused (never overwritten). */
export async function saveSignIn(db: Db, tokenHash: string, user: string, now: Date, until: Date): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: signinPk(tokenHash),
          sk: SIGNIN_SK,
          user,
          createdAt: now.toISOString(),
          until: until.getTime(),
          [TTL_ATTRIBUTE]: Math.ceil((until.getTime() + KEEP_AFTER_MS) / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * Uses the token: the person it was made for, or undefined when there is no such token, it was
 * used already, or its time is up. Marking it used and checking that it was not are one write.
 */
export async function useSignIn(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  let user: string | undefined;
  const used = await ifConditionHolds(async () => {
    const out = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: signinPk(tokenHash), sk: SIGNIN_SK },
        UpdateExpression: 'SET usedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND #until > :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':at': now.toISOString(), ':now': now.getTime() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    user = typeof out.Attributes?.user === 'string' ? out.Attributes.user : undefined;
  });
  return used ? user : undefined;
}
