/**
 * Claims with a lease, the shared mechanism of work a scheduled run does once per item (a channel's
 * weekly digest, a month's statement of an agreement, a joint review): the calling store module owns
 * the key, the item and its states; this one writes them.
 *
 *   claim (put if absent, a lease)  ->  the work  ->  mark done (on `owner = :me`, lease removed)
 *
 * - Two runs at once: only one put wins; the other reads the item (consistently) and sees a live
 *   lease (busy) or the work done.
 * - A run that dies after claiming: its lease runs out, and the next run takes the claim over with an
 *   update on the lease it read (`leaseUntil = :seen`) and the state not done, so of several runs
 *   taking over at once only one does, and a claim marked done is never taken again.
 * - The work certainly failed: the claim is given back (deleted), and the next run claims it afresh.
 */

import type { Db } from './client';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from './commands';
import { ifConditionHolds } from './transact';

export type ClaimKey = { pk: string; sk: string };
/** A value the document client writes as is. */
type Value = string | number;

/** The attribute that says where a claim stands, and its value once the work is done. */
export interface ClaimState {
  attribute: string;
  done: string;
}

export interface ClaimRequest {
  key: ClaimKey;
  /** The item's own attributes, its state's first value among them; key, owner and lease are added. */
  item: Record<string, unknown>;
  state: ClaimState;
  owner: string;
  /** Real time of the claim (ms). */
  at: number;
  leaseMs: number;
  /**
   * What a take-over writes besides the owner and the lease: attributes set (a new state, the time
   * of the claim), and `attempts` counted up by one where the item counts them.
   */
  takeOver?: { set?: Record<string, Value>; countAttempts?: boolean };
}

/** A claim's item as read, when it was refused. */
export type HeldClaim = Record<string, unknown>;

export type ClaimOutcome =
  /** Put now: do the work, then mark it done. */
  | { kind: 'claimed' }
  /** Taken over from a run whose lease ran out (`held` as it was read): the work may be half done. */
  | { kind: 'takenOver'; held: HeldClaim }
  /** The work is done already. */
  | { kind: 'done'; held: HeldClaim }
  /** Another run holds it right now (or took it over first). */
  | { kind: 'busy' }
  /** Refused, then gone when read: given back in between. */
  | { kind: 'vanished' };

/** Claims `key` for `owner` at `at`: once, whoever else tries at the same time. */
export async function claimOnce(db: Db, req: ClaimRequest): Promise<ClaimOutcome> {
  const { key: Key, state, owner, at } = req;
  const claimed = await ifConditionHolds(() =>
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...Key, ...req.item, owner, leaseUntil: at + req.leaseMs },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (claimed) return { kind: 'claimed' };
  const held = (await db.doc.send(new GetCommand({ TableName: db.table, Key, ConsistentRead: true }))).Item;
  if (!held) return { kind: 'vanished' };
  if (held[state.attribute] === state.done) return { kind: 'done', held };
  if (Number(held.leaseUntil) > at) return { kind: 'busy' };
  // The run that held it is gone, and whether its work got through is unknown: take it over.
  const names: Record<string, string> = { '#claimState': state.attribute };
  const values: Record<string, unknown> = { ':claimDone': state.done, ':claimSeen': held.leaseUntil };
  const assignments = setExpression({ ...req.takeOver?.set, owner, leaseUntil: at + req.leaseMs }, names, values);
  if (req.takeOver?.countAttempts) values[':claimOne'] = 1;
  const tookOver = await ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key,
        UpdateExpression: `${assignments}${req.takeOver?.countAttempts ? ' ADD attempts :claimOne' : ''}`,
        ConditionExpression: '#claimState <> :claimDone AND leaseUntil = :claimSeen',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
  return tookOver ? { kind: 'takenOver', held } : { kind: 'busy' };
}

/**
 * `SET #a = :a, …` for `set`, each placeholder named after its attribute (so the expression reads
 * as the write it is), the names and values added to `names` and `values`.
 */
function setExpression(set: Record<string, unknown>, names: Record<string, string>, values: Record<string, unknown>) {
  const assignments = Object.entries(set).map(([attribute, value]) => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    return `#${attribute} = :${attribute}`;
  });
  return `SET ${assignments.join(', ')}`;
}

/**
 * The work is done: sets `set` (the state's done value among them) and removes the lease, if
 * `owner` still holds the claim. False when it no longer did.
 */
export async function markClaimed(db: Db, key: ClaimKey, owner: string, set: Record<string, Value>): Promise<boolean> {
  const names: Record<string, string> = { '#claimOwner': 'owner' };
  const values: Record<string, unknown> = { ':claimOwner': owner };
  const assignments = setExpression(set, names, values);
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: key,
        UpdateExpression: `${assignments} REMOVE leaseUntil`,
        ConditionExpression: '#claimOwner = :claimOwner',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/** The work certainly did not happen: gives the claim back, if `owner` holds it and it is not done. */
export async function releaseClaim(db: Db, key: ClaimKey, owner: string, state: ClaimState): Promise<void> {
  await ifConditionHolds(() =>
    db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: key,
        ConditionExpression: '#owner = :owner AND #state <> :done',
        ExpressionAttributeNames: { '#state': state.attribute, '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner, ':done': state.done },
      }),
    ),
  );
}
