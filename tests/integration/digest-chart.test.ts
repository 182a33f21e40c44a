/**
 * The digest's chart against DynamoDB Local and the fake Slack: a digest posted with enough data
 * (2+ of the last 8 weeks with a compliance figure) hands a `digest.chart` item to the outbox; the
 * worker uploads one PNG into the digest's thread, once per key, again after a failed upload; with
 * too little data no item is sent.
 */

import { LogLevel } from '@slack/web-api';
import { type DigestDeps, digestSlackClient, runDigest } from '../../functions/jobs/digest';
import type { DigestSources } from '../../functions/jobs/digest-content';
import { performWork } from '../../functions/jobs/work';
import { digestChartClaim } from '../../functions/slack/digest-chart';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { PutCommand } from '../../functions/store/commands';
import { isDelivered } from '../../functions/store/deliveries';
import { daySk, statsPk } from '../../functions/store/stats';
import { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importExample } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

/** Monday 30 November 2026, 09:30 in New York: ISO week 2026-W49; the chart shows W41..W48. */
const MONDAY = new Date('2026-11-30T14:30:00Z');
const WEEK = '2026-W49';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const sources: DigestSources = {
  tipsForWeek: async () => undefined,
  kudosOfWeek: async () => ({ byDepartment: {}, messages: [] }),
};

let fake: FakeSlack;
let db: Db;
let sent: WorkItem[];

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  sent = [];
  db = await freshTable();
  await importExample(db, new Date('2026-11-01T00:00:00Z')); // C0GENERAL: Mondays 09:00 New York
});
afterEach(() => dropTable(db));

const outbox: Outbox = {
  send: async (item) => {
    sent.push(WorkItem.parse(item));
  },
  idle: async () => {},
};

function digestDeps(): DigestDeps {
  return {
    db,
    outbox,
    sources,
    slack: digestSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR }),
  };
}
const workDeps = () => ({
  db,
  slack: createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR }),
  admins: [],
});

/** A day's counters, as request writes leave them. */
async function day(department: string, date: string, counters: Record<string, number>): Promise<void> {
  await db.doc.send(
    new PutCommand({ TableName: db.table, Item: { pk: statsPk(department), sk: daySk(date), ...counters } }),
  );
}

const completions = () => fake.callsTo('files.completeUploadExternal');

async function withEnoughData(): Promise<void> {
  await day('it', '2026-10-13', { filed: 3, met: 2, breached: 1 }); // W42
  await day('finance', '2026-11-04', { filed: 2, met: 2 }); // W45
  await day('it', '2026-11-24', { filed: 1, breached: 1 }); // W48
  await day('it', '2026-09-01', { filed: 5, met: 5 }); // before the 8 weeks: not counted
}

it("enough data: the digest sends one chart item, and the worker uploads one PNG into the digest's thread", async () => {
  await withEnoughData();
  expect(await runDigest(digestDeps(), MONDAY)).toMatchObject({ posted: 1 });
  const ts = fake.posted[0]!.ts;
  expect(sent).toEqual([
    {
      type: 'digest.chart',
      key: `digest-chart:C0GENERAL:${WEEK}`,
      channel: 'C0GENERAL',
      threadTs: ts,
      week: WEEK,
      departments: expect.arrayContaining(['it', 'finance', 'people-ops']),
    },
  ]);

  await performWork(workDeps(), sent[0]!);
  expect(completions()).toHaveLength(1);
  const done = completions()[0]!.args;
  expect(done.channel_id).toBe('C0GENERAL');
  expect(done.thread_ts).toBe(ts);
  expect(done.initial_comment).toBe('Compliance over the last 8 weeks');
  const uploads = fake.uploads();
  expect(uploads).toHaveLength(1);
  expect(uploads[0]!.upload!.head.subarray(0, 8)).toEqual(PNG_MAGIC);
  const file = fake.files.get(uploads[0]!.method.slice('upload/'.length))!;
  expect(file.filename).toBe(`kept-digest-${WEEK}-compliance.png`);

  // The same item again (a redelivery, a recovered digest) uploads nothing more.
  const calls = fake.calls.length;
  await performWork(workDeps(), sent[0]!);
  await performWork(workDeps(), sent[0]!);
  expect(fake.calls.length).toBe(calls);
  expect(completions()).toHaveLength(1);

  // A second digest run finds the week done and sends no item.
  expect(await runDigest(digestDeps(), new Date(MONDAY.getTime() + 15 * 60_000))).toMatchObject({
    posted: 0,
    already: 1,
  });
  expect(sent).toHaveLength(1);
});

it('not enough data: the digest is posted and no chart item is sent', async () => {
  await day('it', '2026-11-24', { filed: 4, met: 3, breached: 1 }); // one week with a figure
  await day('finance', '2026-11-17', { filed: 2, live: 2 }); // filed, nothing decided yet: no figure
  await day('it', '2026-09-01', { filed: 5, met: 5 }); // outside the 8 weeks
  expect(await runDigest(digestDeps(), MONDAY)).toMatchObject({ posted: 1 });
  expect(fake.posted).toHaveLength(1);
  expect(sent).toEqual([]);
  expect(completions()).toHaveLength(0);
});

it('a failed upload gives the key back, so the retry uploads once', async () => {
  await withEnoughData();
  await runDigest(digestDeps(), MONDAY);
  const item = sent[0] as Extract<WorkItem, { type: 'digest.chart' }>;
  fake.failWith('files.completeUploadExternal', 'internal_error');
  await expect(performWork(workDeps(), item)).rejects.toThrow('internal_error');
  expect(await isDelivered(db, digestChartClaim(item.key))).toBe(false);

  await performWork(workDeps(), item);
  await performWork(workDeps(), item); // a late duplicate of the retry
  expect(completions().map((c) => c.outcome)).toEqual(['error', 'ok']);
  expect(completions()[1]!.args.thread_ts).toBe(fake.posted[0]!.ts);
  expect(await isDelivered(db, digestChartClaim(item.key))).toBe(true);
});
