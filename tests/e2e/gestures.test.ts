/**
 * Assignment and emoji, the way people already work in Slack: assigning DMs the assignee (and the
 * person it was taken from); 🎫 on any message offers its reactor a prefilled filing form; 👀 and ✅
 * on a card assign and resolve it for the provider's members, and explain themselves to anyone
 * else. Signed events, clicks and form submissions into the real app; Slack is the fake.
 */
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import type { FakeSlack, RecordedCall } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  interactivity,
  postSigned,
  slashCommand,
  stateOf,
  viewSubmission,
} from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBER_2 = 'U0ITMEM02';
const FIN_MEMBER = 'U0FINMEM1';
const IT_CHANNEL = 'C0ITQUEUE';

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
const clock = testClock();

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  return res.text;
}

/** Files a request as `user` through the modal; its ID and card. */
async function file(title: string, user = FIN_MEMBER) {
  clock.advance(60_000);
  await sla('new it', user);
  const view = fake.lastModal();
  const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: title };
  const res = await postSigned(
    app.url,
    interactivity(viewSubmission(view, stateOf(view as { blocks: unknown[] }, typed), user)),
  );
  expect(res.status).toBe(200);
  await app.http.idle();
  const id = (await allItems(db)).filter((i) => i.sk === 'REQ' && i.title === title).map((i) => String(i.id))[0]!;
  const record = (await getRequestRecord(db, id))!;
  expect(record.card).toBeDefined();
  return { id, card: record.card! };
}

let clickNo = 0;
/** A click by `user` on a message in `channel`; what Kept answered through the response_url. */
async function click(
  action: { action_id: string; value?: string; block_id?: string; selected_user?: string },
  user: string,
  channel = IT_CHANNEL,
) {
  const responseUrl = fake.responseUrl(`gesture-${++clickNo}`);
  const res = await postSigned(app.url, interactivity(buttonClick(action, user, responseUrl, channel)));
  expect(res.status).toBe(200);
  await app.http.idle();
  return fake.callsTo(`response/gesture-${clickNo}`).map((r) => String(r.args.text));
}

const assign = (id: string, by: string, to: string) =>
  click({ action_id: IDS.requestAction.assign, selected_user: to, block_id: `request_actions:${id}` }, by);

const posts = (): RecordedCall[] => fake.callsTo('chat.postMessage');
const dmsTo = (user: string) =>
  posts()
    .filter((c) => c.args.channel === user)
    .map((c) => String(c.args.text));

describe('assigning', () => {
  it('DMs the assignee the request, its time left and the card; reassigning tells both', async () => {
    const { id } = await file('Laptop will not boot');
    fake.reset();
    expect(await assign(id, IT_HEAD, IT_MEMBER)).toEqual([]);
    const first = dmsTo(IT_MEMBER);
    expect(first).toEqual([expect.stringContaining(`<@${IT_HEAD}> assigned ${id} to you`)]);
    expect(first[0]).toContain('Laptop will not boot');
    expect(first[0]).toMatch(/Response: .* of working time left/);
    const dm = posts().find((c) => c.args.channel === IT_MEMBER)!;
    expect(JSON.stringify(dm.args.blocks)).toContain('https://kept-test.slack.com/archives/');

    fake.reset();
    expect(await assign(id, IT_HEAD, IT_MEMBER_2)).toEqual([]);
    expect(dmsTo(IT_MEMBER_2)).toEqual([expect.stringContaining(`assigned ${id} to you`)]);
    expect(dmsTo(IT_MEMBER)).toEqual([expect.stringContaining(`moved to <@${IT_MEMBER_2}>`)]);

    // The worker bringing the card up to date again (the next change) tells nobody twice.
    fake.reset();
    expect(await click({ action_id: IDS.requestAction.acknowledge, value: id }, IT_MEMBER_2)).toEqual([]);
    expect(dmsTo(IT_MEMBER)).toEqual([]);
    expect(dmsTo(IT_MEMBER_2)).toEqual([]);
  });

  it('taking a request yourself sends you no DM', async () => {
    const { id } = await file('Mouse is sticky');
    fake.reset();
    expect(await click({ action_id: IDS.requestAction.assignMe, value: id }, IT_MEMBER)).toEqual([]);
    expect((await getRequest(db, id))!.assignee).toBe(IT_MEMBER);
    expect(dmsTo(IT_MEMBER)).toEqual([]);
  });
});
