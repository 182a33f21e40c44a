/**
 * Public holidays for the command line from date-holidays' tables split per country
 * (bin/holiday-tables.cjs): a calendar naming US loads the US table (~20 KB) and the rules engine,
 * not every country's (~800 KB, ~70 ms). A year's public holidays, once worked out (~50 ms: the
 * engine works out every rule of the year), are kept beside the tables, so the next call for that
 * country, region and year loads no rules engine at all. Same countries, regions and holidays as
 * date-holidays (tests/bin/holidays.test.ts). All is written on first use, once per version of
 * date-holidays, its rules engine and moment-timezone (bin/holiday-tables.cjs names the folder).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type HolidaysParserType from 'date-holidays-parser';
import type { HolidayEngine, HolidaySource } from '../../functions/domain/calendar-spec';

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

/** A year's holidays as kept on disk: Date fields as ISO strings. */
interface Kept {
  date: string;
  start: string;
  end: string;
  name: string;
  type: string;
}
const revive = (h: Kept) => ({ ...h, start: new Date(h.start), end: new Date(h.end) });

/** Writes a year's public holidays (in a file of its own, renamed into place); only slower if it cannot. */
function keep(
  file: string,
  list: readonly { date: string; start: Date; end: Date; name: string; type: string }[],
): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(list));
    renameSync(tmp, file);
  } catch {
    // Worked out again next time.
  }
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
      let engine: HolidayEngine | undefined;
      const compute = (): HolidayEngine => {
        if (engine) return engine;
        let table = tables.get(country);
        if (!table) {
          table = read<object>(`${country}.json`);
          tables.set(country, table);
        }
        const mod = require('date-holidays-parser') as { default: typeof HolidaysParserType };
        engine = region ? new mod.default(table, country, region) : new mod.default(table, country);
        return engine;
      };
      return {
        getHolidays: (year) => {
          const file = path.join(folder(), 'years', `${country}-${region ?? ''}-${year}.json`);
          try {
            return (JSON.parse(readFileSync(file, 'utf8')) as Kept[]).map(revive);
          } catch {
            // Not worked out yet (or unreadable): work it out now.
          }
          const list = compute()
            .getHolidays(year)
            .filter((h) => h.type === 'public');
          keep(file, list);
          return list;
        },
      };
    },
  };
}
