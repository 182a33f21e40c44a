/**
 * Report files on DynamoDB Local against the fake Slack: requests filed and breached through the
 * real flows, then a `report.files` work item puts two charts and the CSV in the asker's DM in one
 * message (one files.completeUploadExternal with three files), once per key, again after a failed
 * upload, and not at all for a period without requests. Penalties only for heads and admins.
 */
import { LogLevel } from '@slack/web-api';
import type { SQSEvent } from 'aws-lambda';
import { runScan } from '../../functions/jobs/scan';
import { performWork, processWorkBatch } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { reportFilesClaim } from '../../functions/slack/report-files';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { isDelivered } from '../../functions/store/deliveries';
import type { WorkItem } from '../../functions/work/item';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { eventually } from '../support/eventually';
import { FakeQueue } from '../support/fake-queue';
import { FakeSlack, type RecordedCall } from '../support/fake-slack';

const { opsHead: HEAD_OPS, opsMember: OPS_MEMBER, salesHead: HEAD_SALES, salesMember: SALES_MEMBER } = OPS_FOR_SALES;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// Ops works around the clock in New York; Sales files to it. P1: answer in 30m, solve in 4h, 50 points a breach.
const COMPANY = opsForSales();

let fake: FakeSlack;
let db: Db;
let deps: Parameters<typeof processWorkBatch>[0];

beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importCompany(db, COMPANY, '2026-11-01T00:00:00Z');
  const slack = createSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  deps = { db, slack, admins: [], outbox: new FakeQueue(Date.now) };

  // November 2026 in New York: two requests miss both targets (Tue 10:00, Wed 15:00 local), one is solved in time.
  let n = 0;
  const file = async (at: string) => {
    const result = await fileFromSlack(db, {
      user: SALES_MEMBER,
      agreementId: 'ops-for-sales',
      priority: 'P1',
      title: `Demo ${++n}`,
      description: '',
      delivery: `view:R${n}`,
      now: new Date(at),
    });
    if (result.outcome !== 'filed') throw new Error(JSON.stringify(result));
    return result.request.id;
  };
  await file('2026-11-10T15:00:00Z');
  await file('2026-11-18T20:00:00Z');
  const met = await file('2026-11-24T14:00:00Z');
  const solved = await act(db, {
    id: met,
    user: OPS_MEMBER,
    action: { type: 'resolve', note: 'Set up' },
    now: new Date('2026-11-24T14:10:00Z'),
  });
  expect(solved.outcome).not.toBe('refused');
  await runScan({ db }, new Date('2026-11-25T12:00:00Z'));
}, 60_000);

afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

beforeEach(() => fake.reset());

const item = (key: string, user = HEAD_OPS, department = 'ops'): WorkItem => ({
  type: 'report.files',
  key,
  user,
  department,
  from: '2026-11-01',
  to: '2026-11-30',
});
const completions = () => fake.callsTo('files.completeUploadExternal');
const okCompletions = () => completions().filter((c) => c.outcome === 'ok');
const csvOf = (calls: RecordedCall[]) =>
  calls
    .map((c) => c.upload!)
    .find((u) => !u.head.subarray(0, 8).equals(PNG_MAGIC))!
    .content.toString('utf8');

it("puts the two charts and the CSV in the asker's DM in one message", async () => {
  const sqs = { Records: [{ messageId: 'm-1', body: JSON.stringify(item('report:T0001')) }] } as unknown as SQSEvent;
  expect(await processWorkBatch(deps, sqs)).toEqual({ batchItemFailures: [] });

  expect(fake.callsTo('conversations.open').map((c) => c.args.users)).toEqual([HEAD_OPS]);
  const announced = fake
    .callsTo('files.getUploadURLExternal')
    .map((c) => ({ filename: c.args.filename, length: c.args.length }));
  expect(announced.map((a) => a.filename).sort()).toEqual([
    'kept-ops-2026-11-01-to-2026-11-30-breaches.png',
    'kept-ops-2026-11-01-to-2026-11-30-trend.png',
    'kept-ops-2026-11-01-to-2026-11-30.csv',
  ]);

  // Each file went to its own upload URL, whole: the length announced is the length received.
  const uploads = fake.uploads();
  expect(uploads).toHaveLength(3);
  for (const u of uploads) {
    const id = u.method.slice('upload/'.length);
    expect(u.upload!.length).toBe(fake.files.get(id)!.length);
    expect(u.upload!.rawLength).toBeGreaterThan(u.upload!.length); // multipart framing around it
  }
  const byName = new Map(uploads.map((u) => [fake.files.get(u.method.slice('upload/'.length))!.filename, u.upload!]));
  expect(byName.get('kept-ops-2026-11-01-to-2026-11-30-trend.png')!.head.subarray(0, 8)).toEqual(PNG_MAGIC);
  expect(byName.get('kept-ops-2026-11-01-to-2026-11-30-breaches.png')!.head.subarray(0, 8)).toEqual(PNG_MAGIC);
  const csv = byName.get('kept-ops-2026-11-01-to-2026-11-30.csv')!.content.toString('utf8');
  expect(csv.startsWith('Summary\r\ndepartment,name,from,to,requests,met,breached,')).toBe(true);
  expect(csv).toContain('ops,Operations,2026-11-01,2026-11-30,3,1,2,');
  expect(csv).toContain('Penalties\r\nunit,charged,waived,owed\r\npoints,200,0,200\r\n'); // a head sees them

  // One message with all three files, in the DM conversations.open gave.
  expect(completions()).toHaveLength(1);
  const done = completions()[0]!.args;
  expect(done.channel_id).toBe(`D${HEAD_OPS}`);
  expect((done.files as { id: string }[]).map((f) => f.id).sort()).toEqual([...fake.files.keys()].sort());
  expect(done.initial_comment).toMatch(/^Report files for \*Operations\*, November 2026 \(2026-11-01 to 2026-11-30\)/);
  expect(done.initial_comment).not.toMatch(/Penalties are left out/);
  expect(await isDelivered(db, reportFilesClaim('report:T0001'))).toBe(true);
});

it('sends a key once: the same item again uploads nothing more', async () => {
  await performWork(deps, item('report:T0002'));
  expect(okCompletions()).toHaveLength(1);
  const calls = fake.calls.length;
  await performWork(deps, item('report:T0002'));
  await performWork(deps, item('report:T0002'));
  expect(fake.calls.length).toBe(calls);
  expect(okCompletions()).toHaveLength(1);
});

it('gives the key back when Slack refuses the upload, so the retry uploads once', async () => {
  fake.failWith('files.completeUploadExternal', 'internal_error');
  await expect(performWork(deps, item('report:T0003'))).rejects.toThrow('internal_error');
  expect(completions().map((c) => c.outcome)).toEqual(['error']);
  expect(await isDelivered(db, reportFilesClaim('report:T0003'))).toBe(false);

  await performWork(deps, item('report:T0003'));
  await performWork(deps, item('report:T0003')); // a late duplicate of the retry
  expect(completions().map((c) => c.outcome)).toEqual(['error', 'ok']);
  expect(fake.uploads()).toHaveLength(6); // three for the refused message, three for the sent one
  expect(await isDelivered(db, reportFilesClaim('report:T0003'))).toBe(true);
});

it('gives the key back when an upload URL keeps failing, too', async () => {
  fake.httpError('upload', 500, 9); // three files, each tried three times by the client (two retries)
  await expect(performWork(deps, item('report:T0004'))).rejects.toThrow('statusCode = 500');
  // The first file to run out of tries fails the call; the others' retries still land afterwards.
  await eventually(() => expect(fake.uploads()).toHaveLength(9), { timeoutMs: 10_000 });
  expect(fake.uploads().map((u) => u.outcome)).toEqual(Array(9).fill('http_error'));
  expect(completions()).toHaveLength(0);
  await performWork(deps, item('report:T0004'));
  expect(okCompletions()).toHaveLength(1);
});

it('leaves penalties and breaches per assignee out of the CSV for anyone but the heads and Kept admins', async () => {
  await performWork(deps, item('report:T0005', SALES_MEMBER));
  expect(fake.callsTo('conversations.open').map((c) => c.args.users)).toEqual([SALES_MEMBER]);
  const memberCsv = csvOf(fake.uploads());
  expect(memberCsv).not.toContain('Penalties'); // the section is left out, not zeroed
  expect(memberCsv).not.toContain('penalty_total');
  expect(memberCsv).not.toContain('points');
  expect(memberCsv).not.toContain('By assignee');
  expect(completions()[0]!.args.initial_comment).toMatch(
    /Penalties and breaches per person are left out: they are for the department's heads and Kept admins\./,
  );

  fake.reset();
  await performWork({ ...deps, admins: [SALES_MEMBER] }, item('report:T0006', SALES_MEMBER));
  expect(csvOf(fake.uploads())).toContain('points,200,0,200');
  expect(csvOf(fake.uploads())).toContain('By assignee');
});

it('uploads nothing for a period in which nobody filed a request', async () => {
  await performWork(deps, item('report:T0007', HEAD_SALES, 'sales'));
  await performWork(deps, {
    ...(item('report:T0008') as Extract<WorkItem, { type: 'report.files' }>),
    from: '2026-10-01',
    to: '2026-10-31',
  });
  expect(fake.calls).toEqual([]);
});

it('refuses a malformed item without calling Slack', async () => {
  const bad = { ...item('report:T0009'), from: '1 November' };
  const sqs = { Records: [{ messageId: 'm-bad', body: JSON.stringify(bad) }] } as unknown as SQSEvent;
  expect(await processWorkBatch(deps, sqs)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-bad' }] });
  expect(fake.calls).toEqual([]);
});
