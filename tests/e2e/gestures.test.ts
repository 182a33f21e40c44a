/**
 * Assignment and emoji, the way people already work in Slack: assigning DMs the assignee (and the
 * person it was taken from); 🎫 on any message offers its reactor a prefilled filing form; 👀 and ✅
 * on a card assign and resolve it for the provider's members, and explain themselves to anyone
 * else. Signed events, clicks and form submissions into the real app; Slack is the fake.
 */
import { noSuchRequest } from '../../functions/domain/privacy';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { BOT, type FakeSlack, type RecordedCall } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  postSigned,
  slashCommand,
  submitView,
} from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBER_2 = 'U0ITMEM02';
const FIN_MEMBER = 'U0FINMEM1';
const STRANGER = 'U0NOBODY1';
const GENERAL = 'C0GENERAL01';
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
  const res = await postSigned(app.url, submitView(view, typed, user));
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

let tsNo = 0;
const newTs = () => `1790000500.${String(++tsNo).padStart(6, '0')}`;

/** A `reaction_added` event as Slack sends it, delivered signed; `eventId` repeats a delivery. */
async function react(
  emoji: string,
  user: string,
  item: { channel: string; ts: string; author?: string },
  eventId?: string,
  type: 'reaction_added' | 'reaction_removed' = 'reaction_added',
): Promise<void> {
  const event = {
    type,
    user,
    reaction: emoji,
    item_user: item.author ?? FIN_MEMBER,
    item: { type: 'message', channel: item.channel, ts: item.ts },
    event_ts: newTs(),
  };
  const res = await postSigned(app.url, eventEnvelope(event, eventId), { contentType: JSON_TYPE });
  expect(res.status).toBe(200);
  await app.http.idle();
}

const ephemeralsTo = (user: string) => fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === user);
const buttonsOf = (call: RecordedCall) =>
  ((call.args.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

/** The table without the event leases app.ts keeps for every event (Slack's bookkeeping, not a change). */
const ourItems = async () => (await allItems(db)).filter((i) => !String(i.pk).startsWith('DELIVERY#event:'));

/** DynamoDB calls by command name, from now on. */
function dbCalls(): { names: () => string[] } {
  const names: string[] = [];
  db.raw.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(String((context as { commandName?: string }).commandName));
      return next(args);
    },
    { step: 'initialize', name: `dbCalls${Math.random()}` },
  );
  return { names: () => [...names] };
}

describe('🎫 on a message', () => {
  it('offers the reactor a prefilled form, once; nothing is filed until they submit, then one request', async () => {
    fake.reset();
    const ts = newTs();
    fake.seedMessage({ channel: GENERAL, ts, user: IT_MEMBER, text: 'VPN drops every hour &amp; nobody knows why' });
    const requestsBefore = (await allItems(db)).filter((i) => i.sk === 'REQ').length;

    await react('ticket', FIN_MEMBER, { channel: GENERAL, ts, author: IT_MEMBER }, 'Ev0TICKET01');
    // Slack's retry of that event, and the person reacting again (a new event): still one offer.
    await react('ticket', FIN_MEMBER, { channel: GENERAL, ts, author: IT_MEMBER }, 'Ev0TICKET01');
    await react('ticket::skin-tone-2', FIN_MEMBER, { channel: GENERAL, ts, author: IT_MEMBER }, 'Ev0TICKET02');
    const offers = ephemeralsTo(FIN_MEMBER);
    expect(offers).toHaveLength(1);
    expect(offers[0]!.args.channel).toBe(GENERAL);
    expect(String(offers[0]!.args.text)).toContain('nothing is filed until you submit');
    const [offer] = buttonsOf(offers[0]!);
    expect(offer!.action_id).toBe(IDS.fileOffered);
    // No card, no request yet.
    expect(posts().filter((c) => c.args.channel === IT_CHANNEL)).toEqual([]);
    expect((await allItems(db)).filter((i) => i.sk === 'REQ')).toHaveLength(requestsBefore);

    // The button opens the new-request form with the message and a link to it.
    // Used, the offer gives way to a line saying so (only the reactor sees it).
    expect(
      await click(
        { action_id: offer!.action_id, value: offer!.value, block_id: 'request_file_offer' },
        FIN_MEMBER,
        GENERAL,
      ),
    ).toEqual([':ticket: You opened the form to file this message. Nothing is filed until you submit it.']);
    expect(fake.callsTo(`response/gesture-${clickNo}`)[0]!.args.replace_original).toBe(true);
    const view = fake.lastModal();
    expect(view.callback_id).toBe(IDS.newRequestModal);
    expect(JSON.stringify(view)).toContain('VPN drops every hour & nobody knows why');
    expect(JSON.stringify(view)).toContain(`https://kept-test.slack.com/archives/${GENERAL}/p${ts.replace('.', '')}`);
    const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: 'VPN drops hourly' };
    const submission = submitView(view, typed, FIN_MEMBER);
    for (const retry of [undefined, '1']) {
      const res = await postSigned(app.url, submission, { headers: retry ? { 'x-slack-retry-num': retry } : {} });
      expect(res.status).toBe(200);
      await app.http.idle();
    }
    const filed = (await allItems(db)).filter((i) => i.sk === 'REQ' && i.title === 'VPN drops hourly');
    expect(filed).toHaveLength(1);
    expect(filed[0]!.source).toEqual(expect.objectContaining({ channel: GENERAL, ts }));
    expect(filed[0]!.description).toBe('VPN drops every hour & nobody knows why');
    expect(posts().filter((c) => c.args.channel === IT_CHANNEL && c.args.thread_ts === undefined)).toHaveLength(1);
    // The message's own thread says it is tracked now, with a link to the request: once.
    const id = String(filed[0]!.id);
    expect(
      posts()
        .filter((c) => c.args.channel === GENERAL && String(c.args.thread_ts) === ts)
        .map((c) => String(c.args.text)),
    ).toEqual([
      expect.stringMatching(new RegExp(`^:ticket: Filed as <https://[^|]+\\|\\*${id}\\*> for IT: “VPN drops hourly”`)),
    ]);
  });

  it("on a reply in a thread, Kept's reply goes into that thread", async () => {
    fake.reset();
    const [parent, reply] = [newTs(), newTs()];
    fake.seedMessage({ channel: GENERAL, ts: parent, user: IT_MEMBER, text: 'Anyone else without Wi-Fi?' });
    fake.seedMessage({ channel: GENERAL, ts: reply, user: FIN_MEMBER, text: 'Same on floor 2', threadTs: parent });
    await react('ticket', FIN_MEMBER, { channel: GENERAL, ts: reply, author: FIN_MEMBER });
    const [offer] = buttonsOf(ephemeralsTo(FIN_MEMBER)[0]!);
    // Used, the offer gives way to a line saying so (only the reactor sees it).
    expect(
      await click(
        { action_id: offer!.action_id, value: offer!.value, block_id: 'request_file_offer' },
        FIN_MEMBER,
        GENERAL,
      ),
    ).toEqual([':ticket: You opened the form to file this message. Nothing is filed until you submit it.']);
    expect(fake.callsTo(`response/gesture-${clickNo}`)[0]!.args.replace_original).toBe(true);
    const view = fake.lastModal();
    const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: 'No Wi-Fi on floor 2' };
    const res = await postSigned(app.url, submitView(view, typed, FIN_MEMBER));
    expect(res.status).toBe(200);
    await app.http.idle();
    const under = (ts: string) => posts().filter((c) => c.args.channel === GENERAL && String(c.args.thread_ts) === ts);
    expect(under(reply)).toEqual([]);
    expect(under(parent).map((c) => String(c.args.text))).toEqual([expect.stringContaining('“No Wi-Fi on floor 2”')]);
  });

  it("someone in no department is told how to get added; Kept's own messages are not offered", async () => {
    fake.reset();
    const ts = newTs();
    fake.seedMessage({ channel: GENERAL, ts, user: IT_MEMBER, text: 'Printer is out of paper' });
    const before = (await allItems(db)).filter((i) => i.sk === 'REQ').length;
    await react('ticket', STRANGER, { channel: GENERAL, ts, author: IT_MEMBER });
    const told = ephemeralsTo(STRANGER);
    expect(told.map((c) => String(c.args.text))).toEqual([
      expect.stringContaining('You are not in any department in Kept yet'),
    ]);
    expect(buttonsOf(told[0]!)).toEqual([]);

    const { card } = await file('Card with a ticket on it');
    fake.reset();
    await react('ticket', IT_MEMBER, { channel: card.channel, ts: card.ts, author: BOT.userId });
    const own = ephemeralsTo(IT_MEMBER);
    expect(own.map((c) => String(c.args.text))).toEqual([expect.stringContaining("Kept's own messages")]);
    expect(buttonsOf(own[0]!)).toEqual([]);
    expect((await allItems(db)).filter((i) => i.sk === 'REQ').length).toBe(before + 1);
  });

  it('the offer reaches the reactor by DM where Slack refuses an ephemeral', async () => {
    fake.reset();
    const ts = newTs();
    fake.seedMessage({ channel: GENERAL, ts, user: IT_MEMBER, text: 'Projector flickers' });
    fake.failWith('chat.postEphemeral', 'channel_not_found');
    await react('ticket', FIN_MEMBER, { channel: GENERAL, ts, author: IT_MEMBER });
    const dm = posts().filter((c) => c.args.channel === FIN_MEMBER);
    expect(dm).toHaveLength(1);
    expect(buttonsOf(dm[0]!).map((b) => b.action_id)).toEqual([IDS.fileOffered]);
  });
});

describe('👀 and ✅ on a card', () => {
  it('👀 by a member of IT takes the request; by anyone else, a private line and no change', async () => {
    const { id, card } = await file('Docking station dead');
    fake.reset();
    const before = await ourItems();
    await react('eyes', FIN_MEMBER, { ...card, author: BOT.userId });
    expect(ephemeralsTo(FIN_MEMBER).map((c) => String(c.args.text))).toEqual([`Only people in IT can assign ${id}.`]);
    expect(ephemeralsTo(FIN_MEMBER)[0]!.args.channel).toBe(card.channel);
    expect(await ourItems()).toEqual(before);

    await react('eyes', IT_MEMBER, { ...card, author: BOT.userId }, 'Ev0EYES0001');
    await react('eyes', IT_MEMBER, { ...card, author: BOT.userId }, 'Ev0EYES0001');
    const request = (await getRequest(db, id))!;
    expect(request.assignee).toBe(IT_MEMBER);
    const assigns = (await getRequestRecord(db, id))!.events.filter((e) => e.type === 'assign');
    expect(assigns).toHaveLength(1);
    expect(ephemeralsTo(IT_MEMBER)).toEqual([]);
    // The card's thread says who took it, by name: nobody is mentioned about their own action.
    const line = posts().find(
      (c) => String(c.args.thread_ts) === card.ts && String(c.args.text).includes(`took ${id}`),
    );
    expect(line).toBeDefined();
    expect(String(line!.args.text)).toMatch(
      new RegExp(`^:bust_in_silhouette: \\*${IT_MEMBER.toLowerCase()}\\* took ${id}`),
    );
    expect(String(line!.args.text)).not.toContain(`<@${IT_MEMBER}>`);
  });

  it('✅ by a member offers the resolve form, which resolves it; by anyone else, a private line', async () => {
    const { id, card } = await file('Badge reader broken');
    fake.reset();
    await react('white_check_mark', STRANGER, { ...card, author: BOT.userId });
    expect(ephemeralsTo(STRANGER).map((c) => String(c.args.text))).toEqual([noSuchRequest(id)]);

    await react('white_check_mark', IT_MEMBER, { ...card, author: BOT.userId });
    const offer = ephemeralsTo(IT_MEMBER);
    expect(offer).toHaveLength(1);
    expect(String(offer[0]!.args.text)).toContain(`Resolve ${id}?`);
    expect((await getRequest(db, id))!.status).toBe('open'); // nothing happens before the form
    const [resolve] = buttonsOf(offer[0]!);
    expect(
      await click(
        { action_id: resolve!.action_id, value: resolve!.value, block_id: `request_resolve_offer:${id}` },
        IT_MEMBER,
        card.channel,
      ),
    ).toEqual([`:white_check_mark: You opened the form to resolve ${id}.`]);
    const view = fake.lastModal();
    expect(view.callback_id).toBe(IDS.resolveModal);
    const res = await postSigned(app.url, submitView(view, { [IDS.resolveNoteBlock]: 'New reader fitted' }, IT_MEMBER));
    expect(res.status).toBe(200);
    await app.http.idle();
    expect((await getRequest(db, id))!.status).toBe('resolved');
  });

  it('other emoji, and removing a gesture, cost no DynamoDB call; 👀 on a message that is not a card costs one read', async () => {
    const ts = newTs();
    const calls = dbCalls();
    await react('thumbsup', IT_MEMBER, { channel: GENERAL, ts });
    await react('eyes', IT_MEMBER, { channel: GENERAL, ts, author: IT_MEMBER }, undefined, 'reaction_removed');
    expect(calls.names()).toEqual([]);
    await react('eyes', STRANGER, { channel: GENERAL, ts }, 'Ev0EYESOFF1');
    const reads = calls.names().filter((n) => /^(Get|BatchGet|Query|Scan|TransactGet)/.test(n));
    expect(reads).toEqual(['GetItemCommand']);
    expect(
      fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === STRANGER && c.args.channel === GENERAL),
    ).toEqual([]);
  });
});
