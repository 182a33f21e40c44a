/**
 * Applies an import plan. Each change is one transaction that also moves the directory
 * revision on, starting from the revision the plan was made against: if anyone else changes
 * departments or agreements meanwhile, the import stops with WriteConflictError and running it
 * again finishes the job (every change is idempotent against the directory it reads).
 * Tip changes (the TIPS partition, not the directory) are written last with store/tips.ts,
 * one write each, by `import`; they leave the revision alone.
 */

import type { Directory } from '../domain/directory';
import type { ImportChange, ImportPlan } from '../domain/import-plan';
import { activateImportedItems } from './agreements';
import type { Db } from './client';
import { putDepartmentItem } from './departments';
import { bumpRev, digestItem } from './directory';
import { addCustomTip, saveTipText, setTipRetired } from './tips';
import { type TransactItem, transact } from './transact';

type DirectoryChange = Exclude<ImportChange, { kind: `tip.${string}` }>;
type TipImportChange = Extract<ImportChange, { kind: `tip.${string}` }>;

const isTipChange = (c: ImportChange): c is TipImportChange => c.kind.startsWith('tip.');

function itemsOf(db: Db, change: DirectoryChange, dir: Directory): TransactItem[] {
  switch (change.kind) {
    case 'department.create':
      return [putDepartmentItem(db, change.department, 'create')];
    case 'department.update':
      return [putDepartmentItem(db, change.department, 'update')];
    case 'agreement.activate': {
      const previousLatest = dir.agreements.find((a) => a.id === change.agreement.id)?.latestVersion ?? 0;
      return activateImportedItems(db, change.agreement, {
        retires: change.retires,
        withdraws: change.withdraws,
        previousLatest,
      });
    }
    case 'digest.set':
      return [{ Put: { TableName: db.table, Item: digestItem(change.digest) } }];
  }
}

async function applyTipChange(db: Db, change: TipImportChange, who: { by: string; at: string }): Promise<void> {
  switch (change.kind) {
    case 'tip.add':
      return addCustomTip(db, change.tip, who);
    case 'tip.edit':
      return saveTipText(db, change.tip, change.source, who);
    case 'tip.retire':
      return setTipRetired(db, change.id, true, who);
    case 'tip.unretire':
      return setTipRetired(db, change.id, false, who);
  }
}

/** `now` stamps the tips written (`updatedAt`); directory changes carry their own instants. */
export async function applyImport(
  db: Db,
  plan: ImportPlan,
  dir: Directory,
  now: string = new Date().toISOString(),
): Promise<void> {
  let rev = dir.rev;
  for (const change of plan.changes) {
    if (isTipChange(change)) continue;
    await transact(db, [bumpRev(db, rev), ...itemsOf(db, change, dir)]);
    rev++;
  }
  for (const change of plan.changes)
    if (isTipChange(change)) await applyTipChange(db, change, { by: 'import', at: now });
}
