/**
 * Talking inside a request, the way Slack drives it: signed `message` events (real payload shapes)
 * into the real app behind the local front door. A reply in the card's thread reaches the
 * requester in the thread of Kept's DM about the request; their reply there reaches the card's
 * thread; nothing is relayed twice, nothing echoes, internal notes stay with the provider.
 */
import { randomUUID } from 'node:crypto';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { allItems, countCalls } from '../support/db';
import { BOT, type FakeSlack, type RecordedCall } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { eventEnvelope, JSON_TYPE, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_MEMBER = 'U0ITMEM01';
const FIN_MEMBER = 'U0FINMEM1';
const STRANGER = 'U0NOBODY1';
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
  return res.text ? String((res.json() as { text?: string; blocks?: unknown[] }).text ?? '') + res.text : '';
}

/** Files a request as `user` through the modal; its ID, card and the requester's DM thread. */
async function file(title: string, user = FIN_MEMBER) {
  clock.advance(60_000);
  await sla('new it', user);
  const view = fake.lastModal();
  const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: title };
  const res = await postSigned(app.url, submitView(view, typed, user));
  expect(res.status).toBe(200);
  await app.http.idle();
  const latest = (await allItems(db)).filter((i) => i.sk === 'REQ' && i.title === title).map((i) => String(i.id))[0]!;
  const record = (await getRequestRecord(db, latest))!;
  expect(record.card).toBeDefined();
  expect(record.dm).toBeDefined();
  return { id: latest, card: record.card!, dm: record.dm! };
}

let tsNo = 0;
const newTs = () => `1790000000.${String(++tsNo).padStart(6, '0')}`;

/** A person's message event as Slack sends it for a reply in a thread. */
function reply(
  channel: string,
  threadTs: string,
  user: string,
  text: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const ts = newTs();
  return {
    type: 'message',
    channel,
    user,
    text,
    ts,
    thread_ts: threadTs,
    parent_user_id: BOT.userId,
    team: BOT.teamId,
    client_msg_id: randomUUID(),
    event_ts: ts,
    channel_type: channel.startsWith('D') ? 'im' : 'channel',
    blocks: [{ type: 'rich_text', block_id: 'b1', elements: [] }],
    ...extra,
  };
}

async function deliver(event: Record<string, unknown>, eventId?: string, headers: Record<string, string> = {}) {
  const res = await postSigned(app.url, eventEnvelope(event, eventId), { contentType: JSON_TYPE, headers });
  expect(res.status).toBe(200);
  await app.http.idle();
}

const posts = (): RecordedCall[] => fake.callsTo('chat.postMessage');
const inThread = (ref: { channel: string; ts: string }) =>
  posts().filter((c) => c.args.channel === ref.channel && String(c.args.thread_ts) === ref.ts);
const dmsTo = (user: string) =>
  posts().filter((c) => String(c.args.channel) === `D${user.slice(1)}` || c.args.channel === user);

describe('talking inside a request', () => {
  it('relays both ways, once each, without echo, and an edit does not relay again', async () => {
    const { id, card, dm } = await file('Monitor flickers');
    fake.reset();

    // IT replies under the card: the requester gets it in the thread of Kept's DM, naming who and which side.
    const fromIt = reply(card.channel, card.ts, IT_MEMBER, 'Which port is it plugged into?');
    await deliver(fromIt, 'Ev0RELAY001');
    const relayed = inThread(dm);
    expect(relayed).toHaveLength(1);
    expect(String(relayed[0]!.args.text)).toContain(`<@${IT_MEMBER}> (IT): Which port is it plugged into?`);
    // Not posted again into the card's thread, where it already is.
    expect(inThread(card)).toHaveLength(0);

    // Slack retries the same event, and sends the same message under another event id: once.
    await deliver(fromIt, 'Ev0RELAY001', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await deliver(fromIt, 'Ev0RELAY002');
    expect(inThread(dm)).toHaveLength(1);

    // Kept's own relayed DM comes back as a message event: dropped.
    const echo = {
      type: 'message',
      subtype: 'bot_message',
      channel: dm.channel,
      user: BOT.userId,
      bot_id: BOT.botId,
      text: String(relayed[0]!.args.text),
      ts: newTs(),
      thread_ts: dm.ts,
      parent_user_id: BOT.userId,
      channel_type: 'im',
    };
    await deliver(echo);
    // An edit of IT's reply: no second relay.
    await deliver({
      type: 'message',
      subtype: 'message_changed',
      channel: card.channel,
      hidden: true,
      ts: newTs(),
      message: { ...fromIt, text: 'Which port? HDMI or DP?', edited: { user: IT_MEMBER, ts: newTs() } },
      previous_message: fromIt,
    });
    expect(inThread(dm)).toHaveLength(1);
    expect(inThread(card)).toHaveLength(0);

    // The requester answers in the DM thread: posted into the card's thread.
    await deliver(reply(dm.channel, dm.ts, FIN_MEMBER, 'HDMI, on the left & <b>bottom</b>'));
    const back = inThread(card);
    expect(back).toHaveLength(1);
    // Named, not mentioned: the requester is not notified about their own words.
    expect(String(back[0]!.args.text)).toContain(`*${FIN_MEMBER.toLowerCase()}* (requester)`);
    expect(String(back[0]!.args.text)).toContain('HDMI, on the left &amp; &lt;b&gt;bottom&lt;/b&gt;');
    expect(inThread(dm)).toHaveLength(1); // not echoed back to the requester

    // Both lines are in the history, with their side.
    const events = (await getRequestRecord(db, id))!.events.filter((e) => e.type === 'comment');
    expect(events.map((e) => [e.actor, e.side, e.note])).toEqual([
      [IT_MEMBER, 'provider', 'Which port is it plugged into?'],
      [FIN_MEMBER, 'requester', 'HDMI, on the left & <b>bottom</b>'],
    ]);
  });

  it('keeps internal notes from the requester: not in DMs, not in their /sla show', async () => {
    const { id, card, dm } = await file('Printer jams');
    fake.reset();
    await deliver(reply(card.channel, card.ts, IT_MEMBER, '(internal) vendor ticket 4411, slow as usual'));
    await deliver(reply(card.channel, card.ts, IT_MEMBER, ':lock: do not promise a date'));
    expect(await sla(`note ${id} spare drum ordered`, IT_MEMBER)).toContain('internal note');
    expect(inThread(dm)).toHaveLength(0);
    expect(dmsTo(FIN_MEMBER)).toHaveLength(0);

    const theirs = await sla(`show ${id}`, FIN_MEMBER);
    expect(theirs).not.toContain('vendor ticket');
    expect(theirs).not.toContain('promise a date');
    expect(theirs).not.toContain('spare drum');
    const ours = await sla(`show ${id}`, IT_MEMBER);
    expect(ours).toContain('vendor ticket 4411');
    expect(ours).toContain('internal note');
    expect(ours).toContain('spare drum ordered');

    // The requester cannot write an internal note; they are told how to write to IT.
    expect(await sla(`note ${id} secret`, FIN_MEMBER)).toContain(`/sla reply ${id}`);
  });

  it('a requester reply in the DM thread while IT waits on them starts the clock again', async () => {
    const { id, dm } = await file('Need a new badge');
    await sla(`pause ${id} which building?`, IT_MEMBER);
    expect((await getRequest(db, id))!.status).toBe('waiting_on_requester');
    clock.advance(30 * 60_000);
    await deliver(reply(dm.channel, dm.ts, FIN_MEMBER, 'Building B'));
    const request = (await getRequest(db, id))!;
    expect(request.status).toBe('acknowledged');
    expect(request.clocks.resolution.state).toBe('running');
  });

  it('links files shared in a thread by permalink, and keeps no content', async () => {
    const { id, card, dm } = await file('Screen shows stripes');
    fake.reset();
    const permalink = 'https://kept-test.slack.com/files/U0FINMEM1/F0SHOT001/stripes.png';
    await deliver(
      reply(dm.channel, dm.ts, FIN_MEMBER, '', {
        subtype: 'file_share',
        files: [{ id: 'F0SHOT001', name: 'stripes.png', title: 'stripes.png', permalink, url_private: 'x' }],
      }),
    );
    expect(String(inThread(card)[0]!.args.text)).toContain(permalink);
    const line = (await getRequestRecord(db, id))!.events.find((e) => e.type === 'comment')!;
    expect(line.files).toEqual([{ name: 'stripes.png', permalink }]);
  });

  it('someone with no part in the request is told privately, and nothing is written', async () => {
    const { card } = await file('Keyboard missing keys');
    const before = (await allItems(db)).length;
    fake.reset();
    await deliver(reply(card.channel, card.ts, STRANGER, 'I have a spare one!'));
    expect(fake.callsTo('chat.postEphemeral').map((c) => c.args.text)).toEqual([
      expect.stringMatching(/^Kept passes replies under IT-\d+ between IT and the person who filed it/),
    ]);
    expect(posts()).toHaveLength(0);
    expect((await allItems(db)).length).toBe(before);
  });

  it('a message outside a card or request-DM thread costs no DynamoDB call', async () => {
    const { card } = await file('Mouse double-clicks');
    const calls = countCalls(db);
    // A top-level message, a reply under someone else's message, a bot's reply under the card, a join.
    await deliver({ type: 'message', channel: IT_CHANNEL, user: IT_MEMBER, text: 'lunch?', ts: newTs() });
    const parent = newTs();
    await deliver(reply(IT_CHANNEL, parent, IT_MEMBER, 'me too', { parent_user_id: FIN_MEMBER }));
    await deliver(reply(card.channel, card.ts, IT_MEMBER, 'beep', { bot_id: 'B0OTHERBOT', subtype: 'bot_message' }));
    await deliver({
      type: 'message',
      subtype: 'channel_join',
      channel: IT_CHANNEL,
      user: STRANGER,
      text: 'joined',
      ts: newTs(),
    });
    expect(calls.count()).toBe(0);
  });
});

describe('/sla reply', () => {
  it('sends to the other side from anywhere', async () => {
    const { id, card, dm } = await file('Wifi drops');
    fake.reset();
    expect(await sla(`reply ${id} Try the 5 GHz network`, IT_MEMBER)).toContain(`Sent to <@${FIN_MEMBER}>`);
    expect(String(inThread(dm)[0]!.args.text)).toContain(`<@${IT_MEMBER}> (IT): Try the 5 GHz network`);
    expect(await sla(`reply ${id} Still drops`, FIN_MEMBER)).toContain('Posted in the thread of');
    expect(
      inThread(card)
        .map((c) => String(c.args.text))
        .join('\n'),
    ).toContain('Still drops');
  });

  it('answers bad input with one clear line and writes nothing', async () => {
    const { id } = await file('Bad input');
    const before = await allItems(db);
    expect(await sla('reply IT-99999 hello', IT_MEMBER)).toContain('There is no request IT-99999');
    expect(await sla(`reply ${id}`, IT_MEMBER)).toContain('Write what to send');
    expect(await sla('reply', IT_MEMBER)).toContain('Which request?');
    expect(await sla(`reply ${id} hello`, STRANGER)).toContain(`There is no request ${id} that you can see`);
    expect((await allItems(db)).length).toBe(before.length);
  });
});
