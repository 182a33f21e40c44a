/**
 * The worker's side of requests: brings Slack up to date with what the table says. Posts the card
 * in the provider's channel (or updates it), then tells Slack each history line it has not told
 * yet, oldest first: a reply in the card's thread and, where the requester should hear it, a DM
 * (the filing confirmation, acknowledge, waiting on you, resolved with the rating prompt).
 * One worker per request at a time (a lease lock); each card and line is posted, then remembered,
 * so a retried job skips what is already in Slack.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { findDepartment } from '../domain/directory';
import { clocksAt } from '../domain/request';
import { logger } from '../log';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { clearSlackCheck, getRequestRecord, markAnnounced, markThreadPosted, releaseLock, rememberCard, takeLock, type CardRef } from '../store/requests';
import { calendarOf } from './requests';
import { filedConfirmation, historyLine, requestCard, requesterUpdate } from './views/requests';

export interface RequestNotifyDeps {
  db: Db;
  slack: WebClient;
  now?: () => Date;
}

/** Thrown when another worker is busy with the same request: the job is tried again later. */
export class RequestBusyError extends Error {
  constructor(id: string) {
    super(`another worker is updating ${id} in Slack; trying again later`);
    this.name = 'RequestBusyError';
  }
}

const LEASE_MS = 60_000;

export async function syncRequest(deps: RequestNotifyDeps, id: string): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const owner = randomUUID();
  if (!(await takeLock(deps.db, id, owner, now(), LEASE_MS))) throw new RequestBusyError(id);
  try {
    await sync(deps, id, now);
  } finally {
    await releaseLock(deps.db, id, owner);
  }
}

async function sync(deps: RequestNotifyDeps, id: string, now: () => Date): Promise<void> {
  const [record, dir] = await Promise.all([getRequestRecord(deps.db, id), readDirectory(deps.db)]);
  if (!record) return; // nothing to tell
  const { request } = record;
  const provider = findDepartment(dir, request.provider);
  if (!provider) {
    logger.warn('request of an unknown department not posted', { id, provider: request.provider });
    return clearSlackCheck(deps.db, id, request.rev); // nothing the scan could do about it either
  }
  const at = now().getTime();
  const calendar = calendarOf(provider);
  const card = requestCard({
    request,
    clocks: clocksAt(request, calendar, at),
    at,
    providerName: provider.name,
    customerName: findDepartment(dir, request.customer)?.name ?? request.customer,
  });

  let ref: CardRef | undefined = record.card;
  if (!ref) {
    const posted = await deps.slack.chat.postMessage({ channel: provider.channel, text: card.text, blocks: card.blocks, unfurl_links: false });
    ref = { channel: String(posted.channel ?? provider.channel), ts: String(posted.ts) };
    if (!(await rememberCard(deps.db, id, ref))) {
      // Another worker posted a card first (this one's lease ran out mid-way): keep theirs.
      await deps.slack.chat.delete({ channel: ref.channel, ts: ref.ts }).catch((err: Error) => logger.warn('duplicate card not deleted', { id, error: err.message }));
      throw new RequestBusyError(id);
    }
  } else {
    await deps.slack.chat.update({ channel: ref.channel, ts: ref.ts, text: card.text, blocks: card.blocks });
  }

  const pending = record.events.filter((e) => !e.announcedAt).sort((a, b) => a.seq - b.seq);
  if (pending.length === 0) return clearSlackCheck(deps.db, id, request.rev);
  const cardLink = await permalink(deps.slack, ref);
  for (const event of pending) {
    if (event.type === 'filed') {
      const timezone = await timezoneOf(deps.slack, request.requester, provider.calendar.timezone);
      const message = filedConfirmation({ request, clocks: clocksAt(request, calendar, event.at), timezone, ...(cardLink ? { cardLink } : {}), providerName: provider.name, channel: ref.channel });
      await dmRequester(deps, request.requester, message, id);
    } else {
      // The thread line is remembered on its own, so a DM that fails (and is tried again) never repeats it.
      if (!event.threadTs) {
        const line = await deps.slack.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: historyLine(event, request.id), unfurl_links: false });
        await markThreadPosted(deps.db, id, event.seq, String(line.ts));
      }
      const dm = event.actor === request.requester ? undefined : requesterUpdate({ event, request, providerName: provider.name, ...(cardLink ? { cardLink } : {}) });
      if (dm) await dmRequester(deps, request.requester, dm, id);
    }
    await markAnnounced(deps.db, id, event.seq, now());
  }
  await clearSlackCheck(deps.db, id, request.rev);
}

/**
 * A DM to the requester. Slack refusing it outright (a deactivated account, a bot, DMs closed:
 * `ok: false`) will not change on a retry, so it is logged and skipped; a rate limit, a timeout
 * or a 5xx is thrown, and the job is tried again.
 */
async function dmRequester(deps: RequestNotifyDeps, user: string, message: { text: string; blocks: unknown[] }, id: string): Promise<void> {
  try {
    await deps.slack.chat.postMessage({ channel: user, text: message.text, blocks: message.blocks as never, unfurl_links: false });
  } catch (err) {
    if ((err as { code?: string }).code !== ErrorCode.PlatformError) throw err;
    logger.warn('requester DM refused by Slack; not tried again', { id, error: (err as Error).message });
  }
}

async function permalink(slack: WebClient, ref: CardRef): Promise<string | undefined> {
  try {
    const out = await slack.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    return out.permalink;
  } catch (err) {
    logger.warn('card permalink not read', { error: (err as Error).message });
    return undefined;
  }
}

/** The person's own time zone (users.info); the provider's when Slack does not say. */
async function timezoneOf(slack: WebClient, user: string, fallback: string): Promise<string> {
  try {
    const out = await slack.users.info({ user });
    return out.user?.tz ?? fallback;
  } catch (err) {
    logger.warn('time zone not read', { error: (err as Error).message });
    return fallback;
  }
}
