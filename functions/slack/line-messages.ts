/**
 * What one history line of a request says, and to whom: the DMs it sends (the requester's
 * confirmation and updates, the assignee's warnings, the heads' breach notices and low scores, the
 * person who resolved it and their rating) and the words of its warning, escalation and reminder
 * lines, worked out from the request, its departments and calendar (and the requester's time zone,
 * asked of Slack). notify-requests.ts posts them and remembers what was sent.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Calendar } from '../domain/calendar';
import type { Department } from '../domain/department';
import type { MessageRef } from '../domain/message-ref';
import { clocksAt, type Request, SYSTEM_ACTOR } from '../domain/request';
import { clockAt, type TargetKind } from '../domain/target-clock';
import { logger } from '../log';
import { ANNOUNCE_GRACE_MS } from '../store/checks';
import type { StoredEvent } from '../store/requests';
import { breachForHead, headMark, headsOf, lateByOf } from './notify-breaches';
import { lowScoreHeads, lowScoreMark, lowScoreMessage, ratingOf } from './notify-ratings';
import type { SlackMessage } from './views/blocks';
import { breachApology, breachNotice, breachToAssignee } from './views/breaches';
import { cardBlockedNotice } from './views/card-blocked';
import { assignedDm, movedDm, requesterWroteDm } from './views/provider-dms';
import { type OverdueReminderInput, overdueReminder } from './views/reminders';
import { filedConfirmation, ratedDm, relayedReply, requesterUpdate } from './views/request-dms';
import type { CardInput } from './views/requests';
import { atRiskWarning, type EscalationInput, escalationNotice } from './views/warnings';

/** What the DMs of one history line are worked out from (also read by notify-ratings.ts). */
export interface DmContext {
  event: StoredEvent;
  request: Request;
  provider: Department;
  customer: Department | undefined;
  calendar: Calendar;
  at: number;
  link: { cardLink?: string };
  slack: WebClient;
  channel: string;
  /** Slack refused the card for the channel: why, and the card to DM instead. */
  blocked?: { problem: string; card: CardInput };
  /** The requester's DM thread about the request, once there is one (set by the first DM sent). */
  dm: { ref: MessageRef | undefined };
  /** The request's whole history: who resolved it, whether a rating came before. */
  history: StoredEvent[];
}

export interface Dm {
  user: string;
  message: SlackMessage;
  inThread?: boolean;
  /** What the line remembers the DM under: the user, unless one person gets two kinds of DM about it. */
  mark?: string;
}

/** Who hears about a history line by DM, and what they read. */
export async function directMessages(c: DmContext): Promise<Dm[]> {
  const { event, request, provider, customer } = c;
  switch (event.type) {
    case 'filed': {
      const timezone = await timezoneOf(c.slack, request.requester, provider.calendar.timezone);
      const confirmation = {
        user: request.requester,
        message: filedConfirmation({
          request,
          clocks: clocksAt(request, c.calendar, event.at),
          timezone,
          ...c.link,
          providerName: provider.name,
          channel: c.channel,
          ...(c.blocked ? { cardMissing: true } : {}),
        }),
      };
      if (!c.blocked) return [confirmation];
      const notice = cardBlockedNotice({
        ...c.blocked.card,
        channel: c.channel,
        problem: c.blocked.problem,
        providerId: provider.id,
      });
      return [
        confirmation,
        ...provider.heads.filter((h) => h !== request.requester).map((user) => ({ user, message: notice })),
      ];
    }
    case 'warn':
      return request.assignee && event.kind
        ? [
            {
              user: request.assignee,
              message: atRiskWarning({
                ...atRiskOf(request, event.kind, c.calendar, c.at),
                request,
                kind: event.kind,
                providerName: provider.name,
                ...c.link,
                toAssignee: true,
              }),
            },
          ]
        : [];
    case 'escalate': {
      const step = escalationOf(request, event, c.calendar, provider);
      if (!step) return [];
      const message = (audience: EscalationInput['audience']) => escalationNotice({ ...step, audience, ...c.link });
      if (step.audience === 'assignee' && request.assignee)
        return [{ user: request.assignee, message: message('assignee') }];
      if (step.audience === 'provider_heads')
        return provider.heads.map((user) => ({ user, message: message('provider_heads') }));
      if (step.audience === 'customer_heads')
        return (customer?.heads ?? []).map((user) => ({ user, message: message('customer_heads') }));
      return []; // the channel: the thread line, broadcast
    }
    case 'remind': {
      const reminder = reminderOf(request, event, c.calendar, provider, c.link.cardLink);
      return reminder && request.assignee
        ? [{ user: request.assignee, message: overdueReminder({ ...reminder, toAssignee: true }) }]
        : []; // nobody assigned: the thread line, broadcast to the channel
    }
    case 'breach': {
      const kind = event.kind;
      const breach = kind ? request.breaches?.[kind] : undefined;
      if (!breach || !kind) return [];
      const lateBy = lateByOf(request, kind, event.at, c.calendar);
      const dms: Dm[] = [
        {
          user: request.requester,
          message: breachApology({
            request,
            kind,
            providerName: provider.name,
            nextDue: nextDueOf(request, kind, c.calendar, c.at),
            ...c.link,
          }),
        },
      ];
      if (request.assignee && request.assignee !== request.requester)
        dms.push({
          user: request.assignee,
          message: breachToAssignee({
            request,
            kind,
            lateBy,
            dueAt: breach.dueAt,
            providerName: provider.name,
            ...c.link,
          }),
        });
      // The heads hear of a scan's breaches together (notify-breaches.ts); only when that has not
      // come within the grace (the scan died before handing it over) does each head hear of this one alone.
      if (c.at - event.at < ANNOUNCE_GRACE_MS) return dms;
      for (const user of headsOf(provider, customer))
        dms.push({
          user,
          mark: headMark(user),
          message: breachNotice({
            ...breachForHead(user, { request, kind, breach, lateBy }, provider, customer),
            ...c.link,
          }),
        });
      return dms;
    }
    case 'assign': {
      // The new assignee hears of it, and so does the one it was taken from; nobody is told what
      // they did themselves (taking a request with 👀 or "Assign me" needs no DM).
      const to = event.assignee;
      if (!to) return [];
      const dms: { user: string; message: SlackMessage }[] = [];
      if (to !== event.actor)
        dms.push({
          user: to,
          message: assignedDm({
            request,
            by: event.actor,
            providerName: provider.name,
            // As at the assignment (a retried job, hours later, says the same).
            clocks: clocksAt(request, c.calendar, event.at),
            ...c.link,
          }),
        });
      const from = event.previousAssignee;
      if (from && from !== event.actor && from !== to)
        dms.push({ user: from, message: movedDm({ request, to, by: event.actor, ...c.link }) });
      return dms;
    }
    case 'rate': {
      // The person who resolved it hears the score (and a comment added to it later); after a low
      // score each of the provider's heads hears it once, and a later comment updates that DM.
      const rating = ratingOf(c.history, event);
      const resolver = rating.resolver;
      const commentOnly = rating.score !== undefined && rating.score.seq !== event.seq;
      const alert = commentOnly ? undefined : lowScoreMessage(c, rating);
      const heads = lowScoreHeads(request, provider);
      const dms: Dm[] = alert ? heads.map((user) => ({ user, mark: lowScoreMark(user), message: alert })) : [];
      // A head who resolved it reads the low score (and its comment) in that DM alone.
      const toldAsHead = resolver !== undefined && heads.includes(resolver) && lowScoreMessage(c, rating) !== undefined;
      if (!resolver || resolver === event.actor || resolver === SYSTEM_ACTOR || event.score === undefined || toldAsHead)
        return dms;
      return [
        ...dms,
        {
          user: resolver,
          message: ratedDm({
            request,
            score: event.score,
            ...(event.note ? { comment: event.note } : {}),
            ...(commentOnly ? { commentOnly } : {}),
          }),
        },
      ];
    }
    case 'recover':
      // Service recovery: an apology, an explanation or word on progress reaches the requester in
      // their DM thread about the request, like a reply; the cause is the provider's own record.
      if (event.recovery === 'cause' || !event.note) return [];
      return [
        {
          user: request.requester,
          message: relayedReply({ event, request, providerName: provider.name }),
          inThread: true,
        },
      ];
    case 'comment':
      // The requester writing (an answer to a question, a reply in their DM's thread): whoever works
      // the request hears it at once, not only the card's thread.
      if (!event.internal && (event.side === 'requester' || event.actor === request.requester)) {
        const to = request.assignee;
        return to && to !== event.actor
          ? [{ user: to, message: requesterWroteDm({ request, by: event.actor, note: event.note ?? '', ...c.link }) }]
          : [];
      }
      // The provider's side talking: relayed into the requester's DM thread; internal notes never are.
      if (event.internal) return [];
      return [
        {
          user: request.requester,
          message: relayedReply({ event, request, providerName: provider.name }),
          inThread: true,
        },
      ];
    default: {
      if (event.actor === request.requester) return [];
      // A reminder names what was asked: the note of the pause it follows up on.
      const asked =
        event.type === 'unanswered'
          ? c.history.filter((e) => e.seq < event.seq && e.type === 'pause').at(-1)
          : undefined;
      const dm = requesterUpdate({
        event,
        request,
        providerName: provider.name,
        ...c.link,
        ...(asked?.note ? { question: asked.note } : {}),
      });
      return dm ? [{ user: request.requester, message: dm }] : [];
    }
  }
}

/** When the requester hears next after `kind` was missed: the resolution's due time while it still runs, else null. */
function nextDueOf(request: Request, kind: TargetKind, calendar: Calendar, at: number): number | null {
  if (kind === 'resolution' || request.breaches?.resolution) return null;
  const view = clockAt(calendar, request.clocks.resolution, Math.max(at, request.updatedAt));
  return view.status === 'running' || view.status === 'at_risk' ? view.due : null;
}

function atRiskOf(
  request: Request,
  kind: TargetKind,
  calendar: Calendar,
  at: number,
): { remaining: number; due: number | null } {
  const view = clockAt(calendar, request.clocks[kind], Math.max(at, request.updatedAt));
  return { remaining: Math.max(0, view.remaining), due: view.due };
}

/**
 * What an escalate line says and to whom: its ladder step on the request, the time left on the
 * target it watches and how late it went out. A step for the assignee goes to the provider's
 * channel while nobody is assigned.
 */
export function escalationOf(
  request: Request,
  event: StoredEvent,
  calendar: Calendar,
  provider: Department,
): EscalationInput | undefined {
  if (event.type !== 'escalate' || event.step === undefined || !event.kind) return undefined;
  const step = request.ladder?.[event.step];
  if (!step) return undefined;
  const view = clockAt(calendar, request.clocks[event.kind], Math.max(event.at, request.updatedAt));
  return {
    request,
    step: event.step,
    kind: event.kind,
    ...(step.unacknowledgedFor !== undefined ? { unacknowledgedFor: step.unacknowledgedFor } : { share: step.at }),
    remaining: view.remaining,
    due: view.due,
    lateBy: Math.max(0, event.at - (event.stepAt ?? event.at)),
    providerName: provider.name,
    audience: step.notify === 'assignee' && !request.assignee ? 'channel' : step.notify,
  };
}

/** What a daily reminder says: the breached target it is about, how far over, and when it was due. */
export function reminderOf(
  request: Request,
  event: StoredEvent,
  calendar: Calendar,
  provider: Department,
  cardLink: string | undefined,
): Omit<OverdueReminderInput, 'toAssignee'> | undefined {
  const kind = event.kind;
  const breach = kind ? request.breaches?.[kind] : undefined;
  if (event.type !== 'remind' || !kind || !breach) return undefined;
  return {
    request,
    kind,
    lateBy: lateByOf(request, kind, event.at, calendar),
    dueAt: breach.dueAt,
    providerName: provider.name,
    ...(cardLink ? { cardLink } : {}),
  };
}

/** The thread line of a warning nobody is assigned to: it mentions the provider's people on duty. */
export function atRiskText(
  request: Request,
  kind: TargetKind,
  calendar: Calendar,
  at: number,
  provider: Department,
): string {
  return atRiskWarning({
    ...atRiskOf(request, kind, calendar, at),
    request,
    kind,
    providerName: provider.name,
    toAssignee: false,
    onDuty: provider,
  }).text;
}

/** A rate limit: the job goes back on the queue and tries again after Retry-After, with nothing left out. */
export const rateLimited = (err: unknown) => (err as { code?: string }).code === ErrorCode.RateLimitedError;

/** The person's own time zone (users.info); the provider's when Slack does not say. */
async function timezoneOf(slack: WebClient, user: string, fallback: string): Promise<string> {
  try {
    const out = await slack.users.info({ user });
    return out.user?.tz ?? fallback;
  } catch (err) {
    if (rateLimited(err)) throw err;
    logger.warn('time zone not read', { error: (err as Error).message });
    return fallback;
  }
}
