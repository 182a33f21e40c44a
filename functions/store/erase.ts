/**
 * Writes an erase (domain/erase.ts): the request's text attributes and its history lines' notes,
 * updated in place, and the "what would have made this better?" copy in the provider's report
 * partition. The request's `rev` is the condition and goes up by one (no history line: nothing
 * countable changed), so a change decided on the text as it was before fails its own condition and
 * is decided again, instead of writing the old text back. Counters and the ledger are never
 * touched. `kept erase` finds what a person wrote with a table Scan: a rare admin command run with
 * the operator's credentials, never by a Lambda (whose roles do not allow Scan).
 */

import { type Erased, type EraseScope, eraseText, NOTHING_ERASED, REMOVED } from '../domain/erase';
import type { Request } from '../domain/request';
import type { Db } from './client';
import { ScanCommand, type ScanCommandInput, UpdateCommand } from './commands';
import { eventSk, REQUEST_SK, requestPk } from './request-keys';
import { getRequestRecord, type StoredEvent } from './requests';
import { betterSk, statsPk } from './stats';
import { ifConditionHolds, type TransactItem, transact, WriteConflictError } from './transact';

/** DynamoDB's limit on one transaction. */
const TRANSACTION_MAX = 100;

/** Erases the scope's text of request `id`; tries again when the request changed meanwhile. */
export async function eraseRequest(db: Db, id: string, scope: EraseScope): Promise<Erased> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = await getRequestRecord(db, id);
    if (!record) return NOTHING_ERASED;
    const { request, events, erased } = eraseText(record.request, record.events, scope);
    const total = erased.requestTexts + erased.notes + erased.requestNotes + erased.ratingComments;
    if (total === 0) return NOTHING_ERASED;
    const lines: TransactItem[] = events.map((e) => eventUpdate(db, id, e));
    // History lines first, in parts: each is an idempotent overwrite with REMOVED.
    while (lines.length > TRANSACTION_MAX - 1) await transact(db, lines.splice(0, TRANSACTION_MAX - 1));
    const items: TransactItem[] = [
      ...lines,
      {
        Update: {
          TableName: db.table,
          Key: { pk: requestPk(id), sk: REQUEST_SK },
          UpdateExpression: `SET ${[
            '#rev = :next',
            '#title = :title',
            '#description = :description',
            ...(request.resolutionNote !== undefined ? ['#resolution = :resolution'] : []),
            ...(request.cause ? ['#cause = :cause'] : []),
            ...(request.rating ? ['#rating = :rating'] : []),
            ...(request.transfers ? ['#transfers = :transfers'] : []),
            ...(request.breaches ? ['#breaches = :breaches'] : []),
            ...(request.cycles ? ['#cycles = :cycles'] : []),
          ].join(', ')}`,
          ConditionExpression: '#rev = :rev',
          ExpressionAttributeNames: {
            '#rev': 'rev',
            '#title': 'title',
            '#description': 'description',
            ...(request.resolutionNote !== undefined ? { '#resolution': 'resolution' } : {}),
            ...(request.cause ? { '#cause': 'cause' } : {}),
            ...(request.rating ? { '#rating': 'rating' } : {}),
            ...(request.transfers ? { '#transfers': 'transfers' } : {}),
            ...(request.breaches ? { '#breaches': 'breaches' } : {}),
            ...(request.cycles ? { '#cycles': 'cycles' } : {}),
          },
          ExpressionAttributeValues: {
            ':rev': record.request.rev,
            ':next': record.request.rev + 1,
            ':title': request.title,
            ':description': request.description,
            ...(request.resolutionNote !== undefined ? { ':resolution': request.resolutionNote } : {}),
            ...(request.cause ? { ':cause': request.cause } : {}),
            ...(request.rating ? { ':rating': request.rating } : {}),
            ...(request.transfers ? { ':transfers': request.transfers } : {}),
            ...(request.breaches ? { ':breaches': request.breaches } : {}),
            ...(request.cycles ? { ':cycles': request.cycles } : {}),
          },
        },
      },
    ];
    try {
      await transact(db, items);
    } catch (err) {
      if (err instanceof WriteConflictError) continue; // changed meanwhile: read again
      throw err;
    }
    if (erased.ratingComments > 0) await eraseBetter(db, record.request);
    return erased;
  }
  throw new Error(`${id} kept changing; run the erase again`);
}

function eventUpdate(db: Db, id: string, e: StoredEvent): TransactItem {
  const sets = ['#note = :note', '#files = :files', ...(e.cause ? ['#cause = :cause'] : [])];
  return {
    Update: {
      TableName: db.table,
      Key: { pk: requestPk(id), sk: eventSk(e.seq) },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#note': 'note', '#files': 'files', ...(e.cause ? { '#cause': 'cause' } : {}) },
      ExpressionAttributeValues: {
        ':note': e.note ?? REMOVED,
        ':files': e.files ?? [],
        ...(e.cause ? { ':cause': e.cause } : {}),
      },
    },
  };
}

/** The copy of a rating's comment in each provider's report partition it was counted in. */
async function eraseBetter(db: Db, request: Request): Promise<void> {
  const shares = [
    { dept: request.provider, day: request.filed.day },
    ...(request.transfers ?? []).map((t) => ({ dept: t.from, day: t.filed.day })),
  ];
  for (const { dept, day } of shares)
    await ifConditionHolds(() =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: { pk: statsPk(dept), sk: betterSk(day, request.id) },
          UpdateExpression: 'SET #text = :removed',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#text': 'text' },
          ExpressionAttributeValues: { ':removed': REMOVED },
        }),
      ),
    );
}

/** Every item a Scan with `filter` finds, page by page. */
export async function scanAll(db: Db, input: Omit<ScanCommandInput, 'TableName' | 'ExclusiveStartKey'>) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ ...input, TableName: db.table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The requests `user` wrote anything in: filed, or said, resolved, transferred or waived something on. */
export async function requestsTouchedBy(db: Db, user: string): Promise<string[]> {
  const items = await scanAll(db, {
    FilterExpression: '(sk = :req AND requester = :u) OR (begins_with(sk, :event) AND actor = :u)',
    ExpressionAttributeValues: { ':req': REQUEST_SK, ':event': 'EVENT#', ':u': user },
    ProjectionExpression: 'pk',
  });
  return [...new Set(items.map((i) => String(i.pk).slice('REQ#'.length)))].sort();
}

/** Removes the message of each kudos `user` gave; the number changed. */
export async function eraseKudosBy(db: Db, user: string): Promise<number> {
  const items = await scanAll(db, {
    FilterExpression: 'begins_with(sk, :kudos) AND giver = :u AND #message <> :removed',
    ExpressionAttributeNames: { '#message': 'message' },
    ExpressionAttributeValues: { ':kudos': 'KUDOS#', ':u': user, ':removed': REMOVED },
    ProjectionExpression: 'pk, sk',
  });
  let n = 0;
  for (const item of items)
    if (
      await ifConditionHolds(() =>
        db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET #message = :removed',
            ConditionExpression: 'giver = :u AND #message <> :removed',
            ExpressionAttributeNames: { '#message': 'message' },
            ExpressionAttributeValues: { ':u': user, ':removed': REMOVED },
          }),
        ),
      )
    )
      n++;
  return n;
}
