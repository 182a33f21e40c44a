/**
 * Waiting on the requester, with the agreement's rules (`waiting` in the agreement; docs/clock.md
 * "Waiting"): once a request has waited for `remindAfter` working time Kept reminds the requester,
 * once per pause; after `resumeAfter` the resolution clock runs again, or after `closeAfter` the
 * request closes. Each instant is counted from the pause in the provider's working time, worked out
 * with the calendar at each change and kept on the request (`nextWaitAt`) for the scan's index,
 * like an escalation ladder's steps. Also the bookkeeping of how long a request waited (`waited`).
 * Pure domain code; the scan records a rule with the `unanswered` action (request-actions.ts).
 */
import type { Calendar } from './calendar';
import type { Request } from './request';
import { addWorkingTime, workingTimeBetween } from './working-time';

export const WAITING_RULES = ['remind', 'resume', 'close'] as const;
export type WaitingRule = (typeof WAITING_RULES)[number];

/** A rule of the current wait that has not been applied yet, and its instant. */
export interface PendingWait {
  rule: WaitingRule;
  at: number;
}

/** How long a request waited on its requester: working ms over every pause, and how many pauses. */
export interface Waited {
  ms: number;
  pauses: number;
}

/**
 * The rules of the current wait still to apply, earliest first: the reminder (until it is sent),
 * then the end of the wait (resume or close). Empty unless the request waits on its requester
 * under an agreement with waiting rules.
 */
export function pendingWaits(request: Request, calendar: Calendar): PendingWait[] {
  const terms = request.waitRules;
  const since = request.waitingSince;
  if (!terms || request.status !== 'waiting_on_requester' || since === undefined) return [];
  const out: PendingWait[] = [];
  if (terms.remindAfter !== undefined && request.remindedAt === undefined)
    out.push({ rule: 'remind', at: addWorkingTime(calendar, since, terms.remindAfter) });
  if (terms.resumeAfter !== undefined)
    out.push({ rule: 'resume', at: addWorkingTime(calendar, since, terms.resumeAfter) });
  else if (terms.closeAfter !== undefined)
    out.push({ rule: 'close', at: addWorkingTime(calendar, since, terms.closeAfter) });
  return out.sort((a, b) => a.at - b.at);
}

/** The instant of the next waiting rule, or undefined when none is left (kept on the request for the scan's index). */
export function nextWaitAt(request: Request, calendar: Calendar): number | undefined {
  return pendingWaits(request, calendar)[0]?.at;
}

/**
 * The rule to apply at `at`, if any: the end of the wait once it has come (a reminder not sent by
 * then is moot, and is not sent), else the reminder once it has come.
 */
export function dueWait(request: Request, calendar: Calendar, at: number): PendingWait | undefined {
  const due = pendingWaits(request, calendar).filter((w) => w.at <= at);
  return due.find((w) => w.rule !== 'remind') ?? due[0];
}

/** How long the request has waited on its requester by `at`: the pauses that ended, and the current one so far. */
export function waitedAt(request: Request, calendar: Calendar, at: number): Waited {
  const done = request.waited ?? { ms: 0, pauses: 0 };
  if (request.status !== 'waiting_on_requester' || request.waitingSince === undefined) return done;
  return {
    ms: done.ms + workingTimeBetween(calendar, request.waitingSince, Math.max(at, request.waitingSince)),
    pauses: done.pauses,
  };
}

/**
 * The waiting bookkeeping of a change from `before` to `after` at `at`: a new pause starts its
 * count (and is counted), a pause that ends adds its working time to `waited`. Nothing otherwise.
 */
export function waitingChanges(before: Request, after: Request, calendar: Calendar, at: number): Partial<Request> {
  const was = before.status === 'waiting_on_requester';
  const is = after.status === 'waiting_on_requester';
  const done = before.waited ?? { ms: 0, pauses: 0 };
  if (!was && is) return { waitingSince: at, remindedAt: undefined, waited: { ms: done.ms, pauses: done.pauses + 1 } };
  if (was && !is) return { waitingSince: undefined, remindedAt: undefined, waited: waitedAt(before, calendar, at) };
  return {};
}
