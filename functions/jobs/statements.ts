/**
 * The monthly penalty statements, run with each digest run (every 15 minutes): from a provider's
 * first working instant of a month (its calendar, at or after its opening) until the month ends,
 * each active agreement of that provider whose statement of the month before has not been handed
 * on is claimed (store/statements.ts) and handed to the worker (`statement.send`), which DMs both
 * sides' heads once each (slack/notify-statements.ts). One Query per month tells which are handed
 * already, so the runs of the rest of the month cost one read. A run that dies after claiming
 * leaves its claim to run out; the next run takes it over and hands the work on again.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { findDepartment } from '../domain/directory';
import { statementDue } from '../domain/statement';
import { calendarOf } from '../services/calendars';
import { plural } from '../slack/views/format';
import { readDirectory } from '../store/directory';
import { claimStatement, markStatementHanded, statementClaimsOf } from '../store/statements';
import type { JobDeps } from './scan';

export interface StatementsResult {
  /** Statements handed to the worker in this run. */
  handed: number;
  /** The months they were for. */
  months: string[];
}

export async function runStatements(deps: JobDeps, now: Date): Promise<StatementsResult> {
  const result: StatementsResult = { handed: 0, months: [] };
  if (!deps.outbox) return result; // nobody to do the work
  const at = now.getTime();
  const dir = await readDirectory(deps.db);
  const handed = new Map<string, Set<string>>();
  const handedIn = async (month: string) => {
    let set = handed.get(month);
    if (!set) {
      const claims = await statementClaimsOf(deps.db, month);
      set = new Set(claims.filter((c) => c.state === 'handed').map((c) => c.agreementId));
      handed.set(month, set);
    }
    return set;
  };
  const owner = randomUUID();
  for (const record of dir.agreements) {
    const terms = record.active;
    if (!terms) continue;
    const provider = findDepartment(dir, terms.provider);
    if (!provider) continue;
    const calendar = calendarOf(provider);
    const due = statementDue(calendar, at);
    if (!due.due) continue;
    // An agreement whose first version began this month has no month before to account for.
    const began = terms.activatedAt ?? terms.createdAt;
    if (terms.version === 1 && DateTime.fromISO(began, { zone: calendar.zone }).toFormat('yyyy-MM') > due.month)
      continue;
    if ((await handedIn(due.month)).has(record.id)) continue;
    const claim = await claimStatement(deps.db, due.month, record.id, owner, at);
    if (claim.kind !== 'claimed') continue;
    await deps.outbox.send({ type: 'statement.send', agreement: record.id, month: due.month });
    await markStatementHanded(deps.db, due.month, record.id, owner, at);
    result.handed++;
    if (!result.months.includes(due.month)) result.months.push(due.month);
  }
  return result;
}

export function describeStatements(r: StatementsResult): string {
  return r.handed > 0
    ? ` Statements: ${plural(r.handed, 'agreement', 'agreements')} of ${r.months.join(', ')} handed to the worker.`
    : '';
}
