/**
 * Data retention (KEPT_RETENTION_MONTHS), run by `kept digest` as the scheduled digest runs it: the
 * text of each request closed or cancelled at least that many months ago is removed, once, at the
 * first run after its time, and nothing else changes (report figures, the ledger, live and recent
 * requests). The job reads one marker partition per month, never the whole table.
 */
import { LogLevel } from '@slack/web-api';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { REMOVED } from '../../functions/domain/erase';
import { performWork } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { getRequest } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const FIN_MEMBER = 'U0FINMEM1';
let db: Db;
let fake: FakeSlack;
const ids: Record<string, string> = {};

/** The worker posts or updates the request's card, as it does after every change. */
async function announce(id: string): Promise<void> {
  const slack = createSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  await performWork({ db, slack, admins: [] }, { type: 'request.changed', id });
}

async function fileAndCancel(name: string, filed: string, cancelled?: string): Promise<void> {
  const r = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: `${name}: my home address is 4 Elm Street`,
    description: 'Personal details here.',
    delivery: `view:${name}`,
    now: new Date(filed),
  });
  if (r.outcome !== 'filed') throw new Error(r.outcome);
  ids[name] = r.request.id;
  await announce(r.request.id);
  if (cancelled) {
    const c = await act(db, {
      id: r.request.id,
      user: FIN_MEMBER,
      action: { type: 'cancel', note: 'Sorted it myself at 4 Elm Street.' },
      now: new Date(cancelled),
    });
    if (c.outcome !== 'done') throw new Error(JSON.stringify(c));
    await announce(r.request.id);
  }
}

beforeAll(async () => {
  db = await freshTable();
  fake = await FakeSlack.start();
  await importExample(db, new Date('2026-01-05T14:00:00Z'));
  await fileAndCancel('january', '2026-01-14T15:00:00Z', '2026-01-15T15:00:00Z');
  await fileAndCancel('march', '2026-03-09T15:00:00Z', '2026-03-10T15:00:00Z');
  await fileAndCancel('open', '2026-01-20T15:00:00Z');
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

async function digest(now: string, months = '12'): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async () => '',
    env: {
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.url,
      DYNAMODB_ENDPOINT: testEndpoint(),
      KEPT_TABLE: db.table,
      KEPT_RETENTION_MONTHS: months,
    },
  };
  expect(await kept(['digest', '--now', now], cli)).toBe(0);
  expect(err).toEqual([]);
  return out.join('\n');
}

const titles = async () =>
  Object.fromEntries(
    await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, (await getRequest(db, id))!.title])),
  );
const counted = async () => JSON.stringify((await allItems(db)).filter((i) => /^(STATS|LEDGER)#/.test(String(i.pk))));

it('removes the text of requests that ended at least 12 months ago, once, and nothing else', async () => {
  const figures = await counted();
  expect(await digest('2027-01-10T12:00:00Z')).not.toContain('Retention');
  expect((await titles()).january).toContain('4 Elm Street');

  const line = await digest('2027-01-16T12:00:00Z');
  expect(line).toContain(
    'Retention: the text of 1 request that ended before 2026-01-16 handed to the worker for removal.',
  );
  const january = (await getRequest(db, ids.january!))!;
  expect([january.title, january.description, january.status]).toEqual([REMOVED, REMOVED, 'cancelled']);
  expect((await titles()).march).toContain('4 Elm Street');
  expect((await titles()).open).toContain('4 Elm Street');

  expect(await digest('2027-01-17T12:00:00Z')).not.toContain('Retention');
  expect(await digest('2027-03-11T12:00:00Z')).toContain('Retention: the text of 1 request');
  expect((await titles()).march).toBe(REMOVED);
  expect((await titles()).open).toContain('4 Elm Street'); // never closed: kept
  // The worker drew the erased requests' cards again: no old title left on them in Slack.
  const cards = fake.callsTo('chat.update').filter((c) => String(c.args.text).includes(ids.march!));
  expect(cards.length).toBeGreaterThan(0);
  expect(JSON.stringify(cards.at(-1)!.args)).not.toContain('Elm Street');
  expect(await counted()).toBe(figures);
  const history = (await allItems(db)).filter((i) => String(i.sk).startsWith('EVENT#') && i.type === 'cancel');
  expect(history.map((e) => e.note)).toEqual([REMOVED, REMOVED]);
});

it('refuses a retention that is not a whole number of months, in one line', async () => {
  const err: string[] = [];
  const cli: CliIO = {
    out: () => {},
    err: (l) => err.push(l),
    readFile: async () => '',
    env: {
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_BOT_TOKEN: 'xoxb-t',
      DYNAMODB_ENDPOINT: testEndpoint(),
      KEPT_TABLE: db.table,
      KEPT_RETENTION_MONTHS: 'two years',
    },
  };
  expect(await kept(['digest'], cli)).toBe(2);
  expect(err.join('\n')).toContain('KEPT_RETENTION_MONTHS');
});
