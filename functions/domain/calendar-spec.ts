/**
 * Working-time calendars as written (`CalendarSpec`, validated with zod, with one-line messages that
 * name the path) and the public holidays they name. `calendar.ts` compiles them for the clock.
 * Pure domain code: no I/O. The public-holiday data of `date-holidays` is loaded lazily, only
 * for calendars that name a country.
 *
 * Semantics (see docs/clock.md):
 * - An instant is working time when its wall-clock time in the calendar's zone falls inside a
 *   range of its local date's weekday, or inside the after-midnight part of an overnight range
 *   that started on the previous local date, and the local date on which that range *starts* is
 *   not a holiday.
 * - `hours` left out or `{}` means 24x7 (every day 00:00-24:00); holidays still apply to a 24x7
 *   calendar that lists some.
 * - `overrides` gives a local date its own ranges (`""` or null: closed) in place of its weekday's,
 *   also on a holiday (the override wins). An overnight range from the day before still runs into it.
 */

import type HolidaysType from 'date-holidays';
import { IANAZone } from 'luxon';
import * as z from '../zod';
import { DAY_MS } from './duration';
import { issueLine, issuesOf } from './issues';
import type { Result } from './result';

import { WEEKDAYS, type Weekday } from './weekdays';

export { WEEKDAYS, type Weekday };

/** How far ahead the clock searches for working time before giving up: about ten years. */
export const HORIZON_DAYS = 3660;

const RANGES_HELP =
  'write HH:MM-HH:MM with times from 00:00 to 24:00, several ranges separated by commas, e.g. "09:00-12:00,13:00-17:00"';

/** One range as written, in minutes from local midnight of the day it starts; `end` > 1440 for overnight ranges. */
export interface MinuteRange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

/** Parses `HH:MM` into minutes from midnight (0..1440), or NaN. */
function parseClockTime(text: string): number {
  if (text.length !== 5 || text[2] !== ':') return NaN;
  const h = twoDigits(text, 0);
  const m = twoDigits(text, 3);
  if (!(h >= 0 && h <= 24 && m >= 0 && m <= 59)) return NaN;
  if (h === 24 && m !== 0) return NaN;
  return h * 60 + m;
}

/** Parses one day's value (`"09:00-12:00,13:00-17:00"`); null/empty means no hours that day. */
export function parseDayRanges(value: string | null | undefined): Result<MinuteRange[]> {
  if (value === null || value === undefined || value.trim() === '') return { ok: true, value: [] };
  const out: MinuteRange[] = [];
  for (const raw of value.split(',')) {
    const text = raw.trim();
    const dash = text.indexOf('-');
    const start = dash === 5 ? parseClockTime(text.slice(0, 5)) : NaN;
    const end = dash === 5 && text.length === 11 ? parseClockTime(text.slice(6)) : NaN;
    if (Number.isNaN(start) || Number.isNaN(end)) {
      return { ok: false, error: `${JSON.stringify(text)} is not a time range; ${RANGES_HELP}` };
    }
    if (start === 1440) {
      return {
        ok: false,
        error: `${JSON.stringify(text)} starts at 24:00, which is allowed only as an end; start at 00:00 of the next day instead`,
      };
    }
    if (start === end) {
      return {
        ok: false,
        error: `${JSON.stringify(text)} is reversed: it ends when it starts (an end earlier than the start means a range running past midnight)`,
      };
    }
    out.push({ start, end: end > start ? end : end + 1440, text });
  }
  return { ok: true, value: out };
}

function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false;
  const y = Number(text.slice(0, 4));
  const m = twoDigits(text, 5);
  const d = twoDigits(text, 8);
  if (!Number.isInteger(y) || !(m >= 1 && m <= 12) || !(d >= 1)) return false;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= last;
}

// ---------------------------------------------------------------------------------------------
// Public holidays: date-holidays, loaded lazily, or a source the entry point passes in

/**
 * One country's (or region's) holiday rules: date-holidays' `getHolidays`, as the clock reads it
 * (it counts the `public` ones only; an engine may leave the other types out).
 */
export interface HolidayEngine {
  getHolidays(year: number): readonly { date: string; start: Date; end: Date; name: string; type: string }[];
}

/**
 * Where public holidays come from. By default the whole of `date-holidays` (every country's tables,
 * loaded on first use); an entry point may pass one that loads only the countries calendars name
 * (bin/cli/holidays.ts), which must give the same countries, regions and holidays.
 */
export interface HolidaySource {
  /** Country code -> name, as date-holidays' `getCountries()`. */
  countries(): Record<string, string>;
  /** Region code -> name, as date-holidays' `getStates(country)` (empty for none). */
  regions(country: string): Record<string, string>;
  engine(country: string, region: string | undefined): HolidayEngine;
}

type HolidaysCtor = typeof HolidaysType;
function dateHolidays(): HolidaySource {
  let ctor: HolidaysCtor | undefined;
  const load = (): HolidaysCtor => {
    if (!ctor) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('date-holidays') as HolidaysCtor & { default?: HolidaysCtor };
      ctor = mod.default ?? mod;
    }
    return ctor;
  };
  return {
    countries: () => new (load())().getCountries(),
    regions: (country) => new (load())().getStates(country) ?? {},
    engine: (country, region) => {
      const Ctor = load();
      return region ? new Ctor(country, region) : new Ctor(country);
    },
  };
}

let source: HolidaySource = dateHolidays();
let countryList: Record<string, string> | undefined;
function knownCountries(): Record<string, string> {
  if (!countryList) countryList = source.countries();
  return countryList;
}
function knownRegions(country: string): Record<string, string> {
  return source.regions(country);
}

// One engine per country/region and one set of public-holiday dates per year, shared by every
// calendar in the process (the data never changes while it runs).
const engines = new Map<string, HolidayEngine>();
const holidayYears = new Map<string, ReadonlyMap<number, string>>();

/** Makes `source` the one every calendar checks and compiles with from now on (an entry point's choice). */
export function useHolidaySource(next: HolidaySource): void {
  source = next;
  countryList = undefined;
  engines.clear();
  holidayYears.clear();
}

/**
 * The public holidays of `country` (and `region`) in `year`: local day number -> the holiday's
 * name (as date-holidays writes it, e.g. `Thanksgiving Day`); a holiday covers its whole date(s).
 */
export function publicHolidays(country: string, region: string | undefined, year: number): ReadonlyMap<number, string> {
  const key = `${country}/${region ?? ''}`;
  const yearKey = `${key}/${year}`;
  const set = holidayYears.get(yearKey);
  if (set) return set;
  const days = new Map<number, string>();
  if (year >= 1 && year <= 9999) {
    let engine = engines.get(key);
    if (!engine) {
      engine = source.engine(country, region);
      engines.set(key, engine);
    }
    for (const h of engine.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const first = dayOfIsoDate(h.date.slice(0, 10));
      const span = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      for (let i = 0; i < span; i++) if (!days.has(first + i)) days.set(first + i, h.name);
    }
  }
  if (holidayYears.size > 5_000) holidayYears.clear();
  holidayYears.set(yearKey, days);
  return days;
}

// ---------------------------------------------------------------------------------------------
// The written shape

/** The written shape, built on first use: a Lambda whose first answer reads no calendar skips it (#22). */
function writtenShape() {
  const text = (what: string) =>
    z.string({
      error: (iss) =>
        iss.input === undefined ? `${what} is required` : `${what} must be text, not ${JSON.stringify(iss.input)}`,
    });

  const DayHours = z
    .union([z.string(), z.null()], {
      error: (iss) => `must be text like "09:00-17:00", not ${JSON.stringify(iss.input)}`,
    })
    .check(
      z.superRefine((value, ctx) => {
        const parsed = parseDayRanges(value);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
      }),
    );

  const hoursShape = Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(DayHours)])) as Record<
    Weekday,
    z.ZodMiniOptional<typeof DayHours>
  >;

  const Hours = z.strictObject(hoursShape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a weekday; use mon, tue, wed, thu, fri, sat, sun`
        : 'must map weekdays (mon..sun) to time ranges',
  });

  const Holidays = z.strictObject(
    {
      country: z.optional(text('country')),
      region: z.optional(text('region')),
      dates: z.optional(
        z.array(
          z.string({ error: (iss) => `${JSON.stringify(iss.input)} is not a date; write YYYY-MM-DD` }).check(
            z.refine(isIsoDate, {
              error: (iss) => `${JSON.stringify(iss.input)} is not a date; write YYYY-MM-DD`,
            }),
          ),
          { error: 'must be a list of dates like ["2026-12-24"]' },
        ),
      ),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a holidays field; use country, region, dates`
          : 'must be an object with country, region and/or dates',
    },
  );

  const Overrides = z
    .record(z.string(), DayHours, {
      error: (iss) =>
        `must map dates to hours, like { "2026-12-24": "09:00-13:00", "2026-12-31": "" }, not ${JSON.stringify(iss.input)}`,
    })
    .check(
      z.superRefine((overrides, ctx) => {
        for (const [date, value] of Object.entries(overrides)) {
          if (!isIsoDate(date)) {
            ctx.addIssue({
              code: 'custom',
              path: [date],
              message: `${JSON.stringify(date)} is not a date; write YYYY-MM-DD, e.g. "2026-12-24"`,
            });
            continue;
          }
          const parsed = parseDayRanges(value);
          if (!parsed.ok) continue; // reported on the value already
          const ranges = [...parsed.value].sort((a, b) => a.start - b.start);
          for (let i = 1; i < ranges.length; i++) {
            if (ranges[i]!.start < ranges[i - 1]!.end) {
              ctx.addIssue({
                code: 'custom',
                path: [date],
                message: `${JSON.stringify(ranges[i]!.text)} overlaps ${JSON.stringify(ranges[i - 1]!.text)}`,
              });
              break;
            }
          }
        }
      }),
    );

  return z
    .strictObject(
      {
        timezone: text('timezone').check(
          z.refine((zone) => IANAZone.isValidZone(zone), {
            error: (iss) =>
              `${JSON.stringify(iss.input)} is not a known IANA timezone; use a name like Europe/Berlin or America/New_York`,
          }),
        ),
        hours: z.optional(Hours),
        holidays: z.optional(Holidays),
        overrides: z.optional(Overrides),
      },
      {
        error: (iss) =>
          iss.code === 'unrecognized_keys'
            ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a calendar field; use timezone, hours, holidays, overrides`
            : 'must be an object with timezone, hours, holidays and overrides',
      },
    )
    .check(
      z.superRefine((spec, ctx) => {
        checkWeek(spec.hours, ctx);
        const h = spec.holidays;
        if (h?.region !== undefined && h.country === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['holidays', 'region'],
            message: 'a region needs a country next to it',
          });
        }
        if (h?.country !== undefined) {
          const country = h.country.toUpperCase();
          if (!Object.hasOwn(knownCountries(), country)) {
            ctx.addIssue({
              code: 'custom',
              path: ['holidays', 'country'],
              message: `${JSON.stringify(h.country)} is not a country we know public holidays for; use a two-letter code such as US, GB or DE`,
            });
          } else if (h.region !== undefined && !Object.hasOwn(knownRegions(country), h.region.toUpperCase())) {
            const known = Object.keys(knownRegions(country));
            ctx.addIssue({
              code: 'custom',
              path: ['holidays', 'region'],
              message:
                known.length === 0
                  ? `${JSON.stringify(h.region)} is not a region of ${country}; ${country} has no regions with their own holidays`
                  : `${JSON.stringify(h.region)} is not a region of ${country}; known regions: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
            });
          }
        }
      }),
    );
}

let built: ReturnType<typeof writtenShape> | undefined;
export const CalendarSpec = z.lazy(() => {
  built ??= writtenShape();
  return built;
});

export type CalendarSpec = z.infer<typeof CalendarSpec>;

/** Overlaps (across midnight and the week's end too) and "no working hours at all". */
function checkWeek(hours: CalendarSpec['hours'], ctx: z.core.$RefinementCtx): void {
  if (hours === undefined) return;
  const keys = WEEKDAYS.filter((d) => Object.hasOwn(hours, d));
  if (keys.length === 0) return; // {} means 24x7
  const all: { day: Weekday; start: number; end: number; text: string }[] = [];
  for (const [i, day] of WEEKDAYS.entries()) {
    const parsed = parseDayRanges(hours[day]);
    if (!parsed.ok) return; // reported on the field already
    for (const r of parsed.value) all.push({ day, start: i * 1440 + r.start, end: i * 1440 + r.end, text: r.text });
  }
  if (all.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['hours'],
      message: 'no working hours on any day; give some ranges, or leave hours out for a 24x7 calendar',
    });
    return;
  }
  all.sort((a, b) => a.start - b.start);
  const week = 7 * 1440;
  for (let i = 0; i < all.length; i++) {
    const cur = all[i]!;
    const next = i + 1 < all.length ? all[i + 1]! : { ...all[0]!, start: all[0]!.start + week };
    if (next.start < cur.end) {
      const where = next.day === cur.day ? JSON.stringify(cur.text) : `${cur.day}'s range ${JSON.stringify(cur.text)}`;
      ctx.addIssue({
        code: 'custom',
        path: ['hours', next.day],
        message: `${JSON.stringify(next.text)} overlaps ${where}`,
      });
      return;
    }
  }
}

/** Turns zod issues into one line each: `calendar.hours.mon: "25:00-26:00" is not a time range; ...`. */
export function describeIssues(error: z.core.$ZodError, root = 'calendar'): string[] {
  return issuesOf(error, root === '' ? [] : [root]).map(issueLine);
}

/** Local day number: days since 1970-01-01 of a local calendar date. Weekday index 0 = Monday. */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayOfIsoDate(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}
