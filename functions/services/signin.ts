/**
 * One-time sign-in links for the web dashboard (docs/web.md). `/sla web` asks for one: a random
 * token (32 bytes, URL-safe) whose SHA-256 is stored with the person and an end 5 minutes later;
 * the link carries the token itself. Opening the link uses the token once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/client';
import { saveSignIn, useSignIn } from '../store/signin';

/** How long a sign-in link works. */
export const SIGNIN_VALID_MS = 5 * 60 * 1000;
export const SIGNIN_PATH = '/web/signin';
/** 32 random bytes in base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new link for `user` under `baseUrl` (no trailing slash), valid for SIGNIN_VALID_MS from `now`. */
export async function issueSignInLink(
  db: Db,
  user: string,
  baseUrl: string,
  now: Date,
): Promise<{ url: string; until: Date }> {
  const until = new Date(now.getTime() + SIGNIN_VALID_MS);
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    // A clash of 256-bit random values does not happen; if it ever did, the old token stays as it was.
    if (await saveSignIn(db, hashToken(token), user, now, until))
      return { url: `${baseUrl}${SIGNIN_PATH}?token=${token}`, until };
  }
}

/** The person a link was made for, or undefined when the token is malformed, unknown, used or expired. */
export async function redeemSignIn(db: Db, token: unknown, now: Date): Promise<string | undefined> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return undefined;
  return useSignIn(db, hashToken(token), now);
}
