/**
 * Kudos end to end, the way Slack drives Kept: signed `/kudos` commands, the "Give kudos" message
 * shortcut and its modal, `reaction_added` / `reaction_removed` events (re-delivered with the same
 * and with a new event_id), and the App Home; the clock is the test's, the users' time zones and
 * bots are the fake Slack's.
 */
import { DateTime } from 'luxon';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { givenOn, kudosOfWeek } from '../../functions/store/kudos';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { BOT, type FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  messageShortcut,
  postSigned,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests';
import { step } from '../support/step';

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const IT_MEMBER = 'U0ITMEM01';
const FIN_MEMBER = 'U0FINMEM1';
const WORKFLOW_BOT = 'U0WORKBOT1';
const TOKYO = 'U0TOKYO001';
const GIVER = 'U0GIVER001';

let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
let app: RunningSlackApp;
let clock = DateTime.fromISO('2026-11-24T10:00', { zone: 'America/New_York' });

beforeAll(async () => {
  app = await startSlackApp({}, { now: () => clock.toJSDate() });
  ({ fake, db, http, url } = app);
  await importExample(db);
  fake.setUser(WORKFLOW_BOT, { is_bot: true });
  fake.setUser(TOKYO, { tz: 'Asia/Tokyo' });
});
afterAll(() => app.stop());

/** `/kudos` typed in the giver's DM with Kept: the answer is theirs alone. */
async function kudos(text: string, user = ALICE, trigger?: string): Promise<string> {
  const res = await postSigned(
    url,
    slashCommand({
      command: '/kudos',
      text,
      user_id: user,
      channel_id: `D${user.slice(1)}`,
      channel_name: 'directmessage',
      ...(trigger ? { trigger_id: trigger } : {}),
    }),
  );
  expect(res.status).toBe(200);
  await http.idle();
  const body = res.json() as { response_type: string; text: string };
  expect(body.response_type).toBe('ephemeral');
  return body.text;
}

const dmsTo = (user: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

async function event(e: Record<string, unknown>, eventId?: string): Promise<void> {
  const res = await postSigned(url, eventEnvelope(e, eventId), { contentType: JSON_TYPE });
  expect(res.status).toBe(200);
  await http.idle();
}

const reaction = (
  type: 'reaction_added' | 'reaction_removed',
  user: string,
  itemUser: string,
  ts: string,
  emoji = 'kudos',
) => ({
  type,
  user,
  reaction: emoji,
  item_user: itemUser,
  item: { type: 'message', channel: 'C0GENERAL01', ts },
  event_ts: `${clock.toMillis() / 1000}`,
});

describe('/kudos', () => {
  it('thanks several people at once, says how many are left today, and DMs each recipient once', async () => {
    const reply = await kudos(`<@${BOB}|bob> <@${IT_MEMBER}|ana> fixed the projector before the demo #ownership`);
    expect(reply).toBe(`Thanked <@${BOB}> and <@${IT_MEMBER}>. You have 3 kudos left today.`);
    for (const user of [BOB, IT_MEMBER]) {
      const dms = dmsTo(user);
      expect(dms).toHaveLength(1);
      expect(JSON.stringify(dms[0]!.args.blocks)).toContain('fixed the projector before the demo');
      expect(JSON.stringify(dms[0]!.args.blocks)).toContain('#ownership');
    }
  });

  it('in a channel, thanks the recipient where everyone sees it, and tells only the giver what is left', async () => {
    const res = await postSigned(
      url,
      slashCommand({
        command: '/kudos',
        text: `<@${BOB}|bob> kept the release calm #care`,
        user_id: GIVER,
        channel_id: 'C0GENERAL01',
        response_url: fake.responseUrl('kudos-in-channel'),
      }),
    );
    await http.idle();
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe('in_channel');
    expect(body.text).toBe(`:tada: <@${GIVER}> thanked <@${BOB}>: “kept the release calm” (#care)`);
    expect(body.text).not.toMatch(/left today/);
    const privately = fake.callsTo('response/kudos-in-channel');
    expect(privately).toHaveLength(1);
    expect(privately[0]!.args.response_type).toBe('ephemeral');
    expect(String(privately[0]!.args.text)).toMatch(/^Thanked <@U0BOB00001>\. You have 4 kudos left today\.$/);
  });

  it('refuses kudos to yourself, to a bot and to Kept, and an empty message, each with a clear reply', async () => {
    const before = (await allItems(db)).length;
    expect(await kudos(`<@${ALICE}|alice> I am great`)).toBe(
      'Kudos are for thanking someone else: you cannot give them to yourself.',
    );
    expect(await kudos(`<@${WORKFLOW_BOT}|standup> thanks for the reminder`)).toBe(
      `<@${WORKFLOW_BOT}> is a bot; kudos are for people.`,
    );
    expect(await kudos(`<@${BOT.userId}|kept> you are the best`)).toBe(
      `<@${BOT.userId}> is a bot; kudos are for people.`,
    );
    expect(await kudos(`<@${BOB}|bob>`)).toMatch(/^Say what you are thanking them for/);
    expect(await kudos('thanks everyone')).toMatch(/^Who are you thanking\?/);
    expect((await allItems(db)).length).toBe(before);
  });

  it('a re-delivered command (same trigger_id) counts once', async () => {
    expect(await kudos(`<@${BOB}> thanks again`, FIN_MEMBER, 'trigger-repeat')).toMatch(
      /^Thanked <@U0BOB00001>\. You have 4 kudos left today\.$/,
    );
    expect(await kudos(`<@${BOB}> thanks again`, FIN_MEMBER, 'trigger-repeat')).toBe(
      'Already done: Slack sent that twice.',
    );
    expect(await givenOn(db, FIN_MEMBER, '2026-11-24')).toBe(1);
  });

  it("the daily quota counts in the giver's own time zone: full at 23:50 in Tokyo, free again after midnight there", async () => {
    clock = DateTime.fromISO('2026-11-25T23:50', { zone: 'Asia/Tokyo' });
    expect(await kudos(`<@${BOB}> <@${IT_MEMBER}> <@${FIN_MEMBER}> one`, TOKYO)).toMatch(
      /You have 2 kudos left today\.$/,
    );
    expect(await kudos(`<@${BOB}> <@${IT_MEMBER}> two`, TOKYO)).toMatch(/You have 0 kudos left today\.$/);
    expect(await kudos(`<@${BOB}> three`, TOKYO)).toMatch(/^You have given your 5 kudos for today/);
    clock = DateTime.fromISO('2026-11-26T00:10', { zone: 'Asia/Tokyo' }); // still the 25th in New York and UTC
    expect(await kudos(`<@${BOB}> four`, TOKYO)).toBe(`Thanked <@${BOB}>. You have 4 kudos left today.`);
  });

  it('two /kudos at the same moment with one left: exactly one is accepted', async () => {
    const giver = 'U0RACER001';
    clock = DateTime.fromISO('2026-11-26T10:00', { zone: 'America/New_York' });
    expect(await kudos(`<@${BOB}> <@${IT_MEMBER}> <@${FIN_MEMBER}> <@U0SUPMEM1> first`, giver)).toMatch(
      /You have 1 kudos left today\.$/,
    );
    // Both to the same person, so which one wins changes no one's totals.
    const answers = await Promise.all([kudos(`<@${BOB}> a`, giver), kudos(`<@${BOB}> b`, giver)]);
    expect(answers.filter((a) => a.startsWith('Thanked'))).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('You have given your 5 kudos'))).toHaveLength(1);
    expect(await givenOn(db, giver, '2026-11-26')).toBe(5);
  });
});

describe('the Give kudos message shortcut', () => {
  it("opens a modal with the message's author picked; sending thanks them once and shows what is left", async () => {
    clock = DateTime.fromISO('2026-11-27T10:00', { zone: 'America/New_York' });
    const res = await postSigned(
      url,
      interactivity(
        messageShortcut(IDS.giveKudosShortcut, fake.responseUrl('kudos-shortcut'), 'Deployed the fix at 2am'),
      ),
    );
    expect(res.status).toBe(200);
    await http.idle();
    const view = fake.lastModal();
    expect(view.callback_id).toBe(IDS.kudosModal);
    expect(JSON.stringify(view)).toContain(`"initial_users":["${BOB}"]`);
    expect(JSON.stringify(view)).toContain('https://slack.com/archives/C0GENERAL01/p1780000000000100');

    const values = {
      [IDS.kudosRecipientsBlock]: { [IDS.value]: { type: 'multi_users_select', selected_users: [BOB] } },
      [IDS.kudosMessageBlock]: { [IDS.value]: { type: 'plain_text_input', value: 'stayed up for the deploy' } },
      [IDS.kudosRequestBlock]: { [IDS.value]: { type: 'plain_text_input', value: null } },
      [IDS.kudosValuesBlock]: { [IDS.value]: { type: 'plain_text_input', value: '#care' } },
    };
    const submit = async () => {
      const answer = await postSigned(url, interactivity(viewSubmission(view, values, ALICE, 'V0KUDOS0001')));
      await http.idle();
      return answer.text
        ? (answer.json() as { response_action?: string; view?: unknown; errors?: Record<string, string> })
        : {};
    };
    const first = await submit();
    expect(first.response_action).toBe('update');
    expect(JSON.stringify(first.view)).toContain(`Thanked <@${BOB}>. You have 4 kudos left today.`);
    expect(await submit()).toEqual({}); // the same submission again: nothing more
    expect(await givenOn(db, ALICE, '2026-11-27')).toBe(1);
    expect(dmsTo(BOB).filter((d) => JSON.stringify(d.args.blocks).includes('stayed up for the deploy'))).toHaveLength(
      1,
    );

    // Sent to yourself: the error is on the recipients field.
    const self = await postSigned(
      url,
      interactivity(
        viewSubmission(
          view,
          {
            ...values,
            [IDS.kudosRecipientsBlock]: { [IDS.value]: { type: 'multi_users_select', selected_users: [ALICE] } },
          },
          ALICE,
        ),
      ),
    );
    expect((self.json() as { errors: Record<string, string> }).errors[IDS.kudosRecipientsBlock]).toMatch(/yourself/);
  });
});

describe('the kudos reaction', () => {
  const week = () => kudosOfWeek(db, '2026-W49');

  it("a reaction gives a kudos once, only for a person's message, and is taken back only within 5 minutes", async () => {
    await step(
      "gives the message's author a kudos; the same reaction re-delivered (same or new event_id) counts once",
      async () => {
        clock = DateTime.fromISO('2026-11-30T10:00', { zone: 'America/New_York' });
        const added = reaction('reaction_added', ALICE, IT_MEMBER, '1780000001.000100');
        await event(added, 'EvKUDOS00001');
        await event(added, 'EvKUDOS00001'); // Slack's retry: same event_id
        await event(added, 'EvKUDOS00002'); // the same reaction under another event_id
        expect(await givenOn(db, ALICE, '2026-11-30')).toBe(1);
        expect((await week()).byPerson).toEqual({ [IT_MEMBER]: 1 });
        expect(dmsTo(IT_MEMBER).filter((d) => JSON.stringify(d.args.blocks).includes('1780000001000100'))).toHaveLength(
          1,
        );
      },
    );

    await step("ignores other emoji, your own messages and bots' messages", async () => {
      await event(reaction('reaction_added', ALICE, IT_MEMBER, '1780000002.000100', 'thumbsup'));
      await event(reaction('reaction_added', ALICE, ALICE, '1780000002.000200'));
      await event(reaction('reaction_added', ALICE, WORKFLOW_BOT, '1780000002.000300'));
      expect(await givenOn(db, ALICE, '2026-11-30')).toBe(1);
    });

    await step('removed within 5 minutes it is taken back, DM and all; after that it stays', async () => {
      const t0 = clock;
      fake.reset();
      await event(reaction('reaction_added', BOB, FIN_MEMBER, '1780000003.000100'));
      expect((await week()).byDepartment).toEqual({ it: 1, finance: 1 });
      const [dm] = dmsTo(FIN_MEMBER);
      expect(dm).toBeDefined();
      clock = t0.plus({ minutes: 4 });
      await event(reaction('reaction_removed', BOB, FIN_MEMBER, '1780000003.000100'));
      expect((await week()).byDepartment).toEqual({ it: 1 });
      expect(await givenOn(db, BOB, '2026-11-30')).toBe(0);
      // The recipient's DM is deleted from their DM channel with Kept.
      const posted = fake.posted.filter((m) => m.channel === FIN_MEMBER).at(-1)!;
      expect(fake.callsTo('chat.delete').map((c) => [c.args.channel, c.args.ts, c.outcome])).toEqual([
        [`D${FIN_MEMBER.slice(1)}`, posted.ts, 'ok'],
      ]);

      clock = t0.plus({ minutes: 6 });
      await event(reaction('reaction_removed', ALICE, IT_MEMBER, '1780000001.000100')); // given at t0
      expect((await week()).byDepartment).toEqual({ it: 1 });
      expect(await givenOn(db, ALICE, '2026-11-30')).toBe(1);
    });
  });

  it('over the quota, the giver gets one DM saying so', async () => {
    const giver = 'U0REACTR01';
    await kudos(`<@${BOB}> <@${IT_MEMBER}> <@${FIN_MEMBER}> <@U0SUPMEM1> <@U0SUPMEM2> all of you`, giver);
    const added = reaction('reaction_added', giver, IT_MEMBER, '1780000004.000100');
    await event(added);
    await event(added);
    expect(dmsTo(giver).map((d) => String(d.args.text))).toEqual([
      expect.stringMatching(/^Your :kudos: reaction did not give kudos: you have given your 5 for today/),
    ]);
  });
});

describe('App Home', () => {
  it("shows kudos received and given this week and in all, and the week's departments", async () => {
    // A week of its own, whatever the other tests gave: two kudos to Ana (IT), two to Support, one to Finance.
    clock = DateTime.fromISO('2026-12-08T10:00', { zone: 'America/New_York' });
    await kudos(`<@${IT_MEMBER}> <@U0SUPMEM1> <@U0SUPMEM2> <@${FIN_MEMBER}> for the launch`, 'U0HOMEGIV1');
    await kudos(`<@${IT_MEMBER}> for the new laptops`, 'U0HOMEGIV2');
    fake.reset();
    await event(appHomeOpened(IT_MEMBER));
    const home = JSON.stringify(fake.callsTo('views.publish').at(-1)!.args.view);
    expect(home).toContain('*Kudos*\\nReceived');
    expect(home).not.toContain('2026-W50'); // a week is said in words, not as an ISO code
    // In all counts what the other tests gave Ana too; she gives none anywhere.
    const counts = /Received \*2\* this week \((\d+) in all\) · given \*0\* this week \(0 in all\)/;
    expect(home).toMatch(counts);
    expect(Number(counts.exec(home)![1])).toBeGreaterThanOrEqual(2);
    expect(home).toContain(
      ':first_place_medal: Customer Support — 2\\n:second_place_medal: IT — 2\\n:third_place_medal: Finance — 1',
    );
    const blocks = (fake.callsTo('views.publish').at(-1)!.args.view as { blocks: unknown[] }).blocks;
    expect(blocks.length).toBeLessThanOrEqual(100);
  });
});
