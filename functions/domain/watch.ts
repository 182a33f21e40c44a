/**
 * The scan's watch rules: the next instant something may happen to a request (an at-risk point
 * or a due time of a running target, a missed target not yet recorded, or the end of a resolved
 * request's reopen window), and what has happened by a given instant. Pure domain code; the scan
 * and the store call it. (A `Breach` is the recorded miss, in request.ts.)
 */
import type { Calendar } from './calendar';
import { pendingSteps } from './escalation';
import { overdueTarget } from './overdue';
import { AUTO_CLOSE_MS, type Request } from './request';
import { clockAt, type TargetKind } from './target-clock';
import { dueWait, type WaitingRule } from './waiting';

export const TARGET_KINDS: readonly TargetKind[] = ['response', 'resolution'];

/**
 * The earliest instant at which the scan should look at `request` again, or null when nothing
 * is left to watch (both targets met in time or their breaches recorded, and the request closed,
 * cancelled, or resolved and waiting out its reopen window).
 * A running clock breaches strictly after its due instant, hence `dueAt + 1`.
 */
export function nextWatch(request: Request): number | null {
  let next: number | null = null;
  const consider = (t: number) => {
    if (next === null || t < next) next = t;
  };
  for (const kind of TARGET_KINDS) {
    if (request.breaches?.[kind]) continue;
    const c = request.clocks[kind];
    if (c.breachedAt !== null)
      consider(c.breachedAt); // missed while stopped (met late, paused or cancelled late)
    else if (c.state === 'running' && c.dueAt !== null) {
      if (warnsAtRisk(request) && request.warned?.[kind] === undefined && c.atRiskAt !== null && c.atRiskAt < c.dueAt)
        consider(c.atRiskAt);
      else consider(c.dueAt + 1);
    }
  }
  // The next escalation step, worked out with the calendar at the request's last change.
  if (request.nextStepAt !== undefined) consider(request.nextStepAt);
  // The next daily reminder of a breached target whose clock still runs.
  if (request.nextReminderAt !== undefined) consider(request.nextReminderAt);
  // The next waiting rule (remind the requester, resume or close), likewise.
  if (request.nextWaitAt !== undefined) consider(request.nextWaitAt);
  const closesAt = autoCloseAt(request);
  if (closesAt !== null) consider(closesAt);
  return next;
}

/** An agreement with an escalation ladder sends its steps instead of the one at-risk warning. */
const warnsAtRisk = (request: Request): boolean => !request.ladder?.length;

/** When a resolved request closes itself (the end of its reopen window), or null when it is not resolved. */
export function autoCloseAt(request: Pick<Request, 'status' | 'resolvedAt'>): number | null {
  return request.status === 'resolved' && request.resolvedAt !== undefined ? request.resolvedAt + AUTO_CLOSE_MS : null;
}

export type Finding =
  | { type: 'breach'; kind: TargetKind; dueAt: number; lateBy: number }
  | { type: 'warn'; kind: TargetKind; remaining: number; due: number | null }
  /** A ladder step whose instant `dueAt` has come (`lateBy` after it, when the scan comes late). */
  | { type: 'escalate'; step: number; kind: TargetKind; dueAt: number; lateBy: number }
  /** The daily reminder of a breached target still running (overdue.ts), due since `dueAt`. */
  | { type: 'remind'; kind: TargetKind; dueAt: number }
  /** A waiting rule whose instant `dueAt` has come (waiting.ts `dueWait`). */
  | { type: 'unanswered'; rule: WaitingRule; dueAt: number; lateBy: number }
  | { type: 'close'; at: number };

/**
 * What the scan must record at `now`: breaches first (at their true due instant), then at-risk
 * warnings and escalation steps due (earliest first), then closing a resolved request whose reopen window is over (after its breaches, so a
 * late resolve is charged before the request closes).
 */
export function findingsAt(request: Request, calendar: Calendar, now: number): Finding[] {
  const breaches: Finding[] = [];
  const warnings: Finding[] = [];
  const at = Math.max(now, request.updatedAt);
  for (const kind of TARGET_KINDS) {
    if (request.breaches?.[kind]) continue;
    const view = clockAt(calendar, request.clocks[kind], at);
    if (view.breachedAt !== null)
      breaches.push({ type: 'breach', kind, dueAt: view.breachedAt, lateBy: Math.max(0, -view.remaining) });
    else if (view.status === 'at_risk' && warnsAtRisk(request) && request.warned?.[kind] === undefined)
      warnings.push({ type: 'warn', kind, remaining: view.remaining, due: view.due });
  }
  for (const step of pendingSteps(request, calendar))
    if (step.at <= at)
      warnings.push({ type: 'escalate', step: step.index, kind: step.kind, dueAt: step.at, lateBy: at - step.at });
  const overdue = overdueTarget(request);
  if (overdue && request.nextReminderAt !== undefined && request.nextReminderAt <= at)
    warnings.push({ type: 'remind', kind: overdue, dueAt: request.nextReminderAt });
  const wait = dueWait(request, calendar, at);
  if (wait) warnings.push({ type: 'unanswered', rule: wait.rule, dueAt: wait.at, lateBy: at - wait.at });
  const closesAt = autoCloseAt(request);
  const close: Finding[] = closesAt !== null && now >= closesAt ? [{ type: 'close', at: closesAt }] : [];
  return [
    ...breaches.sort((a, b) => (a as { dueAt: number }).dueAt - (b as { dueAt: number }).dueAt),
    ...warnings,
    ...close,
  ];
}
