/**
 * Slack request signatures (https://api.slack.com/authentication/verifying-requests-from-slack):
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. Checked on the
 * raw bytes before anything is parsed, by both front doors (local HTTP and Lambda). Unlike
 * Bolt's own check, a timestamp too far in the future is refused as well as one too old.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 5 * 60;

export interface SignedRequest {
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  /** The body exactly as received (UTF-8 text). */
  rawBody: string | Buffer;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verifySlackRequest(signingSecret: string, req: SignedRequest, nowMs = Date.now()): Verdict {
  const { signature, timestamp } = req;
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS)
    return { ok: false, reason: 'timestamp outside the 5-minute window' };
  const match = /^v0=([0-9a-f]{64})$/.exec(signature);
  if (!match) return { ok: false, reason: 'malformed signature' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(req.rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'))
    ? { ok: true }
    : { ok: false, reason: 'signature mismatch' };
}

/** Header lookup that ignores case, for API Gateway events (whose header names vary in case). */
export function header(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
