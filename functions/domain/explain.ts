/**
 * Why a due time is what it is: a target clock's life cut into stretches of time, each either
 * counted (working time that used up the target) or skipped (outside working hours, days without
 * working hours, holidays by name, paused, met until reopened), from the filing to the instant the
 * target runs out. Pure domain code: instants are epoch ms; the Slack view is views/explain.ts.
 * Semantics in docs/clock.md ("Explaining a due time").
 */
import { DateTime } from 'luxon';
import { type Calendar, dayOfIsoDate, HORIZON_DAYS, isoDateOfDay, NoWorkingTimeError, weekdayOfDay } from './calendar';
import type { Request } from './request';
import { type ClockView, clockAt, cycleStartedAt, type TargetClock, type TargetKind } from './target-clock';

/** A holiday a skipped stretch covers: its local date, and its name when the calendar's country names it. */
export interface SkippedHoliday {
  date: string;
  name?: string;
}

/** A date whose calendar gives it its own hours (an override), as a skipped stretch meets it; `hours` is `""` when closed. */
export interface SkippedOverride {
  date: string;
  hours: string;
  /** Fewer working hours than the weekday usually has (a short day), not just other ones. */
  shorter: boolean;
}

/** Why a stretch of time did not count. */
export type SkipReason =
  /** Outside working hours on a working day: a night, a lunch break. */
  | { kind: 'closed' }
  /** Whole days without working hours (0 = Monday), with the nights around them. */
  | { kind: 'days_off'; weekdays: number[] }
  /** Holidays, with the nights and days off around them. */
  | { kind: 'holiday'; holidays: SkippedHoliday[]; weekdays: number[] }
  /** Dates with their own hours (a short or closed day), with the holidays and days off around them. */
  | { kind: 'override'; days: SkippedOverride[]; holidays: SkippedHoliday[]; weekdays: number[] }
  /** Waiting on the requester (or, when the agreement stops the clock for it too, on a third party). */
  | { kind: 'paused'; orThirdParty?: true }
  /** The request was cancelled: the clock stopped. */
  | { kind: 'stopped' }
  /** Met, until reopened. */
  | { kind: 'met' };

export type Stretch =
  | { type: 'counted'; from: number; to: number }
  | { type: 'skipped'; from: number; to: number; reason: SkipReason };

/** Where the explanation ends. */
export type ExplanationEnd =
  /** The target ran out (or runs out) at this instant: the due instant. */
  | { kind: 'due'; at: number }
  /** Met at this instant before the target ran out. */
  | { kind: 'met'; at: number }
  /** Paused (or stopped) since this instant before the target ran out. */
  | { kind: 'paused'; at: number };

export interface TargetExplanation {
  kind: TargetKind;
  /** The target, in ms of working time. */
  target: number;
  startedAt: number;
  /** From `startedAt` to the end, in order, without gaps or overlaps. */
  stretches: Stretch[];
  /** Working time counted: the sum of the counted stretches (the target itself when `end` is `due`). */
  counted: number;
  end: ExplanationEnd;
  /** The clock as of the reading instant (what is left now, met, late). */
  now: ClockView;
}

/** Merged working intervals of `calendar` inside [a, b) (b may be Infinity), in order. */
function* workingIntervals(calendar: Calendar, a: number, b: number): Generator<[number, number]> {
  if (calendar.alwaysOpen) {
    if (b > a) yield [a, b];
    return;
  }
  let open: [number, number] | undefined;
  const first = calendar.bucketIndex(a);
  const last = Number.isFinite(b) ? calendar.bucketIndex(b) : first + HORIZON_DAYS;
  for (let k = first; k <= last; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e <= s) continue;
      if (open && open[1] === s) open[1] = e;
      else {
        if (open) yield open;
        open = [s, e];
      }
    }
  }
  if (open) yield open;
  if (!Number.isFinite(b))
    throw new NoWorkingTimeError(`the calendar has no more working time within ${HORIZON_DAYS} days`);
}

/**
 * Why [from, to), which holds no working time, is skipped: the dates with their own hours, the
 * holidays and the days off it covers.
 */
export function skipReason(calendar: Calendar, from: number, to: number): SkipReason {
  const days: SkippedOverride[] = [];
  const holidays: SkippedHoliday[] = [];
  const weekdays: number[] = [];
  let d = DateTime.fromMillis(from, { zone: calendar.zone }).startOf('day');
  while (d.toMillis() < to) {
    const next = d.plus({ days: 1 }).startOf('day');
    const iso = d.toISODate()!;
    const day = dayOfIsoDate(iso);
    const ranges = calendar.weekly[weekdayOfDay(day)]!;
    const override = calendar.overrides.get(day);
    if (override && ranges.length > 0) {
      // The override counts here when the stretch holds some of the weekday's usual hours it took away.
      const wall = (m: number) => d.plus({ minutes: m }).toMillis();
      if (ranges.some((r) => wall(r.start) < to && wall(r.end) > from))
        days.push({
          date: iso,
          hours: override.map((r) => r.text).join(','),
          shorter: length(override) < length(ranges),
        });
    } else if (ranges.length > 0 && calendar.isHoliday(day)) {
      // The holiday counts here when the day's first working range would have begun inside the stretch.
      const r = ranges[0]!;
      const opens = d.set({ hour: Math.floor(r.start / 60), minute: r.start % 60 }).toMillis();
      if (opens >= from && opens < to) {
        const name = calendar.holidayName(day);
        holidays.push({ date: isoDateOfDay(day), ...(name ? { name } : {}) });
      }
    } else if (ranges.length === 0 && d.toMillis() >= from && next.toMillis() <= to) {
      weekdays.push(weekdayOfDay(day));
    }
    d = next;
  }
  if (days.length > 0) return { kind: 'override', days, holidays, weekdays };
  if (holidays.length > 0) return { kind: 'holiday', holidays, weekdays };
  if (weekdays.length > 0) return { kind: 'days_off', weekdays };
  return { kind: 'closed' };
}

const length = (ranges: readonly { start: number; end: number }[]) => ranges.reduce((n, r) => n + r.end - r.start, 0);

type Span = { run: true; from: number; to: number } | { run: false; from: number; to: number; why: SkipReason };

/**
 * The clock's running and stopped spans, from its events, in its current cycle (from its last
 * reopen that started a new cycle). `cancelledAt`: a pause then is a stop.
 */
function spansOf(clock: TargetClock, cancelledAt: number | undefined, orThirdParty: boolean): Span[] {
  const spans: Span[] = [];
  let state: 'running' | 'paused' | 'met' = 'running';
  let since = cycleStartedAt(clock);
  const paused: SkipReason = orThirdParty ? { kind: 'paused', orThirdParty: true } : { kind: 'paused' };
  let pauseWhy: SkipReason = paused;
  const cycle = clock.events.map((e) => e.type).lastIndexOf('cycle');
  for (const e of clock.events.slice(cycle + 1)) {
    if (e.type === 'start') continue;
    const close = () => {
      if (state === 'running') spans.push({ run: true, from: since, to: e.at });
      else spans.push({ run: false, from: since, to: e.at, why: state === 'met' ? { kind: 'met' } : pauseWhy });
      since = e.at;
    };
    if (e.type === 'pause' && state === 'running') {
      close();
      state = 'paused';
      pauseWhy = cancelledAt === e.at ? { kind: 'stopped' } : paused;
    } else if (e.type === 'meet' && state !== 'met') {
      close();
      state = 'met';
    } else if ((e.type === 'resume' && state === 'paused') || (e.type === 'reopen' && state === 'met')) {
      close();
      state = 'running';
    }
  }
  if (state === 'running') spans.push({ run: true, from: since, to: Number.POSITIVE_INFINITY });
  return spans;
}

/** Adjacent skipped stretches with the same reason become one. */
function merged(stretches: Stretch[]): Stretch[] {
  const out: Stretch[] = [];
  for (const s of stretches) {
    const prev = out[out.length - 1];
    if (
      prev &&
      prev.type === 'skipped' &&
      s.type === 'skipped' &&
      prev.to === s.from &&
      JSON.stringify(prev.reason) === JSON.stringify(s.reason)
    )
      out[out.length - 1] = { ...prev, to: s.to };
    else out.push(s);
  }
  return out;
}

export interface ExplainOptions {
  /** When the request was cancelled: the clock's pause at that instant reads as stopped, not waiting. */
  cancelledAt?: number;
  /** The agreement stops the clock while waiting on a third party too: a pause reads as either wait. */
  thirdPartyPausesClock?: boolean;
}

/**
 * The stretches that make up `clock`'s due instant, read at `at`: from its start until its target
 * runs out (the due instant, for a running clock in the future), or until it was met or paused
 * before that. The counted stretches add up to the target when the end is `due`.
 */
export function explainClock(
  calendar: Calendar,
  clock: TargetClock,
  at: number,
  options: ExplainOptions = {},
): TargetExplanation {
  const stretches: Stretch[] = [];
  let remaining = clock.target;
  let end: ExplanationEnd | undefined;
  let last = cycleStartedAt(clock);
  for (const span of spansOf(clock, options.cancelledAt, options.thirdPartyPausesClock === true)) {
    if (span.to <= span.from && span.run) continue;
    if (!span.run) {
      if (span.to > span.from) stretches.push({ type: 'skipped', from: span.from, to: span.to, reason: span.why });
      last = span.to;
      continue;
    }
    let cursor = span.from;
    for (const [s, e] of workingIntervals(calendar, span.from, span.to)) {
      if (s > cursor) stretches.push({ type: 'skipped', from: cursor, to: s, reason: skipReason(calendar, cursor, s) });
      const take = Math.min(e - s, remaining);
      stretches.push({ type: 'counted', from: s, to: s + take });
      remaining -= take;
      cursor = s + take;
      if (remaining === 0) break;
    }
    if (remaining === 0) {
      end = { kind: 'due', at: cursor };
      break;
    }
    if (cursor < span.to)
      stretches.push({ type: 'skipped', from: cursor, to: span.to, reason: skipReason(calendar, cursor, span.to) });
    last = span.to;
  }
  // Not run out: the clock was met, or is paused (stopped) since its last change; that is the end.
  if (!end) end = clock.state === 'met' ? { kind: 'met', at: clock.metAt ?? last } : { kind: 'paused', at: last };
  return {
    kind: clock.kind,
    target: clock.target,
    startedAt: cycleStartedAt(clock),
    stretches: merged(stretches),
    counted: clock.target - remaining,
    end,
    now: clockAt(calendar, clock, at),
  };
}

/** Both targets of a request explained at `at` (never before its last change, as `clocksAt`). */
export function explainRequest(
  request: Pick<Request, 'clocks' | 'cancelledAt' | 'updatedAt' | 'waitRules'>,
  calendar: Calendar,
  at: number,
): Record<TargetKind, TargetExplanation> {
  const t = Math.max(at, request.updatedAt);
  const options: ExplainOptions = {
    ...(request.cancelledAt !== undefined ? { cancelledAt: request.cancelledAt } : {}),
    // A pause may then be a wait on a third party too: the explanation says either.
    ...(request.waitRules?.thirdPartyPausesClock ? { thirdPartyPausesClock: true } : {}),
  };
  return {
    response: explainClock(calendar, request.clocks.response, t, options),
    resolution: explainClock(calendar, request.clocks.resolution, t, options),
  };
}
