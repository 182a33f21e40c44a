/**
 * The dashboard's session cookie: `<payload>.<signature>`, the payload base64url JSON
 * `{ u: user, exp: epoch ms }`, the signature HMAC-SHA256 of the payload with a key derived from
 * the web session key in AWS, or SLACK_SIGNING_SECRET locally (docs/web.md "Security choices"). It names the person only; what they may
 * see is read from the directory on every page, so a change in Slack's rights counts at once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../zod';

export const SESSION_COOKIE = 'kept_session';
/** How long a session lasts after signing in. */
export const SESSION_MS = 8 * 60 * 60 * 1000;

const Payload = z.strictObject({
  u: z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/)),
  exp: z.number().check(z.int(), z.positive()),
});

/** A session key derived from a secret, so the secret itself never signs a cookie. */
export function sessionKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('kept web session v1').digest();
}

/**
 * The key of this process's cookies: from KEPT_WEB_SESSION_KEY (the web function in AWS reads it from
 * its own secret, never the Slack signing secret), else derived from SLACK_SIGNING_SECRET (a local
 * run, where one process answers Slack and the pages).
 */
export function webSessionKey(config: {
  KEPT_WEB_SESSION_KEY?: string | undefined;
  SLACK_SIGNING_SECRET?: string;
}): Buffer {
  const secret = config.KEPT_WEB_SESSION_KEY ?? config.SLACK_SIGNING_SECRET;
  if (!secret) throw new Error('The web dashboard needs KEPT_WEB_SESSION_KEY or SLACK_SIGNING_SECRET for its cookies.');
  return sessionKey(secret);
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

/** The cookie's value for `user`, valid until `now + SESSION_MS`. */
export function sealSession(key: Buffer, user: string, now: Date): string {
  const payload = Buffer.from(JSON.stringify({ u: user, exp: now.getTime() + SESSION_MS })).toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

/** The person a cookie value names, or undefined when it is missing, altered, malformed or expired. */
export function openSession(key: Buffer, value: string | undefined, now: Date): string | undefined {
  if (!value || value.length > 512) return undefined;
  const [payload, signature, ...rest] = value.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const checked = Payload.safeParse(parsed);
  if (!checked.success || checked.data.exp <= now.getTime()) return undefined;
  return checked.data.u;
}

/** Secure unless the dashboard is served over plain http on this machine (the local server). */
export function secureCookies(baseUrl: string): boolean {
  const url = new URL(baseUrl);
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return !(url.protocol === 'http:' && local);
}
