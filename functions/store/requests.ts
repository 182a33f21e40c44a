/**
 * Requests (`pk=REQ#<id>`): the request itself (`sk=REQ`, replaced whole under a condition on
 * its `rev`), one item per history line (`EVENT#<seq>`, written once, later marked when the
 * worker has told Slack: request-slack.ts, with the card and the lease), and its check in the
 * scan's index. The per-department number
 * sequence lives in the directory partition (`DIRECTORY / SEQ#<dept>`), so the read that finds
 * the agreement also finds the next number; filing moves the sequence, puts the request and its
 * first history line, and claims the Slack delivery in one transaction.
 *
 * Index keys on the request item: gsi2 `USER#<requester>` (my requests, newest first) and, only
 * while the request is being worked, gsi3 `QUEUE#<provider>` (the provider's queue, most urgent first).
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PRIORITIES } from '../domain/agreement';
import {
  ACTION_TYPES,
  CAUSE_CATEGORIES,
  filedBucket,
  isLive,
  REQUEST_STATUSES,
  type Request,
  type RequestEvent,
} from '../domain/request';
import { statsDelta } from '../domain/stats';
import { nextWatch } from '../domain/watch';
import type { Db } from './client';
import { DIRECTORY_PK, type TransactItem, transact } from './directory';
import { statsItems } from './stats';

export const requestPk = (id: string) => `REQ#${id}`;
export const REQUEST_SK = 'REQ';
export const CARD_SK = 'CARD';
export const eventSk = (seq: number) => `EVENT#${String(seq).padStart(6, '0')}`;
export const sequenceSk = (department: string) => `SEQ#${department}`;

// ---------------------------------------------------------------------------------------------
// Items read back

const ClockEvent = z.object({ type: z.enum(['start', 'pause', 'resume', 'meet', 'reopen']), at: z.number() });
const StoredClock = z.object({
  kind: z.enum(['response', 'resolution']),
  target: z.number(),
  threshold: z.number(),
  state: z.enum(['running', 'paused', 'met']),
  startedAt: z.number(),
  lastEventAt: z.number(),
  usedBefore: z.number(),
  runningSince: z.number().nullable(),
  dueAt: z.number().nullable(),
  atRiskAt: z.number().nullable(),
  breachedAt: z.number().nullable(),
  metAt: z.number().nullable(),
  events: z.array(ClockEvent),
});

const StoredBreach = z.object({
  amount: z.number(),
  unit: z.string(),
  n: z.number().int(),
  multiplier: z.number(),
  month: z.string(),
  dueAt: z.number(),
  detectedAt: z.number(),
  waived: z.object({ by: z.string(), at: z.number(), reason: z.string() }).optional(),
});

export const StoredRequest = z.object({
  id: z.string(),
  number: z.number().int(),
  provider: z.string(),
  customer: z.string(),
  agreementId: z.string(),
  agreementVersion: z.number().int(),
  service: z.string(),
  priority: z.enum(PRIORITIES),
  title: z.string(),
  description: z.string(),
  source: z.object({ channel: z.string(), ts: z.string(), permalink: z.string() }).optional(),
  requester: z.string(),
  assignee: z.string().optional(),
  status: z.enum(REQUEST_STATUSES),
  resumeTo: z.enum(REQUEST_STATUSES).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  acknowledgedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  closedAt: z.number().optional(),
  cancelledAt: z.number().optional(),
  resolution: z.string().optional(),
  rating: z
    .object({ score: z.number().int(), better: z.string().optional(), at: z.number(), by: z.string() })
    .optional(),
  clocks: z.object({ response: StoredClock, resolution: StoredClock }),
  rev: z.number().int(),
  // Requests kept before report buckets existed have none: they get the UTC bucket of their filing.
  filed: z.object({ day: z.string(), week: z.string(), weekday: z.number().int(), hour: z.number().int() }).optional(),
  warned: z.object({ response: z.number().optional(), resolution: z.number().optional() }).optional(),
  breaches: z.object({ response: StoredBreach.optional(), resolution: StoredBreach.optional() }).optional(),
  cause: z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.string().optional() }).optional(),
});

export const StoredEvent = z.object({
  seq: z.number().int(),
  type: z.enum(['filed', ...ACTION_TYPES]),
  actor: z.string(),
  at: z.number(),
  from: z.enum(REQUEST_STATUSES).nullable(),
  to: z.enum(REQUEST_STATUSES),
  note: z.string().optional(),
  assignee: z.string().optional(),
  score: z.number().optional(),
  kind: z.enum(['response', 'resolution']).optional(),
  amount: z.number().optional(),
  unit: z.string().optional(),
  cause: z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.string().optional() }).optional(),
  /** DMs about this line already sent, by recipient: their ts. */
  dmed: z.record(z.string(), z.string()).default({}),
  /** The ts of this line's reply in the card's thread, once posted. */
  threadTs: z.string().optional(),
  /** When the worker told Slack about this line (thread reply and DMs). */
  announcedAt: z.string().optional(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

const StoredCard = z.object({ channel: z.string(), ts: z.string() });
export type CardRef = z.infer<typeof StoredCard>;

function parseRequest(item: unknown): Request {
  // The resolution note is stored under its first name, `resolution`.
  const { resolution, ...r } = StoredRequest.parse(item);
  return {
    ...r,
    ...(resolution !== undefined ? { resolutionNote: resolution } : {}),
    filed: r.filed ?? filedBucket(r.createdAt, 'UTC'),
  } as Request;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Shards of the "next check at" index (gsi1), so no single index partition takes every check. */
export const CHECK_SHARDS = 4;
/** How long the worker has to tell Slack about a change before the scan sends the job again. */
export const SLACK_SYNC_GRACE_MS = 2 * 60_000;

export function checkShard(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % CHECK_SHARDS;
}

/** The request as stored: its attributes and its index keys. */
export function requestItem(r: Request): Record<string, unknown> {
  const { resolutionNote, ...stored } = r;
  return {
    pk: requestPk(r.id),
    sk: REQUEST_SK,
    ...stored,
    ...(resolutionNote !== undefined ? { resolution: resolutionNote } : {}),
    // Every write leaves Slack to be told: until the worker has done so (and moves the check on to
    // the next deadline), the scan finds the request here once the grace has passed and hands the
    // job over again. A deadline sooner than that comes first.
    gsi1pk: `CHECK#${checkShard(r.id)}`,
    gsi1sk: new Date(
      Math.min(r.updatedAt + SLACK_SYNC_GRACE_MS, nextWatch(r) ?? Number.POSITIVE_INFINITY),
    ).toISOString(),
    gsi2pk: `USER#${r.requester}`,
    gsi2sk: `${new Date(r.createdAt).toISOString()}#${r.id}`,
    ...(isLive(r) ? { gsi3pk: `QUEUE#${r.provider}`, gsi3sk: queueKey(r) } : {}),
  };
}

/**
 * Where a live request sorts in its department's queue: by the due instant of its running target
 * that is due first (already overdue ones first of all), then requests with no clock running
 * (waiting on the requester) by filing time. A capped read of the queue so gets the most urgent.
 */
function queueKey(r: Request): string {
  const dues = [r.clocks.response, r.clocks.resolution].flatMap((c) =>
    c.state === 'running' && c.dueAt !== null ? [c.dueAt] : [],
  );
  const due =
    dues.length > 0 ? `D${new Date(Math.min(...dues)).toISOString()}` : `W${new Date(r.createdAt).toISOString()}`;
  return `${due}#${r.id}`;
}

function eventItem(db: Db, id: string, e: RequestEvent): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: { pk: requestPk(id), sk: eventSk(e.seq), ...e, dmed: {} },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Files `request` as number `request.number` of its provider; `previous` is the sequence value it
 * was read at. A WriteConflictError's reasons say which condition failed: [sequence, request,
 * history, claim].
 */
export async function saveNewRequest(
  db: Db,
  input: { request: Request; event: RequestEvent; previous: number; claim?: TransactItem },
): Promise<void> {
  const { request, event, previous } = input;
  const items: TransactItem[] = [
    {
      Update: {
        TableName: db.table,
        Key: { pk: DIRECTORY_PK, sk: sequenceSk(request.provider) },
        UpdateExpression: 'SET seq = :next',
        ConditionExpression: previous === 0 ? 'attribute_not_exists(seq)' : 'seq = :prev',
        ExpressionAttributeValues: { ':next': request.number, ...(previous === 0 ? {} : { ':prev': previous }) },
      },
    },
    { Put: { TableName: db.table, Item: requestItem(request), ConditionExpression: 'attribute_not_exists(pk)' } },
    eventItem(db, request.id, event),
  ];
  if (input.claim) items.push(input.claim);
  items.push(...statsItems(db, request.provider, statsDelta(undefined, request)));
  await transact(db, items);
}

/** The last number given out by `department` (0 before its first request). */
export async function readSequence(db: Db, department: string): Promise<number> {
  const out = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: { pk: DIRECTORY_PK, sk: sequenceSk(department) },
      ConsistentRead: true,
    }),
  );
  return Number(out.Item?.seq ?? 0);
}

export interface ChangeInput {
  /** The request as read: its `rev` is the condition, and the report counters move by the difference. */
  before: Request;
  request: Request;
  event: RequestEvent;
  claim?: TransactItem;
  /** More items that must land with the change (a breach's ledger entries). */
  extra?: TransactItem[];
}

/**
 * Replaces the request with its changed version and adds the history line, only if nobody changed
 * it since it was read (`rev`), together with the report counters, the delivery claim of the
 * click or command and any `extra` items. A WriteConflictError's reasons: [request, history,
 * claim if any, ...].
 */
export async function saveChange(db: Db, input: ChangeInput): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: db.table,
        Item: requestItem(input.request),
        ConditionExpression: 'rev = :prev',
        ExpressionAttributeValues: { ':prev': input.before.rev },
      },
    },
    eventItem(db, input.request.id, input.event),
  ];
  if (input.claim) items.push(input.claim);
  items.push(
    ...statsItems(db, input.request.provider, statsDelta(input.before, input.request)),
    ...(input.extra ?? []),
  );
  await transact(db, items);
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function getRequest(db: Db, id: string): Promise<Request | undefined> {
  const out = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: { pk: requestPk(id), sk: REQUEST_SK }, ConsistentRead: true }),
  );
  return out.Item ? parseRequest(out.Item) : undefined;
}

export interface RequestRecord {
  request: Request;
  events: StoredEvent[];
  card?: CardRef;
}

/** The request, its whole history and its card, in one strongly consistent query. */
export async function getRequestRecord(db: Db, id: string): Promise<RequestRecord | undefined> {
  let request: Request | undefined;
  let card: CardRef | undefined;
  const events: StoredEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': requestPk(id) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      if (sk === REQUEST_SK) request = parseRequest(item);
      else if (sk === CARD_SK) card = StoredCard.parse(item);
      else if (sk.startsWith('EVENT#')) events.push(StoredEvent.parse(item));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return request ? { request, events, ...(card ? { card } : {}) } : undefined;
}

/** The most requests a queue read returns. */
export const QUEUE_READ_MAX = 500;

/** The newest requests filed by `user` (index read: may trail a write by a moment). */
export async function requestsOf(db: Db, user: string, limit = 25): Promise<Request[]> {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': `USER#${user}` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(parseRequest);
}

/**
 * The requests `department` is still working on (open, acknowledged, waiting, reopened), the one due
 * first first, at most `limit` (a list or the App Home answers Slack within seconds; a backlog beyond
 * that shows the most urgent, then those waiting on their requester).
 */
export async function queueOf(db: Db, department: string, limit = QUEUE_READ_MAX): Promise<Request[]> {
  const requests: Request[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': `QUEUE#${department}` },
        ExclusiveStartKey: start,
        Limit: limit - requests.length,
      }),
    );
    requests.push(...(page.Items ?? []).map(parseRequest));
    start = page.LastEvaluatedKey;
  } while (start && requests.length < limit);
  return requests;
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
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: requestPk(request.id), sk: REQUEST_SK },
        UpdateExpression: next === null ? 'REMOVE gsi1pk, gsi1sk' : 'SET gsi1pk = :pk, gsi1sk = :at',
        ConditionExpression: 'rev = :rev',
        ExpressionAttributeValues: {
          ':rev': request.rev,
          ...(next === null ? {} : { ':pk': `CHECK#${checkShard(request.id)}`, ':at': new Date(next).toISOString() }),
        },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err; // changed meanwhile: its own write set its check
  }
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
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.doc.send(
        new QueryCommand({
          TableName: db.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk <= :now',
          ExpressionAttributeValues: { ':pk': `CHECK#${shard}`, ':now': now.toISOString() },
          ProjectionExpression: '#id, #rev, gsi1sk, sk, agreementId',
          ExpressionAttributeNames: { '#id': 'id', '#rev': 'rev' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === REQUEST_SK)
          found.push({
            id: String(item.id),
            rev: Number(item.rev),
            checkAt: String(item.gsi1sk),
            agreementId: String(item.agreementId ?? ''),
          });
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return found;
}

/** Moves a request's check to `next` (the scan handed the job over again), if nothing changed since. */
export async function postponeCheck(db: Db, check: DueCheck, next: Date): Promise<void> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: requestPk(check.id), sk: REQUEST_SK },
        UpdateExpression: 'SET gsi1sk = :next',
        ConditionExpression: 'rev = :rev AND gsi1sk = :was',
        ExpressionAttributeValues: { ':next': next.toISOString(), ':rev': check.rev, ':was': check.checkAt },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}
