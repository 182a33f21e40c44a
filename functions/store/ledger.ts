/**
 * The penalty ledger, append-only, per agreement and calendar month (`pk=LEDGER#<agreement>#<YYYY-MM>`):
 * one entry per charge (`ENTRY#<due instant>#<request>#<target>#penalty`) and per waiver
 * (`ENTRY#<instant>#<request>#<target>#waiver`, a compensating entry naming who and why) and per
 * recovery credit (`ENTRY#<due instant>#<request>#<target>#credit`, at most one per breach), each
 * ending `#<cycle>` for a later reopen cycle's breach, and a running total (`TOTAL`: breaches, charged, waived) that orders the month's breaches: a charge is
 * written only if the total still counts the breaches it was worked out from. Entries are put
 * with `attribute_not_exists`; nothing is ever updated or deleted but the total.
 */

import type { Db } from './client';
import { GetCommand } from './commands';
import { queryAll, type TransactItem } from './transact';

export const ledgerPk = (agreementId: string, month: string) => `LEDGER#${agreementId}#${month}`;
export const TOTAL_SK = 'TOTAL';

export interface LedgerTotal {
  breaches: number;
  charged: number;
  waived: number;
}

export interface LedgerEntry {
  /** `credit`: a recovery credit (docs/breaches.md), given back once per breach when recovery is confirmed in time. */
  type: 'penalty' | 'waiver' | 'credit';
  agreementId: string;
  agreementVersion: number;
  month: string;
  request: string;
  kind: string;
  /** Positive for a charge, negative for a waiver. */
  amount: number;
  unit: string;
  /** The due instant (penalty and credit: the breach's, so a breach has one credit) or when it was waived (waiver), ISO. */
  at: string;
  /** The reopen cycle of a resolution breach, when not the first (its own entry: its own due instant). */
  cycle?: number;
  /** The breach number in the month, and its multiplier (penalty). */
  n?: number;
  multiplier?: number;
  by?: string;
  reason?: string;
}

export async function readTotal(db: Db, agreementId: string, month: string): Promise<LedgerTotal> {
  const out = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: { pk: ledgerPk(agreementId, month), sk: TOTAL_SK },
      ConsistentRead: true,
    }),
  );
  return {
    breaches: Number(out.Item?.breaches ?? 0),
    charged: Number(out.Item?.charged ?? 0),
    waived: Number(out.Item?.waived ?? 0),
  };
}

/** A later reopen cycle's entry has its cycle at the end: two waivers of one target in one instant stay two. */
const entrySk = (e: LedgerEntry) =>
  `ENTRY#${e.at}#${e.request}#${e.kind}#${e.type}${e.cycle !== undefined && e.cycle > 1 ? `#${e.cycle}` : ''}`;

/** A charge: the entry, and the total moved on only if it is still `previous`. */
export function chargeItems(db: Db, entry: LedgerEntry, previous: LedgerTotal): TransactItem[] {
  return [
    {
      Update: {
        TableName: db.table,
        Key: { pk: ledgerPk(entry.agreementId, entry.month), sk: TOTAL_SK },
        UpdateExpression: 'SET breaches = :n, charged = :charged',
        ConditionExpression:
          previous.breaches === 0 ? 'attribute_not_exists(breaches) OR breaches = :zero' : 'breaches = :prev',
        ExpressionAttributeValues: {
          ':n': previous.breaches + 1,
          ':charged': Math.round((previous.charged + entry.amount) * 100) / 100,
          ...(previous.breaches === 0 ? { ':zero': 0 } : { ':prev': previous.breaches }),
        },
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: { pk: ledgerPk(entry.agreementId, entry.month), sk: entrySk(entry), ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** A waiver: a compensating entry, and the month's waived total. */
export const waiverItems = (db: Db, entry: LedgerEntry): TransactItem[] => compensatingItems(db, entry, 'waived');

/**
 * A recovery credit: a compensating entry keyed by its breach (the breach's due instant, request,
 * target and cycle), put only if that breach has none, and the month's credited total.
 */
export const creditItems = (db: Db, entry: LedgerEntry): TransactItem[] => compensatingItems(db, entry, 'credited');

/** A compensating entry (its amount negative), put once, and the month's `total` moved by it. */
function compensatingItems(db: Db, entry: LedgerEntry, total: 'waived' | 'credited'): TransactItem[] {
  return [
    {
      Update: {
        TableName: db.table,
        Key: { pk: ledgerPk(entry.agreementId, entry.month), sk: TOTAL_SK },
        UpdateExpression: `ADD ${total} :amount`,
        ExpressionAttributeValues: { ':amount': -entry.amount },
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: { pk: ledgerPk(entry.agreementId, entry.month), sk: entrySk(entry), ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Every entry of a month, oldest first. */
export async function readLedger(db: Db, agreementId: string, month: string): Promise<LedgerEntry[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
    ExpressionAttributeValues: { ':pk': ledgerPk(agreementId, month), ':e': 'ENTRY#' },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as LedgerEntry);
}
