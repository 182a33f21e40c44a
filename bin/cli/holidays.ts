/**
 * Public holidays for the command line from date-holidays' tables split per country
 * (bin/holiday-tables.cjs): a calendar naming US loads the US table (~20 KB) and the rules engine,
 * not every country's (~800 KB, ~70 ms), and the time zones those rules name, not all ~600. Same countries, regions and holidays as date-holidays
 * (tests/bin/holidays.test.ts). The tables are written on first use, once per date-holidays version.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import HolidaysParser from 'date-holidays-parser';
import moment from 'moment-timezone';
import type { HolidayEngine, HolidaySource } from '../../functions/domain/calendar-spec';

/** One country's file: its rules (with those it borrows) and the time zones they name, packed. */
interface Table {
  table: object;
  timezones: { zones: string[]; links: string[] };
}

interface Index {
  countries: Record<string, string>;
  regions: Record<string, Record<string, string>>;
}

/** The project's folder: the one with package.json and bin/holiday-tables.cjs (from the source or its build). */
function projectRoot(start = __dirname): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'bin', 'holiday-tables.cjs')) || !existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the kept project above ${start}`);
    dir = parent;
  }
  return dir;
}

/** A holiday source reading the split tables under `root` (written now if missing). */
export function holidayTables(root = projectRoot()): HolidaySource {
  let dir: string | undefined;
  let index: Index | undefined;
  const tables = new Map<string, object>();
  const folder = (): string => {
    if (!dir) {
      // Plain CommonJS beside the build: required at run time, never bundled (it loads every country).
      const tablesModule = path.join(root, 'bin', 'holiday-tables.cjs');
      dir = (require(tablesModule) as { ensureTables(root: string): string }).ensureTables(root);
    }
    return dir;
  };
  const read = <T>(name: string): T => JSON.parse(readFileSync(path.join(folder(), name), 'utf8')) as T;
  const indexOf = (): Index => {
    index ??= read<Index>('index.json');
    return index;
  };
  return {
    countries: () => ({ ...indexOf().countries }),
    regions: (country) => ({ ...(indexOf().regions[country] ?? {}) }),
    engine: (country, region): HolidayEngine => {
      if (!Object.hasOwn(indexOf().countries, country)) return { getHolidays: () => [] };
      let table = tables.get(country);
      if (!table) {
        const file = read<Table>(`${country}.json`);
        // `kept due` is built with moment-timezone's code but none of its zones (bin/run.cjs): the
        // zones this country's rules use are added here. Elsewhere they are there already.
        moment.tz.add(file.timezones.zones);
        moment.tz.link(file.timezones.links);
        table = file.table;
        tables.set(country, table);
      }
      return region ? new HolidaysParser(table, country, region) : new HolidaysParser(table, country);
    },
  };
}
