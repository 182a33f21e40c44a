/**
 * Applies an import plan. Each change is one transaction that also moves the directory
 * revision on, starting from the revision the plan was made against: if anyone else changes
 * departments or agreements meanwhile, the import stops with WriteConflictError and running it
 * again finishes the job (every change is idempotent against the directory it reads).
 */
import type { ImportChange, ImportPlan } from '../domain/import-file';
import type { Directory } from '../domain/directory';
import type { Db } from './client';
import { activateImportedItems } from './agreements';
import { putDepartmentItem } from './departments';
import { bumpRev, digestItem, transact, type TransactItem } from './directory';

function itemsOf(db: Db, change: ImportChange, dir: Directory): TransactItem[] {
  switch (change.kind) {
    case 'department.create':
      return [putDepartmentItem(db, change.department, 'create')];
    case 'department.update':
      return [putDepartmentItem(db, change.department, 'update')];
    case 'agreement.activate': {
      const previousLatest = dir.agreements.find((a) => a.id === change.agreement.id)?.latestVersion ?? 0;
      return activateImportedItems(db, change.agreement, { retires: change.retires, withdraws: change.withdraws, previousLatest });
    }
    case 'digest.set':
      return [{ Put: { TableName: db.table, Item: digestItem(change.digest) } }];
  }
}

export async function applyImport(db: Db, plan: ImportPlan, dir: Directory): Promise<void> {
  let rev = dir.rev;
  for (const change of plan.changes) {
    await transact(db, [bumpRev(db, rev), ...itemsOf(db, change, dir)]);
    rev++;
  }
}
