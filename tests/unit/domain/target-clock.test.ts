import { type Calendar, parseCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS } from '../../../functions/domain/duration';
import {
  clockAt,
  cycleStartedAt,
  dueIfResumedAt,
  meetClock,
  pauseClock,
  reopenClock,
  resumeClock,
  retargetClock,
  startClock,
  statusAt,
  type TargetClock,
} from '../../../functions/domain/target-clock';

const r = parseCalendar({
  timezone: 'America/New_York',
  hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
  holidays: { country: 'US' },
});
if (!r.ok) throw new Error(r.error.join('\n'));
const cal: Calendar = r.value;
const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
function ok(result: ReturnType<typeof pauseClock>): TargetClock {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

// An 8h resolution target filed Mon 23 Nov 2026 09:00 EST (14:00Z). All instants hand-checked.
const filed = ok(startClock(cal, { kind: 'resolution', target: 8 * HOUR_MS, at: at('2026-11-23T14:00:00Z') }));

describe('target clock', () => {
  it('runs from filing: due at the close, at risk after 75% (6h)', () => {
    expect(iso(filed.dueAt)).toBe('2026-11-23T22:00:00.000Z');
    expect(statusAt(cal, filed, at('2026-11-23T19:59:59Z'))).toBe('running');
    expect(statusAt(cal, filed, at('2026-11-23T20:00:00Z'))).toBe('at_risk');
    // Due exactly now is still on time; a millisecond later it is breached.
    expect(statusAt(cal, filed, at('2026-11-23T22:00:00Z'))).toBe('at_risk');
    expect(statusAt(cal, filed, at('2026-11-23T22:00:00.001Z'))).toBe('breached');
    const view = clockAt(cal, filed, at('2026-11-23T18:00:00Z'));
    expect(view).toMatchObject({
      status: 'running',
      elapsed: 4 * HOUR_MS,
      remaining: 4 * HOUR_MS,
      fraction: 0.5,
      due: at('2026-11-23T22:00:00Z'),
    });
  });

  it('honours a custom at-risk threshold', () => {
    const strict = ok(
      startClock(cal, { kind: 'response', target: 8 * HOUR_MS, threshold: 0.5, at: at('2026-11-23T14:00:00Z') }),
    );
    expect(statusAt(cal, strict, at('2026-11-23T18:00:00Z'))).toBe('at_risk');
  });

  // Paused Mon 11:00 EST (2h used), resumed Tue 10:00 EST: 6h left, due Tue 16:00 EST.
  const paused = ok(pauseClock(cal, filed, at('2026-11-23T16:00:00Z')));
  const resumed = ok(resumeClock(cal, paused, at('2026-11-24T15:00:00Z')));

  it('pauses and resumes with the time already used', () => {
    const view = clockAt(cal, paused, at('2026-11-24T14:00:00Z'));
    expect(view).toMatchObject({ status: 'paused', elapsed: 2 * HOUR_MS, due: null });
    expect(iso(dueIfResumedAt(cal, paused, at('2026-11-24T15:00:00Z')))).toBe('2026-11-24T21:00:00.000Z');
    expect(iso(resumed.dueAt)).toBe('2026-11-24T21:00:00.000Z');
    expect(clockAt(cal, resumed, at('2026-11-24T16:00:00Z'))).toMatchObject({
      status: 'running',
      elapsed: 3 * HOUR_MS,
    });
  });

  it('can be looked at as of an earlier instant', () => {
    expect(clockAt(cal, resumed, at('2026-11-23T15:00:00Z'))).toMatchObject({
      status: 'running',
      elapsed: HOUR_MS,
      due: at('2026-11-23T22:00:00Z'),
    });
    expect(statusAt(cal, resumed, at('2026-11-23T23:00:00Z'))).toBe('paused');
  });

  it('is met, stays met, and a reopen starts a new cycle with the whole target afresh', () => {
    // Met Tue 12:00 EST (4h used).
    const met = ok(meetClock(cal, resumed, at('2026-11-24T17:00:00Z')));
    expect(clockAt(cal, met, at('2026-12-30T00:00:00Z'))).toMatchObject({
      status: 'met',
      elapsed: 4 * HOUR_MS,
      metLate: false,
      breachedAt: null,
    });
    // Reopened Wed 25 Nov 16:00 EST: 8h afresh = Wed 16-17, Thanksgiving off, Fri 09:00 + 7h = 16:00 EST.
    const reopened = ok(reopenClock(cal, met, at('2026-11-25T21:00:00Z')));
    expect(reopened).toMatchObject({ state: 'running', usedBefore: 0, metAt: null, breachedAt: null });
    expect(cycleStartedAt(reopened)).toBe(at('2026-11-25T21:00:00Z'));
    expect(iso(reopened.dueAt)).toBe('2026-11-27T21:00:00.000Z');
    // At risk once 6h of the new cycle are used: Wed 1h, then Fri 14:00 EST.
    expect(statusAt(cal, reopened, at('2026-11-27T18:59:00Z'))).toBe('running');
    expect(statusAt(cal, reopened, at('2026-11-27T19:00:00Z'))).toBe('at_risk');
    expect(statusAt(cal, reopened, at('2026-11-27T21:00:01Z'))).toBe('breached');
    // Met late: still "met", with the missed due instant kept.
    const late = ok(meetClock(cal, reopened, at('2026-11-27T22:00:00Z')));
    expect(clockAt(cal, late, at('2026-11-28T00:00:00Z'))).toMatchObject({
      status: 'met',
      metLate: true,
      breachedAt: at('2026-11-27T21:00:00Z'),
      elapsed: 9 * HOUR_MS,
      remaining: -HOUR_MS,
    });
    // Looking back before the reopen shows the first cycle as it stood.
    expect(clockAt(cal, late, at('2026-11-25T20:00:00Z'))).toMatchObject({ status: 'met', elapsed: 4 * HOUR_MS });
  });

  it('a missed cycle leaves the next one clean: a reopen after a late meet may breach again', () => {
    // Met Mon 18:00 EST, an hour after its due instant (17:00 EST).
    const late = ok(meetClock(cal, filed, at('2026-11-23T23:00:00Z')));
    expect(clockAt(cal, late, late.lastEventAt)).toMatchObject({
      metLate: true,
      breachedAt: at('2026-11-23T22:00:00Z'),
    });
    // Reopened Tue 09:00 EST: on time until Tue 17:00 EST, missed again after.
    const again = ok(reopenClock(cal, late, at('2026-11-24T14:00:00Z')));
    expect(clockAt(cal, again, at('2026-11-24T21:00:00Z'))).toMatchObject({ status: 'at_risk', breachedAt: null });
    expect(clockAt(cal, again, at('2026-11-24T22:00:01Z'))).toMatchObject({
      status: 'breached',
      breachedAt: at('2026-11-24T22:00:00Z'),
    });
    // A priority change replays the cycles: the new target applies to the current cycle from its reopen.
    const shorter = retargetClock(cal, again, 4 * HOUR_MS, at('2026-11-24T15:00:00Z'));
    expect(iso(shorter.dueAt)).toBe('2026-11-24T18:00:00.000Z');
    expect(shorter.breachedAt).toBeNull();
  });

  it('replays a reopen recorded before cycles as it happened: on with the time already used', () => {
    const met = ok(meetClock(cal, resumed, at('2026-11-24T17:00:00Z')));
    const reopen = at('2026-11-25T21:00:00Z');
    // As stored by the earlier Kept: running again with the 4h used, due Fri 12:00 EST.
    const stored: TargetClock = {
      ...met,
      state: 'running',
      metAt: null,
      lastEventAt: reopen,
      runningSince: reopen,
      dueAt: at('2026-11-27T17:00:00Z'),
      atRiskAt: at('2026-11-27T15:00:00Z'),
      events: [...met.events, { type: 'reopen', at: reopen }],
    };
    // 4h + Wed 16-17 EST + Fri 09:00-10:30 EST.
    const paused = ok(pauseClock(cal, stored, at('2026-11-27T16:00:00Z')));
    expect(clockAt(cal, paused, at('2026-11-27T15:30:00Z'))).toMatchObject({
      elapsed: 6.5 * HOUR_MS,
      status: 'at_risk',
    });
    expect(cycleStartedAt(paused)).toBe(paused.startedAt);
  });

  it('stays breached through a pause and a reopen', () => {
    const overdue = ok(pauseClock(cal, filed, at('2026-11-23T23:00:00Z')));
    expect(statusAt(cal, overdue, at('2026-11-24T00:00:00Z'))).toBe('breached');
    expect(iso(clockAt(cal, overdue, at('2026-11-24T00:00:00Z')).breachedAt)).toBe('2026-11-23T22:00:00.000Z');
    const back = ok(resumeClock(cal, overdue, at('2026-11-24T14:00:00Z')));
    expect(iso(back.dueAt)).toBe('2026-11-23T22:00:00.000Z');
  });

  it('treats repeated events as no-ops and rejects events out of order or on a met clock', () => {
    expect(ok(pauseClock(cal, paused, at('2026-11-23T17:00:00Z')))).toBe(paused);
    expect(ok(resumeClock(cal, resumed, at('2026-11-24T16:00:00Z')))).toBe(resumed);
    const early = pauseClock(cal, resumed, at('2026-11-24T14:00:00Z'));
    expect(early).toMatchObject({ ok: false, error: { code: 'out_of_order' } });
    const met = ok(meetClock(cal, filed, at('2026-11-23T15:00:00Z')));
    expect(pauseClock(cal, met, at('2026-11-23T16:00:00Z'))).toMatchObject({ ok: false, error: { code: 'met' } });
    expect(ok(meetClock(cal, met, at('2026-11-23T16:00:00Z')))).toBe(met);
    const response = ok(startClock(cal, { kind: 'response', target: HOUR_MS, at: at('2026-11-23T14:00:00Z') }));
    const answered = ok(meetClock(cal, response, at('2026-11-23T14:30:00Z')));
    expect(reopenClock(cal, answered, at('2026-11-23T15:00:00Z'))).toMatchObject({
      ok: false,
      error: { code: 'not_reopenable' },
    });
  });

  it('is due at the instant the target ran out even when paused exactly then', () => {
    const exhausted = ok(pauseClock(cal, filed, at('2026-11-23T22:00:00Z')));
    expect(statusAt(cal, exhausted, at('2026-11-24T00:00:00Z'))).toBe('paused');
    const back = ok(resumeClock(cal, exhausted, at('2026-11-24T14:00:00Z')));
    expect(iso(back.dueAt)).toBe('2026-11-23T22:00:00.000Z');
    expect(statusAt(cal, back, at('2026-11-24T14:00:00Z'))).toBe('breached');
  });

  it('rejects nonsense when starting', () => {
    expect(startClock(cal, { kind: 'resolution', target: 0, at: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(startClock(cal, { kind: 'resolution', target: HOUR_MS, threshold: 1.5, at: 0 })).toMatchObject({
      ok: false,
    });
  });

  it('is a plain value that survives JSON', () => {
    const copy = JSON.parse(JSON.stringify(resumed)) as TargetClock;
    expect(clockAt(cal, copy, at('2026-11-24T20:00:00Z'))).toEqual(clockAt(cal, resumed, at('2026-11-24T20:00:00Z')));
  });
});
