/**
 * Fault drills with DynamoDB Local really stopped and started again (its own process, its data
 * on disk, the same port), in the middle of filing through the Lambda front door and in the middle
 * of a scan. Each request is filed completely or clearly refused, never half-written; a refused
 * form submitted again after the restart is filed once; the next scan catches up and records each
 * breach once, at its true due instant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { runScan } from '../../functions/jobs/scan';
import { type DynamoLocal, startDynamoLocal } from '../../functions/local/dynamodb-local';
import { fileFromSlack } from '../../functions/services/requests';
import { FORM_NOT_SAVED } from '../../functions/slack/app';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { FILING_BUSY } from '../../functions/slack/listeners/requests-filing';
import { newRequestModal } from '../../functions/slack/views/request-modals';
import { createDb, type Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { readLedger } from '../../functions/store/ledger';
import { getRequestRecord } from '../../functions/store/requests';
import { ensureTable } from '../../functions/store/table';
import type { Outbox } from '../../functions/work/outbox';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { testConfig } from '../support/config';
import { allItems } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { FORM, httpApiEvent, interactivity, signature, stateOf, viewSubmission } from '../support/slack-requests';

const context = { awsRequestId: 'req-drill', functionName: 'kept-slack' } as Context;
const { salesMember: SALES_MEMBER } = OPS_FOR_SALES;

let dataDir: string;
let dynamo: DynamoLocal;
let fake: FakeSlack;

/** DynamoDB Local on its data directory and port, as it was before it stopped. */
const restart = async () => {
  dynamo = await startDynamoLocal({ dataDir, port: dynamo.port });
};

async function freshCompany(table: string): Promise<Db> {
  const db = createDb({ table, endpoint: dynamo.endpoint });
  await ensureTable(db);
  await importCompany(db, opsForSales(), '2026-11-01T00:00:00Z');
  return db;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'kept-drill-'));
  dynamo = await startDynamoLocal({ dataDir });
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await dynamo.stop();
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every request in the table with what filing writes together: its history's first line, its delivery claim, its check. */
async function requestsAsStored(db: Db) {
  const items = await allItems(db);
  return items
    .filter((i) => String(i.pk).startsWith('REQ#') && i.sk === 'REQ')
    .map((r) => ({
      title: String(r.title),
      firstLine: items.some((i) => i.pk === r.pk && String(i.sk).startsWith('EVENT#')),
      checked: typeof r.gsi1pk === 'string',
    }));
}

it('DynamoDB stopped in the middle of filing: each form is filed whole or told it was not saved; after the restart, Submit again files each once', async () => {
  const db = await freshCompany('kept-drill-filing');
  const agreement = (await readDirectory(db)).agreements.find((a) => a.id === 'ops-for-sales')!.active!;
  const view = newRequestModal({ choices: [{ agreement, providerName: 'Operations' }], metadata: '{}' });
  const handler = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: dynamo.endpoint }),
    () => ({ send: async () => {}, idle: async () => {} }) satisfies Outbox,
  );
  const form = (n: number) =>
    interactivity(
      viewSubmission(
        view as unknown as Record<string, unknown>,
        stateOf(view as unknown as { blocks: unknown[] }, {
          [IDS.requestPriorityBlock]: 'P1',
          [IDS.requestTitleBlock]: `Drill ${n}`,
        }),
        SALES_MEMBER,
        `VDRILL${String(n).padStart(4, '0')}`,
      ),
    );
  const submit = async (n: number) => {
    const body = form(n);
    const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), context);
    if (res.statusCode !== 200) return { n, outcome: `HTTP ${res.statusCode}` };
    if (!res.body) return { n, outcome: 'filed' };
    const errors = Object.values((JSON.parse(res.body) as { errors?: Record<string, string> }).errors ?? {});
    return {
      n,
      outcome: errors.length === 1 && [FORM_NOT_SAVED, FILING_BUSY].includes(errors[0]!) ? 'refused' : res.body,
    };
  };

  // Six people submit; as soon as the first is answered DynamoDB stops, with the others in flight;
  // six more submit while it is down.
  const first = [1, 2, 3, 4, 5, 6].map(submit);
  await Promise.race(first);
  await dynamo.stop();
  const whileDown = await Promise.all([7, 8, 9, 10, 11, 12].map(submit));
  const answers = [...(await Promise.all(first)), ...whileDown];
  await restart();

  // Every person got a clear answer: filed, or told on the form that nothing was saved.
  expect(answers.filter((a) => a.outcome !== 'filed' && a.outcome !== 'refused')).toEqual([]);
  expect(whileDown.every((a) => a.outcome === 'refused')).toBe(true);
  const filed = answers.filter((a) => a.outcome === 'filed').map((a) => `Drill ${a.n}`);
  expect(filed.length).toBeGreaterThanOrEqual(1);
  // Nothing half-written: each request in the table has its first history line and its check.
  const stored = await requestsAsStored(db);
  expect(stored.filter((r) => !r.firstLine || !r.checked)).toEqual([]);
  expect(stored.map((r) => r.title)).toEqual(expect.arrayContaining(filed));

  // The people told "not saved" press Submit again on the same forms: each is filed, once.
  const again = await Promise.all(answers.filter((a) => a.outcome === 'refused').map((a) => submit(a.n)));
  expect(again.map((a) => a.outcome)).toEqual(again.map(() => 'filed'));
  const after = await requestsAsStored(db);
  expect(after.map((r) => r.title).sort()).toEqual(
    Array.from({ length: 12 }, (_, i) => `Drill ${i + 1}`).sort((a, b) => a.localeCompare(b)),
  );
  expect(after.every((r) => r.firstLine && r.checked)).toBe(true);
});

it('DynamoDB stopped in the middle of a scan: the next scan catches up, each breach once at its true due instant', async () => {
  const db = await freshCompany('kept-drill-scan');
  const ids: string[] = [];
  for (let n = 1; n <= 8; n++) {
    const result = await fileFromSlack(db, {
      user: SALES_MEMBER,
      agreementId: 'ops-for-sales',
      priority: 'P1',
      title: `Outage ${n}`,
      description: '',
      delivery: `view:SCAN${n}`,
      now: new Date('2026-11-10T15:00:00Z'),
    });
    if (result.outcome !== 'filed') throw new Error(result.outcome);
    ids.push(result.request.id);
  }

  // The scan's 20th DynamoDB call finds DynamoDB stopped (its requests are checked one by one).
  const scanning = createDb({ table: db.table, endpoint: dynamo.endpoint });
  let calls = 0;
  scanning.raw.middlewareStack.add(
    (next) => async (args) => {
      if (++calls === 20) await dynamo.stop();
      return next(args);
    },
    { step: 'initialize', name: 'stopDynamoMidScan' },
  );
  const interrupted = await runScan({ db: scanning }, new Date('2026-11-10T19:01:00Z'));
  expect(interrupted.breaches).toBeGreaterThan(0);
  expect(interrupted.breaches).toBeLessThan(16);
  await restart();

  // A breach written just as DynamoDB stopped may not have been counted by the run that wrote it;
  // the table is what counts: every breach once.
  await runScan({ db }, new Date('2026-11-10T19:02:00Z'));
  expect((await runScan({ db }, new Date('2026-11-10T19:03:00Z'))).breaches).toBe(0);
  for (const id of ids) {
    const record = (await getRequestRecord(db, id))!;
    expect(record.request.breaches?.response?.dueAt).toBe(Date.parse('2026-11-10T15:30:00Z'));
    expect(record.request.breaches?.resolution?.dueAt).toBe(Date.parse('2026-11-10T19:00:00Z'));
    expect(record.events.filter((e) => e.type === 'breach')).toHaveLength(2);
  }
  const ledger = await readLedger(db, 'ops-for-sales', '2026-11');
  expect(ledger).toHaveLength(16);
  expect(new Set(ledger.map((e) => `${e.request}/${e.kind}`)).size).toBe(16);
});
