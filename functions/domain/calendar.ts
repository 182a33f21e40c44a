/**
 * The compiled working-time `Calendar` the clock uses: working intervals per local date as UTC
 * instants, cached, with zone offsets found once per zone. Semantics in docs/clock.md; the
 * written shape and its validation are in calendar-spec.ts.
 */
import { IANAZone } from 'luxon';
import {
  CalendarSpec,
  dayOfIsoDate,
  describeIssues,
  isoDateOfDay,
  type MinuteRange,
  parseDayRanges,
  publicHolidays,
  WEEKDAYS,
  weekdayOfDay,
} from './calendar-spec';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration';
import type { Result } from './result';

export * from './calendar-spec';

// ---------------------------------------------------------------------------------------------
// Zone offsets, cached

const GRID_MS = 6 * HOUR_MS;

/** Offsets of one IANA zone, sampled every 6 hours with transitions found by bisection and cached. */
class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly grid = new Map<number, number>();
  private readonly transitions = new Map<number, number>();

  constructor(name: string) {
    this.zone = IANAZone.create(name);
  }

  /** Offset in ms at instant t (UTC = wall - offset). */
  raw(t: number): number {
    return Math.round(this.zone.offset(t) * MINUTE_MS);
  }

  private atGrid(g: number): number {
    let v = this.grid.get(g);
    if (v === undefined) {
      if (this.grid.size > 50_000) this.grid.clear();
      v = this.raw(g * GRID_MS);
      this.grid.set(g, v);
    }
    return v;
  }

  /** The first instant in (g*GRID, (g+1)*GRID] whose offset is the one at the later grid point. */
  private transition(g: number): number {
    let v = this.transitions.get(g);
    if (v === undefined) {
      const after = this.atGrid(g + 1);
      let lo = g * GRID_MS; // offset differs from `after` here
      let hi = (g + 1) * GRID_MS; // offset equals `after` here
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.raw(mid) === after) hi = mid;
        else lo = mid;
      }
      v = hi;
      this.transitions.set(g, v);
    }
    return v;
  }

  /** Constant-offset segments [start, end, offset] covering [a, b). */
  segments(a: number, b: number): number[] {
    const out: number[] = [];
    const g0 = Math.floor(a / GRID_MS);
    const g1 = Math.ceil(b / GRID_MS);
    let segStart = a;
    let off = this.atGrid(g0);
    for (let g = g0; g < g1; g++) {
      const next = this.atGrid(g + 1);
      if (next !== off) {
        const at = this.transition(g);
        if (at > segStart) out.push(segStart, Math.min(at, b), off);
        segStart = Math.max(at, segStart);
        off = next;
      }
    }
    if (segStart < b) out.push(segStart, b, off);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// The compiled calendar

const PIECE_CACHE = 4_096;
const BUCKET_CACHE = 20_000;

export class NoWorkingTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoWorkingTimeError';
  }
}

/**
 * A compiled calendar. Working time is kept per "bucket": a 24-hour span of UTC instants roughly
 * aligned with a local day. Each bucket holds its working intervals as a flat, sorted list
 * `[start0, end0, start1, end1, ...]` of epoch ms, merged and disjoint. Buckets are computed on
 * first use and cached (capped; oldest dropped first).
 */
export class Calendar {
  readonly zone: string;
  readonly spec: CalendarSpec;
  /** Ranges per weekday (0 = Monday), minutes from local midnight; `end` > 1440 runs past midnight. */
  readonly weekly: readonly (readonly MinuteRange[])[];
  /** Ranges of each overridden local date (a local day number), sorted; empty for a closed day. */
  readonly overrides: ReadonlyMap<number, readonly MinuteRange[]>;
  /** 24x7 with no holidays and no overrides: working time is plain elapsed time. */
  readonly alwaysOpen: boolean;
  readonly is24x7: boolean;

  private offsets: ZoneOffsets;
  private readonly shift: number;
  private readonly explicitHolidays: ReadonlySet<number>;
  private readonly country: string | undefined;
  private readonly region: string | undefined;
  private readonly countryHolidaysByYear = new Map<number, ReadonlyMap<number, string>>();
  private readonly pieces = new Map<number, number[]>();
  private readonly buckets = new Map<number, number[]>();

  constructor(spec: CalendarSpec) {
    this.spec = spec;
    this.zone = spec.timezone;
    const hours = spec.hours ?? {};
    this.is24x7 = WEEKDAYS.every((d) => !Object.hasOwn(hours, d));
    this.weekly = WEEKDAYS.map((d) => {
      if (this.is24x7) return [{ start: 0, end: 1440, text: '00:00-24:00' }];
      const parsed = parseDayRanges(hours[d]);
      if (!parsed.ok) throw new Error(`calendar.hours.${d}: ${parsed.error}`);
      return [...parsed.value].sort((a, b) => a.start - b.start);
    });
    this.explicitHolidays = new Set((spec.holidays?.dates ?? []).map(dayOfIsoDate));
    this.country = spec.holidays?.country?.toUpperCase();
    this.region = spec.holidays?.region?.toUpperCase();
    const overrides = new Map<number, MinuteRange[]>();
    for (const [date, value] of Object.entries(spec.overrides ?? {})) {
      const parsed = parseDayRanges(value);
      if (!parsed.ok) throw new Error(`calendar.overrides.${date}: ${parsed.error}`);
      overrides.set(
        dayOfIsoDate(date),
        [...parsed.value].sort((a, b) => a.start - b.start),
      );
    }
    this.overrides = overrides;
    this.alwaysOpen =
      this.is24x7 && this.explicitHolidays.size === 0 && this.country === undefined && overrides.size === 0;
    this.offsets = new ZoneOffsets(this.zone);
    this.shift = -this.offsets.raw(Date.UTC(2026, 0, 1));
  }

  /** Whether the local date `day` (a local day number) is a holiday. */
  isHoliday(day: number): boolean {
    if (this.explicitHolidays.has(day)) return true;
    if (this.country === undefined) return false;
    const year = Number(isoDateOfDay(day).slice(0, 4));
    return this.countryHolidays(year).has(day);
  }

  /**
   * The name of the holiday on local date `day`: the public holiday's name, or `undefined` for a
   * date the calendar lists itself (it has no name) and for a day that is not a holiday.
   */
  holidayName(day: number): string | undefined {
    if (this.country === undefined) return undefined;
    const year = Number(isoDateOfDay(day).slice(0, 4));
    return this.countryHolidays(year).get(day);
  }

  private countryHolidays(year: number): ReadonlyMap<number, string> {
    let set = this.countryHolidaysByYear.get(year);
    if (!set) {
      set = publicHolidays(this.country!, this.region, year);
      this.countryHolidaysByYear.set(year, set);
    }
    return set;
  }

  /**
   * The ranges that start on local date `day`: its override's if it has one (even on a holiday),
   * none on a holiday, else its weekday's.
   */
  rangesOn(day: number): readonly MinuteRange[] {
    const override = this.overrides.get(day);
    if (override) return override;
    const ranges = this.weekly[weekdayOfDay(day)]!;
    return ranges.length > 0 && this.isHoliday(day) ? [] : ranges;
  }

  /** Working intervals (flat [s, e, ...], epoch ms) of the ranges that start on local date `day`. */
  private piecesOf(day: number): number[] {
    let out = this.pieces.get(day);
    if (out) return out;
    out = [];
    const ranges = this.rangesOn(day);
    if (ranges.length > 0) {
      const base = day * DAY_MS;
      // t = wall - offset and offsets lie within -12h..+14h, so 15 hours either side is enough.
      const segs = this.offsets.segments(base - 15 * HOUR_MS, base + 2 * DAY_MS + 15 * HOUR_MS);
      for (const r of ranges) {
        const ws = base + r.start * MINUTE_MS;
        const we = base + r.end * MINUTE_MS;
        for (let i = 0; i < segs.length; i += 3) {
          const off = segs[i + 2]!;
          const s = Math.max(ws - off, segs[i]!);
          const e = Math.min(we - off, segs[i + 1]!);
          if (s < e) out.push(s, e);
        }
      }
    }
    if (this.pieces.size >= PIECE_CACHE) this.pieces.delete(this.pieces.keys().next().value!);
    this.pieces.set(day, out);
    return out;
  }

  /** The bucket holding instant t. */
  bucketIndex(t: number): number {
    return Math.floor((t - this.shift) / DAY_MS);
  }

  /** Sorted, merged working intervals inside bucket k: [k*DAY + shift, (k+1)*DAY + shift). */
  bucket(k: number): number[] {
    const cached = this.buckets.get(k);
    if (cached) return cached;
    const lo = k * DAY_MS + this.shift;
    const hi = lo + DAY_MS;
    const raw: [number, number][] = [];
    for (let d = k - 3; d <= k + 2; d++) {
      const p = this.piecesOf(d);
      for (let i = 0; i < p.length; i += 2) {
        const s = Math.max(p[i]!, lo);
        const e = Math.min(p[i + 1]!, hi);
        if (s < e) raw.push([s, e]);
      }
    }
    raw.sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const [s, e] of raw) {
      const n = out.length;
      if (n > 0 && s <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, e);
      else out.push(s, e);
    }
    if (this.buckets.size >= BUCKET_CACHE) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(k, out);
    return out;
  }

  /** Drops cached offsets and working intervals (for measuring cold performance). */
  clearCaches(): void {
    this.offsets = new ZoneOffsets(this.zone);
    this.pieces.clear();
    this.buckets.clear();
  }
}

/** Validates a calendar in the written shape and compiles it. Errors are one line each, with paths. */
export function parseCalendar(input: unknown, root = 'calendar'): Result<Calendar, string[]> {
  const parsed = CalendarSpec.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error, root) };
  return { ok: true, value: new Calendar(parsed.data) };
}

/** Compiles an already-valid spec; throws (with the first problem) if it is not valid. */
export function compileCalendar(spec: CalendarSpec): Calendar {
  const parsed = parseCalendar(spec);
  if (!parsed.ok) throw new Error(parsed.error[0]);
  return parsed.value;
}
