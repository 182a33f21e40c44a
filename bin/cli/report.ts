/**
 * `kept report --dept ID [--side provider|customer] [--from DATE] [--to DATE] [--format table|json|csv]`:
 * a department's report on stdout, from the same day counters as `/sla report` (two reads however
 * many requests the period holds); `--side customer` shows what it receives from others (one read
 * per provider), `--company` every agreement, worst compliance first (one read per provider).
 * Dates are local `YYYY-MM-DD` in the department's time zone (UTC for `--company`); by default from
 * the first of this month to today. Penalties are always shown: whoever can run `kept` can read
 * the table. Bad input is one line on stderr and exit code 2.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { parseStoreConfig } from '../../functions/config';
import { customerLabel } from '../../functions/domain/agreement-text';
import { type Directory, findDepartment, findDepartmentByIdOrName } from '../../functions/domain/directory';
import { loyaltyTable } from '../../functions/domain/loyalty-format';
import type { Report } from '../../functions/domain/report';
import { type NamedReview, reportCsv, reportTable } from '../../functions/domain/report-format';
import { isLocalDate, localToday } from '../../functions/domain/report-period';
import type { CompanyReport, CustomerReport } from '../../functions/domain/report-sides';
import { companyCsv, companyTable, customerCsv, customerTable } from '../../functions/domain/report-sides-format';
import { reviewsOfDepartments } from '../../functions/services/reviews';
import { readDirectory } from '../../functions/store/directory';
import { readLoyalty } from '../../functions/store/metrics';
import { readCompanyReport, readCustomerReport, readReport } from '../../functions/store/stats';
import { withDb } from './db';
import { type CliIO, EXIT } from './io';

const USAGE =
  'usage: kept report (--dept ID [--side provider|customer] | --company) [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json|csv]';
const SIDES = ['provider', 'customer'] as const;
type Side = (typeof SIDES)[number] | 'company';
const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/** How many "better" answers the report carries. */
const BETTER_READ = 50;

class Invalid extends Error {}

/** Each agreement's customer as people say it (a department's name, or "every department"), by agreement id. */
function customerNames(dir: Directory): Record<string, string> {
  const name = (id: string) => findDepartment(dir, id)?.name ?? id;
  const names: Record<string, string> = {};
  for (const a of dir.agreements) {
    const terms = a.active ?? a.pending;
    if (terms) names[a.id] = customerLabel(terms.customer, name);
  }
  return names;
}

/** JSON and CSV keep the ids (and carry the names beside them); the table names things for people. */
export function formatReport(
  report: Report,
  format: Format,
  dir: Directory,
  reviews: readonly NamedReview[] = [],
): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (format === 'csv') return reportCsv(report).replace(/\r\n$/, '');
  return reportTable(report, { customers: customerNames(dir), reviews });
}

/** The customer side or the company view in one of the three formats. */
export function formatSides(report: CustomerReport | CompanyReport, format: Format): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (report.side === 'customer') return format === 'csv' ? customerCsv(report) : customerTable(report);
  return format === 'csv' ? companyCsv(report) : companyTable(report);
}

export async function report(args: string[], io: CliIO, now = new Date()): Promise<number> {
  let dept: string | undefined;
  let side: Side;
  let from: string | undefined;
  let to: string | undefined;
  let format: Format;
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          dept: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          format: { type: 'string' },
          side: { type: 'string' },
          company: { type: 'boolean' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (err) {
      throw new Invalid(`${(err as Error).message.split('\n')[0]}; ${USAGE}`);
    }
    if (values.company) {
      if (values.dept !== undefined || values.side !== undefined)
        throw new Invalid('--company shows every agreement: leave out --dept and --side');
      side = 'company';
    } else {
      if (values.dept === undefined) throw new Invalid(`--dept (or --company) is required; ${USAGE}`);
      const s = (values.side ?? 'provider').toLowerCase();
      if (!(SIDES as readonly string[]).includes(s))
        throw new Invalid(`--side "${values.side}" is not a side; use provider or customer`);
      side = s as Side;
      dept = values.dept.toLowerCase();
    }
    for (const name of ['from', 'to'] as const) {
      const value = values[name];
      if (value !== undefined && !isLocalDate(value))
        throw new Invalid(`--${name} "${value}" is not a date; write YYYY-MM-DD, e.g. 2026-11-01`);
    }
    from = values.from;
    to = values.to;
    if (from && to && from > to) throw new Invalid(`--from ${from} is after --to ${to}`);
    const f = values.format ?? 'table';
    if (!(FORMATS as readonly string[]).includes(f))
      throw new Invalid(`--format "${f}" is not a format; use table, json or csv`);
    format = f as Format;
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    io.err(`kept report: ${err.message}`);
    return EXIT.usage;
  }

  const config = parseStoreConfig(io.env); // the database only: a report never talks to Slack
  return withDb(config, async (db) => {
    const dir = await readDirectory(db);
    if (side === 'company' || dept === undefined) {
      const today = localToday(now.getTime(), 'UTC');
      const start = from ?? `${today.slice(0, 7)}-01`;
      const end = to ?? today;
      if (start > end) {
        io.err(`kept report: --from ${start} is after --to ${end} (today in UTC when left out)`);
        return EXIT.usage;
      }
      io.out(formatSides(await readCompanyReport(db, dir, { from: start, to: end }), format));
      return EXIT.ok;
    }
    const department = findDepartmentByIdOrName(dir, dept);
    if (!department) {
      const known = dir.departments.map((d) => d.id).join(', ');
      io.err(
        `kept report: there is no department "${dept}"; ${known ? `departments: ${known}` : 'import some first with `kept import FILE.yaml`'}`,
      );
      return EXIT.usage;
    }
    const today = localToday(now.getTime(), department.calendar.timezone);
    const start = from ?? `${today.slice(0, 7)}-01`;
    const end = to ?? today;
    if (start > end) {
      io.err(
        `kept report: --from ${start} is after --to ${end} (${from ? 'today' : 'the first of this month'} in ${department.calendar.timezone} when left out)`,
      );
      return EXIT.usage;
    }
    if (side === 'customer') {
      const received = await readCustomerReport(db, dir, department.id, { from: start, to: end });
      const loyalty = format === 'csv' ? undefined : await readLoyalty(db, dir, department, end);
      if (!loyalty) io.out(formatSides(received, format));
      else if (format === 'json') io.out(JSON.stringify({ ...received, loyalty }, null, 2));
      else io.out(`${formatSides(received, format)}\n\n${loyaltyTable(loyalty)}`);
      return EXIT.ok;
    }
    const built = await readReport(db, dir, department, { from: start, to: end }, BETTER_READ);
    const zone = department.calendar.timezone;
    const reviews =
      format === 'table'
        ? await reviewsOfDepartments(
            db,
            dir,
            [department.id],
            DateTime.fromISO(start, { zone }).toMillis(),
            DateTime.fromISO(end, { zone }).plus({ days: 1 }).toMillis(),
          )
        : [];
    io.out(formatReport(built, format, dir, reviews));
    return EXIT.ok;
  });
}
