/**
 * "Why this due time?" against the minute-by-minute reference clock (tests/support/oracle-clock.ts):
 * on a New York week with a DST change and on Thanksgiving week with US holidays, with random
 * starts, targets and pauses, the explanation's counted stretches are all working time and add up
 * to the target, its skipped stretches hold none, it runs without gaps from the start, and its last
 * counted stretch ends at the due instant the reference finds. Holidays are named.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { type CalendarSpec, compileCalendar } from '../../../functions/domain/calendar';
import { explainClock, type Stretch } from '../../../functions/domain/explain';
import {
  cycleStartedAt,
  meetClock,
  pauseClock,
  reopenClock,
  resumeClock,
  startClock,
  type TargetClock,
  unwrapClock,
} from '../../../functions/domain/target-clock';
import { OracleCalendar, oracleBetween } from '../../support/oracle-clock';

const MIN = 60_000;
const NY = 'America/New_York';
const WEEKDAYS_9_TO_5 = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};

const CALENDARS: Record<string, CalendarSpec> = {
  'New York, US holidays': { timezone: NY, hours: WEEKDAYS_9_TO_5, holidays: { country: 'US' } },
  'New York with a lunch break and a Saturday night shift': {
    timezone: NY,
    hours: { ...WEEKDAYS_9_TO_5, mon: '08:30-12:00,13:00-17:30', sat: '22:00-02:30' },
    holidays: { country: 'US', dates: ['2026-11-02'] },
  },
  'around the clock, US holidays': { timezone: NY, holidays: { country: 'US' } },
  'New York with dates of their own (a short day, a closed day, an override on the DST change)': {
    timezone: NY,
    hours: WEEKDAYS_9_TO_5,
    holidays: { country: 'US' },
    overrides: {
      '2026-11-25': '09:00-13:00',
      '2026-11-27': '',
      '2026-11-26': '10:00-12:00',
      '2026-11-01': '00:30-02:30',
      '2026-03-09': '12:00-20:00',
    },
  },
};

/** Mondays 00:00 in New York: the week clocks go back (1 Nov 2026 is the Sunday before) and go forward (8 Mar). */
const WEEKS = ['2026-10-29T00:00', '2026-03-05T00:00', '2026-11-23T00:00'].map((iso) =>
  DateTime.fromISO(iso, { zone: NY }).toMillis(),
);

const at = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toMillis();

/** The reference's due instant for a clock that runs in `runs` ([from, to) spans, the last open-ended). */
function oracleDue(oracle: OracleCalendar, runs: [number, number][], minutes: number): number | undefined {
  let left = minutes;
  for (const [from, to] of runs)
    for (let m = from; m < to; m += MIN) {
      if (oracle.isWorkingMinute(m)) left--;
      if (left === 0) return m + MIN;
    }
  return undefined;
}

function checkAgainstOracle(spec: CalendarSpec, clock: TargetClock, runs: [number, number][], now: number) {
  const calendar = compileCalendar(spec);
  const oracle = new OracleCalendar(spec);
  const explained = explainClock(calendar, clock, now);
  const { stretches } = explained;
  // A clock paused at the very instant it started has run no time: nothing to list, it ends there.
  if (stretches.length === 0) {
    expect(clock.state).toBe('paused');
    expect(explained.counted).toBe(0);
    expect(explained.end).toMatchObject({ kind: 'paused', at: cycleStartedAt(clock) });
    return;
  }
  // From the start (of the current cycle, after a reopen), without gaps.
  expect(stretches[0]!.from).toBe(cycleStartedAt(clock));
  expect(explained.startedAt).toBe(cycleStartedAt(clock));
  for (let i = 1; i < stretches.length; i++) expect(stretches[i]!.from).toBe(stretches[i - 1]!.to);
  for (const s of stretches) {
    expect(s.to).toBeGreaterThan(s.from);
    const working = oracleBetween(oracle, s.from, s.to);
    if (s.type === 'counted') expect(working).toBe((s.to - s.from) / MIN);
    else if (s.reason.kind !== 'paused') expect(working).toBe(0);
  }
  const counted = stretches.filter((s) => s.type === 'counted').reduce((n, s) => n + s.to - s.from, 0);
  expect(counted).toBe(explained.counted);
  const due = oracleDue(oracle, runs, clock.target / MIN);
  if (explained.end.kind === 'due') {
    expect(counted).toBe(clock.target);
    const lastCounted = [...stretches].reverse().find((s) => s.type === 'counted')!;
    expect(new Date(lastCounted.to).toISOString()).toBe(new Date(due!).toISOString());
    expect(explained.end.at).toBe(lastCounted.to);
    expect(stretches[stretches.length - 1]).toBe(lastCounted);
    if (clock.state === 'running') expect(explained.end.at).toBe(clock.dueAt);
  } else {
    expect(counted).toBe(clock.usedBefore);
    expect(counted).toBeLessThan(clock.target);
  }
}

describe('the explanation agrees with the reference clock', () => {
  for (const [name, spec] of Object.entries(CALENDARS)) {
    it(`${name}: counted stretches add up to the target and end at the due instant, in a reopen's new cycle too`, () => {
      const calendar = compileCalendar(spec);
      fc.assert(
        fc.property(
          fc.constantFrom(...WEEKS),
          fc.integer({ min: 0, max: 7 * 96 - 1 }),
          fc.integer({ min: 1, max: 40 * 60 }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 2 * 1440 }), fc.integer({ min: 1, max: 1440 })), {
            maxLength: 2,
          }),
          fc.boolean(),
          fc.boolean(),
          (week, quarter, minutes, gaps, endPaused, reopened) => {
            const start = week + quarter * 15 * MIN;
            // Reopened: filed two days earlier and met a day earlier; `start` begins a new cycle.
            const target = minutes * MIN;
            let clock = reopened
              ? unwrapClock(
                  reopenClock(
                    calendar,
                    unwrapClock(
                      meetClock(
                        calendar,
                        unwrapClock(startClock(calendar, { kind: 'resolution', target, at: start - 2 * 1440 * MIN })),
                        start - 1440 * MIN,
                      ),
                    ),
                    start,
                  ),
                )
              : unwrapClock(startClock(calendar, { kind: 'resolution', target, at: start }));
            const runs: [number, number][] = [];
            let t = start;
            gaps.forEach(([run, wait], i) => {
              const p = t + run * MIN;
              runs.push([t, p]);
              clock = unwrapClock(pauseClock(calendar, clock, p));
              t = p + wait * MIN;
              if (endPaused && i === gaps.length - 1) return;
              clock = unwrapClock(resumeClock(calendar, clock, t));
            });
            if (clock.state === 'running') runs.push([t, t + 60 * 1440 * MIN]);
            checkAgainstOracle(spec, clock, runs, t);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});

const reasons = (stretches: Stretch[]) =>
  stretches.flatMap((s) => (s.type === 'skipped' ? [JSON.stringify(s.reason)] : []));

describe('what the stretches say', () => {
  const ny = compileCalendar(CALENDARS['New York, US holidays']!);

  it('names Thanksgiving and says the weekend was skipped, ending at the due instant', () => {
    // Wednesday 25 Nov 15:00, 12h: 2h on Wednesday, Thursday is Thanksgiving, 8h on Friday, 2h on Monday.
    const clock = unwrapClock(
      startClock(ny, { kind: 'resolution', target: 12 * 60 * MIN, at: at('2026-11-25T15:00') }),
    );
    const e = explainClock(ny, clock, at('2026-11-25T15:00'));
    expect(e.stretches).toEqual([
      { type: 'counted', from: at('2026-11-25T15:00'), to: at('2026-11-25T17:00') },
      {
        type: 'skipped',
        from: at('2026-11-25T17:00'),
        to: at('2026-11-27T09:00'),
        reason: { kind: 'holiday', holidays: [{ date: '2026-11-26', name: 'Thanksgiving Day' }], weekdays: [] },
      },
      { type: 'counted', from: at('2026-11-27T09:00'), to: at('2026-11-27T17:00') },
      {
        type: 'skipped',
        from: at('2026-11-27T17:00'),
        to: at('2026-11-30T09:00'),
        reason: { kind: 'days_off', weekdays: [5, 6] },
      },
      { type: 'counted', from: at('2026-11-30T09:00'), to: at('2026-11-30T11:00') },
    ]);
    expect(e.end).toEqual({ kind: 'due', at: at('2026-11-30T11:00') });
    expect(e.end.at).toBe(clock.dueAt);
  });

  it('a night is outside working hours; a pause is waiting on the requester; met ends it early', () => {
    let clock = unwrapClock(startClock(ny, { kind: 'resolution', target: 4 * 60 * MIN, at: at('2026-11-17T16:00') }));
    clock = unwrapClock(pauseClock(ny, clock, at('2026-11-18T10:00')));
    clock = unwrapClock(resumeClock(ny, clock, at('2026-11-18T11:00')));
    clock = unwrapClock(meetClock(ny, clock, at('2026-11-18T12:00')));
    const e = explainClock(ny, clock, at('2026-11-18T12:00'));
    expect(reasons(e.stretches)).toEqual(['{"kind":"closed"}', '{"kind":"paused"}']);
    expect(e.counted).toBe(3 * 60 * MIN);
    expect(e.end).toEqual({ kind: 'met', at: at('2026-11-18T12:00') });
  });

  it('names a short day and a closed day by their dates', () => {
    const cal = compileCalendar({
      timezone: NY,
      hours: WEEKDAYS_9_TO_5,
      holidays: { country: 'US' },
      overrides: { '2026-12-24': '09:00-13:00', '2026-12-31': '' },
    });
    // Thursday 24 Dec 12:00, 3h: 1h on the short day, then Christmas and the weekend, 2h on Monday 28 Dec.
    const clock = unwrapClock(
      startClock(cal, { kind: 'resolution', target: 3 * 60 * MIN, at: at('2026-12-24T12:00') }),
    );
    const e = explainClock(cal, clock, at('2026-12-24T12:00'));
    expect(e.stretches[1]).toEqual({
      type: 'skipped',
      from: at('2026-12-24T13:00'),
      to: at('2026-12-28T09:00'),
      reason: {
        kind: 'override',
        days: [{ date: '2026-12-24', hours: '09:00-13:00', shorter: true }],
        holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
        weekdays: [5, 6],
      },
    });
    expect(e.end).toEqual({ kind: 'due', at: at('2026-12-28T11:00') });
    // Wednesday 30 Dec 16:00, 2h: 1h, Thursday closed, New Year's Day, the weekend, 1h on Monday.
    const late = unwrapClock(startClock(cal, { kind: 'resolution', target: 2 * 60 * MIN, at: at('2026-12-30T16:00') }));
    expect(explainClock(cal, late, at('2026-12-30T16:00')).stretches[1]).toMatchObject({
      reason: { kind: 'override', days: [{ date: '2026-12-31', hours: '', shorter: true }], weekdays: [5, 6] },
    });
  });

  it('a paused clock ends at its pause, with what it had counted', () => {
    let clock = unwrapClock(startClock(ny, { kind: 'resolution', target: 4 * 60 * MIN, at: at('2026-11-10T10:00') }));
    clock = unwrapClock(pauseClock(ny, clock, at('2026-11-10T11:30')));
    const e = explainClock(ny, clock, at('2026-11-12T10:00'));
    expect(e.end).toEqual({ kind: 'paused', at: at('2026-11-10T11:30') });
    expect(e.counted).toBe(90 * MIN);
  });

  it('a pause reads as either wait when the agreement stops the clock for a third party too', () => {
    let clock = unwrapClock(startClock(ny, { kind: 'resolution', target: 4 * 60 * MIN, at: at('2026-11-10T10:00') }));
    clock = unwrapClock(pauseClock(ny, clock, at('2026-11-10T11:00')));
    clock = unwrapClock(resumeClock(ny, clock, at('2026-11-10T14:00')));
    const paused = (options = {}) =>
      explainClock(ny, clock, at('2026-11-10T15:00'), options).stretches.find((s) => s.type === 'skipped');
    expect(paused()).toMatchObject({ reason: { kind: 'paused' } });
    expect(paused()).not.toMatchObject({ reason: { orThirdParty: true } });
    expect(paused({ thirdPartyPausesClock: true })).toMatchObject({ reason: { kind: 'paused', orThirdParty: true } });
  });
});
