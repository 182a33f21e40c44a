/**
 * Requests (`pk=REQ#<id>`): the request itself (`sk=REQ`, replaced whole under a condition on
 * its `rev`), one item per history line (`EVENT#<seq>`, written once, later marked when the
 * worker has told Slack: request-slack.ts, with the card and the lease), and its check in the
 * scan's index (checks.ts). Keys: request-keys.ts. Filing takes the provider's next number with
 * one atomic add on its sequence (`DIRECTORY / SEQ#<dept>`), then puts the request, its first
 * history line, the Slack delivery claim and the report counters in one transaction.
 *
 * Index keys on the request item: gsi2 `USER#<requester>` (my requests, newest first) and, only
 * while the request is being worked, gsi3 `QUEUE#<provider>` (the provider's queue, most urgent first).
 */

import * as z from 'zod';
import { PRIORITIES } from '../domain/agreement';
import type { Department } from '../domain/department';
import type { MessageRef } from '../domain/message-ref';
import {
  ACTION_TYPES,
  CAUSE_CATEGORIES,
  FINAL_STATUSES,
  filedBucket,
  isLive,
  RECOVERY_STEPS,
  REQUEST_STATUSES,
  type Request,
  type RequestEvent,
} from '../domain/request';
import { statsDelta, statsDeltas } from '../domain/stats';
import { WAITING_RULES } from '../domain/waiting';
import { checkKeys } from './checks';
import type { Db } from './client';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from './commands';
import {
  DIRECTORY_PK,
  deptSk,
  EscalationStepSchema,
  RecoveryCreditSchema,
  readDepartmentItem,
  WaitingTermsSchema,
} from './directory';
import { MessageRefSchema, schemaFor } from './read-back';
import {
  CARD_SK,
  DM_SK,
  eventSk,
  queuePk,
  queueSk,
  REQUEST_SK,
  requesterPk,
  requesterSk,
  requestPk,
  sequenceSk,
} from './request-keys';
import { retentionMarker } from './retention';
import { statsItems } from './stats';
import { queryAll, type TransactItem, transact } from './transact';

// ---------------------------------------------------------------------------------------------
// Items read back

const ClockEventSchema = z.object({
  type: z.enum(['start', 'pause', 'resume', 'meet', 'reopen', 'cycle']),
  at: z.number(),
});
const TargetClockSchema = z.object({
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
  events: z.array(ClockEventSchema),
});

const BreachSchema = z.object({
  amount: z.number(),
  unit: z.string(),
  n: z.number().int(),
  multiplier: z.number(),
  month: z.string(),
  dueAt: z.number(),
  detectedAt: z.number(),
  waived: z.object({ by: z.string(), at: z.number(), reason: z.string() }).optional(),
});

const CycleSchema = z.object({
  n: z.number().int(),
  startedAt: z.number(),
  metAt: z.number(),
  endedAt: z.number(),
  breach: BreachSchema.optional(),
});

const FiledSchema = z.object({ day: z.string(), week: z.string(), weekday: z.number().int(), hour: z.number().int() });
const OutcomeSchema = z.enum(['met', 'breached', 'transferred']);

const TransferSchema = z.object({
  at: z.number(),
  by: z.string(),
  reason: z.string(),
  from: z.string(),
  to: z.string(),
  agreementId: z.string(),
  agreementVersion: z.number().int(),
  service: z.string(),
  priority: z.enum(PRIORITIES),
  filed: FiledSchema,
  assignee: z.string().optional(),
  outcome: z.object({ response: OutcomeSchema, resolution: OutcomeSchema }),
  took: z.object({ response: z.number().optional(), resolution: z.number().optional() }).optional(),
  breaches: z.object({ response: BreachSchema.optional(), resolution: BreachSchema.optional() }).optional(),
  cycles: z.array(CycleSchema).optional(),
});

/**
 * A request as stored: those kept before report buckets existed have no `filed` (parseRequest fills
 * it in), and the resolution note is stored under its first name, `resolution`.
 */
type StoredRequest = Omit<Request, 'filed' | 'resolutionNote'> &
  Partial<Pick<Request, 'filed'>> & { resolution?: Request['resolutionNote'] };

const RecoveryStepSchema = z.object({ by: z.string(), at: z.number() });

const RatingSchema = z.object({
  score: z.number().int(),
  better: z.string().optional(),
  at: z.number(),
  by: z.string(),
});

const StoredRequestSchema = schemaFor<StoredRequest>()(
  z.object({
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
    source: z
      .object({ channel: z.string(), ts: z.string(), permalink: z.string(), thread: z.string().optional() })
      .optional(),
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
    rating: RatingSchema.optional(),
    earlierRatings: z.array(RatingSchema).optional(),
    clocks: z.object({ response: TargetClockSchema, resolution: TargetClockSchema }),
    rev: z.number().int(),
    // Requests kept before report buckets existed have none: they get the UTC bucket of their filing.
    filed: FiledSchema.optional(),
    warned: z.object({ response: z.number().optional(), resolution: z.number().optional() }).optional(),
    ladder: z.array(EscalationStepSchema).optional(),
    escalated: z.record(z.string(), z.number()).optional(),
    nextStepAt: z.number().optional(),
    overdueRemindedAt: z.number().optional(),
    nextReminderAt: z.number().optional(),
    waitRules: WaitingTermsSchema.optional(),
    waitingSince: z.number().optional(),
    remindedAt: z.number().optional(),
    nextWaitAt: z.number().optional(),
    waited: z.object({ ms: z.number(), pauses: z.number().int() }).optional(),
    breaches: z.object({ response: BreachSchema.optional(), resolution: BreachSchema.optional() }).optional(),
    cycles: z.array(CycleSchema).optional(),
    cause: z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.string().optional() }).optional(),
    original: z
      .object({
        priority: z.enum(PRIORITIES),
        due: z.object({ response: z.number().nullable(), resolution: z.number().nullable() }),
      })
      .optional(),
    transfers: z.array(TransferSchema).optional(),
    recovery: z
      .object({
        steps: z
          .object({
            apologised: RecoveryStepSchema.optional(),
            explained: RecoveryStepSchema.optional(),
            progress: RecoveryStepSchema.optional(),
            cause: RecoveryStepSchema.optional(),
          })
          .optional(),
        confirmed: z.object({ recovered: z.boolean(), by: z.string(), at: z.number() }).optional(),
        credits: z
          .array(
            z.object({
              kind: z.enum(['response', 'resolution']),
              cycle: z.number().int(),
              amount: z.number(),
              unit: z.string(),
              month: z.string(),
              at: z.number(),
            }),
          )
          .optional(),
      })
      .optional(),
    recoveryCredit: RecoveryCreditSchema.optional(),
  }),
);

/** A history line as stored: the line, and what the worker has announced of it in Slack. */
export type StoredEvent = RequestEvent & {
  /** DMs about this line already sent, by recipient: their ts. */
  dmed: Record<string, string>;
  /** The ts of this line's reply in the card's thread, once posted. */
  threadTs?: string;
  /** When the worker told Slack about this line (thread reply and DMs). */
  announcedAt?: string;
};

const StoredEventSchema = schemaFor<StoredEvent>()(
  z.object({
    seq: z.number().int(),
    type: z.enum(['filed', ...ACTION_TYPES]),
    actor: z.string(),
    at: z.number(),
    from: z.enum(REQUEST_STATUSES).nullable(),
    to: z.enum(REQUEST_STATUSES),
    note: z.string().optional(),
    assignee: z.string().optional(),
    previousAssignee: z.string().optional(),
    score: z.number().optional(),
    kind: z.enum(['response', 'resolution']).optional(),
    step: z.number().int().optional(),
    stepAt: z.number().optional(),
    rule: z.enum(WAITING_RULES).optional(),
    cycle: z.number().int().optional(),
    amount: z.number().optional(),
    unit: z.string().optional(),
    cause: z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.string().optional() }).optional(),
    side: z.enum(['provider', 'requester']).optional(),
    internal: z.boolean().optional(),
    files: z.array(z.object({ name: z.string(), permalink: z.string() })).optional(),
    via: z.object({ channel: z.string(), ts: z.string() }).optional(),
    priority: z.enum(PRIORITIES).optional(),
    previousPriority: z.enum(PRIORITIES).optional(),
    asked: z.boolean().optional(),
    transfer: z.object({ from: z.string(), to: z.string(), fromName: z.string(), toName: z.string() }).optional(),
    recovery: z.enum(RECOVERY_STEPS).optional(),
    recovered: z.boolean().optional(),
    credited: z.number().optional(),
    dmed: z.record(z.string(), z.string()).default({}),
    threadTs: z.string().optional(),
    announcedAt: z.string().optional(),
  }),
);

function parseRequest(item: unknown): Request {
  const { resolution, ...r } = StoredRequestSchema.parse(item);
  return {
    ...r,
    ...(resolution !== undefined ? { resolutionNote: resolution } : {}),
    filed: r.filed ?? filedBucket(r.createdAt, 'UTC'),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The request as stored: its attributes and its index keys. */
export function requestItem(r: Request): Record<string, unknown> {
  const { resolutionNote, ...stored } = r;
  return {
    pk: requestPk(r.id),
    sk: REQUEST_SK,
    ...stored,
    ...(resolutionNote !== undefined ? { resolution: resolutionNote } : {}),
    ...checkKeys(r),
    gsi2pk: requesterPk(r.requester),
    gsi2sk: requesterSk(r),
    ...(isLive(r) ? { gsi3pk: queuePk(r.provider), gsi3sk: queueSk(r) } : {}),
  };
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
 * Takes the next request number of `department`: one atomic `ADD` on its sequence item, which no
 * other write (and no transaction) touches, so it never conflicts however many people file at once.
 * A number taken by a filing that then fails is not given again (a gap, never a duplicate).
 */
export async function takeNumber(db: Db, department: string): Promise<number> {
  const out = await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: DIRECTORY_PK, sk: sequenceSk(department) },
      UpdateExpression: 'ADD seq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return z.number().int().positive().parse(out.Attributes?.seq);
}

/**
 * Files `request` under the number it was given (takeNumber): the request, its first history line,
 * the delivery claim and the report counters in one transaction. A WriteConflictError's reasons
 * say which part failed: [request, history, claim]; a `TransactionConflict` is another transaction
 * writing the same day counter at that moment, and the same items can simply be tried again.
 */
export async function saveNewRequest(
  db: Db,
  input: { request: Request; event: RequestEvent; claim?: TransactItem },
): Promise<void> {
  const { request, event } = input;
  const items: TransactItem[] = [
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
const isFinal = (r: Request): boolean => (FINAL_STATUSES as readonly string[]).includes(r.status);

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
  // One delta per department share: a transfer moves the request to its new provider's counters.
  for (const { department, delta } of statsDeltas(input.before, input.request))
    items.push(...statsItems(db, department, delta));
  items.push(...(input.extra ?? []));
  // Closed or cancelled now: remembered by month for the retention job (store/retention.ts).
  if (isFinal(input.request) && !isFinal(input.before)) items.push(retentionMarker(db, input.request));
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

/**
 * The request and one department (the provider a reply expects) in one strongly consistent batched
 * read: what a message in a request's thread needs, without reading the whole directory. Undefined
 * parts are missing; a read Slack's budget cannot finish (unprocessed keys) throws.
 */
export async function getRequestWithDepartment(
  db: Db,
  id: string,
  department: string,
): Promise<{ request?: Request; department?: Department }> {
  const requestKeyOf = { pk: requestPk(id), sk: REQUEST_SK };
  const out = await db.doc.send(
    new BatchGetCommand({
      RequestItems: {
        [db.table]: { Keys: [requestKeyOf, { pk: DIRECTORY_PK, sk: deptSk(department) }], ConsistentRead: true },
      },
    }),
  );
  if (Object.keys(out.UnprocessedKeys ?? {}).length > 0) throw new Error('request read not finished; try again');
  const found: { request?: Request; department?: Department } = {};
  for (const item of out.Responses?.[db.table] ?? []) {
    if (item.pk === requestKeyOf.pk) found.request = parseRequest(item);
    else found.department = readDepartmentItem(item);
  }
  return found;
}

export interface RequestRecord {
  request: Request;
  events: StoredEvent[];
  card?: MessageRef;
  /** The department the card was posted for (a card older than transfers does not say: its first provider). */
  cardProvider?: string;
  /** The requester's DM thread about the request (their first DM from Kept about it). */
  dm?: MessageRef;
}

/** The request, its whole history and its card, in one strongly consistent query. */
export async function getRequestRecord(db: Db, id: string): Promise<RequestRecord | undefined> {
  let request: Request | undefined;
  let card: MessageRef | undefined;
  let cardProvider: string | undefined;
  let dm: MessageRef | undefined;
  const events: StoredEvent[] = [];
  const items = await queryAll(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': requestPk(id) },
    ConsistentRead: true,
  });
  for (const item of items) {
    const sk = String(item.sk);
    if (sk === REQUEST_SK) request = parseRequest(item);
    else if (sk === CARD_SK) {
      card = MessageRefSchema.parse(item);
      if (typeof item.provider === 'string') cardProvider = item.provider;
    } else if (sk === DM_SK) dm = MessageRefSchema.parse(item);
    else if (sk.startsWith('EVENT#')) events.push(StoredEventSchema.parse(item));
  }
  if (!request) return undefined;
  return {
    request,
    events,
    ...(card ? { card } : {}),
    ...(cardProvider ? { cardProvider } : {}),
    ...(dm ? { dm } : {}),
  };
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
      ExpressionAttributeValues: { ':pk': requesterPk(user) },
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
  const items = await queryAll(
    db,
    {
      TableName: db.table,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      ExpressionAttributeValues: { ':pk': queuePk(department) },
    },
    limit,
  );
  return items.map(parseRequest);
}
