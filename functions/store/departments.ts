/**
 * Departments live in the directory partition (`DIRECTORY / DEPT#<id>`). Changes made by
 * admins carry the directory revision they were decided on; the user-group member cache is
 * refreshed without it (it is Slack's answer, not a decision).
 */

import type { Department } from '../domain/department';
import { auditItems } from './audit';
import type { Db } from './client';
import { UpdateCommand } from './commands';
import { bumpRev, DIRECTORY_PK, departmentItem, deptSk } from './directory';
import { ifConditionHolds, type TransactItem, transact } from './transact';

export function putDepartmentItem(db: Db, d: Department, mode: 'create' | 'update'): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: departmentItem(d),
      ConditionExpression: mode === 'create' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
    },
  };
}

/** A department as the audit trail keeps it: the decisions, not the user-group member cache. */
export function auditedDepartment(d: Department | undefined): Record<string, unknown> | undefined {
  if (!d) return undefined;
  const { usergroupMembers: _m, usergroupSyncedAt: _s, ...decided } = d;
  return decided;
}

/** The audit line of a department created (no `before`) or changed. */
export function departmentAudit(
  db: Db,
  d: Department,
  who: { by: string; at: string; before?: Department | undefined },
): TransactItem[] {
  return auditItems(db, {
    subject: 'department',
    id: d.id,
    action: who.before ? 'updated' : 'created',
    by: who.by,
    at: who.at,
    departments: [d.id],
    before: auditedDepartment(who.before),
    after: auditedDepartment(d),
  });
}

/**
 * Creates or replaces a department, on the condition that the directory is still at `rev`, with
 * its audit line (`who.before`: the department as it was read, absent when created).
 */
export async function saveDepartment(
  db: Db,
  d: Department,
  mode: 'create' | 'update',
  rev: number,
  who: { by: string; at: string; before?: Department | undefined },
): Promise<void> {
  await transact(db, [bumpRev(db, rev), putDepartmentItem(db, d, mode), ...departmentAudit(db, d, who)]);
}

/**
 * Stores the members Slack reported for the department's user group, if the group is still the
 * same. Not in the audit trail: it is Slack's answer, not anyone's decision (the group's choice is).
 */
export async function cacheUsergroupMembers(
  db: Db,
  id: string,
  usergroup: string,
  members: string[],
  at: string,
): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: DIRECTORY_PK, sk: deptSk(id) },
        UpdateExpression: 'SET usergroupMembers = :m, usergroupSyncedAt = :at',
        ConditionExpression: 'usergroup = :g',
        ExpressionAttributeValues: { ':m': members, ':at': at, ':g': usergroup },
      }),
    ),
  );
}
