/**
 * `kept erase --user`, from the command line against DynamoDB Local: one person's text becomes
 * "(removed)" everywhere they wrote it (the request they filed, their replies, their rating's
 * comment, their kudos message) and nobody else's does; the report and the ledger are unchanged;
 * a second run finds nothing; bad input gets one line and writes nothing.
 */
import { LogLevel } from '@slack/web-api';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { REMOVED } from '../../functions/domain/erase';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { giveKudos } from '../../functions/slack/listeners/kudos';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { allItems, dropTable, freshTable, testEndpoint } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const IT_MEMBER = 'U0ITMEM01';
const at = (iso: string) => new Date(iso);

let db: Db;
let fake: FakeSlack;
let mine = '';
let theirs = '';

beforeAll(async () => {
  db = await freshTable();
  fake = await FakeSlack.start();
  await importExample(db, at('2026-11-02T14:00:00Z'));
  const file = async (user: string, title: string, description: string, delivery: string) => {
    const filed = await fileFromSlack(db, {
      user,
      agreementId: 'it-for-finance',
      priority: 'P1',
      title,
      description,
      delivery,
      now: at('2026-11-02T14:00:00Z'),
    });
    if (filed.outcome !== 'filed') throw new Error(filed.outcome);
    return filed.request.id;
  };
  mine = await file(FIN_MEMBER, 'My payslip shows the wrong address', 'It is 4 Elm Street, not 14.', 'view:e1');
  theirs = await file(FIN_HEAD, 'Projector in room 2', 'It flickers.', 'view:e2');
  const step = async (id: string, user: string, action: Parameters<typeof act>[1]['action'], iso: string) => {
    const r = await act(db, { id, user, action, now: at(iso) });
    if (r.outcome !== 'done') throw new Error(JSON.stringify(r));
  };
  await step(mine, FIN_MEMBER, { type: 'comment', note: 'My new flat is on the 3rd floor.' }, '2026-11-02T14:05:00Z');
  await step(mine, IT_MEMBER, { type: 'comment', note: 'Which floor is it on?' }, '2026-11-02T14:06:00Z');
  await runScan({ db }, at('2026-11-03T16:00:00Z')); // both P1s missed: breaches and ledger entries
  await step(
    mine,
    IT_MEMBER,
    {
      type: 'resolve',
      note: 'Address fixed in payroll.',
      cause: { category: 'staffing', text: 'Two of us were out.' },
    },
    '2026-11-03T16:10:00Z',
  );
  await step(mine, FIN_MEMBER, { type: 'rate', score: 2, better: 'Tell me when it is stuck.' }, '2026-11-03T16:20:00Z');
  const config = testConfig({ slackApiUrl: fake.url, table: db.table, endpoint: testEndpoint() });
  const slack = createSlackClient(config, { logLevel: LogLevel.ERROR });
  const given = await giveKudos({ config, db, now: () => at('2026-11-03T16:30:00Z') }, slack, {
    giver: FIN_MEMBER,
    recipients: [IT_MEMBER],
    message: 'Thanks for sorting my address so kindly',
    values: [],
    source: 'command',
    delivery: 'command:erase-kudos',
  });
  expect(given.outcome).toBe('given');
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async () => '',
    env: { DYNAMODB_ENDPOINT: testEndpoint(), KEPT_TABLE: db.table, ...env },
  };
  return { cli, out, err };
}

const reportJson = async () => {
  const { cli, out } = io();
  expect(
    await kept(['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'], cli),
  ).toBe(0);
  return out.join('\n');
};
const ledger = async () => JSON.stringify((await allItems(db)).filter((i) => String(i.pk).startsWith('LEDGER#')));

it("removes one person's text wherever they wrote it, and nothing that is counted", async () => {
  const [report, entries] = [await reportJson(), await ledger()];
  const { cli, out, err } = io();
  expect(await kept(['erase', '--user', FIN_MEMBER], cli)).toBe(0);
  expect(err).toEqual([]);
  expect(out[0]).toBe(
    `Removed ${FIN_MEMBER}'s text: 1 request title and description, 2 history notes and replies, 1 rating comment, 1 kudos message. Counts, breaches, ratings and the penalty ledger are unchanged.`,
  );
  expect(out[1]).toContain(`Requests changed: ${mine}.`);

  const m = (await getRequestRecord(db, mine))!;
  expect([m.request.title, m.request.description, m.request.rating?.better]).toEqual([REMOVED, REMOVED, REMOVED]);
  expect(m.request.rating?.score).toBe(2);
  // The resolver's words are theirs, not the requester's: they stay.
  expect(m.request.resolutionNote).toBe('Address fixed in payroll.');
  expect(m.request.breaches?.response?.amount).toBeGreaterThan(0);
  expect(m.events.find((e) => e.actor === FIN_MEMBER && e.type === 'comment')?.note).toBe(REMOVED);
  expect(m.events.find((e) => e.actor === IT_MEMBER && e.type === 'comment')?.note).toBe('Which floor is it on?');
  expect((await getRequestRecord(db, theirs))!.request.title).toBe('Projector in room 2');
  const kudos = (await allItems(db)).filter((i) => String(i.sk).startsWith('KUDOS#') && i.giver === FIN_MEMBER);
  expect(kudos.map((k) => k.message)).toEqual([REMOVED]);
  const betters = (await allItems(db)).filter((i) => String(i.sk).startsWith('BETTER#'));
  expect(betters.map((b) => b.text)).toEqual([REMOVED]);

  expect(await reportJson()).toBe(report.replace('Tell me when it is stuck.', REMOVED));
  expect(await ledger()).toBe(entries);
});

it('run again, it finds nothing left and changes nothing', async () => {
  const before = JSON.stringify(await allItems(db));
  const { cli, out } = io();
  expect(await kept(['erase', '--user', FIN_MEMBER], cli)).toBe(0);
  expect(out).toEqual([`Nothing of ${FIN_MEMBER}'s text was left to remove.`]);
  expect(JSON.stringify(await allItems(db))).toBe(before);
});

it.each([
  [['erase'], 'kept erase: --user is required; usage: kept erase --user U0123ABCD'],
  [
    ['erase', '--user', 'alice'],
    'kept erase: --user "alice" is not a Slack user ID like U0123ABCD; usage: kept erase --user U0123ABCD',
  ],
  [
    ['erase', '--user', FIN_MEMBER, '--all'],
    expect.stringMatching(/^kept erase: Unknown option '--all'.*usage: kept erase --user U0123ABCD$/),
  ],
])('bad input %j gets one line and exit code 2', async (argv, line) => {
  const before = JSON.stringify(await allItems(db));
  const { cli, out, err } = io();
  expect(await kept(argv, cli)).toBe(2);
  expect(err).toEqual([line]);
  expect(out).toEqual([]);
  expect(JSON.stringify(await allItems(db))).toBe(before);
});
