/**
 * `kept due` reads public holidays from date-holidays' tables split per country (bin/cli/holidays.ts).
 * They must say exactly what the whole of date-holidays says: the same countries and regions, and
 * for every country (and every region of a few) the same public holidays, year after year, whether
 * worked out now or read back from what an earlier call kept. Tables written in a folder of its own.
 */

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Holidays from 'date-holidays';
import { holidayTables } from '../../bin/cli/holidays';
import {
  type HolidaySource,
  isoDateOfDay,
  parseCalendar,
  publicHolidays,
  useHolidaySource,
} from '../../functions/domain/calendar';

const YEARS = [2026, 2041];
const REGIONAL = ['US', 'DE', 'GB', 'AU', 'CA', 'CH', 'ES'];

const whole = new Holidays();
let split: HolidaySource;
let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kept-holidays-'));
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(
    path.join(__dirname, '..', '..', 'bin', 'holiday-tables.cjs'),
    path.join(root, 'bin', 'holiday-tables.cjs'),
  );
  symlinkSync(path.join(__dirname, '..', '..', 'node_modules'), path.join(root, 'node_modules'), 'dir');
  split = holidayTables(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What a list says of public holidays (all the clock reads), without the Date objects' identity. */
const said = (list: readonly { date: string; start: Date; end: Date; name: string; type: string }[]) =>
  list
    .filter((h) => h.type === 'public')
    .map((h) => ({
      date: h.date,
      start: h.start.toISOString(),
      end: h.end.toISOString(),
      name: h.name,
      type: h.type,
    }));

it('knows the same countries and regions', () => {
  expect(split.countries()).toEqual(whole.getCountries());
  for (const code of Object.keys(whole.getCountries())) {
    expect(split.regions(code)).toEqual(whole.getStates(code) ?? {});
  }
});

it('gives every country the same public holidays as date-holidays', () => {
  for (const code of Object.keys(whole.getCountries())) {
    const reference = new Holidays(code);
    for (const year of YEARS) {
      const expected = { code, year, holidays: said(reference.getHolidays(year)) };
      // Worked out, then read back by a fresh engine.
      expect({ code, year, holidays: said(split.engine(code, undefined).getHolidays(year)) }).toEqual(expected);
      expect({ code, year, holidays: said(split.engine(code, undefined).getHolidays(year)) }).toEqual(expected);
    }
  }
});

it('gives every region of a few countries the same public holidays as date-holidays', () => {
  for (const code of REGIONAL) {
    for (const region of Object.keys(whole.getStates(code) ?? {})) {
      const engine = split.engine(code, region);
      const reference = new Holidays(code, region);
      for (const year of [2026, 2027]) {
        expect({ code, region, year, holidays: said(engine.getHolidays(year)) }).toEqual({
          code,
          region,
          year,
          holidays: said(reference.getHolidays(year)),
        });
      }
    }
  }
});

describe('a calendar checked and compiled with the split tables', () => {
  afterAll(() => useHolidaySource(defaultSource));
  let defaultSource: HolidaySource;
  beforeAll(() => {
    // The source in use before: the whole of date-holidays, loaded lazily.
    defaultSource = {
      countries: () => whole.getCountries(),
      regions: (c) => whole.getStates(c) ?? {},
      engine: (c, r) => (r ? new Holidays(c, r) : new Holidays(c)),
    };
    useHolidaySource(split);
  });

  it('skips New York public holidays and names them', () => {
    const cal = parseCalendar({ timezone: 'America/New_York', holidays: { country: 'us', region: 'ny' } });
    if (!cal.ok) throw new Error(cal.error.join('\n'));
    const days = [...publicHolidays('US', 'NY', 2026)].map(([day, name]) => [isoDateOfDay(day), name]);
    expect(days).toContainEqual(['2026-11-26', 'Thanksgiving Day']);
    const thanksgiving = [...publicHolidays('US', 'NY', 2026)].find(([, n]) => n === 'Thanksgiving Day')![0];
    expect(cal.value.isHoliday(thanksgiving)).toBe(true);
    expect(cal.value.holidayName(thanksgiving)).toBe('Thanksgiving Day');
  });

  it('keeps each year worked out beside the tables', () => {
    const [versions] = readdirSync(path.join(root, 'build', 'holidays'));
    expect(readdirSync(path.join(root, 'build', 'holidays', versions!, 'years'))).toContain('US-NY-2026.json');
  });

  it('refuses an unknown country and region with the same words', () => {
    const country = parseCalendar({ timezone: 'UTC', holidays: { country: 'XX' } });
    const region = parseCalendar({ timezone: 'UTC', holidays: { country: 'US', region: 'ZZ' } });
    expect(country.ok || country.error).toEqual([
      'calendar.holidays.country: "XX" is not a country we know public holidays for; use a two-letter code such as US, GB or DE',
    ]);
    expect(region.ok || region.error[0]).toMatch(
      /^calendar\.holidays\.region: "ZZ" is not a region of US; known regions: AL, /,
    );
  });
});
