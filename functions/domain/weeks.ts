/**
 * Weeks and months as Kept names them: ISO weeks (`2026-W48`, the digest, the tips rotation, the
 * weekly trend, the kudos quota) and calendar months (`2026-11`, a penalty's month), of an instant
 * in a time zone. Pure domain code.
 */
import { DateTime } from 'luxon';
import * as z from '../zod';
import { DAY_MS } from './duration';

/** The ISO week of a local date-time, `2026-W48`. */
export const isoWeekOf = (local: DateTime): string => `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;

/** ISO week, `2026-W48`. */
export const IsoWeek = z.string().check(z.regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'a week is written like 2026-W48'));

/** The Monday (UTC midnight, as epoch ms) of an ISO week, or undefined when it is not a real week (e.g. 2026-W53). */
export function mondayOfWeek(week: string): number | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 53) return undefined;
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0
  const monday = jan4 - jan4Weekday * DAY_MS + (n - 1) * 7 * DAY_MS;
  return weekOf(new Date(monday)) === week ? monday : undefined;
}

/**
 * The ISO week of an instant in `timezone`. The digest picks a channel's tips by the channel's own
 * week, so `/sla tips` reads the week in the digest's zone to show the same two tips.
 */
export function weekIn(at: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return isoWeekOf(local.isValid ? local : DateTime.fromJSDate(at, { zone: 'utc' }));
}

/** The ISO week (in UTC) of an instant. */
export function weekOf(at: Date): string {
  return isoWeekOf(DateTime.fromJSDate(at, { zone: 'utc' }));
}

/** The week `offset` weeks after `week`. */
export function addWeeks(week: string, offset: number): string {
  const monday = mondayOfWeek(week);
  if (monday === undefined) throw new RangeError(`not an ISO week: ${week}`);
  return weekOf(new Date(monday + offset * 7 * DAY_MS));
}

/** `YYYY-MM` of `at` in `zone`: the calendar month a breach's penalty counts in. */
export function monthOf(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat('yyyy-MM');
}

/** The local date and ISO week of `at` in `zone` (UTC when the zone is unknown): a kudos giver's day and week. */
export function localDayOf(at: number, zone: string): { day: string; week: string } {
  let local = DateTime.fromMillis(at, { zone });
  if (!local.isValid) local = DateTime.fromMillis(at, { zone: 'UTC' });
  return { day: local.toISODate()!, week: isoWeekOf(local) };
}
