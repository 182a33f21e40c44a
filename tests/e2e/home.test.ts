/**
 * The App Home end to end: signed `app_home_opened` events and Home button presses into the real
 * app, the published view read back from the fake Slack. It opens with what needs the person now,
 * each row with its buttons; heads see their departments; someone in no department is told who
 * can add them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequest } from '../../functions/store/requests';
import { allItems, testEndpoint } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  buttonClick,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  postSigned,
  slashCommand,
  stateOf,
  submitView,
  viewSubmission,
} from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_MEMBER = 'U0FINMEM1';
const STRANGER = 'U0NOBODY1';
const ADMIN = 'U0ADMIN01';
const IT_CHANNEL = 'C0ITQUEUE';

let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
let app: RunningSlackApp;
const clock = testClock();

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  ({ fake, db, http, url } = app);
  const io: CliIO = {
    out: () => {},
    err: () => {},
    readFile: (p) => readFile(p, 'utf8'),
    env: {
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.url,
      DYNAMODB_ENDPOINT: testEndpoint(),
      KEPT_TABLE: db.table,
    },
  };
  expect(await kept(['import', EXAMPLE], io)).toBe(0);
});
afterAll(() => app.stop());

type Block = { type: string; text?: { text?: string }; elements?: Array<{ action_id?: string; value?: string }> };

/** Opens `user`'s App Home the way Slack does and returns the view Kept published. */
async function openHome(user: string): Promise<{ id?: string; blocks: Block[] }> {
  const res = await postSigned(url, eventEnvelope(appHomeOpened(user)), { contentType: JSON_TYPE });
  expect(res.status).toBe(200);
  await http.idle();
  const home = fake.homes.get(user) as { id?: string; blocks: Block[] } | undefined;
  expect(home).toBeDefined();
  return home!;
}

const textOf = (blocks: readonly Block[]) => blocks.map((b) => b.text?.text ?? '').join('\n');
const buttonsOf = (blocks: readonly Block[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).map((e) => `${e.action_id}:${e.value}`);

/** The blocks of the Home section whose heading starts with `heading`, up to the next divider. */
function sectionOf(blocks: readonly Block[], heading: string): Block[] {
  const start = blocks.findIndex((b) => b.text?.text?.startsWith(heading));
  if (start < 0) return [];
  const end = blocks.findIndex((b, i) => i > start && b.type === 'divider');
  return blocks.slice(start + 1, end < 0 ? undefined : end);
}

/** Files a request through `/sla new` and its modal; returns its ID. */
async function file(user: string, typed: Record<string, string | null>): Promise<string> {
  clock.advance(60_000);
  await postSigned(url, slashCommand({ text: 'new', user_id: user }));
  await http.idle();
  const view = fake.lastModal();
  const res = await postSigned(url, submitView(view, typed, user));
  await http.idle();
  expect(res.text).toBe('');
  const latest = (await allItems(db))
    .filter((i) => i.sk === 'REQ')
    .sort((a, b) => Number(b.createdAt) - Number(a.createdAt))[0];
  return String(latest!.id);
}

let clickNo = 0;
/** A press on a card button in IT's channel (it has a response_url). */
async function clickOnCard(actionId: string, value: string, user: string): Promise<void> {
  const payload = buttonClick({ action_id: actionId, value }, user, fake.responseUrl(`card-${++clickNo}`), IT_CHANNEL);
  expect((await postSigned(url, interactivity(payload))).status).toBe(200);
  await http.idle();
}

/** A press on a button of `user`'s App Home: like Slack, no response_url, the view as container. */
async function clickOnHome(actionId: string, value: string, user: string): Promise<void> {
  const home = fake.homes.get(user) as Record<string, unknown>;
  const payload = buttonClick({ action_id: actionId, value }, user, '', undefined, { view: home });
  delete payload.response_url;
  expect((await postSigned(url, interactivity(payload))).status).toBe(200);
  await http.idle();
}

describe('the App Home', () => {
  let slow = '';
  let urgent = '';

  it('shows a member the requests assigned to them, soonest due first, each with its buttons', async () => {
    slow = await file(FIN_MEMBER, { priority: 'P2', title: 'New monitor', description: '' });
    urgent = await file(FIN_MEMBER, { priority: 'P1', title: 'Laptop will not boot', description: '' });
    await clickOnCard(IDS.requestAction.assignMe, slow, IT_MEMBER);
    await clickOnCard(IDS.requestAction.assignMe, urgent, IT_MEMBER);

    const home = await openHome(IT_MEMBER);
    // The first thing on it: the New request button.
    expect(buttonsOf(home.blocks.slice(0, 2))).toEqual([`${IDS.homeNewRequest}:new`]);
    const assigned = sectionOf(home.blocks, '*Assigned to you*');
    const text = textOf(assigned);
    // The P1 filed later is due sooner than the P2, so it comes first.
    expect(text.indexOf('Laptop will not boot')).toBeGreaterThan(-1);
    expect(text.indexOf('Laptop will not boot')).toBeLessThan(text.indexOf('New monitor'));
    expect(buttonsOf(assigned)).toEqual([
      `${IDS.requestAction.acknowledge}:${urgent}`,
      `${IDS.requestAction.resolve}:${urgent}`,
      `${IDS.requestAction.acknowledge}:${slow}`,
      `${IDS.requestAction.resolve}:${slow}`,
    ]);
  });

  it('acts on a press on the Home and shows the row as it is now', async () => {
    await clickOnHome(IDS.requestAction.acknowledge, urgent, IT_MEMBER);
    expect((await getRequest(db, urgent))?.status).toBe('acknowledged');
    // Kept published the Home again: the row offers what is left to do.
    const assigned = sectionOf((fake.homes.get(IT_MEMBER) as { blocks: Block[] }).blocks, '*Assigned to you*');
    expect(buttonsOf(assigned)).toContain(`${IDS.requestAction.resolve}:${urgent}`);
    expect(buttonsOf(assigned)).not.toContain(`${IDS.requestAction.acknowledge}:${urgent}`);
  });

  it('tells a requester what waits on their answer, with the Answer button', async () => {
    await clickOnCard(IDS.requestAction.pause, slow, IT_MEMBER);
    const form = fake.lastModal();
    const asked = viewSubmission(
      form,
      stateOf(form as { blocks: unknown[] }, { [IDS.pauseQuestionBlock]: 'Which desk?' }),
      IT_MEMBER,
    );
    expect((await postSigned(url, interactivity(asked))).status).toBe(200);
    await http.idle();
    const home = await openHome(FIN_MEMBER);
    const waiting = sectionOf(home.blocks, '*Waiting on your answer*');
    expect(textOf(waiting)).toContain('New monitor');
    expect(buttonsOf(waiting)).toEqual([`${IDS.requestAction.answer}:${slow}`]);
  });

  it('shows a head their departments at a glance and the missed targets to recover', async () => {
    const missed = await file(FIN_MEMBER, { priority: 'P1', title: 'Printer on fire', description: '' });
    clock.advance(2 * 60 * 60_000); // past P1's 30 minutes to answer, in IT's working hours
    const home = await openHome(IT_HEAD);
    const text = textOf(home.blocks);
    expect(text).toContain('*Your departments this month*');
    expect(text).toMatch(/\*IT\* · /);
    const breaches = sectionOf(home.blocks, '*Missed targets to recover*');
    expect(textOf(breaches)).toContain('Printer on fire');
    expect(buttonsOf(breaches)).toContain(`${IDS.requestAction.assignMe}:${missed}`);
    // Someone who heads nothing sees no glance.
    expect(textOf((await openHome(IT_MEMBER)).blocks)).not.toContain('Your departments this month');
  });

  it('tells someone in no department who can add them, and offers nothing they cannot use', async () => {
    const home = await openHome(STRANGER);
    const text = textOf(home.blocks);
    expect(text).toContain("You're not in a department in Kept yet");
    expect(text).toContain(`<@${ADMIN}>`);
    expect(text).not.toContain('/sla new');
    expect(buttonsOf(home.blocks)).toEqual([]);
  });

  it("opens the same filing form from /sla help's New request button", async () => {
    const help = (await postSigned(url, slashCommand({ text: 'help', user_id: FIN_MEMBER }))).json() as {
      blocks: Array<{ type: string }>;
    };
    expect(buttonsOf(help.blocks)).toEqual([`${IDS.homeNewRequest}:new`]);
    const before = fake.modals().length;
    const click = buttonClick({ action_id: IDS.homeNewRequest, value: 'new' }, FIN_MEMBER, `${fake.url}response/help`);
    expect((await postSigned(url, interactivity(click))).status).toBe(200);
    await http.idle();
    expect(fake.modals().length).toBe(before + 1);
    expect(fake.lastModal().callback_id).toBe(IDS.newRequestModal);
  });

  it('opens the same filing form as /sla new from its New request button', async () => {
    await openHome(FIN_MEMBER);
    const before = fake.modals().length;
    await clickOnHome(IDS.homeNewRequest, 'new', FIN_MEMBER);
    expect(fake.modals().length).toBe(before + 1);
    const modal = fake.lastModal();
    expect(modal.callback_id).toBe(IDS.newRequestModal);
    expect(JSON.stringify(modal)).toContain('Laptops and accounts');
  });
});
