/**
 * An at-risk warning reaches someone: filed through the modal, caught by the scan at 75 % of the
 * response target on a moved test clock. Nobody assigned: the line in the card's thread (shown in
 * the channel) mentions the provider's user group, or its members when it has none. Assigned: the
 * assignee hears by DM and the channel is not pinged. Once per target, however often the scan and
 * the worker run. Signed requests into the real app; the scan and the worker are run as the
 * schedule and the queue would run them.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { getRequestRecord, requestsOf } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import { importExample } from '../support/company';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

// examples/company.yaml: IT lists two members and no user group; People Operations has the user
// group S0HRTEAM1. IT: P1 answer in 30m (Mon-Fri 9-17 New York); People Operations: P1 answer in
// 15m (Mon-Fri 9-17:30 London); both at risk at 75 %.
const FIN_MEMBER = 'U0FINMEM1';
const SUP_MEMBER = 'U0SUPMEM1';
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBERS = ['U0ITMEM01', 'U0ITMEM02'];
const IT_CHANNEL = 'C0ITQUEUE';
const HR_CHANNEL = 'C0HRQUEUE';
const MINUTE = 60_000;

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Tuesday 10 November 2026, 10:00 in New York (15:00 in London): both departments at work. */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

async function fileRequest(user: string, dept: string, service: string, title: string): Promise<string> {
  const res = await postSigned(url, slashCommand({ text: `new ${dept}`, user_id: user }));
  expect(res.status).toBe(200);
  await http.idle();
  const view = fake.lastModal();
  const typed = {
    [IDS.requestServiceBlock]: service,
    [IDS.requestPriorityBlock]: 'P1',
    [IDS.requestTitleBlock]: title,
    [IDS.requestDescriptionBlock]: '',
  };
  const answer = await postSigned(url, submitView(view, typed, user));
  expect(answer.status).toBe(200);
  expect(answer.text).toBe('');
  await http.idle();
  const filed = (await requestsOf(db, user)).find((r) => r.title === title);
  expect(filed).toBeDefined();
  return filed!.id;
}

/** The worker as the queue runs it, on the test's clock. */
const workDeps = () => ({
  db,
  slack: createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR }),
  admins: [],
  now: clock.now,
});

/** One scan at the test clock's now, and the worker's items it handed over, run as the queue would. */
async function scanAndWork(): Promise<number> {
  const items: WorkItem[] = [];
  const scan = await runScan(
    { db, outbox: { send: async (item) => void items.push(item), idle: async () => {} } },
    clock.now(),
  );
  for (const item of items) await performWork(workDeps(), item);
  return scan.warnings;
}

/** Replies shown in a channel (reply_broadcast), as Slack accepted them. */
const broadcasts = (channel: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && c.args.reply_broadcast === true && c.outcome === 'ok');

it('an at-risk warning pings the people on duty when nobody is assigned, and only the assignee otherwise', async () => {
  let open = '';
  let taken = '';
  let hr = '';
  await step('files two requests to IT, one taken at once, and one to People Operations 11 minutes later', async () => {
    open = await fileRequest(FIN_MEMBER, 'it', 'it-for-finance', 'Payroll laptop dead');
    taken = await fileRequest(FIN_MEMBER, 'it', 'it-for-finance', 'VPN token expired');
    const res = await postSigned(
      url,
      interactivity(
        buttonClick({ action_id: IDS.requestAction.assignMe, value: taken }, IT_MEMBER, fake.responseUrl('take')),
      ),
    );
    expect(res.status).toBe(200);
    await http.idle();
    expect((await getRequestRecord(db, taken))?.request.assignee).toBe(IT_MEMBER);
    clock.advance(11 * MINUTE);
    hr = await fileRequest(SUP_MEMBER, 'people-ops', 'people-ops-for-support', 'Cover for the night shift');
    expect(await scanAndWork()).toBe(0); // nothing at risk yet
  });

  await step('23 minutes in: one warning per request, each to whoever should act on it', async () => {
    fake.reset();
    clock.advance(12 * MINUTE); // IT's two: 23 of 30 minutes used; People Operations': 12 of 15
    expect(await scanAndWork()).toBe(3);

    // Nobody took IT's first request: its card's thread says so in the channel, mentioning IT's members.
    const it = broadcasts(IT_CHANNEL);
    expect(it).toHaveLength(1);
    const itText = String(it[0]!.args.text);
    expect(itText).toContain(`${open}'s response target is at risk: 7m of working time left`);
    for (const member of IT_MEMBERS) expect(itText).toContain(`<@${member}>`);
    expect(itText).not.toContain(`<@${IT_HEAD}>`); // heads hear of breaches, not of every warning
    expect(itText).toContain('nobody has taken it yet');
    expect(it[0]!.args.thread_ts).toBe((await getRequestRecord(db, open))?.card?.ts);

    // People Operations has a user group: the group is mentioned, in its own channel.
    const people = broadcasts(HR_CHANNEL);
    expect(people).toHaveLength(1);
    const hrText = String(people[0]!.args.text);
    expect(hrText).toContain(`${hr}'s response target is at risk: 3m of working time left`);
    expect(hrText).toContain('<!subteam^S0HRTEAM1>');
    expect(people[0]!.args.thread_ts).toBe((await getRequestRecord(db, hr))?.card?.ts);

    // The request IT_MEMBER took: a DM to them, nothing in the channel.
    const toAssignee = fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === IT_MEMBER && String(c.args.text).includes(taken));
    expect(toAssignee).toHaveLength(1);
    expect(String(toAssignee[0]!.args.text)).toContain('at risk');
    expect(it.some((c) => String(c.args.text).includes(taken))).toBe(false);
  });

  await step('a later scan, and the same work again, ping nobody a second time', async () => {
    fake.reset();
    clock.advance(2 * MINUTE); // still before IT's due time (25 of 30 minutes)
    expect(await scanAndWork()).toBe(0);
    for (const id of [open, taken, hr]) await performWork(workDeps(), { type: 'request.changed', id });
    expect(broadcasts(IT_CHANNEL)).toHaveLength(0);
    expect(broadcasts(HR_CHANNEL)).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === IT_MEMBER)).toHaveLength(0);
  });
});
