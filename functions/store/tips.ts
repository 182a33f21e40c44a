/**
 * Admins' changes to the service tips, in their own partition: `TIPS / TIP#<id>`. An item holds a
 * full tip (`source: 'custom'` for a new one, `'edit'` for a changed built-in one) and/or
 * `retired: true`. Retiring a built-in tip that was never edited stores only the flag, so later
 * releases' wording of that tip still shows when it is brought back. The catalogue in use is the
 * built-in one (domain/tips.ts) with these items laid over it: one Query.
 */

import type { CauseCategory } from '../domain/request';
import {
  activeTips,
  builtInTips,
  type CatalogueEntry,
  overlayCatalogue,
  pickInternalTip,
  pickTip,
  type Tip,
  type TipChange,
  TipSpec,
} from '../domain/tips';
import { logger } from '../log';
import * as z from '../zod';
import { auditItems } from './audit';
import type { Db } from './client';
import { GetCommand } from './commands';
import { queryAll, type TransactItem, transact, WriteConflictError } from './transact';

export const TIPS_PK = 'TIPS';
export const tipSk = (id: string) => `TIP#${id}`;

const StoredTipSchema = z.object({
  id: z.string(),
  source: z.optional(z.enum(['custom', 'edit'])),
  kind: z.optional(z.string()),
  title: z.optional(z.string()),
  body: z.optional(z.string()),
  tryThisWeek: z.optional(z.string()),
  retired: z.optional(z.boolean()),
});

function changeOf(item: Record<string, unknown>): TipChange | undefined {
  const parsed = StoredTipSchema.safeParse(item);
  if (!parsed.success) {
    logger.warn('unreadable tip item skipped', { sk: String(item.sk) });
    return undefined;
  }
  const { id, source, retired, kind, title, body, tryThisWeek } = parsed.data;
  const tip = source ? TipSpec.safeParse({ id, kind, title, body, tryThisWeek }) : undefined;
  if (tip && !tip.success) logger.warn('stored tip fails the checks; its text is ignored', { id });
  return { id, ...(tip?.success && source ? { tip: tip.data, source } : {}), ...(retired ? { retired } : {}) };
}

/** Every stored change, read with one (paged) consistent Query of the TIPS partition. */
export async function readTipChanges(db: Db): Promise<TipChange[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tip)',
    ExpressionAttributeValues: { ':pk': TIPS_PK, ':tip': 'TIP#' },
    ConsistentRead: true,
  });
  return items.flatMap((item) => changeOf(item) ?? []);
}

/** Every tip, built-in and custom, retired or not, with where its text comes from. */
export async function readAllTips(db: Db, builtIn: readonly Tip[] = builtInTips()): Promise<CatalogueEntry[]> {
  return overlayCatalogue(builtIn, await readTipChanges(db));
}

/** The catalogue in use: built-in tips overlaid with admins' changes (edits replace, retired removed, custom added). */
export async function readCatalogue(db: Db, builtIn: readonly Tip[] = builtInTips()): Promise<Tip[]> {
  return activeTips(await readAllTips(db, builtIn));
}

/**
 * The week's two tips (for the digest): `week` is an ISO week, `2026-W48`. With `cause` (the
 * week's most frequent cause of a miss), the internal tip is one tagged with it when there is one
 * (`because` says so); otherwise the usual rotation.
 */
export async function tipsForWeek(
  db: Db,
  week: string,
  cause?: CauseCategory,
): Promise<{ internal: Tip; customer: Tip; because?: CauseCategory }> {
  const catalogue = await readCatalogue(db);
  const { tip, because } = pickInternalTip(catalogue, week, cause);
  return { internal: tip, customer: pickTip(catalogue, 'customer', week), ...(because ? { because } : {}) };
}

export class TipExistsError extends Error {
  constructor(readonly id: string) {
    super(`a tip with id ${id} exists already`);
    this.name = 'TipExistsError';
  }
}

interface Who {
  by: string;
  at: string;
}

/** The stored change of a tip as it is now (without its keys), if any. */
async function storedTip(db: Db, id: string): Promise<Record<string, unknown> | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: TIPS_PK, sk: tipSk(id) }, ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = out.Item;
  return rest;
}

/**
 * Writes a tip's item with its audit line in one transaction. `before` is the item as read just
 * before (undefined: the built-in tip as shipped, or no tip yet).
 */
async function writeTip(
  db: Db,
  id: string,
  action: string,
  who: Who,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  condition: { expr: string; values?: Record<string, unknown> },
): Promise<void> {
  const put: TransactItem = {
    Put: {
      TableName: db.table,
      Item: { pk: TIPS_PK, sk: tipSk(id), ...after },
      ConditionExpression: condition.expr,
      ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
    },
  };
  await transact(db, [
    put,
    ...auditItems(db, { subject: 'tip', id, action, by: who.by, at: who.at, departments: [], before, after }),
  ]);
}

/** Stores a new tip, on the condition that no item has its id yet. */
export async function addCustomTip(db: Db, tip: Tip, who: Who): Promise<void> {
  const after = {
    ...tip,
    source: 'custom',
    createdBy: who.by,
    createdAt: who.at,
    updatedBy: who.by,
    updatedAt: who.at,
  };
  try {
    await writeTip(db, tip.id, 'added', who, undefined, after, { expr: 'attribute_not_exists(pk)' });
  } catch (err) {
    if (err instanceof WriteConflictError && err.reasons[0] === 'ConditionalCheckFailed')
      throw new TipExistsError(tip.id);
    throw err;
  }
}

/**
 * Changes a stored tip from what it is now: read, then written on the condition that nobody
 * changed it in between (else read again), so the audit line's `before` is exactly what was replaced.
 */
async function changeTip(
  db: Db,
  id: string,
  action: string,
  who: Who,
  change: (before: Record<string, unknown> | undefined) => Record<string, unknown>,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const before = await storedTip(db, id);
    const condition = !before
      ? { expr: 'attribute_not_exists(pk)' }
      : before.updatedAt === undefined
        ? { expr: 'attribute_not_exists(updatedAt)' }
        : { expr: 'updatedAt = :prev', values: { ':prev': before.updatedAt } };
    try {
      await writeTip(db, id, action, who, before, change(before), condition);
      return;
    } catch (err) {
      if (!(err instanceof WriteConflictError) || attempt >= 4) throw err;
    }
  }
}

/** Replaces the text of a tip (built-in: `edit`, custom: stays `custom`); a retirement flag is left as it is. */
export async function saveTipText(db: Db, tip: Tip, source: 'custom' | 'edit', who: Who): Promise<void> {
  await changeTip(db, tip.id, 'reworded', who, (before) => ({
    ...before,
    id: tip.id,
    kind: tip.kind,
    title: tip.title,
    body: tip.body,
    tryThisWeek: tip.tryThisWeek,
    source,
    updatedBy: who.by,
    updatedAt: who.at,
  }));
}

/** Retires a tip or brings it back (an item with only the flag when a built-in tip was never edited). */
export async function setTipRetired(db: Db, id: string, retired: boolean, who: Who): Promise<void> {
  await changeTip(db, id, retired ? 'retired' : 'brought back', who, (before) => ({
    ...before,
    id,
    retired,
    updatedBy: who.by,
    updatedAt: who.at,
  }));
}
