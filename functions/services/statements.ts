/**
 * Reading monthly penalty statements (domain/statement.ts) for every surface: the worker's DMs,
 * `kept statement`. A statement is built from the month's ledger and the penalty terms of the
 * agreement version its last charge was made under (the active version when the month had none).
 */
import { EVERY_DEPARTMENT } from '../domain/agreement';
import { type Directory, findAgreement } from '../domain/directory';
import { buildStatement, type Statement, statementFor } from '../domain/statement';
import { getAgreementVersion } from '../store/agreements';
import type { Db } from '../store/client';
import { readLedger } from '../store/ledger';
import { getRequest } from '../store/requests';

/** The statement of agreement `agreementId` for `month`; undefined for an agreement Kept does not know. */
export async function readStatement(
  db: Db,
  dir: Directory,
  agreementId: string,
  month: string,
): Promise<Statement | undefined> {
  const record = findAgreement(dir, agreementId);
  const entries = await readLedger(db, agreementId, month);
  const last = entries.filter((e) => e.type === 'penalty').at(-1);
  const terms =
    (last ? await getAgreementVersion(db, agreementId, last.agreementVersion) : undefined) ??
    record?.active ??
    record?.pending;
  if (!terms) return undefined;
  const customers: Record<string, string> = {};
  if (terms.customer === EVERY_DEPARTMENT)
    for (const id of new Set(entries.filter((e) => e.type === 'penalty').map((e) => e.request))) {
      const request = await getRequest(db, id);
      if (request) customers[id] = request.customer;
    }
  return buildStatement({ agreementId, month, terms, entries, customers });
}

export interface DepartmentStatements {
  department: string;
  month: string;
  /** The agreements the department provides. */
  provides: Statement[];
  /** The agreements it receives (of one for every department: its own breaches only). */
  receives: Statement[];
}

/** Every statement of `month` a department is a side of. */
export async function readDepartmentStatements(
  db: Db,
  dir: Directory,
  department: string,
  month: string,
): Promise<DepartmentStatements> {
  const provides: Statement[] = [];
  const receives: Statement[] = [];
  for (const record of [...dir.agreements].sort((a, b) => a.id.localeCompare(b.id))) {
    const terms = record.active ?? record.pending;
    if (!terms) continue;
    const mine = terms.provider === department;
    const theirs = terms.provider !== department && (terms.customer === department || terms.customer === '*');
    if (!mine && !theirs) continue;
    const statement = await readStatement(db, dir, record.id, month);
    if (!statement) continue;
    if (mine) provides.push(statement);
    else receives.push(statementFor(statement, department));
  }
  return { department, month, provides, receives };
}
