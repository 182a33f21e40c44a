/**
 * The monthly statements' claims: one item per month and agreement (`pk=STATEMENT#<YYYY-MM>`,
 * `sk=AGREEMENT#<id>`), so each agreement's statement of a month is handed to the worker once,
 * whatever happens, and one Query per run finds which of a month's are handed already.
 *
 *   claim (conditional put, state `handing`, a lease)  ->  outbox `statement.send`  ->  mark `handed`
 *
 * - Two runs at once: only one conditional put wins; the other sees a live lease and moves on.
 * - A run that dies after claiming (before or after handing the work on): the claim stays
 *   `handing` until its lease runs out; the next run takes it over and hands the work again. The
 *   worker DMs each head once per statement (a delivery key), so handing it twice tells nobody twice.
 * The lease outlives any run that could still hold it (the digest Lambda times out at 300 s). The
 * claim's writes are the shared ones of claims.ts.
 */
import { claimOnce, markClaimed } from './claims';
import type { Db } from './client';
import { queryAll } from './transact';

export const statementPk = (month: string) => `STATEMENT#${month}`;
export const statementSk = (agreementId: string) => `AGREEMENT#${agreementId}`;

/** Longer than a run of the digest Lambda can live (300 s), so a live owner never loses its claim. */
export const STATEMENT_LEASE_MS = 6 * 60_000;
/** Claims are kept for a while as the statements' history, then TTL removes them. */
const KEEP_SECONDS = 400 * 24 * 60 * 60;

export type StatementClaim =
  /** Claimed now (or taken over from a run that died): hand the work on, then mark it handed. */
  | { kind: 'claimed' }
  /** Handed to the worker already. */
  | { kind: 'handed' }
  /** Another run holds the claim right now. */
  | { kind: 'busy' };

/** Claims (month, agreement) for `owner` at real time `at` (ms). */
export async function claimStatement(
  db: Db,
  month: string,
  agreementId: string,
  owner: string,
  at: number,
): Promise<StatementClaim> {
  const claim = await claimOnce(db, {
    key: { pk: statementPk(month), sk: statementSk(agreementId) },
    item: {
      month,
      agreementId,
      state: 'handing',
      claimedAt: at,
      attempts: 1,
      expiresAt: Math.floor(at / 1000) + KEEP_SECONDS,
    },
    state: { attribute: 'state', done: 'handed' },
    owner,
    at,
    leaseMs: STATEMENT_LEASE_MS,
    // The run that held it is gone; whether it handed the work on is unknown: hand it (again).
    takeOver: { set: { claimedAt: at }, countAttempts: true },
  });
  switch (claim.kind) {
    case 'claimed':
    case 'takenOver':
      return { kind: 'claimed' };
    case 'done':
      return { kind: 'handed' };
    case 'vanished': // claims are never deleted; the next run looks again
    case 'busy':
      return { kind: 'busy' };
  }
}

/** The work is on the queue: no run hands it again. False when this owner no longer held the claim. */
export async function markStatementHanded(
  db: Db,
  month: string,
  agreementId: string,
  owner: string,
  at: number,
): Promise<boolean> {
  return markClaimed(db, { pk: statementPk(month), sk: statementSk(agreementId) }, owner, {
    state: 'handed',
    handedAt: at,
  });
}

export interface StoredStatementClaim {
  agreementId: string;
  state: 'handing' | 'handed';
  attempts: number;
}

/** A month's claims, one Query: the agreements whose statement a run need not look at again. */
export async function statementClaimsOf(db: Db, month: string): Promise<StoredStatementClaim[]> {
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': statementPk(month) },
    ConsistentRead: true,
  });
  return items.map((i) => ({
    agreementId: String(i.agreementId),
    state: i.state === 'handed' ? 'handed' : 'handing',
    attempts: Number(i.attempts ?? 1),
  }));
}
