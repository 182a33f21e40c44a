/**
 * The worker's side of the monthly statement (`statement.send`, handed on by jobs/statements.ts):
 * the agreement's statement for the month goes by DM to the provider's heads and the customer's
 * heads (of an agreement for every department: the heads of each department whose requests were
 * breached, each reading their own part). Once per statement and head (a delivery key), so the
 * item handed on twice, or delivered again by SQS, tells nobody twice.
 */
import type { WebClient } from '@slack/web-api';
import { type Department, isHead } from '../domain/department';
import { findDepartment } from '../domain/directory';
import { customersOf, statementFor } from '../domain/statement';
import { readStatement } from '../services/statements';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { postDm } from './dm';
import { statementDm } from './views/statements';

export interface StatementNotifyDeps {
  db: Db;
  slack: WebClient;
  now?: () => Date;
}

/** What a head's statement DM is remembered under. */
export const statementKey = (agreementId: string, month: string, head: string) =>
  `statement:${agreementId}:${month}:${head}`;

export async function sendStatement(
  deps: StatementNotifyDeps,
  item: { agreement: string; month: string },
): Promise<void> {
  const dir = await readDirectory(deps.db);
  const statement = await readStatement(deps.db, dir, item.agreement, item.month);
  if (!statement) return; // an agreement Kept no longer knows: nobody to tell
  const names = (id: string) => findDepartment(dir, id)?.name ?? id;
  const provider = findDepartment(dir, statement.provider);
  const customers = customersOf(statement)
    .map((id) => findDepartment(dir, id))
    .filter((d): d is Department => d !== undefined);
  // A head of both sides reads the customer's statement (with its Waive buttons), once.
  const readers = new Map<string, { side: 'provider' | 'customer'; customer?: string }>();
  for (const head of provider?.heads ?? []) readers.set(head, { side: 'provider' });
  for (const customer of customers)
    for (const head of customer.heads)
      if (isHead(customer, head)) readers.set(head, { side: 'customer', customer: customer.id });
  for (const [head, reader] of readers) {
    const mine = reader.customer ? statementFor(statement, reader.customer) : statement;
    await once(
      deps.db,
      statementKey(item.agreement, item.month, head),
      { leaseMs: WORKER_LEASE_MS, ...(deps.now ? { now: deps.now } : {}) },
      () => postDm(deps.slack, head, statementDm({ statement: mine, side: reader.side, names }), item.agreement),
    );
  }
}
