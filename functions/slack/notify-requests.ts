/**
 * The worker's side of requests: brings Slack up to date with what the table says. Posts the card
 * in the provider's channel (or updates it), then tells Slack each history line it has not told
 * yet, oldest first: a reply in the card's thread and DMs to whoever should hear of it (the
 * requester: the filing confirmation, acknowledge, waiting on you, resolved with the rating prompt;
 * the person who resolved it: the requester's rating; the provider's heads: a score of 2 or less,
 * updated in place when its comment follows;
 * the assignee: an at-risk warning, or with nobody assigned a line shown in the channel that
 * mentions the department's user group or members; the heads of both
 * departments: a breach, with its penalty and a recovery checklist). Then the request's check moves
 * on to its next deadline.
 * One worker per request at a time (a lease lock); each card and line is posted, then remembered,
 * so a retried job skips what is already in Slack, and so does one sent again after a rate limit.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Department } from '../domain/department';
import { findDepartment } from '../domain/directory';
import type { MessageRef } from '../domain/message-ref';
import { clocksAt, type Request } from '../domain/request';
import { logger } from '../log';
import { calendarOf } from '../services/calendars';
import { ANNOUNCE_GRACE_MS, settleCheck } from '../store/checks';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import {
  markAnnounced,
  markDmed,
  markThreadPosted,
  moveCard,
  releaseLock,
  rememberCard,
  rememberDmThread,
  rememberThread,
  takeLock,
} from '../store/request-slack';
import { getRequestRecord, type StoredEvent } from '../store/requests';
import { WORKER_TIMEOUT_SECONDS } from '../work/worker-settings';
import { postDm, REFUSED_DM_TS } from './dm';
import { atRiskText, type DmContext, directMessages, escalationOf, rateLimited, reminderOf } from './line-messages';
import { headMark, headsOf } from './notify-breaches';
import { closeRatingOnAutoClose, updateLowScoreAlerts } from './notify-ratings';
import { isChannelProblem } from './views/card-blocked';
import { historyLine } from './views/history';
import { overdueReminder } from './views/reminders';
import { type CardInput, filedFromMessageReply, movedCard, requestCard } from './views/requests';
import { escalationNotice, onDutyMentions } from './views/warnings';

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

/**
 * One worker's hold on a request: longer than the worker Lambda may run, so a lease never runs out
 * under a worker that is still posting (another would then post a second card); 30 s more for the
 * clocks of two machines. A lease left by a worker that died is taken over after it.
 */
export const REQUEST_LEASE_MS = (WORKER_TIMEOUT_SECONDS + 30) * 1000;

export async function announceRequest(deps: RequestNotifyDeps, id: string): Promise<void> {
  const now = deps.now ?? (() => new Date());
  const owner = randomUUID();
  if (!(await takeLock(deps.db, id, owner, now(), REQUEST_LEASE_MS))) throw new RequestBusyError(id);
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
    return settleCheck(deps.db, request); // nothing the scan could do about it either
  }
  const customer = findDepartment(dir, request.customer);
  const at = now().getTime();
  const calendar = calendarOf(provider);
  const shown: CardInput = {
    request,
    clocks: clocksAt(request, calendar, at),
    at,
    providerName: provider.name,
    customerName: customer?.name ?? request.customer,
  };
  const card = requestCard(shown);

  let ref: MessageRef | undefined = record.card;
  let problem: string | undefined;
  // Handed over since the card was posted: the old card says where it went, and a new one is posted.
  const cardFor = record.cardProvider ?? request.transfers?.[0]?.from ?? request.provider;
  const moved = request.transfers?.at(-1);
  if (ref && moved && cardFor !== request.provider) {
    await moveOldCard(deps, request, ref, moved, provider);
    ref = undefined;
  }
  if (!ref) {
    const posted = await refusedByChannel(
      () =>
        deps.slack.chat.postMessage({
          channel: provider.channel,
          text: card.text,
          blocks: card.blocks,
          unfurl_links: false,
        }),
      id,
    );
    if ('problem' in posted) problem = posted.problem;
    else {
      ref = { channel: String(posted.channel ?? provider.channel), ts: String(posted.ts) };
      // The pointer first: a crash before rememberCard posts a new card (and pointer) on the retry.
      await rememberThread(deps.db, ref, { id, where: 'card', provider: provider.id });
      const kept = record.card
        ? await moveCard(deps.db, id, record.card, ref, provider.id)
        : await rememberCard(deps.db, id, ref, provider.id);
      if (!kept) {
        // Another worker posted a card first (this one's lease ran out mid-way): keep theirs.
        await deps.slack.chat
          .delete({ channel: ref.channel, ts: ref.ts })
          .catch((err: Error) => logger.warn('duplicate card not deleted', { id, error: err.message }));
        throw new RequestBusyError(id);
      }
    }
  } else {
    const updated = await refusedByChannel(
      () => deps.slack.chat.update({ channel: ref!.channel, ts: ref!.ts, text: card.text, blocks: card.blocks }),
      id,
    );
    if ('problem' in updated) problem = updated.problem;
  }
  if (problem !== undefined || !ref) {
    const blocked = { problem: problem ?? 'channel_not_found', card: shown };
    return announceWithoutCard(
      deps,
      record.events,
      {
        request,
        provider,
        customer,
        calendar,
        at,
        link: {},
        slack: deps.slack,
        channel: ref?.channel ?? provider.channel,
        blocked,
        dm: { ref: record.dm },
        history: record.events,
      },
      now,
    );
  }

  const pending = record.events.filter((e) => !e.announcedAt).sort((a, b) => a.seq - b.seq);
  if (pending.length === 0) return settleCheck(deps.db, request);
  const cardLink = await permalink(deps.slack, ref);
  const link = cardLink ? { cardLink } : {};
  const dm = { ref: record.dm };
  const nameOf = await namesOf(
    deps.slack,
    pending.map((e) => e.actor),
  );
  let awaited = false;
  for (const event of pending) {
    // A reply said in the card's own thread is there already: it is not posted again (no echo).
    const saidInThread = event.via?.channel === ref.channel;
    // The thread line is remembered on its own, so a DM that fails (and is tried again) never repeats it.
    if (event.type !== 'filed' && !event.threadTs && !saidInThread) {
      const step = escalationOf(request, event, calendar, provider);
      const stepInChannel = step?.audience === 'channel';
      const remindsChannel = event.type === 'remind' && !request.assignee;
      // An assignee who left Slack: the channel hears that the request is back in the queue.
      const backInQueue = event.type === 'unassign' && !request.assignee;
      const warnsChannel =
        (event.type === 'warn' && !request.assignee) || stepInChannel || remindsChannel || backInQueue;
      const reminder = remindsChannel ? reminderOf(request, event, calendar, provider, cardLink) : undefined;
      const text =
        step && stepInChannel
          ? escalationNotice({ ...step, onDuty: provider }).text
          : reminder
            ? overdueReminder({ ...reminder, toAssignee: false, onDuty: provider }).text
            : backInQueue
              ? `${historyLine(event, request.id, provider.name, nameOf)}
${onDutyMentions(provider)}: could one of you take it? Press *Assign to me* on the card.`
              : warnsChannel && event.kind
                ? atRiskText(request, event.kind, calendar, at, provider)
                : historyLine(event, request.id, provider.name, nameOf);
      const line = await deps.slack.chat.postMessage({
        channel: ref.channel,
        thread_ts: ref.ts,
        text,
        unfurl_links: false,
        reply_broadcast: warnsChannel,
      });
      await markThreadPosted(deps.db, id, event.seq, String(line.ts));
    }
    await replyUnderSource(deps, request, event, provider.name, cardLink);
    await sendDms(deps, {
      event,
      request,
      provider,
      customer,
      calendar,
      at,
      link,
      slack: deps.slack,
      channel: ref.channel,
      dm,
      history: record.events,
    });
    if (headsAwaited(event, provider, customer, at)) awaited = true;
    else await markAnnounced(deps.db, id, event.seq, now());
  }
  // A line still waiting for the heads' batch keeps the check due (the scan comes back after the grace).
  if (!awaited) await settleCheck(deps.db, request);
}

/**
 * The first provider's card after a transfer: updated to say where the request went, by whom and
 * why, without buttons (an update says the same however often a retry sends it). A channel that
 * refuses it does not hold up the new card.
 */
async function moveOldCard(
  deps: RequestNotifyDeps,
  request: Request,
  ref: MessageRef,
  moved: NonNullable<Request['transfers']>[number],
  to: Department,
): Promise<void> {
  const message = movedCard({ request, toName: to.name, by: moved.by, reason: moved.reason, at: moved.at });
  await refusedByChannel(
    () => deps.slack.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }),
    request.id,
  );
}

/**
 * A card post or update; a refusal no retry changes (Kept not in the channel, the channel gone or
 * archived) comes back as `problem` instead of failing the job over and over.
 */
async function refusedByChannel<T>(call: () => Promise<T>, id: string): Promise<T | { problem: string }> {
  try {
    return await call();
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    const problem = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
    if (!isChannelProblem(problem)) throw err;
    logger.warn('request card refused by Slack; DMs only until it can be posted', { id, error: problem });
    return { problem };
  }
}

/** Slack errors a later try may not get: anything else Slack refuses, it will refuse again. */
const PASSING_SLACK_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * The reply under the message a request was filed from (the shortcut or :ticket:), once: the
 * `filed` line remembers it as its thread reply, so a redelivered job posts nothing more. A reply
 * Slack refuses for good (a private channel or DM Kept is not in, the message deleted) is logged
 * and remembered as refused; a rate limit or an outage fails the job, which is tried again.
 */
async function replyUnderSource(
  deps: RequestNotifyDeps,
  request: Request,
  event: StoredEvent,
  providerName: string,
  cardLink: string | undefined,
): Promise<void> {
  const source = request.source;
  if (event.type !== 'filed' || !source || event.threadTs) return;
  let ts: string;
  try {
    const posted = await deps.slack.chat.postMessage({
      channel: source.channel,
      thread_ts: source.thread ?? source.ts,
      text: filedFromMessageReply({ request, providerName, ...(cardLink ? { cardLink } : {}) }),
      unfurl_links: false,
    });
    ts = String(posted.ts);
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    const error = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
    if (error === undefined || PASSING_SLACK_ERRORS.has(error)) throw err;
    logger.warn('reply under the filed message refused by Slack', { id: request.id, error });
    ts = REFUSED_DM_TS;
  }
  await markThreadPosted(deps.db, request.id, event.seq, ts);
}

/**
 * The channel refuses the card: the DMs still go out (for a new request the requester's
 * confirmation says the card is missing and the provider's heads get the card with what to fix),
 * each remembered as usual, and the lines count as told: their thread replies are skipped, so the
 * scan has nothing to send again and does not retry a refused channel every few minutes. The next
 * change or deadline after someone invites Kept posts the card (or brings it up to date), and the
 * thread goes on from there.
 */
async function announceWithoutCard(
  deps: RequestNotifyDeps,
  events: StoredEvent[],
  c: Omit<DmContext, 'event'>,
  now: () => Date,
): Promise<void> {
  let awaited = false;
  for (const event of events.filter((e) => !e.announcedAt).sort((a, b) => a.seq - b.seq)) {
    await replyUnderSource(deps, c.request, event, c.provider.name, undefined);
    await sendDms(deps, { ...c, event });
    if (headsAwaited(event, c.provider, c.customer, c.at)) awaited = true;
    else await markAnnounced(deps.db, c.request.id, event.seq, now());
  }
  if (!awaited) await settleCheck(deps.db, c.request);
}

/**
 * The DMs of one history line, each posted once: one already remembered is skipped. Each DM to the
 * requester leaves a thread pointer (a reply under it reaches the card's thread), and the first one
 * is their DM thread about the request, where the provider's replies are relayed.
 */
async function sendDms(deps: RequestNotifyDeps, c: DmContext): Promise<void> {
  for (const dm of await directMessages(c)) {
    const mark = dm.mark ?? dm.user;
    if (c.event.dmed[mark]) continue;
    const toRequester = dm.user === c.request.requester;
    const thread = dm.inThread ? c.dm.ref : undefined;
    const sent = await postDm(deps.slack, dm.user, dm.message, c.request.id, thread);
    if (sent && toRequester) {
      const top = thread ?? sent;
      await rememberThread(deps.db, top, { id: c.request.id, where: 'dm', provider: c.request.provider });
      if (!c.dm.ref && (await rememberDmThread(deps.db, c.request.id, sent))) c.dm.ref = sent;
    }
    await markDmed(deps.db, c.request.id, c.event.seq, mark, sent?.ts ?? REFUSED_DM_TS);
    // The same line object is in the history: a later line of this job reads what was sent.
    c.event.dmed[mark] = sent?.ts ?? REFUSED_DM_TS;
  }
  await updateLowScoreAlerts(deps, c);
  await closeRatingOnAutoClose(deps, c);
}

/**
 * A breach line whose heads are still to hear of it from the scan's batch (within the grace): it is
 * not marked told yet, so the scan hands the request over again after the grace, and then either
 * finds the heads told or tells each of them itself.
 */
function headsAwaited(event: StoredEvent, provider: Department, customer: Department | undefined, at: number): boolean {
  if (event.type !== 'breach' || at - event.at >= ANNOUNCE_GRACE_MS) return false;
  return headsOf(provider, customer).some((user) => !event.dmed[headMark(user)]);
}

async function permalink(slack: WebClient, ref: MessageRef): Promise<string | undefined> {
  try {
    const out = await slack.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    return out.permalink;
  } catch (err) {
    if (rateLimited(err)) throw err;
    logger.warn('card permalink not read', { error: (err as Error).message });
    return undefined;
  }
}

/** People's names by ID, as Slack shows them, kept for 10 minutes (users.info is per person). */
const NAME_TTL_MS = 10 * 60_000;
const names = new Map<string, { name: string; until: number }>();

/**
 * The names of the people who acted, for the thread lines (historyLine names the actor instead of
 * mentioning them). A name Slack does not give (refused, rate-limited) leaves the mention.
 */
async function namesOf(slack: WebClient, users: readonly string[]): Promise<(user: string) => string | undefined> {
  const now = Date.now();
  for (const user of new Set(users.filter((u) => /^[UW][A-Z0-9]+$/.test(u)))) {
    if ((names.get(user)?.until ?? 0) > now) continue;
    try {
      const out = await slack.users.info({ user });
      const profile = out.user?.profile as { display_name?: string; real_name?: string } | undefined;
      const name = profile?.display_name || out.user?.real_name || profile?.real_name || out.user?.name;
      if (name) names.set(user, { name, until: now + NAME_TTL_MS });
    } catch {
      // The line mentions them instead; nothing else depends on the name.
    }
  }
  return (user) => names.get(user)?.name;
}
