import fc from 'fast-check';
import { CalendarSpec } from '../../../functions/domain/calendar';

export const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'UTC',
  'Asia/Tokyo',
] as const;

// Days on which some of the zones above change their clocks, to start near them.
const DST_DAYS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-04-05',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2026-09-27',
  '2027-03-14',
].map((d) => Date.parse(`${d}T00:00:00Z`));

const MIN = 60_000;
const DAY = 86_400_000;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Up to two ranges in a day, the last possibly running past midnight. Times on a 5-minute grid, some odd ones. */
const dayHours = fc
  .tuple(
    fc.uniqueArray(
      fc.oneof(
        fc.integer({ min: 0, max: 288 }).map((x) => x * 5),
        fc.integer({ min: 0, max: 1440 }),
      ),
      { minLength: 2, maxLength: 4 },
    ),
    fc.option(fc.integer({ min: 0, max: 480 }), { freq: 3 }),
  )
  .map(([points, overnightEnd]) => {
    const p = [...points].sort((a, b) => a - b);
    if (p.length % 2 === 1) p.pop();
    const ranges: string[] = [];
    for (let i = 0; i < p.length; i += 2) ranges.push(`${hhmm(p[i]!)}-${hhmm(p[i + 1]!)}`);
    const last = p[p.length - 1]!;
    if (overnightEnd !== null && last < 1440 && overnightEnd < p[p.length - 2]!) {
      ranges[ranges.length - 1] = `${hhmm(p[p.length - 2]!)}-${hhmm(overnightEnd)}`;
    }
    return ranges.filter((r) => r.slice(0, 5) !== '24:00').join(',');
  });

const hours = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 5,
    arbitrary: fc.record(
      Object.fromEntries(DAYS.map((d) => [d, dayHours])) as Record<(typeof DAYS)[number], typeof dayHours>,
      {
        requiredKeys: [],
      },
    ),
  },
);

export const startNearDst = fc
  .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -4 * 24 * 60, max: 4 * 24 * 60 }))
  .map(([day, minutes]) => day + minutes * MIN);

export const anyStart = fc.oneof(
  startNearDst,
  fc
    .integer({ min: Date.parse('2025-06-01T00:00:00Z') / MIN, max: Date.parse('2027-06-01T00:00:00Z') / MIN })
    .map((m) => m * MIN),
);

/** An override's value: closed (`""`), or a day's ranges (overnight too). */
const overrideHours = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 3, arbitrary: dayHours });

/**
 * A valid random calendar spec, with explicit holidays near `around`, sometimes a country, and
 * overrides near `around` too (some on the holidays, some on the DST change itself).
 */
export const calendarSpec = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    hours,
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -3, max: 12 }), { maxLength: 4 }),
    country: fc.option(fc.constantFrom('US', 'GB', 'DE', 'AU'), { freq: 4 }),
    around: fc.constantFrom(...DST_DAYS),
    overrides: fc.uniqueArray(fc.tuple(fc.integer({ min: -4, max: 12 }), overrideHours), {
      maxLength: 4,
      selector: ([o]) => o,
    }),
  })
  .map(({ timezone, hours, holidayOffsets, country, around, overrides }) => {
    const spec: CalendarSpec = { timezone };
    if (hours !== undefined) spec.hours = Object.fromEntries(Object.entries(hours).filter(([, v]) => v !== undefined));
    const dates = holidayOffsets.map((o) => new Date(around + o * DAY).toISOString().slice(0, 10));
    if (dates.length > 0 || country !== null)
      spec.holidays = { ...(dates.length > 0 ? { dates } : {}), ...(country !== null ? { country } : {}) };
    if (overrides.length > 0)
      spec.overrides = Object.fromEntries(
        overrides.map(([o, value]) => [new Date(around + o * DAY).toISOString().slice(0, 10), value]),
      );
    return spec;
  })
  .filter((spec) => CalendarSpec.safeParse(spec).success);

/** Working minutes in a plain week of the spec (ignoring holidays and DST), to size durations. */
export function weeklyMinutes(spec: CalendarSpec): number {
  const h = spec.hours ?? {};
  const entries = Object.values(h).filter((v): v is string => typeof v === 'string' && v !== '');
  if (Object.keys(h).length === 0) return 7 * 1440;
  let total = 0;
  for (const day of entries) {
    for (const r of day.split(',')) {
      const a = Number(r.slice(0, 2)) * 60 + Number(r.slice(3, 5));
      const b = Number(r.slice(6, 8)) * 60 + Number(r.slice(9, 11));
      total += b > a ? b - a : b + 1440 - a;
    }
  }
  return total;
}
