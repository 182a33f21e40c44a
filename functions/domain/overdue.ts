/**
 * The daily reminder while a target is breached: a live request whose recorded breach still stands
 * (the target's clock still runs: no response yet, or not resolved yet) is brought up again once a
 * working day, at the start of the provider's working day, to its assignee or (nobody assigned)
 * its channel. The first reminder comes the working day after the breach notice; a scan that comes
 * late sends one, not one per day missed. Nothing while the clock is stopped (waiting on the
 * requester, or on a third party when the agreement stops the clock for it), and nothing once the target is met or the request closed. Pure domain code; the scan
 * records a reminder with the `remind` action (request-actions.ts). Semantics: docs/breaches.md.
 */
import { DateTime } from 'luxon';
import type { Calendar } from './calendar';
import type { Request, RequestStatus } from './request';
import type { TargetKind } from './target-clock';
import { nextWorkingTime } from './working-time';

const KINDS: readonly TargetKind[] = ['response', 'resolution'];
/** request.ts LIVE_STATUSES (not imported: request.ts imports this module). */
const LIVE: readonly RequestStatus[] = [
  'open',
  'acknowledged',
  'waiting_on_requester',
  'waiting_on_third_party',
  'reopened',
];

/** The targets whose breach is recorded and whose clock still runs (none once the request is not live). */
export function overdueTargets(request: Request): TargetKind[] {
  if (!LIVE.includes(request.status)) return [];
  return KINDS.filter((kind) => request.breaches?.[kind] !== undefined && request.clocks[kind].state === 'running');
}

/** The breached target a reminder is about: the first overdue one (response before resolution). */
export const overdueTarget = (request: Request): TargetKind | undefined => overdueTargets(request)[0];

/**
 * The first working instant of the provider's next working day after `t`: the opening of the first
 * local date after `t`'s that has working time (its first working moment, 00:00 on a 24x7 calendar).
 */
export function nextWorkingDayStart(calendar: Calendar, t: number): number {
  const tomorrow = DateTime.fromMillis(t, { zone: calendar.zone }).startOf('day').plus({ days: 1 });
  return nextWorkingTime(calendar, tomorrow.toMillis());
}

/**
 * When the next daily reminder of `request` falls due, or undefined when none is due: the start of
 * the working day after the last reminder, and after the breach notice (or the clock's last resume) of
 * the earliest overdue target. Kept on the request
 * (`nextReminderAt`, worked out at each change like the ladder's next step) for the scan's index.
 */
export function nextReminderAt(request: Request, calendar: Calendar): number | undefined {
  const kinds = overdueTargets(request);
  if (kinds.length === 0) return undefined;
  // Each target counts from its breach notice, or its clock's last resume (the requester's answer
  // is not met with a reminder at once); the request from the earliest of them and its last reminder.
  const from = Math.min(
    ...kinds.map((kind) => Math.max(request.breaches![kind]!.detectedAt, request.clocks[kind].runningSince ?? 0)),
  );
  try {
    return nextWorkingDayStart(calendar, Math.max(from, request.overdueRemindedAt ?? 0));
  } catch {
    return undefined; // a calendar without working time ahead: no working day to remind on
  }
}
