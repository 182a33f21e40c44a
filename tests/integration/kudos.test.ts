/**
 * Kudos on DynamoDB Local (functions/store/kudos.ts, and the giving flow of
 * functions/slack/listeners/kudos.ts with a stub Slack client): the quota counter and the delivery
 * claim in one transaction, concurrent kudos at the quota's edge, the week's counters and
 * `kudosOfWeek`, taking a reaction back, and the recipients' DMs posted once.
 */
import { LogLevel, type WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { parseConfig } from '../../functions/config';
import type { Kudos } from '../../functions/domain/kudos';
import { localDayOf } from '../../functions/domain/weeks';
import { fileFromSlack } from '../../functions/services/requests';
import { REFUSED_DM_TS } from '../../functions/slack/dm';
import { type GiveInput, giveKudos } from '../../functions/slack/listeners/kudos';
import { notifyKudos, recallKudosDms } from '../../functions/slack/notify-kudos';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import {
  getKudos,
  givenOn,
  kudosCountsOf,
  kudosOfWeek,
  saveKudos,
  takeBackReaction,
} from '../../functions/store/kudos';
import { importExample } from '../support/company';
import { allItems, dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const ALICE = 'U0ALICE001';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBER_2 = 'U0ITMEM02';
const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const BOT_USER = 'U0SOMEBOT1';

let db: Db;
beforeAll(async () => {
  db = await freshTable();
  await importExample(db);
});
afterAll(() => dropTable(db));

/** A Slack client that answers users.info (New York unless told) and records DMs. */
function stubSlack(users: Record<string, { tz?: string; is_bot?: boolean }> = {}) {
  const posts: { channel: string; text: string }[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => ({
        ok: true,
        user: { id: user, tz: 'America/New_York', is_bot: user === BOT_USER, ...users[user] },
      }),
    },
    chat: {
      postMessage: async (args: { channel: string; text: string }) => {
        posts.push(args);
        return { ok: true, ts: `1780000000.${String(posts.length).padStart(6, '0')}` };
      },
    },
  } as unknown as WebClient;
  return { client, posts };
}

const config = (quota = 5) =>
  parseConfig({
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-1',
    KEPT_KUDOS_DAILY_QUOTA: String(quota),
  });
let n = 0;
const input = (over: Partial<GiveInput> = {}): GiveInput => ({
  giver: ALICE,
  recipients: [IT_MEMBER],
  message: 'thanks',
  values: [],
  source: 'command',
  delivery: `command:t${++n}`,
  ...over,
});

describe('settings', () => {
  it('KEPT_KUDOS_DAILY_QUOTA defaults to 5 and KEPT_KUDOS_EMOJI to kudos (colons dropped)', () => {
    const c = parseConfig({ SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(c.KEPT_KUDOS_DAILY_QUOTA).toBe(5);
    expect(c.KEPT_KUDOS_EMOJI).toBe('kudos');
    expect(
      parseConfig({ SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1', KEPT_KUDOS_EMOJI: ':tada:' })
        .KEPT_KUDOS_EMOJI,
    ).toBe('tada');
    expect(() =>
      parseConfig({ SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1', KEPT_KUDOS_DAILY_QUOTA: '0' }),
    ).toThrow(/KEPT_KUDOS_DAILY_QUOTA/);
  });
});

describe('giving', () => {
  it('writes the kudos, the week counters per person and department and the quota', async () => {
    const at = DateTime.fromISO('2026-11-24T10:00', { zone: 'America/New_York' }).toJSDate();
    const { client } = stubSlack();
    // FIN_MEMBER and IT_MEMBER, linked to no request: Finance 1, IT 1.
    const result = await giveKudos(
      { config: config(), db, now: () => at },
      client,
      input({ recipients: [IT_MEMBER, FIN_MEMBER], message: 'great handover', values: ['teamwork'] }),
    );
    expect(result).toMatchObject({
      outcome: 'given',
      left: 3,
      kudos: { day: '2026-11-24', week: '2026-W48', departments: { [IT_MEMBER]: ['it'], [FIN_MEMBER]: ['finance'] } },
    });
    const week = await kudosOfWeek(db, '2026-W48');
    expect(week.byDepartment).toEqual({ it: 1, finance: 1 });
    expect(week.byPerson).toEqual({ [IT_MEMBER]: 1, [FIN_MEMBER]: 1 });
    expect(week.messages).toEqual([
      {
        giver: ALICE,
        recipients: [IT_MEMBER, FIN_MEMBER],
        message: 'great handover',
        values: ['teamwork'],
        at: at.getTime(),
      },
    ]);
    expect(await givenOn(db, ALICE, '2026-11-24')).toBe(2);
    expect(await kudosCountsOf(db, ALICE, '2026-W48')).toEqual({
      receivedWeek: 0,
      givenWeek: 2,
      receivedTotal: 0,
      givenTotal: 2,
    });
    expect(await kudosCountsOf(db, FIN_MEMBER, '2026-W48')).toEqual({
      receivedWeek: 1,
      givenWeek: 0,
      receivedTotal: 1,
      givenTotal: 0,
    });
  });

  it('linked to a request, it also counts for the provider department, once per recipient', async () => {
    const at = DateTime.fromISO('2026-11-17T10:00', { zone: 'America/New_York' }).toJSDate();
    const filed = await fileFromSlack(db, {
      user: FIN_MEMBER,
      agreementId: 'it-for-finance',
      priority: 'P2',
      title: 'Laptop',
      description: '',
      delivery: 'view:filed-1',
      now: at,
    });
    if (filed.outcome !== 'filed') throw new Error(filed.outcome);
    const { client } = stubSlack();
    // IT_MEMBER (IT) and FIN_MEMBER (Finance) for IT's request: IT 2 (one each), Finance 1.
    const result = await giveKudos(
      { config: config(), db, now: () => at },
      client,
      // The giver must be able to see the request (here: the head of the department that filed it).
      input({ giver: FIN_HEAD, recipients: [IT_MEMBER, FIN_MEMBER], requestId: filed.request.id }),
    );
    expect(result).toMatchObject({ outcome: 'given', kudos: { requestId: filed.request.id, provider: 'it' } });
    expect((await kudosOfWeek(db, '2026-W47')).byDepartment).toEqual({ it: 2, finance: 1 });
  });

  it('a re-delivered command (same claim) counts once', async () => {
    const at = DateTime.fromISO('2026-11-25T10:00', { zone: 'America/New_York' }).toJSDate();
    const deps = { config: config(), db, now: () => at };
    const { client } = stubSlack();
    const once = input({ giver: IT_MEMBER_2, recipients: [FIN_MEMBER], delivery: 'command:same-trigger' });
    expect((await giveKudos(deps, client, once)).outcome).toBe('given');
    expect(await giveKudos(deps, client, once)).toEqual({ outcome: 'duplicate' });
    expect(await givenOn(db, IT_MEMBER_2, '2026-11-25')).toBe(1);
  });

  it("refuses yourself and bots (users.info is_bot, Kept's own bot user) before writing anything", async () => {
    const deps = { config: config(), db, now: () => new Date('2026-11-26T15:00:00Z') };
    const { client } = stubSlack();
    const before = (await allItems(db)).length;
    expect(await giveKudos(deps, client, input({ recipients: [ALICE] }))).toMatchObject({
      outcome: 'refused',
      field: 'recipients',
      message: expect.stringMatching(/yourself/),
    });
    expect(await giveKudos(deps, client, input({ recipients: [IT_MEMBER, BOT_USER] }))).toMatchObject({
      outcome: 'refused',
      message: `<@${BOT_USER}> is a bot; kudos are for people.`,
    });
    expect(await giveKudos(deps, client, input({ recipients: ['U0KEPTBOT1'], botUserId: 'U0KEPTBOT1' }))).toMatchObject(
      { outcome: 'refused', message: expect.stringMatching(/is a bot/) },
    );
    expect(await giveKudos(deps, client, input({ message: '  ' }))).toMatchObject({
      outcome: 'refused',
      field: 'message',
    });
    expect(await giveKudos(deps, client, input({ requestId: 'IT-999' }))).toMatchObject({
      outcome: 'refused',
      field: 'request',
      message: expect.stringMatching(/^There is no request IT-999/),
    });
    expect((await allItems(db)).length).toBe(before);
  });

  it('the quota is per local day of the giver: full at 23:50 in Tokyo, free again at 00:10', async () => {
    const giver = 'U0TOKYO001';
    const { client } = stubSlack({ [giver]: { tz: 'Asia/Tokyo' } });
    let now = DateTime.fromISO('2026-11-26T23:50', { zone: 'Asia/Tokyo' }).toJSDate();
    const deps = { config: config(2), db, now: () => now };
    expect(await giveKudos(deps, client, input({ giver, recipients: [IT_MEMBER, FIN_MEMBER] }))).toMatchObject({
      outcome: 'given',
      left: 0,
    });
    expect(await giveKudos(deps, client, input({ giver }))).toMatchObject({
      outcome: 'refused',
      field: 'quota',
      message: expect.stringMatching(/^You have given your 2 kudos for today/),
    });
    now = DateTime.fromISO('2026-11-27T00:10', { zone: 'Asia/Tokyo' }).toJSDate(); // still the 26th in UTC and New York
    expect(await giveKudos(deps, client, input({ giver }))).toMatchObject({
      outcome: 'given',
      left: 1,
      kudos: { day: '2026-11-27' },
    });
  });

  it('two kudos at the same moment with one left: exactly one is given', async () => {
    const giver = 'U0RACER001';
    const at = new Date('2026-11-26T15:00:00Z');
    const { client } = stubSlack();
    const deps = { config: config(3), db, now: () => at };
    expect((await giveKudos(deps, client, input({ giver, recipients: [IT_MEMBER, FIN_MEMBER] }))).outcome).toBe(
      'given',
    );
    const results = await Promise.all([
      giveKudos(deps, client, input({ giver })),
      giveKudos(deps, client, input({ giver, recipients: [FIN_MEMBER] })),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['given', 'refused']);
    expect(await givenOn(db, giver, localDayOf(at.getTime(), 'America/New_York').day)).toBe(3);
  });

  it('the store alone never passes the quota, however many write at once', async () => {
    const at = new Date('2026-11-26T15:00:00Z');
    const kudos = (i: number): Kudos => ({
      id: `race-${i}`,
      giver: 'U0STORE001',
      recipients: [IT_MEMBER],
      message: 'x',
      values: [],
      departments: {},
      at: at.getTime(),
      day: '2026-11-26',
      week: '2026-W48',
      source: 'command',
    });
    const outcomes: string[] = [];
    for (let round = 0; round < 3 && outcomes.filter((o) => o === 'saved').length < 5; round++) {
      outcomes.push(
        ...(await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            saveKudos(db, { kudos: kudos(round * 8 + i), quota: 5, delivery: `command:race-${round}-${i}`, now: at }),
          ),
        )),
      );
    }
    expect(outcomes.filter((o) => o === 'saved').length).toBe(5);
    expect(await givenOn(db, 'U0STORE001', '2026-11-26')).toBe(5);
  });
});

describe('reactions', () => {
  const giver = 'U0REACT001';
  const key = (ts: string) => `${giver}:C0GENERAL01:${ts}:kudos`;
  const reaction = (ts: string): Partial<GiveInput> => ({
    giver,
    recipients: [IT_MEMBER],
    message: ':kudos:',
    source: 'reaction',
    about: { channel: 'C0GENERAL01', ts },
    delivery: `reaction:${key(ts)}`,
    reaction: key(ts),
  });

  it('the same reaction counts once; removed within 5 minutes it is taken back (quota and counters too), and may be given again', async () => {
    const t0 = DateTime.fromISO('2026-12-01T10:00', { zone: 'America/New_York' });
    let now = t0.toJSDate();
    const deps = { config: config(), db, now: () => now };
    const { client } = stubSlack();
    expect((await giveKudos(deps, client, input(reaction('1.000100')))).outcome).toBe('given');
    expect(await giveKudos(deps, client, input(reaction('1.000100')))).toEqual({ outcome: 'duplicate' });
    expect(await givenOn(db, giver, '2026-12-01')).toBe(1);
    expect((await kudosOfWeek(db, '2026-W49')).byDepartment).toEqual({ it: 1 });

    now = t0.plus({ minutes: 4 }).toJSDate();
    expect(await takeBackReaction(db, key('1.000100'), now)).toMatchObject({
      kudos: { giver, recipients: [IT_MEMBER] },
      dms: [],
    }); // no DM had gone out yet
    expect(await takeBackReaction(db, key('1.000100'), now)).toBeUndefined(); // removed twice
    expect(await givenOn(db, giver, '2026-12-01')).toBe(0);
    expect(await kudosOfWeek(db, '2026-W49')).toEqual({ byDepartment: {}, byPerson: {}, messages: [], turned: [] });
    expect(await kudosCountsOf(db, IT_MEMBER, '2026-W49')).toMatchObject({ receivedWeek: 0 });

    expect((await giveKudos(deps, client, input(reaction('1.000100')))).outcome).toBe('given'); // added again
  });

  it('taken back while its DM is on its way: the worker deletes the DM it just posted', async () => {
    const t0 = DateTime.fromISO('2026-12-03T10:00', { zone: 'America/New_York' });
    const deps = { config: config(), db, now: () => t0.toJSDate() };
    const given = await giveKudos(deps, stubSlack().client, input(reaction('3.000100')));
    if (given.outcome !== 'given') throw new Error(given.outcome);
    const deleted: { channel: string; ts: string }[] = [];
    let taken: unknown;
    const slack = {
      chat: {
        // The reaction is removed between Slack taking the DM and the worker remembering it.
        postMessage: async () => {
          taken = await takeBackReaction(db, key('3.000100'), t0.plus({ minutes: 1 }).toJSDate());
          return { ok: true, channel: 'D0ITMEM01', ts: '1780000003.000200' };
        },
        delete: async (args: { channel: string; ts: string }) => void deleted.push(args),
      },
    } as unknown as WebClient;
    await notifyKudos({ db, slack }, given.kudos.week, given.kudos.id);
    expect(taken).toMatchObject({ dms: [] }); // the take-back could not see the DM
    expect(deleted).toEqual([{ channel: 'D0ITMEM01', ts: '1780000003.000200' }]);
  });

  it('removed after 5 minutes it stays', async () => {
    const t0 = DateTime.fromISO('2026-12-02T10:00', { zone: 'America/New_York' });
    let now = t0.toJSDate();
    const deps = { config: config(), db, now: () => now };
    const { client } = stubSlack();
    expect((await giveKudos(deps, client, input(reaction('2.000100')))).outcome).toBe('given');
    now = t0.plus({ minutes: 5, seconds: 1 }).toJSDate();
    expect(await takeBackReaction(db, key('2.000100'), now)).toBeUndefined();
    expect(await givenOn(db, giver, '2026-12-02')).toBe(1);
  });
});

describe("the recipients' DMs", () => {
  it('each recipient once, also when the job runs again; none for a kudos taken back', async () => {
    const at = new Date('2026-12-03T15:00:00Z');
    const { client, posts } = stubSlack();
    const result = await giveKudos(
      { config: config(), db, now: () => at },
      client,
      input({ recipients: [IT_MEMBER, FIN_MEMBER], message: 'you *rock* <!channel>', requestId: undefined }),
    );
    if (result.outcome !== 'given') throw new Error(result.outcome);
    await notifyKudos({ db, slack: client }, result.kudos.week, result.kudos.id);
    await notifyKudos({ db, slack: client }, result.kudos.week, result.kudos.id);
    expect(posts.map((p) => p.channel)).toEqual([IT_MEMBER, FIN_MEMBER]);
    expect(JSON.stringify(posts)).not.toContain('<!channel>');
    await notifyKudos({ db, slack: client }, result.kudos.week, 'no-such-kudos');
    expect(posts).toHaveLength(2);
  });

  it('a recipient Slack will not DM (they left) does not stop the others, and is not tried again', async () => {
    const fake = await FakeSlack.start();
    try {
      const slack = createSlackClient(
        { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
        { logLevel: LogLevel.ERROR },
      );
      const at = new Date('2026-12-03T16:00:00Z');
      const result = await giveKudos(
        { config: config(), db, now: () => at },
        stubSlack().client,
        input({ recipients: [IT_MEMBER, FIN_MEMBER], message: 'thanks for the quick fix', requestId: undefined }),
      );
      if (result.outcome !== 'given') throw new Error(result.outcome);
      fake.failWith('chat.postMessage', 'user_not_found', 1);
      await notifyKudos({ db, slack }, result.kudos.week, result.kudos.id);
      await notifyKudos({ db, slack }, result.kudos.week, result.kudos.id);
      const tries = fake.callsTo('chat.postMessage');
      expect(tries.map((c) => [c.args.channel, c.outcome])).toEqual([
        [IT_MEMBER, 'error'],
        [FIN_MEMBER, 'ok'],
      ]);
      // A take-back deletes only what Slack delivered.
      const { dmed } = (await getKudos(db, result.kudos.week, result.kudos.id))!;
      expect(dmed[IT_MEMBER]).toBe(`${IT_MEMBER}/${REFUSED_DM_TS}`);
      const [channel, ts] = dmed[FIN_MEMBER]!.split('/');
      await recallKudosDms(slack, [
        { channel: IT_MEMBER, ts: REFUSED_DM_TS },
        { channel: channel!, ts: ts! },
      ]);
      expect(fake.callsTo('chat.delete').map((c) => c.args.channel)).toEqual([channel]);
    } finally {
      await fake.stop();
    }
  });
});
