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
import * as z from '../zod';
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

/** A whole number (classic zod's `z.number().int()`). */
const int = () => z.number().check(z.int());

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
  runningSince: z.nullable(z.number()),
  dueAt: z.nullable(z.number()),
  atRiskAt: z.nullable(z.number()),
  breachedAt: z.nullable(z.number()),
  metAt: z.nullable(z.number()),
  events: z.array(ClockEventSchema),
});

const BreachSchema = z.object({
  amount: z.number(),
  unit: z.string(),
  n: int(),
  multiplier: z.number(),
  month: z.string(),
  dueAt: z.number(),
  detectedAt: z.number(),
  waived: z.optional(z.object({ by: z.string(), at: z.number(), reason: z.string() })),
});

const CycleSchema = z.object({
  n: int(),
  startedAt: z.number(),
  metAt: z.number(),
  endedAt: z.number(),
  breach: z.optional(BreachSchema),
});

const FiledSchema = z.object({ day: z.string(), week: z.string(), weekday: int(), hour: int() });
const OutcomeSchema = z.enum(['met', 'breached', 'transferred']);

const TransferSchema = z.object({
  at: z.number(),
  by: z.string(),
  reason: z.string(),
  from: z.string(),
  to: z.string(),
  agreementId: z.string(),
  agreementVersion: int(),
  service: z.string(),
  priority: z.enum(PRIORITIES),
  filed: FiledSchema,
  assignee: z.optional(z.string()),
  outcome: z.object({ response: OutcomeSchema, resolution: OutcomeSchema }),
  took: z.optional(z.object({ response: z.optional(z.number()), resolution: z.optional(z.number()) })),
  breaches: z.optional(z.object({ response: z.optional(BreachSchema), resolution: z.optional(BreachSchema) })),
  cycles: z.optional(z.array(CycleSchema)),
});

/**
 * A request as stored: those kept before report buckets existed have no `filed` (parseRequest fills
 * it in), and the resolution note is stored under its first name, `resolution`.
 */
type StoredRequest = Omit<Request, 'filed' | 'resolutionNote'> &
  Partial<Pick<Request, 'filed'>> & { resolution?: Request['resolutionNote'] };

const RecoveryStepSchema = z.object({ by: z.string(), at: z.number() });

const RatingSchema = z.object({
  score: int(),
  better: z.optional(z.string()),
  at: z.number(),
  by: z.string(),
});

const StoredRequestSchema = schemaFor<StoredRequest>()(
  z.object({
    id: z.string(),
    number: int(),
    provider: z.string(),
    customer: z.string(),
    agreementId: z.string(),
    agreementVersion: int(),
    service: z.string(),
    priority: z.enum(PRIORITIES),
    title: z.string(),
    description: z.string(),
    source: z.optional(
      z.object({ channel: z.string(), ts: z.string(), permalink: z.string(), thread: z.optional(z.string()) }),
    ),
    requester: z.string(),
    assignee: z.optional(z.string()),
    status: z.enum(REQUEST_STATUSES),
    resumeTo: z.optional(z.enum(REQUEST_STATUSES)),
    createdAt: z.number(),
    updatedAt: z.number(),
    acknowledgedAt: z.optional(z.number()),
    resolvedAt: z.optional(z.number()),
    closedAt: z.optional(z.number()),
    cancelledAt: z.optional(z.number()),
    resolution: z.optional(z.string()),
    rating: z.optional(RatingSchema),
    earlierRatings: z.optional(z.array(RatingSchema)),
    clocks: z.object({ response: TargetClockSchema, resolution: TargetClockSchema }),
    rev: int(),
    // Requests kept before report buckets existed have none: they get the UTC bucket of their filing.
    filed: z.optional(FiledSchema),
    warned: z.optional(z.object({ response: z.optional(z.number()), resolution: z.optional(z.number()) })),
    ladder: z.optional(z.array(EscalationStepSchema)),
    escalated: z.optional(z.record(z.string(), z.number())),
    nextStepAt: z.optional(z.number()),
    overdueRemindedAt: z.optional(z.number()),
    nextReminderAt: z.optional(z.number()),
    waitRules: z.optional(WaitingTermsSchema),
    waitingSince: z.optional(z.number()),
    remindedAt: z.optional(z.number()),
    nextWaitAt: z.optional(z.number()),
    waited: z.optional(z.object({ ms: z.number(), pauses: int() })),
    breaches: z.optional(z.object({ response: z.optional(BreachSchema), resolution: z.optional(BreachSchema) })),
    cycles: z.optional(z.array(CycleSchema)),
    cause: z.optional(z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.optional(z.string()) })),
    original: z.optional(
      z.object({
        priority: z.enum(PRIORITIES),
        due: z.object({ response: z.nullable(z.number()), resolution: z.nullable(z.number()) }),
      }),
    ),
    transfers: z.optional(z.array(TransferSchema)),
    recovery: z.optional(
      z.object({
        steps: z.optional(
          z.object({
            apologised: z.optional(RecoveryStepSchema),
            explained: z.optional(RecoveryStepSchema),
            progress: z.optional(RecoveryStepSchema),
            cause: z.optional(RecoveryStepSchema),
          }),
        ),
        confirmed: z.optional(z.object({ recovered: z.boolean(), by: z.string(), at: z.number() })),
        credits: z.optional(
          z.array(
            z.object({
              kind: z.enum(['response', 'resolution']),
              cycle: int(),
              amount: z.number(),
              unit: z.string(),
              month: z.string(),
              at: z.number(),
            }),
          ),
        ),
      }),
    ),
    recoveryCredit: z.optional(RecoveryCreditSchema),
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
    seq: int(),
    type: z.enum(['filed', ...ACTION_TYPES]),
    actor: z.string(),
    at: z.number(),
    from: z.nullable(z.enum(REQUEST_STATUSES)),
    to: z.enum(REQUEST_STATUSES),
    note: z.optional(z.string()),
    assignee: z.optional(z.string()),
    previousAssignee: z.optional(z.string()),
    score: z.optional(z.number()),
    kind: z.optional(z.enum(['response', 'resolution'])),
    step: z.optional(int()),
    stepAt: z.optional(z.number()),
    rule: z.optional(z.enum(WAITING_RULES)),
    cycle: z.optional(int()),
    amount: z.optional(z.number()),
    unit: z.optional(z.string()),
    cause: z.optional(z.object({ category: z.enum(CAUSE_CATEGORIES), text: z.optional(z.string()) })),
    side: z.optional(z.enum(['provider', 'requester'])),
    internal: z.optional(z.boolean()),
    files: z.optional(z.array(z.object({ name: z.string(), permalink: z.string() }))),
    via: z.optional(z.object({ channel: z.string(), ts: z.string() })),
    priority: z.optional(z.enum(PRIORITIES)),
    previousPriority: z.optional(z.enum(PRIORITIES)),
    asked: z.optional(z.boolean()),
    transfer: z.optional(z.object({ from: z.string(), to: z.string(), fromName: z.string(), toName: z.string() })),
    recovery: z.optional(z.enum(RECOVERY_STEPS)),
    recovered: z.optional(z.boolean()),
    credited: z.optional(z.number()),
    dmed: z._default(z.record(z.string(), z.string()), {}),
    threadTs: z.optional(z.string()),
    announcedAt: z.optional(z.string()),
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
  return z.number().check(z.int(), z.positive()).parse(out.Attributes?.seq);
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
