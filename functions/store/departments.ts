/**
 * Departments live in the directory partition (`DIRECTORY / DEPT#<id>`). Changes made by
 * admins carry the directory revision they were decided on; the user-group member cache is
 * refreshed without it (it is Slack's answer, not a decision).
 */

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Department } from '../domain/department';
import type { Db } from './client';
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

/** Creates or replaces a department, on the condition that the directory is still at `rev`. */
export async function saveDepartment(db: Db, d: Department, mode: 'create' | 'update', rev: number): Promise<void> {
  await transact(db, [bumpRev(db, rev), putDepartmentItem(db, d, mode)]);
}

/** Stores the members Slack reported for the department's user group, if the group is still the same. */
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
