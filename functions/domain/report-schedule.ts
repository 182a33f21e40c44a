/**
 * When a weekly report subscription's report is due (docs/decisions.md "Weekly reports: Monday at
 * the department's opening"): each ISO week, on Monday at the start of the department's Monday
 * hours in its time zone (09:00 when it has none: closed on Mondays, or 24x7), about the week
 * before (Monday to Sunday, its local dates). A run later in the same week still finds it due, so a
 * late or missed run is caught up; a subscription made after this week's instant waits for the next
 * one. Pure domain code.
 */
import { DateTime } from 'luxon';
import { type CalendarSpec, parseDayRanges } from './calendar-spec';
import type { Period } from './report-period';
import { isoWeekOf } from './weeks';

/** Minutes after local midnight when a department without Monday hours gets its report. */
const FALLBACK_MINUTES = 9 * 60;

export interface WeeklyReportDue extends Period {
  /** The ISO week (local to the department) the report is sent in: once per subscription and week. */
  week: string;
}

/** Minutes after local midnight of the start of the department's Monday hours. */
export function weeklyReportMinutes(calendar: Pick<CalendarSpec, 'hours'>): number {
  const hours = calendar.hours ?? {};
  if (!Object.hasOwn(hours, 'mon')) return FALLBACK_MINUTES;
  const ranges = parseDayRanges(hours.mon);
  if (!ranges.ok || ranges.value.length === 0) return FALLBACK_MINUTES;
  return Math.min(...ranges.value.map((r) => r.start));
}

/** The instant (ms) this week's report is due at `now`, local to the calendar's zone; undefined for an unknown zone. */
export function weeklyReportInstant(
  calendar: Pick<CalendarSpec, 'hours' | 'timezone'>,
  now: number,
): number | undefined {
  const local = DateTime.fromMillis(now, { zone: calendar.timezone });
  if (!local.isValid) return undefined;
  return local
    .startOf('week')
    .plus({ minutes: weeklyReportMinutes(calendar) })
    .toMillis();
}

/**
 * This week's report when it is due at `now` for a subscription made at `since` (ms): the week it is
 * sent in and the week before as its period; null before this week's instant, or when the
 * subscription came after it.
 */
export function weeklyReportDue(
  calendar: Pick<CalendarSpec, 'hours' | 'timezone'>,
  now: number,
  since: number,
): WeeklyReportDue | null {
  const at = weeklyReportInstant(calendar, now);
  if (at === undefined || now < at || since > at) return null;
  const local = DateTime.fromMillis(now, { zone: calendar.timezone });
  const monday = local.startOf('week').minus({ weeks: 1 });
  return {
    week: isoWeekOf(local),
    from: monday.toISODate()!,
    to: monday.plus({ days: 6 }).toISODate()!,
    label: `the week of ${monday.setLocale('en-GB').toFormat('d LLLL yyyy')}`,
  };
}
