/**
 * The scan's check index (gsi1, sparse and sharded: `CHECK#<shard>` -> ISO instant): on each
 * request item, when the scan must next look at it. Every write of a request sets its check (see
 * `checkKeys`); once Slack has heard of the write, `settleCheck` moves it on to the next deadline or
 * takes the request out of the index. The scan reads what is due with `dueChecks`, shard by shard.
 */

import type { Request } from '../domain/request';
import { nextWatch } from '../domain/watch';
import type { Db } from './client';
import { UpdateCommand } from './commands';
import { REQUEST_SK, requestPk } from './request-keys';
import { ifConditionHolds, queryAll } from './transact';

/** Shards of the check index, so no single index partition takes every check. */
export const CHECK_SHARDS = 4;
/** How long the worker has to announce a change in Slack before the scan sends the job again. */
export const ANNOUNCE_GRACE_MS = 2 * 60_000;

export function checkShard(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % CHECK_SHARDS;
}

export const checkPk = (shard: number) => `CHECK#${shard}`;
export const checkSk = (at: number) => new Date(at).toISOString();

/**
 * The check of a request just written. Every write leaves Slack to be told: until the worker has
 * done so (and moves the check on to the next deadline), the scan finds the request here once the
 * grace has passed and hands the job over again. A deadline sooner than that comes first.
 */
export function checkKeys(r: Request): { gsi1pk: string; gsi1sk: string } {
  return {
    gsi1pk: checkPk(checkShard(r.id)),
    gsi1sk: checkSk(Math.min(r.updatedAt + ANNOUNCE_GRACE_MS, nextWatch(r) ?? Number.POSITIVE_INFINITY)),
  };
}

// ---------------------------------------------------------------------------------------------
// The scan's safety net: changes Slack has not heard of

/**
 * Once Slack has heard of everything up to `request.rev`: the check moves on to the request's next
 * deadline, or the request leaves the index when nothing is left to watch. Only if the request is
 * still at that `rev` (a newer change keeps its own, earlier check).
 */
export async function settleCheck(db: Db, request: Request): Promise<void> {
  const next = nextWatch(request);
  // Refused: changed meanwhile, and that write set its own check.
  await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: requestPk(request.id), sk: REQUEST_SK },
        UpdateExpression: next === null ? 'REMOVE gsi1pk, gsi1sk' : 'SET gsi1pk = :pk, gsi1sk = :at',
        ConditionExpression: 'rev = :rev',
        ExpressionAttributeValues: {
          ':rev': request.rev,
          ...(next === null ? {} : { ':pk': checkPk(checkShard(request.id)), ':at': checkSk(next) }),
        },
      }),
    ),
  );
}

export interface DueCheck {
  id: string;
  rev: number;
  checkAt: string;
  /** The request's agreement: its breaches in a month are numbered in turn on one ledger total. */
  agreementId: string;
}

/** Requests whose check instant has passed, shard by shard, every page (index read). */
export async function dueChecks(db: Db, now: Date): Promise<DueCheck[]> {
  const found: DueCheck[] = [];
  for (let shard = 0; shard < CHECK_SHARDS; shard++) {
    const items = await queryAll(db, {
      TableName: db.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :now',
      ExpressionAttributeValues: { ':pk': checkPk(shard), ':now': now.toISOString() },
      ProjectionExpression: '#id, #rev, gsi1sk, sk, agreementId',
      ExpressionAttributeNames: { '#id': 'id', '#rev': 'rev' },
    });
    for (const item of items) {
      if (item.sk === REQUEST_SK)
        found.push({
          id: String(item.id),
          rev: Number(item.rev),
          checkAt: String(item.gsi1sk),
          agreementId: String(item.agreementId ?? ''),
        });
    }
  }
  return found;
}

/** Moves a request's check to `next` (the scan handed the job over again), if nothing changed since. */
export async function postponeCheck(db: Db, check: DueCheck, next: Date): Promise<void> {
  await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: requestPk(check.id), sk: REQUEST_SK },
        UpdateExpression: 'SET gsi1sk = :next',
        ConditionExpression: 'rev = :rev AND gsi1sk = :was',
        ExpressionAttributeValues: { ':next': next.toISOString(), ':rev': check.rev, ':was': check.checkAt },
      }),
    ),
  );
}
