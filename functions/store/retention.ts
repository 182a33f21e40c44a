/**
 * Data retention: a request that is closed or cancelled is remembered under the month it ended
 * (`RETAIN#<YYYY-MM> / REQ#<id>`, written in the same transaction as the change), so the retention
 * job finds the requests whose text is due to go with one Query per month, never a Scan. A cursor
 * (`RETAIN / CURSOR`) keeps the earliest month that may still hold markers, so each run reads only
 * the months between it and the cutoff.
 */

import type { Request } from '../domain/request';
import type { Db } from './client';
import { DeleteCommand, GetCommand, PutCommand } from './commands';
import { queryAll, type TransactItem } from './transact';

export const retentionPk = (month: string) => `RETAIN#${month}`;
const CURSOR = { pk: 'RETAIN', sk: 'CURSOR' } as const;
/** Before any marker: Kept's first month (no request ended earlier). */
export const FIRST_MONTH = '2026-01';

/** The month (UTC) an instant falls in, `2026-11`. */
export const monthOfUtc = (at: number): string => new Date(at).toISOString().slice(0, 7);

export function retentionMarker(db: Db, request: Request): TransactItem {
  const endedAt = request.closedAt ?? request.cancelledAt ?? request.updatedAt;
  return {
    Put: {
      TableName: db.table,
      Item: { pk: retentionPk(monthOfUtc(endedAt)), sk: `REQ#${request.id}`, id: request.id, endedAt },
    },
  };
}

export interface Marker {
  month: string;
  id: string;
  endedAt: number;
}

export async function markersOf(db: Db, month: string, max: number): Promise<Marker[]> {
  const items = await queryAll(
    db,
    {
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': retentionPk(month) },
      ConsistentRead: true,
    },
    max,
  );
  return items.map((i) => ({ month, id: String(i.id), endedAt: Number(i.endedAt) }));
}

export async function dropMarker(db: Db, m: Marker): Promise<void> {
  await db.doc.send(new DeleteCommand({ TableName: db.table, Key: { pk: retentionPk(m.month), sk: `REQ#${m.id}` } }));
}

export async function readCursor(db: Db): Promise<string> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: CURSOR, ConsistentRead: true }));
  return typeof out.Item?.month === 'string' ? out.Item.month : FIRST_MONTH;
}

export async function moveCursor(db: Db, month: string): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...CURSOR, month } }));
}
