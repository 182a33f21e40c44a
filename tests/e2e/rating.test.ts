/**
 * The satisfaction loop, from Slack's side: the one-click rating closes 7 days after the resolve
 * (a late click is answered kindly and writes nothing; the DM says the rating closed), it is asked
 * again after a reopen with both ratings counted in the reports, and a score of 2 or less reaches
 * each of the provider's heads once, with the comment when it comes. Signed requests into the real
 * app; the scan and the worker are run as the schedule and the queue would run them.
 */
import { LogLevel } from '@slack/web-api';
import { DAY_MS } from '../../functions/domain/duration';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord, requestsOf } from '../../functions/store/requests';
import { readBetter, readDays } from '../../functions/store/stats';
import type { WorkItem } from '../../functions/work/item';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { conversationOf, type FakeSlack, type PostedMessage } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

// examples/company.yaml: IT (head U0ITHEAD1) serves Finance.
const FIN_MEMBER = 'U0FINMEM1';
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const HOUR = 3_600_000;

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Tuesday 10 November 2026, 10:00 in New York. */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await http.idle();
  return res.text;
}

async function fileRequest(title: string): Promise<string> {
  clock.advance(60_000);
  await sla('new it', FIN_MEMBER);
  const view = fake.lastModal();
  const typed = {
    [IDS.requestServiceBlock]: 'it-for-finance',
    [IDS.requestPriorityBlock]: 'P2',
    [IDS.requestTitleBlock]: title,
    [IDS.requestDescriptionBlock]: '',
  };
  const answer = await postSigned(url, submitView(view, typed, FIN_MEMBER));
  expect(answer.status).toBe(200);
  await http.idle();
  const filed = (await requestsOf(db, FIN_MEMBER)).find((r) => r.title === title);
  expect(filed).toBeDefined();
  return filed!.id;
}

/** Resolves as IT's member; returns the requester's "resolved" DM it brought. */
async function resolve(id: string, note: string): Promise<PostedMessage> {
  clock.advance(60_000);
  await sla(`resolve ${id} ${note}`, IT_MEMBER);
  expect((await getRequest(db, id))?.status).toBe('resolved');
  return ratingDm(FIN_MEMBER, note);
}

/** Kept's latest top-level DM to `user` holding `marker`, as it reads now. */
function ratingDm(user: string, marker: string): PostedMessage {
  const found = fake.posted
    .filter((m) => m.channel === user && !m.threadTs && JSON.stringify(m.blocks ?? []).includes(marker))
    .at(-1);
  expect(found).toBeDefined();
  return found!;
}

const nowReads = (ts: string) => JSON.stringify(fake.posted.find((m) => m.ts === ts)?.blocks ?? []);
const buttonsOf = (ts: string) =>
  [...nowReads(ts).matchAll(/"action_id":"([a-z_0-9]+)"/g)].map((m) => m[1]).filter((a) => a !== undefined);
const topDmsTo = (user: string) => fake.posted.filter((m) => m.channel === user && !m.threadTs);

let clickNo = 0;
/** A click on a button of a DM Kept sent; returns the ephemeral replies it got. */
async function clickOn(message: PostedMessage, actionId: string, value: string, user: string): Promise<string[]> {
  const responseUrl = fake.responseUrl(`rating-click-${++clickNo}`);
  const payload = buttonClick({ action_id: actionId, value }, user, responseUrl, conversationOf(message.channel), {
    message: { ts: message.ts, blocks: (message.blocks ?? []) as unknown[] },
  });
  const res = await postSigned(url, interactivity(payload));
  expect(res.status).toBe(200);
  await http.idle();
  return fake.callsTo(`response/rating-click-${clickNo}`).map((r) => String(r.args.text));
}

const rate = (dm: PostedMessage, id: string, score: number) =>
  clickOn(dm, `${IDS.requestAction.rate}_${score}`, JSON.stringify({ id, score }), FIN_MEMBER);

/** "Add a comment" under the rating, then the form submitted with `text`. */
async function comment(dm: PostedMessage, id: string, text: string): Promise<void> {
  await clickOn(dm, IDS.requestAction.comment, id, FIN_MEMBER);
  const modal = fake.lastModal();
  expect(modal.callback_id).toBe(IDS.rateModal);
  const res = await postSigned(url, submitView(modal, { [IDS.rateBetterBlock]: text }, FIN_MEMBER));
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  await http.idle();
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
  return scan.closed;
}

/** IT's satisfaction counters on a filing day: how many ratings, their sum. */
async function csat(day: string): Promise<{ n: number; sum: number }> {
  const { days } = await readDays(db, 'it', day, day);
  const c = days[0]?.counters ?? {};
  return { n: c['csat|n'] ?? 0, sum: c['csat|sum'] ?? 0 };
}

/** The head's DMs about a low score of `id`. */
const lowScoreDms = (id: string) =>
  topDmsTo(IT_HEAD).filter((m) => String(m.text).includes(`rated ${id} (`) && String(m.text).includes('/5'));

describe('the rating closes 7 days after the resolve', () => {
  it('a score after 7 days is refused kindly, writes nothing, and the DM says the rating closed', async () => {
    const id = await fileRequest('Monitor flickers');
    const dm = await resolve(id, 'Swapped the cable');
    expect(buttonsOf(dm.ts)).toContain(`${IDS.requestAction.rate}_4`);

    clock.advance(7 * DAY_MS);
    const before = await allItems(db);
    const said = await rate(dm, id, 4);
    expect(said).toEqual([expect.stringContaining(`Its rating closed 7 days after it was resolved`)]);
    expect(said[0]).toContain('Thank you for coming back');
    expect(await allItems(db)).toEqual(before);
    expect((await getRequest(db, id))?.rating).toBeUndefined();

    // The DM no longer offers the score; it says the rating closed.
    expect(buttonsOf(dm.ts)).not.toContain(`${IDS.requestAction.rate}_4`);
    expect(nowReads(dm.ts)).toContain('Rating closed');
  });

  it('the scan closing it at the end of the window takes the rating buttons off the DM', async () => {
    const id = await fileRequest('Dock does not charge');
    const dm = await resolve(id, 'New power brick');
    clock.advance(7 * DAY_MS - HOUR);
    await scanAndWork();
    expect((await getRequest(db, id))?.status).toBe('resolved');
    expect(buttonsOf(dm.ts)).toContain(`${IDS.requestAction.rate}_3`);

    clock.advance(HOUR);
    expect(await scanAndWork()).toBeGreaterThanOrEqual(1);
    expect((await getRequest(db, id))?.status).toBe('closed');
    expect(buttonsOf(dm.ts)).toEqual([]);
    expect(nowReads(dm.ts)).toContain('Rating closed');
    expect(nowReads(dm.ts)).toContain('closed itself');
  });

  it('closed early by the requester, it can still be rated until the 7 days are over', async () => {
    const id = await fileRequest('Keyboard sticky');
    const dm = await resolve(id, 'Replaced the keyboard');
    clock.advance(DAY_MS);
    expect(await clickOn(dm, IDS.requestAction.close, id, FIN_MEMBER)).toEqual([]);
    expect((await getRequest(db, id))?.status).toBe('closed');
    expect(buttonsOf(dm.ts)).toContain(`${IDS.requestAction.rate}_5`);

    clock.advance(6 * DAY_MS - HOUR);
    expect(await rate(dm, id, 5)).toEqual([]);
    expect((await getRequest(db, id))?.rating).toMatchObject({ score: 5, by: FIN_MEMBER });
  });
});

describe('asked again after a reopen', () => {
  it('the next resolve asks with a fresh DM; both ratings and both comments count', async () => {
    const id = await fileRequest('Shared drive missing');
    const day = (await getRequest(db, id))!.filed.day;
    const counted = await csat(day);
    const first = await resolve(id, 'Mapped the drive again');
    expect(await rate(first, id, 4)).toEqual([]);
    await comment(first, id, 'Quick, thanks');

    clock.advance(HOUR);
    await sla(`reopen ${id} It is gone again after the restart`, FIN_MEMBER);
    const reopened = (await getRequest(db, id))!;
    expect(reopened.status).toBe('reopened');
    expect(reopened.rating).toBeUndefined();
    expect(reopened.earlierRatings).toEqual([expect.objectContaining({ score: 4, better: 'Quick, thanks' })]);

    const second = await resolve(id, 'Mapped it for every login');
    expect(second.ts).not.toBe(first.ts);
    expect(buttonsOf(second.ts)).toContain(`${IDS.requestAction.rate}_5`);
    expect(await rate(second, id, 5)).toEqual([]);
    await comment(second, id, 'Fixed for good this time');

    const rated = (await getRequest(db, id))!;
    expect(rated.rating).toMatchObject({ score: 5, better: 'Fixed for good this time' });
    expect(rated.earlierRatings).toHaveLength(1);
    // Both ratings in the report's counters, once each; both comments among the answers.
    expect(await csat(day)).toEqual({ n: counted.n + 2, sum: counted.sum + 9 });
    const { answers } = await readBetter(db, 'it', day, day);
    expect(
      answers
        .filter((a) => a.id === id)
        .map((a) => a.text)
        .sort(),
    ).toEqual(['Fixed for good this time', 'Quick, thanks']);
  });
});

describe('a low score reaches the provider’s heads', () => {
  it('a 2 DMs each head once, even when the work comes twice; the comment after it shows in that DM', async () => {
    const id = await fileRequest('Email bounces');
    const dm = await resolve(id, 'Fixed the forwarding rule');
    expect(await rate(dm, id, 2)).toEqual([]);

    // The same work delivered again (a queue redelivery): nothing more is sent.
    await performWork(workDeps(), { type: 'request.changed', id });
    await performWork(workDeps(), { type: 'request.changed', id });
    const alerts = lowScoreDms(id);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    const reads = nowReads(alert.ts);
    expect(reads).toContain(`<@${FIN_MEMBER}> rated ${id}`);
    expect(reads).toContain('2/5');
    expect(reads).toContain(`resolved by <@${IT_MEMBER}>`);
    expect(reads).toContain('No comment yet');
    expect(reads).toMatch(/ask <@U0FINMEM1> what went wrong/);
    // The button opens the card (a link to it).
    const record = (await getRequestRecord(db, id))!;
    expect(reads).toContain(`"url":"https://kept-test.slack.com/archives/${record.card!.channel}/p`);
    expect(buttonsOf(alert.ts)).toEqual([IDS.requestAction.open]);
    // Pressing it is answered (Slack opens the link).
    expect(await clickOn(alert, IDS.requestAction.open, id, IT_HEAD)).toEqual([]);

    await step('the comment given afterwards updates the heads’ DM, with no second DM', async () => {
      clock.advance(HOUR);
      await comment(dm, id, 'Took three tries and nobody told me');
      await performWork(workDeps(), { type: 'request.changed', id });
      expect(lowScoreDms(id)).toHaveLength(1);
      expect(nowReads(alert.ts)).toContain('Took three tries and nobody told me');
      expect(nowReads(alert.ts)).not.toContain('No comment yet');
    });
  });

  it('a 3 DMs no head', async () => {
    const id = await fileRequest('Phone will not pair');
    const dm = await resolve(id, 'Reset the pairing');
    const before = topDmsTo(IT_HEAD).length;
    expect(await rate(dm, id, 3)).toEqual([]);
    await performWork(workDeps(), { type: 'request.changed', id });
    expect(topDmsTo(IT_HEAD)).toHaveLength(before);
    expect(lowScoreDms(id)).toEqual([]);
  });
});
