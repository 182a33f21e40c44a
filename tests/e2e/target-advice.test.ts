/**
 * Target advice while agreeing, through signed Slack requests into the real app: a head opens
 * `/sla propose` on an agreement and sees how its current targets did last quarter; the proposal
 * DMs (to the other side's heads and to the proposer) say how often the proposed targets would
 * have been met, from the provider's day counters.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { kept } from '../../bin/cli/main';
import { PutCommand } from '../../functions/store/commands';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand, submitView } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
const IT_HEAD = 'U0ITHEAD1';
const FIN_HEAD = 'U0FINHEAD';

// Thursday 4 March 2027, 10:00 in New York (IT's zone): the last quarter began on 3 December 2026.
const clock = testClock('2027-03-04T10:00');
let app: RunningSlackApp;

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: 'U0ADMIN01' }, { now: clock.now });
  app.fake.setUsergroup('S0HRTEAM1', ['U0HRMEM01']);
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: app.fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: app.db.table,
  };
  const err: string[] = [];
  const io = { out: () => {}, err: (l: string) => err.push(l), readFile: (p: string) => readFile(p, 'utf8'), env };
  expect(await kept(['import', EXAMPLE], io)).toBe(0);
  expect(err).toEqual([]);
  // IT's day counters for it-for-finance at P2: 20 answers (12 within 1h, 8 within 3h) and 20
  // solutions (15 within 16h, 5 within 32h); a day before the quarter that must not count.
  const day = (sk: string, counters: Record<string, number>) =>
    app.db.doc.send(
      new PutCommand({ TableName: app.db.table, Item: { pk: 'STATS#it', sk: `DAY#${sk}`, ...counters } }),
    );
  await day('2027-01-10', { 'resp|it-for-finance|P2|60': 12, 'resp|it-for-finance|P2|180': 8 });
  await day('2027-02-20', { 'reso|it-for-finance|P2|960': 15, 'reso|it-for-finance|P2|1920': 5 });
  await day('2026-12-02', { 'resp|it-for-finance|P2|5': 100 });
});
afterAll(() => app.stop());

it("a head changing targets sees how the current ones did, and both sides' DMs say how often the new ones would have been met", async () => {
  const { fake, http, url } = app;
  const res = await postSigned(url, slashCommand({ text: 'propose it-for-finance', user_id: IT_HEAD }));
  expect(res.status).toBe(200);
  await http.idle();
  const view = fake.lastModal();
  const form = JSON.stringify(view);
  expect(form).toContain("*How the current targets did*, from this agreement's own requests over the last quarter:");
  expect(form).toContain(
    'P2 first response: median ≤ 1h, p90 ≤ 3h (20 answered); 2h would have been met 60 % of the time.',
  );
  expect(form).toContain(
    'P2 resolution: median ≤ 16h, p90 ≤ 32h (20 solved); 16h would have been met 75 % of the time.',
  );
  expect(form).toContain(
    'P1 first response: no requests answered last quarter, so there is nothing to go on for 30m yet.',
  );

  fake.reset();
  const typed = { 'targets.P2.response': '1h', 'targets.P2.resolution': '20h' };
  const submitted = await postSigned(url, submitView(view, typed, IT_HEAD));
  expect(submitted.status).toBe(200);
  expect(submitted.text).toBe('');
  await http.idle();
  const dm = (user: string) =>
    JSON.stringify(fake.callsTo('chat.postMessage').find((c) => c.args.channel === user)?.args.blocks ?? []);
  for (const user of [FIN_HEAD, IT_HEAD]) {
    const shown = dm(user);
    expect(shown).toContain(
      "*What the last quarter says about these targets*, from this agreement's own requests over the last quarter:",
    );
    expect(shown).toContain(
      'P2 first response: median ≤ 1h, p90 ≤ 3h (20 answered); 1h would have been met 60 % of the time.',
    );
    expect(shown).toContain(
      'P2 resolution: median ≤ 16h, p90 ≤ 32h (20 solved); 20h would have been met 75 % of the time.',
    );
  }
});
