/**
 * The reference clock: deliberately simple and independent of functions/domain's compiled
 * calendars. It walks minute by minute and asks, for each minute, whether it is working time by
 * reading the written CalendarSpec directly: the minute's wall-clock time in the calendar's zone
 * (offset from luxon), the weekday's ranges, and the holiday dates (explicit ones and date-holidays' public
 * holidays). Instants must be whole minutes.
 *
 * A minute [m, m + 1min) is working when its wall time lies in a range of its local date's weekday
 * whose start date is not a holiday, or in the after-midnight part of an overnight range from the
 * previous local date whose date is not a holiday. A date with an override uses the override's
 * ranges instead of its weekday's, holiday or not. Hours left out or {} mean 00:00-24:00 every day.
 */

import Holidays from 'date-holidays';
import { IANAZone } from 'luxon';
import type { CalendarSpec } from '../../functions/domain/calendar';

const MIN = 60_000;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const engines = new Map<string, Holidays>(); // building one costs ~20 ms; reuse per country

interface Range {
  start: number;
  end: number; // minutes from midnight; may exceed 1440 for overnight ranges
}

function rangesOf(value: string | null | undefined): Range[] {
  if (!value) return [];
  return value.split(',').map((r) => {
    const [a, b] = r.trim().split('-') as [string, string];
    const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    const start = toMin(a);
    const end = toMin(b);
    return { start, end: end > start ? end : end + 1440 };
  });
}

export class OracleCalendar {
  private readonly zone: IANAZone;
  private readonly week: Range[][];
  private readonly holidayDates = new Set<string>();
  private readonly overrides = new Map<string, Range[]>();
  private readonly engine: Holidays | undefined;
  private readonly yearsLoaded = new Set<number>();
  // Zone offsets only ever change at whole quarter hours of UTC, so one lookup per quarter hour is exact.
  private readonly offsetByQuarter = new Map<number, number>();

  constructor(spec: CalendarSpec) {
    this.zone = IANAZone.create(spec.timezone);
    const hours = spec.hours ?? {};
    const open247 = DAYS.every((d) => !(d in hours));
    this.week = DAYS.map((d) => (open247 ? [{ start: 0, end: 1440 }] : rangesOf(hours[d])));
    for (const d of spec.holidays?.dates ?? []) this.holidayDates.add(d);
    for (const [d, value] of Object.entries(spec.overrides ?? {})) this.overrides.set(d, rangesOf(value));
    const country = spec.holidays?.country;
    if (country) {
      const region = spec.holidays?.region;
      const key = `${country}/${region ?? ''}`.toUpperCase();
      let engine = engines.get(key);
      if (!engine) {
        engine = region
          ? new Holidays(country.toUpperCase(), region.toUpperCase())
          : new Holidays(country.toUpperCase());
        engines.set(key, engine);
      }
      this.engine = engine;
    }
  }

  /** `iso` is a local date YYYY-MM-DD. */
  private isHoliday(iso: string): boolean {
    const year = Number(iso.slice(0, 4));
    if (this.engine && !this.yearsLoaded.has(year)) {
      this.yearsLoaded.add(year);
      for (const h of this.engine.getHolidays(year))
        if (h.type === 'public') this.holidayDates.add(h.date.slice(0, 10));
    }
    return this.holidayDates.has(iso);
  }

  /** The wall clock in the zone at instant m, as a Date whose UTC fields are the local fields. */
  private wall(m: number): Date {
    const q = Math.floor(m / (15 * MIN));
    let off = this.offsetByQuarter.get(q);
    if (off === undefined) {
      off = this.zone.offset(q * 15 * MIN); // luxon: minutes east of UTC at that instant
      this.offsetByQuarter.set(q, off);
    }
    return new Date(m + off * MIN);
  }

  /** The ranges that start on local date `iso` (weekday 0 = Monday): the override's, or none on a holiday, or the weekday's. */
  private rangesOn(iso: string, weekday: number): Range[] {
    const override = this.overrides.get(iso);
    if (override) return override;
    return this.isHoliday(iso) ? [] : this.week[weekday]!;
  }

  /** Whether the minute starting at m is working time. */
  isWorkingMinute(m: number): boolean {
    const wall = this.wall(m);
    const minuteOfDay = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    const weekday = (wall.getUTCDay() + 6) % 7; // 0 = Monday
    const today = this.rangesOn(wall.toISOString().slice(0, 10), weekday);
    if (today.some((r) => r.start <= minuteOfDay && minuteOfDay < Math.min(r.end, 1440))) return true;
    const before = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate() - 1));
    const yesterday = this.rangesOn(before.toISOString().slice(0, 10), (weekday + 6) % 7);
    return yesterday.some((r) => r.end > 1440 && minuteOfDay < r.end - 1440);
  }
}

/** Steps from `start` one minute at a time until `duration` minutes of working time have passed. */
export function oracleAdd(cal: OracleCalendar, start: number, durationMinutes: number, maxSteps = 2_000_000): number {
  if (start % MIN !== 0) throw new Error('the oracle works on whole minutes');
  let counted = 0;
  let m = start;
  while (counted < durationMinutes) {
    if (m - start > maxSteps * MIN) throw new Error('oracle gave up');
    if (cal.isWorkingMinute(m)) counted++;
    m += MIN;
  }
  return durationMinutes === 0 ? start : m;
}

/** Working minutes in [a, b). */
export function oracleBetween(cal: OracleCalendar, a: number, b: number): number {
  if (a % MIN !== 0 || b % MIN !== 0) throw new Error('the oracle works on whole minutes');
  let n = 0;
  for (let m = a; m < b; m += MIN) if (cal.isWorkingMinute(m)) n++;
  return n;
}
