/**
 * "Why this due time?" from outside: a signed `/sla explain ID` and the card's button into the
 * real app. The answer names the request, says how it was counted (IT's working hours, its zone,
 * the holidays it skips), lists the stretches (the weekend the clocks go back, Thanksgiving by
 * name) in the reader's time zone, and ends at the due instant the minute-by-minute reference
 * clock finds. Bad input gets one clear line and writes nothing.
 */
import { LogLevel } from '@slack/web-api';
import { findDepartment } from '../../functions/domain/directory';
import { performWork } from '../../functions/jobs/work';
import { fileFromSlack } from '../../functions/services/requests';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { localTime } from '../../functions/slack/views/format';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { OracleCalendar, oracleAdd } from '../support/oracle-clock';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1';
const IT_MEMBER = 'U0ITMEM01';
const IT_CHANNEL = 'C0ITQUEUE';
const HOUR_MINUTES = 60;

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Friday 30 October 2026, 16:00 in New York: the clocks go back on Sunday 1 November. */
const clock = testClock('2026-10-30T16:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

const slack = () =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });

/** `/sla <text>` by `user`: the ephemeral answer's text and its blocks' text, as one string. */
async function sla(text: string, user: string): Promise<{ type?: string; text: string; all: string }> {
  const res = await postSigned(url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await http.idle();
  const body = res.json() as { response_type?: string; text: string; blocks?: unknown };
  return { type: body.response_type, text: body.text, all: `${body.text}\n${JSON.stringify(body.blocks ?? [])}` };
}

async function file(title: string): Promise<string> {
  const filed = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title,
    description: '',
    delivery: `view:${title}`,
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id: filed.request.id });
  return filed.request.id;
}

/** IT's due instant for `hours` of working time from now, by the minute-by-minute reference clock. */
async function oracleDue(hours: number): Promise<number> {
  const it = findDepartment(await readDirectory(db), 'it')!;
  return oracleAdd(new OracleCalendar(it.calendar as never), clock.ms(), hours * HOUR_MINUTES);
}

it('explains both due times, stretch by stretch, in the reader’s time zone', async () => {
  const dst = await file('VPN drops on Fridays');

  await step('/sla explain: the weekend the clocks go back, ending at the reference due instant', async () => {
    // P2 resolution is 16h: 1h on Friday, the weekend, 8h on Monday, 7h on Tuesday (after the change to EST).
    const due = await oracleDue(16);
    expect(localTime(due, 'America/New_York')).toBe('Tue 3 Nov, 16:00 EST');
    const answer = await sla(`explain ${dst}`, FIN_MEMBER);
    expect(answer.type).toBe('ephemeral');
    expect(answer.text).toContain(`${dst} · VPN drops on Fridays`);
    expect(answer.text).toContain("IT's working hours (Mon–Fri 09:00-17:00, America/New_York");
    expect(answer.all).toContain('Fri 30 Oct, 17:00 EDT → Mon 2 Nov, 09:00 EST · skipped: the weekend');
    expect(answer.all).toContain(`16h counted → due ${localTime(due, 'America/New_York')}`);
    // The response target (2h): 1h on Friday and 1h on Monday.
    expect(answer.all).toContain(`2h counted → due ${localTime(await oracleDue(2), 'America/New_York')}`);
    expect(answer.all).toContain('16h of working time left now');
  });

  clock.set('2026-11-25T15:00');
  const thanksgiving = await file('Laptop for the new starter');

  await step('the card button answers the presser only, naming Thanksgiving, in their own zone', async () => {
    fake.setUser(FIN_MEMBER, { tz: 'Europe/Berlin' });
    const card = fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.channel === IT_CHANNEL && JSON.stringify(c.args.blocks).includes(`"${thanksgiving}"`));
    const blocks = JSON.stringify(card?.args.blocks);
    expect(blocks).toContain('Why this due time?');
    expect(blocks).toContain(IDS.requestAction.explain);

    const due = await oracleDue(16); // Wed 2h, Thursday off, Fri 8h, the weekend, Mon 6h
    const responseUrl = fake.responseUrl('explain-1');
    const res = await postSigned(
      url,
      interactivity(
        buttonClick({ action_id: IDS.requestAction.explain, value: thanksgiving }, FIN_MEMBER, responseUrl, IT_CHANNEL),
      ),
    );
    expect(res.status).toBe(200);
    await http.idle();
    const replies = fake.callsTo('response/explain-1');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.args;
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    const all = `${String(reply.text)}\n${JSON.stringify(reply.blocks)}`;
    expect(all).toContain(`${thanksgiving} · Laptop for the new starter`);
    expect(all).toContain('working hours');
    expect(all).toContain('skipped: holiday: Thanksgiving Day');
    expect(all).toContain('Wed 25 Nov, 23:00 CET → Fri 27 Nov, 15:00 CET');
    expect(all).toContain(`16h counted → due ${localTime(due, 'Europe/Berlin')}`);
    expect(localTime(due, 'Europe/Berlin')).toBe('Mon 30 Nov, 21:00 CET');
    expect(all).toContain('Europe/Berlin');
  });

  await step('bad input gets one clear line and writes nothing', async () => {
    const before = JSON.stringify(await allItems(db));
    const cases: [string, RegExp][] = [
      ['explain', /^Which request\? Write its ID, e\.g\. `\/sla explain IT-42`/],
      ['explain IT-999', /^There is no request IT-999 that you can see\./],
      ['explain laptop', /^"laptop" is not a request ID/],
    ];
    for (const [text, expected] of cases) {
      const answer = await sla(text, IT_MEMBER);
      expect(answer.text).toMatch(expected);
      expect(answer.text).not.toContain('\n');
    }
    expect(JSON.stringify(await allItems(db))).toBe(before);
  });
});
