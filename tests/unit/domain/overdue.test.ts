/**
 * The daily reminder while a target is breached (functions/domain/overdue.ts, and its place in
 * decide and watch.ts): once a working day at the opening of the provider's day, the first the
 * working day after the breach notice, none while the clock is stopped or once the target is met,
 * one (not one per day) when the scan comes late. Instants are hand-checked on New York calendars
 * in November 2026 (EST, UTC-5).
 */
import { type Calendar, compileCalendar } from '../../../functions/domain/calendar';
import { MINUTE_MS } from '../../../functions/domain/duration';
import { nextWorkingDayStart, overdueTarget } from '../../../functions/domain/overdue';
import {
  fileRequest,
  type PenaltyCharge,
  type Request,
  type RequestAction,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide } from '../../../functions/domain/request-actions';
import { findingsAt, nextWatch } from '../../../functions/domain/watch';
import { AGENT, AGREEMENT, IT, REQUESTER } from './histories';

const at = (iso: string) => Date.parse(iso);
/** Mon-Fri 9-17 in New York; Thanksgiving (Thursday 26 November) off; Friday 27 November 10:00-14:00 only. */
const cal: Calendar = compileCalendar({
  timezone: 'America/New_York',
  hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
  holidays: { dates: ['2026-11-26'] },
  overrides: { '2026-11-27': '10:00-14:00' },
});
const ROUND_THE_CLOCK: Calendar = compileCalendar({ timezone: 'America/New_York' });
const CHARGE: PenaltyCharge = { amount: 10, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };

/** A P1 (response 30m, resolution 4h) filed Thursday 19 November at 16:00 EST. */
function filed(when = at('2026-11-19T21:00:00Z'), calendar = cal): Request {
  const r = fileRequest({
    id: 'IT-9',
    number: 9,
    agreement: AGREEMENT,
    customer: 'finance',
    priority: 'P1',
    title: 'VPN down for the whole floor',
    description: '',
    requester: REQUESTER,
    at: when,
    calendar,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

function act(request: Request, action: RequestAction, actor: string, when: number, calendar = cal) {
  return decide(request, action, {
    actor,
    at: when,
    calendar,
    rights: actor === SYSTEM_ACTOR ? SYSTEM_RIGHTS : { provider: true, requester: actor === REQUESTER },
    provider: IT,
  });
}

function accepted(request: Request, action: RequestAction, actor: string, when: number, calendar = cal): Request {
  const r = act(request, action, actor, when, calendar);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value.request;
}

/** The scan's findings of type remind at `when`. */
const reminders = (request: Request, when: number, calendar = cal) =>
  findingsAt(request, calendar, when).filter((f) => f.type === 'remind');

/** Filed Thursday 16:00, its response (due 16:30) missed and recorded by the scan at 16:31. */
const breached = (calendar = cal) =>
  accepted(
    filed(undefined, calendar),
    { type: 'breach', kind: 'response', charge: CHARGE },
    SYSTEM_ACTOR,
    at('2026-11-19T21:31:00Z'),
    calendar,
  );

describe('the daily reminder of a breached target', () => {
  it('falls due at the opening of the next working day after the breach notice, and the scan watches it', () => {
    const r = breached();
    expect(overdueTarget(r)).toBe('response');
    const friday0900 = at('2026-11-20T14:00:00Z');
    expect(r.nextReminderAt).toBe(friday0900);
    expect(nextWatch(r)).toBeLessThanOrEqual(friday0900);
    expect(reminders(r, friday0900 - MINUTE_MS)).toEqual([]);
    expect(reminders(r, friday0900)).toEqual([{ type: 'remind', kind: 'response', dueAt: friday0900 }]);
  });

  it('goes out once a working day: a second one the same day is refused, the next skips the weekend', () => {
    const r = breached();
    const sent = accepted(r, { type: 'remind', kind: 'response' }, SYSTEM_ACTOR, at('2026-11-20T14:02:00Z'));
    expect(sent.overdueRemindedAt).toBe(at('2026-11-20T14:02:00Z'));
    expect(sent.nextReminderAt).toBe(at('2026-11-23T14:00:00Z')); // Monday 09:00
    expect(reminders(sent, at('2026-11-20T21:00:00Z'))).toEqual([]);
    const again = act(sent, { type: 'remind', kind: 'response' }, SYSTEM_ACTOR, at('2026-11-20T20:00:00Z'));
    expect(again).toEqual({ ok: false, error: "IT-9's next reminder is not due yet." });
  });

  it('skips a holiday and follows an override of the day’s hours', () => {
    const wednesday = accepted(
      breached(),
      { type: 'remind', kind: 'response' },
      SYSTEM_ACTOR,
      at('2026-11-25T14:00:00Z'),
    );
    // Thursday is Thanksgiving; Friday opens at 10:00.
    expect(wednesday.nextReminderAt).toBe(at('2026-11-27T15:00:00Z'));
    expect(nextWorkingDayStart(cal, at('2026-11-26T12:00:00Z'))).toBe(at('2026-11-27T15:00:00Z'));
  });

  it('sends one when the scan comes days late, and the next the working day after that', () => {
    const r = breached();
    const tuesday = at('2026-11-24T16:00:00Z');
    expect(reminders(r, tuesday)).toHaveLength(1);
    const sent = accepted(r, { type: 'remind', kind: 'response' }, SYSTEM_ACTOR, tuesday);
    expect(sent.nextReminderAt).toBe(at('2026-11-25T14:00:00Z'));
    expect(reminders(sent, tuesday + MINUTE_MS)).toEqual([]);
  });

  it('stops once the missed target is met, and while the clock waits on the requester', () => {
    const acknowledged = accepted(breached(), { type: 'acknowledge' }, AGENT, at('2026-11-20T15:00:00Z'));
    expect(overdueTarget(acknowledged)).toBeUndefined();
    expect(acknowledged.nextReminderAt).toBeUndefined();
    expect(reminders(acknowledged, at('2026-11-30T15:00:00Z'))).toEqual([]);

    // The resolution (4h from Thursday 16:00: due Friday 12:00) missed too, then paused on Monday.
    const late = accepted(
      acknowledged,
      { type: 'breach', kind: 'resolution', charge: { ...CHARGE, n: 2 } },
      SYSTEM_ACTOR,
      at('2026-11-20T17:01:00Z'),
    );
    expect(overdueTarget(late)).toBe('resolution');
    expect(late.nextReminderAt).toBe(at('2026-11-23T14:00:00Z'));
    const paused = accepted(late, { type: 'pause', note: 'Which floor?' }, AGENT, at('2026-11-23T13:30:00Z'));
    expect(paused.nextReminderAt).toBeUndefined();
    expect(reminders(paused, at('2026-11-24T14:00:00Z'))).toEqual([]);
    // The requester answers on Tuesday at 11:00: not met with a reminder at once; Wednesday's opening.
    const resumed = accepted(paused, { type: 'resume' }, REQUESTER, at('2026-11-24T16:00:00Z'));
    expect(resumed.nextReminderAt).toBe(at('2026-11-25T14:00:00Z'));
    const resolved = accepted(
      resumed,
      { type: 'resolve', note: 'Switch replaced.', cause: { category: 'tooling' } },
      AGENT,
      at('2026-11-24T17:00:00Z'),
    );
    expect(resolved.nextReminderAt).toBeUndefined();
  });

  it('on a 24x7 calendar it comes at local midnight', () => {
    const r = breached(ROUND_THE_CLOCK);
    expect(r.nextReminderAt).toBe(at('2026-11-20T05:00:00Z'));
  });

  it('is never sent for a target whose breach is not recorded yet', () => {
    const r = filed();
    expect(overdueTarget(r)).toBeUndefined();
    expect(reminders(r, at('2026-11-30T15:00:00Z'))).toEqual([]);
    const refused = act(r, { type: 'remind', kind: 'response' }, SYSTEM_ACTOR, at('2026-11-30T15:00:00Z'));
    expect(refused).toEqual({ ok: false, error: "IT-9's response target is not overdue." });
  });
});
