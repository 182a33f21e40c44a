/**
 * Requests on DynamoDB Local (functions/store/requests.ts): filing with the per-department
 * number sequence and the delivery claim in one transaction, changes guarded by the request's
 * revision, the requester and queue indexes, what the worker remembers about Slack, and adding
 * the queue index to a table made before it existed. Requests are made with the domain
 * (fileRequest/decide), so the stored data is what the app writes.
 */

import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { AgreementVersion } from '../../functions/domain/agreement';
import { compileCalendar } from '../../functions/domain/calendar';
import { HOUR_MS } from '../../functions/domain/duration';
import {
  fileRequest,
  type Request,
  type RequestAction,
  type RequestEvent,
  requestId,
  rightsOf,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../functions/domain/request';
import { decide } from '../../functions/domain/request-actions';
import { type Counters, contribution, sumCounters } from '../../functions/domain/stats';
import { createDb, type Db } from '../../functions/store/client';
import { PutCommand } from '../../functions/store/commands';
import { deliveryClaimItem } from '../../functions/store/deliveries';
import { chargeItems, readLedger, readTotal } from '../../functions/store/ledger';
import { markAnnounced, rememberCard } from '../../functions/store/request-slack';
import {
  getRequest,
  getRequestRecord,
  queueOf,
  readSequence,
  requestsOf,
  saveChange,
  saveNewRequest,
  takeNumber,
} from '../../functions/store/requests';
import { createTableInput } from '../../functions/store/schema';
import { readDays } from '../../functions/store/stats';
import { ensureTable } from '../../functions/store/table';
import { WriteConflictError } from '../../functions/store/transact';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { department, WEEK } from '../support/departments';
import { eventually } from '../support/eventually';

const HEAD = 'U0ITHEAD';
const AGENT = 'U0ITAGENT';
const DANA = 'U0FINDANA';
const LEE = 'U0FINLEE';
const IT = department('it', 'IT', [HEAD], { members: [AGENT] });
const cal = compileCalendar({ timezone: 'America/New_York', hours: WEEK });

const AGREEMENT: AgreementVersion = {
  id: 'it-for-finance',
  version: 2,
  provider: 'it',
  customer: 'finance',
  service: 'Laptops',
  targets: { P2: { response: 4 * HOUR_MS, resolution: 16 * HOUR_MS } },
  penalty: { unit: 'points', perBreach: 10, tiers: [] },
  atRisk: 0.75,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'import',
};

// Monday 16 November 2026, 09:00 in New York.
const MON = Date.parse('2026-11-16T14:00:00Z');

function filing(
  number: number,
  over: { requester?: string; at?: number; title?: string } = {},
): { request: Request; event: RequestEvent } {
  const r = fileRequest({
    id: requestId(IT.prefix, number),
    number,
    agreement: AGREEMENT,
    customer: 'finance',
    priority: 'P2',
    title: over.title ?? `Request number ${number}`,
    description: 'Filed by the integration test.',
    source: {
      channel: 'C0FIN',
      ts: `1700000000.00000${number}`,
      permalink: `https://example.slack.com/archives/C0FIN/p${number}`,
    },
    requester: over.requester ?? DANA,
    at: over.at ?? MON + number * HOUR_MS,
    calendar: cal,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function change(
  request: Request,
  action: RequestAction,
  actor: string,
  at: number,
): { request: Request; event: RequestEvent } {
  const r = decide(request, action, { actor, at, calendar: cal, rights: rightsOf(request, IT, actor), provider: IT });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Files the next number, as the app does. */
async function fileNext(db: Db, over: { requester?: string; at?: number } = {}): Promise<Request> {
  const filed = filing(await takeNumber(db, 'it'), over);
  await saveNewRequest(db, filed);
  return filed.request;
}

/** Applies and saves a change to the stored request. */
async function apply(db: Db, id: string, action: RequestAction, actor: string, at: number): Promise<Request> {
  const current = await getRequest(db, id);
  if (!current) throw new Error(`no ${id}`);
  const changed = change(current, action, actor, at);
  await saveChange(db, { before: current, ...changed });
  return changed.request;
}

/** Index reads may trail a write, and a new index takes a moment to become ACTIVE. */
const INDEX_CATCH_UP = { timeoutMs: 10_000 };

const ids = (requests: Request[]) => requests.map((r) => r.id);
/** The queue once the index has caught up with `expected`, in that order. */
const queueOnceItIs = (table: Db, expected: string[]) =>
  eventually(async () => {
    const requests = await queueOf(table, 'it');
    expect(ids(requests)).toEqual(expected);
    return requests;
  }, INDEX_CATCH_UP);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the write to be refused');
}

const byKey = (items: Record<string, unknown>[]) =>
  [...items].sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));

let db: Db;
beforeEach(async () => {
  db = await freshTable();
});
afterEach(() => dropTable(db));

describe('filing', () => {
  it('saves the request with its first history line; numbers come from the sequence, one each', async () => {
    expect(await readSequence(db, 'it')).toBe(0);
    expect(await takeNumber(db, 'it')).toBe(1);
    const filed = filing(1);
    await saveNewRequest(db, filed);
    const record = await getRequestRecord(db, 'IT-1');
    expect(record).toBeDefined();
    expect(record!.request).toEqual(filed.request);
    // A history line is read back with the DMs sent about it (none yet).
    expect(record!.events).toEqual([{ ...filed.event, dmed: {} }]);
    expect(record!.card).toBeUndefined();
    expect(await getRequest(db, 'IT-1')).toEqual(filed.request);
    expect(await readSequence(db, 'it')).toBe(1);
    expect(await getRequestRecord(db, 'IT-2')).toBeUndefined();
    // Another department counts on its own.
    expect(await takeNumber(db, 'finance')).toBe(1);
    expect(await takeNumber(db, 'it')).toBe(2);
  });

  it('50 filers taking numbers at the same moment each get their own, with none skipped', async () => {
    const numbers = await Promise.all(Array.from({ length: 50 }, () => takeNumber(db, 'it')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await readSequence(db, 'it')).toBe(50);
  });

  it('a number already used (a request the sequence did not know of) is refused on the request, writing nothing', async () => {
    await saveNewRequest(db, filing(1));
    const before = byKey(await allItems(db));
    const err = await rejection(saveNewRequest(db, filing(1, { requester: LEE, title: 'From Lee' })));
    expect(err).toBeInstanceOf(WriteConflictError);
    // [request, history, report counters...]
    expect((err as WriteConflictError).reasons[0]).toBe('ConditionalCheckFailed');
    expect(byKey(await allItems(db))).toEqual(before);
  });

  it('a filing delivered twice is refused on its delivery claim, and nothing of it is written', async () => {
    await saveNewRequest(db, { ...filing(1), claim: deliveryClaimItem(db, 'view:V1') });
    const before = byKey(await allItems(db));
    // Slack delivers the same submission again; the app takes the next number and tries IT-2.
    const err = await rejection(saveNewRequest(db, { ...filing(2), claim: deliveryClaimItem(db, 'view:V1') }));
    expect(err).toBeInstanceOf(WriteConflictError);
    // [request, history, claim, report counters]
    const reasons = (err as WriteConflictError).reasons;
    expect(reasons).toHaveLength(4);
    expect(reasons[2]).toBe('ConditionalCheckFailed');
    expect(reasons.filter((r) => r === 'ConditionalCheckFailed')).toEqual(['ConditionalCheckFailed']);
    const after = byKey(await allItems(db));
    expect(after).toEqual(before);
    expect(after.filter((i) => String(i.pk).startsWith('REQ#')).map((i) => i.pk)).not.toContain('REQ#IT-2');
    // A different delivery files IT-2 as usual.
    await saveNewRequest(db, { ...filing(2), claim: deliveryClaimItem(db, 'view:V2') });
    expect((await getRequest(db, 'IT-2'))?.number).toBe(2);
  });
});

describe('changes', () => {
  it('a change decided on a stale revision is refused and writes nothing', async () => {
    const filed = await fileNext(db);
    const acked = change(filed, { type: 'acknowledge' }, AGENT, MON + 2 * HOUR_MS);
    await saveChange(db, { before: filed, ...acked });
    const before = byKey(await allItems(db));
    // Decided on the filed request (rev 1) while the stored one is at rev 2.
    const stale = change(filed, { type: 'cancel', note: 'Not needed.' }, DANA, MON + 3 * HOUR_MS);
    const err = await rejection(saveChange(db, { before: filed, ...stale }));
    expect(err).toBeInstanceOf(WriteConflictError);
    expect((err as WriteConflictError).reasons[0]).toBe('ConditionalCheckFailed');
    expect(byKey(await allItems(db))).toEqual(before);
    const record = await getRequestRecord(db, filed.id);
    expect(record?.request).toEqual(acked.request);
    expect(record?.events.map((e) => e.type)).toEqual(['filed', 'acknowledge']);
  });

  it('two changes decided on the same revision: exactly one lands', async () => {
    const filed = await fileNext(db);
    const acked = await apply(db, filed.id, { type: 'acknowledge' }, AGENT, MON + 2 * HOUR_MS);
    const resolve = change(acked, { type: 'resolve', note: 'Delivered.' }, AGENT, MON + 3 * HOUR_MS);
    const cancel = change(acked, { type: 'cancel', note: 'Not needed.' }, DANA, MON + 3 * HOUR_MS);
    const outcomes = await Promise.allSettled([
      saveChange(db, { before: acked, ...resolve }),
      saveChange(db, { before: acked, ...cancel }),
    ]);
    const landed = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [[resolve, cancel][i]!] : []));
    expect(landed).toHaveLength(1);
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(failure.reason).toBeInstanceOf(WriteConflictError);
    const record = await getRequestRecord(db, filed.id);
    expect(record?.request).toEqual(landed[0]!.request);
    expect(record?.request.rev).toBe(3);
    expect(record?.events).toEqual([
      expect.objectContaining({ seq: 1, type: 'filed' }),
      expect.objectContaining({ seq: 2, type: 'acknowledge' }),
      { ...landed[0]!.event, dmed: {} },
    ]);
  });

  it('keeps the whole history in order, each line once', async () => {
    const filed = await fileNext(db);
    await apply(db, filed.id, { type: 'acknowledge', note: 'On it.' }, AGENT, MON + 2 * HOUR_MS);
    await apply(db, filed.id, { type: 'pause', note: 'Which model?' }, AGENT, MON + 3 * HOUR_MS);
    await apply(db, filed.id, { type: 'comment', note: 'The small one.' }, DANA, MON + 4 * HOUR_MS);
    await apply(db, filed.id, { type: 'resolve', note: 'Delivered.' }, AGENT, MON + 5 * HOUR_MS);
    const last = await apply(db, filed.id, { type: 'rate', score: 5, better: 'Nothing.' }, DANA, MON + 6 * HOUR_MS);
    const record = await getRequestRecord(db, filed.id);
    expect(record?.request).toEqual(last);
    expect(record?.events.map((e) => [e.seq, e.type, e.from, e.to])).toEqual([
      [1, 'filed', null, 'open'],
      [2, 'acknowledge', 'open', 'acknowledged'],
      [3, 'pause', 'acknowledged', 'waiting_on_requester'],
      [4, 'comment', 'waiting_on_requester', 'acknowledged'],
      [5, 'resolve', 'acknowledged', 'resolved'],
      [6, 'rate', 'resolved', 'resolved'],
    ]);
    expect(record?.events[5]).toMatchObject({ score: 5, note: 'Nothing.' });
  });
});

describe('report counters', () => {
  /** IT's day items of 2026 summed (a report's read), zero counters left out. */
  async function counters(): Promise<Counters> {
    const { days } = await readDays(db, 'it', '2026-01-01', '2026-12-31');
    return Object.fromEntries(Object.entries(sumCounters(days.map((d) => d.counters))).filter(([, v]) => v !== 0));
  }
  const recount = (requests: Request[]) => sumCounters(requests.map(contribution));

  it('move with every filing and change, in the same transaction, so they equal a recount of the requests', async () => {
    const one = await fileNext(db);
    const two = await fileNext(db);
    const three = await fileNext(db);
    expect(await counters()).toEqual(recount([one, two, three]));
    expect((await counters()).filed).toBe(3);

    await apply(db, one.id, { type: 'acknowledge' }, AGENT, MON + 2 * HOUR_MS);
    const oneResolved = await apply(db, one.id, { type: 'resolve', note: 'Delivered.' }, AGENT, MON + 3 * HOUR_MS);
    const oneRated = await apply(
      db,
      one.id,
      { type: 'rate', score: 4, better: 'A call first.' },
      DANA,
      MON + 4 * HOUR_MS,
    );
    const twoCancelled = await apply(db, two.id, { type: 'cancel' }, DANA, MON + 4 * HOUR_MS);
    expect(await counters()).toEqual(recount([oneRated, twoCancelled, three]));
    expect(await counters()).toMatchObject({
      filed: 3,
      met: 1,
      live: 1,
      cancelled: 1,
      'csat|n': 1,
      'csat|sum': 4,
      'csat|4': 1,
    });

    // A change refused on its revision moves no counter.
    const stale = change(oneResolved, { type: 'reopen' }, DANA, MON + 5 * HOUR_MS);
    await expect(saveChange(db, { before: oneResolved, ...stale })).rejects.toBeInstanceOf(WriteConflictError);
    expect(await counters()).toEqual(recount([oneRated, twoCancelled, three]));
  });

  it('a breach lands with its ledger entries as `extra`; when the ledger total moved meanwhile, nothing of it is written', async () => {
    const filed = await fileNext(db, { at: MON });
    // Tuesday 10:00 EST: the response (due Monday 13:00 EST) was missed.
    const scanAt = Date.parse('2026-11-17T15:00:00Z');
    const charge = { amount: 10, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };
    const decided = decide(
      filed,
      { type: 'breach', kind: 'response', charge },
      { actor: SYSTEM_ACTOR, at: scanAt, calendar: cal, rights: SYSTEM_RIGHTS, provider: IT },
    );
    if (!decided.ok) throw new Error(decided.error);
    const entry = {
      type: 'penalty' as const,
      agreementId: AGREEMENT.id,
      agreementVersion: AGREEMENT.version,
      month: '2026-11',
      request: filed.id,
      kind: 'response',
      amount: 10,
      unit: 'points',
      at: new Date(decided.value.request.breaches!.response!.dueAt).toISOString(),
      n: 1,
      multiplier: 1,
    };
    const before = byKey(await allItems(db));
    // Worked out from a total of one breach, but the month has none: the total's condition fails.
    const err = await rejection(
      saveChange(db, {
        before: filed,
        ...decided.value,
        extra: chargeItems(db, entry, { breaches: 1, charged: 10, waived: 0 }),
      }),
    );
    expect(err).toBeInstanceOf(WriteConflictError);
    // [request, history, report counters, ledger total, ledger entry]
    expect((err as WriteConflictError).reasons).toEqual(['None', 'None', 'None', 'ConditionalCheckFailed', 'None']);
    expect(byKey(await allItems(db))).toEqual(before);

    await saveChange(db, {
      before: filed,
      ...decided.value,
      extra: chargeItems(db, entry, await readTotal(db, AGREEMENT.id, '2026-11')),
    });
    const stored = await getRequest(db, filed.id);
    expect(stored).toEqual(decided.value.request);
    expect(stored?.breaches?.response).toMatchObject({
      dueAt: Date.parse('2026-11-16T18:00:00Z'),
      detectedAt: scanAt,
      amount: 10,
    });
    expect(await readTotal(db, AGREEMENT.id, '2026-11')).toEqual({ breaches: 1, charged: 10, waived: 0 });
    expect(await readLedger(db, AGREEMENT.id, '2026-11')).toEqual([entry]);
    expect(await counters()).toEqual(recount([decided.value.request]));
    expect(await counters()).toMatchObject({ breached: 1, 'breach|response': 1, 'penalty|points': 10, live: 1 });
  });
});

describe('indexes', () => {
  it("the provider's queue lists only the requests still being worked, the one due first first", async () => {
    const one = await fileNext(db);
    const two = await fileNext(db);
    const three = await fileNext(db);
    await queueOnceItIs(db, ['IT-1', 'IT-2', 'IT-3']);

    await apply(db, two.id, { type: 'resolve', note: 'Done.' }, AGENT, MON + 5 * HOUR_MS);
    await queueOnceItIs(db, ['IT-1', 'IT-3']);

    // Reopened, IT-2's resolution (13 working hours left) is due tomorrow, after IT-1's and IT-3's
    // responses today: it moves to the end, and a capped read gets the two most urgent.
    const reopened = await apply(db, two.id, { type: 'reopen', note: 'Still broken.' }, DANA, MON + 6 * HOUR_MS);
    const queue = await queueOnceItIs(db, ['IT-1', 'IT-3', 'IT-2']);
    expect(queue[2]).toEqual(reopened);
    expect(ids(await queueOf(db, 'it', 2))).toEqual(['IT-1', 'IT-3']);

    await apply(db, three.id, { type: 'pause' }, AGENT, MON + 7 * HOUR_MS);
    await apply(db, one.id, { type: 'cancel' }, DANA, MON + 7 * HOUR_MS);
    const later = await queueOnceItIs(db, ['IT-2', 'IT-3']);
    expect(later.map((r) => [r.id, r.status])).toEqual([
      ['IT-2', 'reopened'],
      ['IT-3', 'waiting_on_requester'],
    ]);
    expect(await queueOf(db, 'finance')).toEqual([]);
  });

  it("a requester's requests come newest first", async () => {
    await fileNext(db, { requester: DANA, at: MON });
    await fileNext(db, { requester: LEE, at: MON + HOUR_MS });
    await fileNext(db, { requester: DANA, at: MON + 2 * HOUR_MS });
    await fileNext(db, { requester: DANA, at: MON + 3 * HOUR_MS });
    // Resolved and closed requests stay on the requester's list.
    await apply(db, 'IT-1', { type: 'resolve', note: 'Done.' }, AGENT, MON + 4 * HOUR_MS);
    await apply(db, 'IT-1', { type: 'close' }, DANA, MON + 5 * HOUR_MS);
    await eventually(async () => {
      expect((await requestsOf(db, DANA)).map((r) => [r.id, r.status])).toEqual([
        ['IT-4', 'open'],
        ['IT-3', 'open'],
        ['IT-1', 'closed'],
      ]);
    }, INDEX_CATCH_UP);
    expect(ids(await requestsOf(db, DANA, 2))).toEqual(['IT-4', 'IT-3']);
    await eventually(async () => expect(ids(await requestsOf(db, LEE))).toEqual(['IT-2']), INDEX_CATCH_UP);
    expect(await requestsOf(db, 'U0NOBODY')).toEqual([]);
  });
});

describe('what the worker remembers', () => {
  it('remembers the card once', async () => {
    const filed = await fileNext(db);
    expect(await rememberCard(db, filed.id, { channel: 'C0ITQ', ts: '1700000001.000100' })).toBe(true);
    expect(await rememberCard(db, filed.id, { channel: 'C0ITQ', ts: '1700000002.000200' })).toBe(false);
    const record = await getRequestRecord(db, filed.id);
    expect(record?.card).toEqual({ channel: 'C0ITQ', ts: '1700000001.000100' });
    expect(record?.request).toEqual(filed);
  });

  it('marks a history line announced once: a second mark keeps the first instant', async () => {
    const filed = await fileNext(db);
    const first = new Date('2026-11-16T15:00:00.000Z');
    await markAnnounced(db, filed.id, 1, first);
    await markAnnounced(db, filed.id, 1, new Date('2026-11-16T16:00:00.000Z'));
    const record = await getRequestRecord(db, filed.id);
    expect(record?.events).toHaveLength(1);
    expect(record?.events[0]?.announcedAt).toBe(first.toISOString());
    // A history line that does not exist is not created by marking it.
    await expect(markAnnounced(db, filed.id, 2, first)).rejects.toThrow();
    expect((await getRequestRecord(db, filed.id))?.events).toHaveLength(1);
  });
});

describe('requests stored before report buckets existed', () => {
  // Requests written before `filed` existed must still be read (buttons, commands, the scan, the
  // worker, a whole department's queue). Their filing was never counted in the day counters; that
  // is left as it is (no such data outside development).
  it('a request stored before report buckets existed is read with the UTC bucket of its filing, alone and in its queue', async () => {
    const { filed: _filed, ...old } = filing(1).request;
    const created = new Date(old.createdAt).toISOString();
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: 'REQ#IT-1',
          sk: 'REQ',
          ...old,
          gsi2pk: `USER#${old.requester}`,
          gsi2sk: `${created}#IT-1`,
          gsi3pk: 'QUEUE#it',
          gsi3sk: `${created}#IT-1`,
        },
      }),
    );
    await expect(getRequest(db, 'IT-1')).resolves.toMatchObject({ id: 'IT-1', status: 'open' });
    await queueOnceItIs(db, ['IT-1']);
  });
});

describe('a table made before the queue index existed', () => {
  let old: Db | undefined;
  afterEach(async () => {
    if (old) await dropTable(old);
    old = undefined;
  });

  it('gets gsi3 from ensureTable, and the queue works afterwards', async () => {
    old = createDb({ table: `t-${randomUUID()}`, endpoint: testEndpoint() });
    const input = createTableInput(old.table);
    const withoutGsi3 = {
      ...input,
      GlobalSecondaryIndexes: input.GlobalSecondaryIndexes!.filter((i) => i.IndexName !== 'gsi3'),
      AttributeDefinitions: input.AttributeDefinitions!.filter(
        (a) => a.AttributeName !== 'gsi3pk' && a.AttributeName !== 'gsi3sk',
      ),
    };
    await (await old.admin()).send(new CreateTableCommand(withoutGsi3));
    const indexes = async () =>
      (
        (await (await old!.admin()).send(new DescribeTableCommand({ TableName: old!.table }))).Table
          ?.GlobalSecondaryIndexes ?? []
      )
        .map((i) => i.IndexName)
        .sort();
    expect(await indexes()).toEqual(['gsi1', 'gsi2']);

    // A request filed before the upgrade (its item already carries gsi3 keys).
    const before = await fileNext(old);
    await expect(queueOf(old, 'it')).rejects.toThrow();

    expect(await ensureTable(old)).toBe('existed');
    expect(await indexes()).toEqual(['gsi1', 'gsi2', 'gsi3']);
    const status = async () =>
      (
        await (await old!.admin()).send(new DescribeTableCommand({ TableName: old!.table }))
      ).Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'gsi3')?.IndexStatus;
    await eventually(async () => expect(await status()).toBe('ACTIVE'), INDEX_CATCH_UP);

    const after = await fileNext(old);
    await eventually(async () => expect(ids(await queueOf(old!, 'it'))).toContain(after.id), INDEX_CATCH_UP);
    // Running it again changes nothing.
    expect(await ensureTable(old)).toBe('existed');
    expect(await indexes()).toEqual(['gsi1', 'gsi2', 'gsi3']);
    // The item written before the index existed is backfilled into it.
    await queueOnceItIs(old!, [before.id, after.id]);
  });
});
