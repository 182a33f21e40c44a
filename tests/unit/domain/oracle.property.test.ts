/**
 * The fast clock against the minute-by-minute reference (tests/support/oracle-clock.ts) on random
 * calendars, starts, durations and pauses, plus the laws the clock must obey.
 */
import fc from 'fast-check';
import { type Calendar, type CalendarSpec, parseCalendar } from '../../../functions/domain/calendar';
import {
  clockAt,
  meetClock,
  pauseClock,
  resumeClock,
  startClock,
  statusAt,
  type TargetClock,
} from '../../../functions/domain/target-clock';
import { addWorkingTime, workingTimeBetween } from '../../../functions/domain/working-time';
import { OracleCalendar, oracleAdd, oracleBetween } from '../../support/oracle-clock';
import { anyStart, calendarSpec, weeklyMinutes } from './arbitraries';

const MIN = 60_000;

function compile(spec: CalendarSpec): Calendar {
  const r = parseCalendar(spec);
  if (!r.ok) throw new Error(r.error.join('\n'));
  return r.value;
}

/** A calendar with both implementations, and a duration (minutes) sized so the oracle stays quick. */
const scenario = calendarSpec.chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    start: anyStart,
    minutes: fc.integer({ min: 1, max: Math.max(1, Math.min(2400, Math.floor(weeklyMinutes(spec) * 1.5))) }),
  }),
);

describe('fast clock = minute-by-minute reference', () => {
  it('addWorkingTime gives the same due instant', () => {
    fc.assert(
      fc.property(scenario, ({ spec, start, minutes }) => {
        const fast = addWorkingTime(compile(spec), start, minutes * MIN);
        expect(new Date(fast).toISOString()).toBe(
          new Date(oracleAdd(new OracleCalendar(spec), start, minutes)).toISOString(),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('workingTimeBetween counts the same working time', () => {
    fc.assert(
      fc.property(calendarSpec, anyStart, fc.integer({ min: 0, max: 4 * 1440 }), (spec, a, span) => {
        const b = a + span * MIN;
        expect(workingTimeBetween(compile(spec), a, b)).toBe(oracleBetween(new OracleCalendar(spec), a, b) * MIN);
      }),
      { numRuns: 100 },
    );
  });

  it('a clock with pauses is due when the reference, skipping the paused minutes, reaches the target', () => {
    const withPauses = scenario.chain((s) =>
      fc.record({
        s: fc.constant(s),
        // Sorted gaps: pause after g[0] min, resume after g[1] min, pause after g[2] ... (always ends resumed).
        gaps: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * 1440 }), fc.integer({ min: 0, max: 2 * 1440 })), {
          maxLength: 3,
        }),
      }),
    );
    fc.assert(
      fc.property(withPauses, ({ s: { spec, start, minutes }, gaps }) => {
        const calendar = compile(spec);
        let clock = ok(startClock(calendar, { kind: 'resolution', target: minutes * MIN, at: start }));
        const pauses: [number, number][] = [];
        let t = start;
        for (const [run, wait] of gaps) {
          const p = t + run * MIN;
          const r = p + wait * MIN;
          clock = ok(pauseClock(calendar, clock, p));
          clock = ok(resumeClock(calendar, clock, r));
          pauses.push([p, r]);
          t = r;
        }
        const oracle = new OracleCalendar(spec);
        // Reference: count working minutes that are outside every pause.
        let counted = 0;
        let m = start;
        while (counted < minutes) {
          if (oracle.isWorkingMinute(m) && !pauses.some(([p, r]) => p <= m && m < r)) counted++;
          m += MIN;
        }
        expect(new Date(clock.dueAt!).toISOString()).toBe(new Date(m).toISOString());
      }),
      { numRuns: 80 },
    );
  });
});

function ok(r: { ok: true; value: TargetClock } | { ok: false; error: { message: string } }): TargetClock {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('laws', () => {
  // Any instant, not only whole minutes, for the laws that need no reference.
  const instant = anyStart.chain((t) => fc.integer({ min: 0, max: MIN - 1 }).map((ms) => t + ms));
  const duration = fc.integer({ min: 0, max: 60 * 24 * 60 * MIN });
  // A target must fall due within the clock's horizon (~10 years): a calendar with 5 working
  // minutes a week never reaches 60 days of working time. Five years of weeks leaves room for holidays.
  const reachable = (spec: CalendarSpec, d: number) => d <= weeklyMinutes(spec) * MIN * 52 * 5;

  it('workingTimeBetween(s, addWorkingTime(s, d)) == d', () => {
    fc.assert(
      fc.property(calendarSpec, instant, duration, (spec, s, d) => {
        fc.pre(reachable(spec, d));
        const c = compile(spec);
        expect(workingTimeBetween(c, s, addWorkingTime(c, s, d))).toBe(d);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic in the start and in the duration', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        instant,
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        duration,
        duration,
        (spec, s, shift, d1, d2) => {
          fc.pre(reachable(spec, Math.max(d1, d2)));
          const c = compile(spec);
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          expect(addWorkingTime(c, s, lo)).toBeLessThanOrEqual(addWorkingTime(c, s, hi));
          expect(addWorkingTime(c, s, d1)).toBeLessThanOrEqual(addWorkingTime(c, s + shift, d1));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('workingTimeBetween adds up over a split point and never exceeds real time', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        instant,
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        fc.integer({ min: 0, max: 5 * 86_400_000 }),
        (spec, a, x, y) => {
          const c = compile(spec);
          const ab = workingTimeBetween(c, a, a + x);
          expect(ab + workingTimeBetween(c, a + x, a + x + y)).toBe(workingTimeBetween(c, a, a + x + y));
          expect(ab).toBeLessThanOrEqual(x);
          expect(workingTimeBetween(c, a + x, a) + ab).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('pausing never makes a due instant earlier', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        instant,
        fc.integer({ min: 1, max: 40 * 60 * MIN }),
        fc.integer({ min: 0, max: 4 * 86_400_000 }),
        fc.integer({ min: 0, max: 4 * 86_400_000 }),
        (spec, s, target, run, wait) => {
          const c = compile(spec);
          const plain = ok(startClock(c, { kind: 'response', target, at: s }));
          const paused = ok(pauseClock(c, plain, s + run));
          const resumed = ok(resumeClock(c, paused, s + run + wait));
          expect(resumed.dueAt!).toBeGreaterThanOrEqual(plain.dueAt!);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a met clock never changes', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        instant,
        fc.integer({ min: 1, max: 40 * 60 * MIN }),
        fc.integer({ min: 0, max: 4 * 86_400_000 }),
        fc.array(fc.integer({ min: 0, max: 400 * 86_400_000 }), { minLength: 1, maxLength: 5 }),
        (spec, s, target, toMeet, later) => {
          const c = compile(spec);
          const met = ok(meetClock(c, ok(startClock(c, { kind: 'resolution', target, at: s })), s + toMeet));
          const first = clockAt(c, met, s + toMeet);
          for (const dt of later) {
            expect(clockAt(c, met, s + toMeet + dt)).toEqual({ ...first, at: s + toMeet + dt });
            expect(statusAt(c, met, s + toMeet + dt)).toBe('met');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('statusAt agrees with the full view computed from elapsed time', () => {
    fc.assert(
      fc.property(
        calendarSpec,
        instant,
        fc.integer({ min: 1, max: 40 * 60 * MIN }),
        fc.integer({ min: 0, max: 6 * 86_400_000 }),
        (spec, s, target, dt) => {
          const c = compile(spec);
          const clock = ok(startClock(c, { kind: 'response', target, at: s }));
          const view = clockAt(c, clock, s + dt);
          const expected = s + dt > clock.dueAt! ? 'breached' : view.fraction >= 0.75 ? 'at_risk' : 'running';
          expect(view.status).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
