/**
 * Agreement versions (`pk=AGREEMENT#<id>, sk=V#<000001>`): immutable terms with a status that
 * only moves forward through conditional updates, plus where Kept posted about them (Slack
 * message refs, so a decision can update the DMs). The directory record of the agreement
 * (`DIRECTORY / AGREEMENT#<id>`) carries the active version and the waiting proposal and is
 * changed in the same transaction as the version items.
 */

import type { AgreementVersion } from '../domain/agreement';
import type { AgreementRecord } from '../domain/directory';
import type { MessageRef } from '../domain/message-ref';
import * as z from '../zod';
import { auditItems } from './audit';
import type { Db } from './client';
import { GetCommand, UpdateCommand } from './commands';
import { AgreementVersionSchema, agreementRecordItem, agreementSk, bumpRev, DIRECTORY_PK } from './directory';
import { MessageRefSchema, schemaFor } from './read-back';
import { ifConditionHolds, type TransactItem, transact } from './transact';

export const agreementPk = (id: string) => `AGREEMENT#${id}`;
export const versionSk = (version: number) => `V#${String(version).padStart(6, '0')}`;

export type StoredAgreementVersion = AgreementVersion & {
  /** DMs about this version, by recipient (`proposal:<user>`, `decided:<user>`, ...). */
  messages: Record<string, MessageRef>;
};

const StoredAgreementVersionSchema = schemaFor<StoredAgreementVersion>()(
  z.extend(AgreementVersionSchema, { messages: z._default(z.record(z.string(), MessageRefSchema), {}) }),
);

/** The audit line of an agreement change: its terms before (if any) and after, for both sides. */
export function agreementAudit(
  db: Db,
  action: string,
  who: { by: string; at: string },
  after: AgreementVersion,
  before?: AgreementVersion,
): TransactItem[] {
  return auditItems(db, {
    subject: 'agreement',
    id: after.id,
    action,
    by: who.by,
    at: who.at,
    departments: [after.provider, after.customer],
    before,
    after,
  });
}

function versionItem(a: AgreementVersion): Record<string, unknown> {
  return { pk: agreementPk(a.id), sk: versionSk(a.version), ...a, messages: {} };
}

export async function getAgreementVersion(
  db: Db,
  id: string,
  version: number,
): Promise<StoredAgreementVersion | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: agreementPk(id), sk: versionSk(version) }, ConsistentRead: true }),
  );
  return out.Item ? StoredAgreementVersionSchema.parse(out.Item) : undefined;
}

/**
 * An imported agreement becomes active at once as the next version: the version item, the
 * directory record, the retired previous version and a withdrawn waiting proposal, with the
 * directory revision, in one transaction.
 */
export function activateImportedItems(
  db: Db,
  agreement: AgreementVersion,
  change: { retires?: number; withdraws?: number; previousLatest: number },
  audit: { by: string; before?: AgreementVersion | undefined; pending?: AgreementVersion | undefined },
): TransactItem[] {
  const record: AgreementRecord = { id: agreement.id, latestVersion: agreement.version, active: agreement };
  const items: TransactItem[] = [
    { Put: { TableName: db.table, Item: versionItem(agreement), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: db.table,
        Item: agreementRecordItem(record),
        ConditionExpression: change.previousLatest === 0 ? 'attribute_not_exists(pk)' : 'latestVersion = :prev',
        ...(change.previousLatest === 0 ? {} : { ExpressionAttributeValues: { ':prev': change.previousLatest } }),
      },
    },
  ];
  if (change.retires !== undefined)
    items.push(setStatus(db, agreement.id, change.retires, 'active', 'retired', { retiredAt: agreement.createdAt }));
  if (change.withdraws !== undefined)
    items.push(
      setStatus(db, agreement.id, change.withdraws, 'proposed', 'withdrawn', {
        decidedAt: agreement.createdAt,
        decidedBy: 'import',
      }),
    );
  const who = { by: audit.by, at: agreement.createdAt };
  items.push(...agreementAudit(db, audit.before ? 'imported' : 'created by import', who, agreement, audit.before));
  if (audit.pending && change.withdraws !== undefined)
    items.push(
      ...agreementAudit(
        db,
        'proposal withdrawn by import',
        who,
        {
          ...audit.pending,
          status: 'withdrawn',
          decidedAt: agreement.createdAt,
          decidedBy: 'import',
        },
        audit.pending,
      ),
    );
  return items;
}

function setStatus(
  db: Db,
  id: string,
  version: number,
  from: string,
  to: string,
  fields: Record<string, string>,
): TransactItem {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': from, ':to': to };
  const sets = ['#status = :to'];
  for (const [k, v] of Object.entries(fields)) {
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    sets.push(`#${k} = :${k}`);
  }
  return {
    Update: {
      TableName: db.table,
      Key: { pk: agreementPk(id), sk: versionSk(version) },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Keeps a proposal: its version item and the record's `pending`, on the condition that nobody
 * proposed or imported a version in between. `claim` makes a re-delivered modal submission a no-op.
 */
export async function saveProposal(
  db: Db,
  proposal: AgreementVersion,
  base: AgreementRecord | undefined,
  claim: TransactItem,
): Promise<void> {
  const recordItem: TransactItem = base
    ? {
        Update: {
          TableName: db.table,
          Key: { pk: DIRECTORY_PK, sk: agreementSk(proposal.id) },
          UpdateExpression: 'SET latestVersion = :v, pending = :p',
          ConditionExpression: 'latestVersion = :prev AND attribute_not_exists(pending)',
          ExpressionAttributeValues: { ':v': proposal.version, ':p': proposal, ':prev': base.latestVersion },
        },
      }
    : {
        Put: {
          TableName: db.table,
          Item: agreementRecordItem({ id: proposal.id, latestVersion: proposal.version, pending: proposal }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
  await transact(db, [
    claim,
    { Put: { TableName: db.table, Item: versionItem(proposal), ConditionExpression: 'attribute_not_exists(pk)' } },
    recordItem,
    ...agreementAudit(
      db,
      'proposed',
      { by: proposal.proposedBy ?? proposal.createdBy, at: proposal.createdAt },
      proposal,
      base?.active,
    ),
  ]);
}

/** Clears the record's waiting proposal, if it is still `proposal`; an accepted one becomes `active`. */
function settlePending(db: Db, proposal: AgreementVersion, active?: AgreementVersion): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: { pk: DIRECTORY_PK, sk: agreementSk(proposal.id) },
      UpdateExpression: active ? 'SET active = :a REMOVE pending' : 'REMOVE pending',
      ConditionExpression: 'pending.version = :v',
      ExpressionAttributeValues: { ':v': proposal.version, ...(active ? { ':a': active } : {}) },
    },
  };
}

/**
 * Accepts the waiting proposal: it becomes the active version, the previous active version is
 * retired, and the directory revision moves on (so two overlapping acceptances cannot both win).
 */
export async function acceptProposal(
  db: Db,
  record: AgreementRecord,
  proposal: AgreementVersion,
  decision: { by: string; at: string; rev: number },
): Promise<AgreementVersion> {
  const active: AgreementVersion = {
    ...proposal,
    status: 'active',
    activatedAt: decision.at,
    decidedBy: decision.by,
    decidedAt: decision.at,
  };
  const items: TransactItem[] = [
    bumpRev(db, decision.rev),
    setStatus(db, proposal.id, proposal.version, 'proposed', 'active', {
      activatedAt: decision.at,
      decidedBy: decision.by,
      decidedAt: decision.at,
    }),
    settlePending(db, proposal, active),
  ];
  if (record.active)
    items.push(setStatus(db, proposal.id, record.active.version, 'active', 'retired', { retiredAt: decision.at }));
  items.push(...agreementAudit(db, 'accepted', decision, active, record.active));
  await transact(db, items);
  return active;
}

export async function declineProposal(
  db: Db,
  proposal: AgreementVersion,
  decision: { by: string; at: string; reason: string },
): Promise<void> {
  await transact(db, [
    setStatus(db, proposal.id, proposal.version, 'proposed', 'declined', {
      decidedBy: decision.by,
      decidedAt: decision.at,
      declineReason: decision.reason,
    }),
    settlePending(db, proposal),
    ...agreementAudit(
      db,
      'declined',
      decision,
      {
        ...proposal,
        status: 'declined',
        decidedBy: decision.by,
        decidedAt: decision.at,
        declineReason: decision.reason,
      },
      proposal,
    ),
  ]);
}

/**
 * Remembers a DM posted about a version (post, then mark). Returns false when one was already
 * remembered under `key`, which tells a retried job not to post again.
 */
export async function rememberMessage(
  db: Db,
  id: string,
  version: number,
  key: string,
  ref: MessageRef,
): Promise<boolean> {
  return ifConditionHolds(() =>
    db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: agreementPk(id), sk: versionSk(version) },
        UpdateExpression: 'SET messages.#k = :ref',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(messages.#k)',
        ExpressionAttributeNames: { '#k': key },
        ExpressionAttributeValues: { ':ref': ref },
      }),
    ),
  );
}
