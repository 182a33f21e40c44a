/**
 * Applies an import plan. Each change is one transaction that also moves the directory
 * revision on, starting from the revision the plan was made against: if anyone else changes
 * departments or agreements meanwhile, the import stops with WriteConflictError and running it
 * again finishes the job (every change is idempotent against the directory it reads).
 * Tip changes (the TIPS partition, not the directory) are written last with store/tips.ts,
 * one write each, by `import`; they leave the revision alone. Every change carries its audit
 * line(s) in its own transaction (store/audit.ts), by `by` (`cli:<os user>` from `kept import`).
 * Weekly customer figures (`metrics`) are put last, one write each, with no audit line: they are
 * data, not settings (their items carry who and when).
 */

import type { Directory } from '../domain/directory';
import { findDepartment } from '../domain/directory';
import type { ImportChange, ImportPlan } from '../domain/import-plan';
import { activateImportedItems } from './agreements';
import { auditItems } from './audit';
import type { Db } from './client';
import { departmentAudit, putDepartmentItem } from './departments';
import { bumpRev, digestItem } from './directory';
import { putMetric } from './metrics';
import { addCustomTip, saveTipText, setTipRetired } from './tips';
import { type TransactItem, transact } from './transact';

type DirectoryChange = Exclude<ImportChange, { kind: `tip.${string}` | 'metric.set' }>;
type TipImportChange = Extract<ImportChange, { kind: `tip.${string}` }>;

const isTipChange = (c: ImportChange): c is TipImportChange => c.kind.startsWith('tip.');

function itemsOf(db: Db, change: DirectoryChange, dir: Directory, who: { by: string; at: string }): TransactItem[] {
  switch (change.kind) {
    case 'department.create':
      return [putDepartmentItem(db, change.department, 'create'), ...departmentAudit(db, change.department, who)];
    case 'department.update':
      return [
        putDepartmentItem(db, change.department, 'update'),
        ...departmentAudit(db, change.department, { ...who, before: findDepartment(dir, change.department.id) }),
      ];
    case 'agreement.activate': {
      const kept = dir.agreements.find((a) => a.id === change.agreement.id);
      return activateImportedItems(
        db,
        change.agreement,
        { retires: change.retires, withdraws: change.withdraws, previousLatest: kept?.latestVersion ?? 0 },
        { by: who.by, before: kept?.active, pending: kept?.pending },
      );
    }
    case 'digest.set': {
      const before = dir.digests.find((d) => d.channel === change.digest.channel);
      return [
        { Put: { TableName: db.table, Item: digestItem(change.digest) } },
        ...auditItems(db, {
          subject: 'digest',
          id: change.digest.channel,
          action: before ? 'updated' : 'created',
          by: who.by,
          at: who.at,
          departments: [],
          before,
          after: change.digest,
        }),
      ];
    }
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

/** Who the audit trail names for an import when the caller does not say. */
export const IMPORT_AUDITOR = 'cli:kept import';

/**
 * `now` stamps the tips written (`updatedAt`) and the audit lines; agreements carry their own
 * instants. `by` is who the audit trail names.
 */
export async function applyImport(
  db: Db,
  plan: ImportPlan,
  dir: Directory,
  now: string = new Date().toISOString(),
  by: string = IMPORT_AUDITOR,
): Promise<void> {
  let rev = dir.rev;
  for (const change of plan.changes) {
    if (isTipChange(change) || change.kind === 'metric.set') continue;
    await transact(db, [bumpRev(db, rev), ...itemsOf(db, change, dir, { by, at: now })]);
    rev++;
  }
  for (const change of plan.changes) if (isTipChange(change)) await applyTipChange(db, change, { by, at: now });
  // Weekly customer figures (METRIC#<department>), put whole: a rerun after a failure finishes the job.
  for (const change of plan.changes)
    if (change.kind === 'metric.set') await putMetric(db, change.value, { by, at: now });
}
