/**
 * The weekly digest against DynamoDB Local and the fake Slack: at most one digest per channel and
 * ISO week through repeated runs, concurrent runs, a crash between posting and remembering, a 429
 * in the middle of a fan-out; each channel at its own local weekday and time; a missed run caught
 * up later in the week; the next week posted again; the tip chosen by last week's most frequent
 * cause of a miss.
 */

import { LogLevel } from '@slack/web-api';
import type { DigestSettings } from '../../functions/domain/directory';
import { builtInTips } from '../../functions/domain/tips';
import { type DigestDeps, describeDigest, digestSlackClient, runDigest } from '../../functions/jobs/digest';
import { type DigestSources, storeSources } from '../../functions/jobs/digest-content';
import { runScan } from '../../functions/jobs/scan';
import { runScheduled } from '../../functions/jobs/scheduled';
import { act, fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { PutCommand } from '../../functions/store/commands';
import { claimDigest, getDigestClaim } from '../../functions/store/digests';
import { DIRECTORY_PK, digestItem } from '../../functions/store/directory';
import { readTotal } from '../../functions/store/ledger';
import { importExample } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { throttleCallsMentioning } from '../support/faults';
import { countingMetrics } from '../support/metrics';

/** Monday 30 November 2026, 09:30 in New York: ISO week 2026-W49. */
const MONDAY = new Date('2026-11-30T14:30:00Z');
const WEEK = '2026-W49';
const hours = (h: number) => new Date(MONDAY.getTime() + h * 3_600_000);

const fakeSources: DigestSources = {
  tipsForWeek: async () => ({
    internal: {
      id: 't1',
      kind: 'internal',
      title: 'Say when',
      body: 'Give a time, not "soon".',
      tryThisWeek: 'Put a time on every reply.',
    },
    customer: {
      id: 't2',
      kind: 'customer',
      title: 'Ask early',
      body: 'File before it is urgent.',
      tryThisWeek: 'File one request a day early.',
    },
  }),
  kudosOfWeek: async () => ({
    byDepartment: { it: 3 },
    messages: [
      {
        giver: 'U0FINMEM1',
        recipients: ['U0ITMEM01'],
        message: 'Fixed the <!channel> printer',
        values: ['care'],
        at: 1,
      },
    ],
  }),
};

let fake: FakeSlack;
let db: Db;
let clockOffset = 0;

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  clockOffset = 0;
  db = await freshTable();
  await importExample(db, new Date('2026-11-01T00:00:00Z')); // C0GENERAL: Mondays 09:00 New York
});
afterEach(() => dropTable(db));

function deps(over: Partial<DigestDeps> = {}): DigestDeps {
  const slack = digestSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  return { db, slack, sources: fakeSources, clock: () => Date.now() + clockOffset, ...over };
}

async function addChannels(list: DigestSettings[]): Promise<void> {
  for (const d of list) await db.doc.send(new PutCommand({ TableName: db.table, Item: digestItem(d) }));
}

const channels = (n: number, from = 1): DigestSettings[] =>
  Array.from({ length: n }, (_, i) => ({
    channel: `C0DIG${String(from + i).padStart(4, '0')}`,
    weekday: 'mon',
    time: '09:00',
    timezone: 'America/New_York',
  }));

/** Digests Slack accepted, per channel. */
function postsByChannel(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok'))
    out[String(c.args.channel)] = (out[String(c.args.channel)] ?? 0) + 1;
  return out;
}

it('posts once per channel when run twice; the second run finds every channel done', async () => {
  await addChannels(channels(2));
  const first = await runDigest(deps(), MONDAY);
  expect(first).toMatchObject({ posted: 3, already: 0, failed: 0 });
  const second = await runDigest(deps(), hours(0.25));
  expect(second).toMatchObject({ posted: 0, already: 3, failed: 0 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1, C0DIG0001: 1, C0DIG0002: 1 });
  expect(describeDigest(second)).toBe(
    "Digest at 2026-11-30T14:45:00.000Z: 0 channels posted, 3 already had this week's, 0 failed.",
  );

  const post = fake.callsTo('chat.postMessage')[0]!;
  expect(post.args.metadata).toEqual({ event_type: 'kept_digest', event_payload: { week: WEEK } });
  expect(JSON.stringify(post.args.blocks)).toContain('Kept weekly — week 49');
  expect((await getDigestClaim(db, 'C0GENERAL', WEEK))?.state).toBe('posted');
});

it('two runs at once post once per channel', async () => {
  await addChannels(channels(5));
  const [a, b] = await Promise.all([runDigest(deps(), MONDAY), runDigest(deps(), MONDAY)]);
  expect(a.posted + b.posted).toBe(6);
  expect(a.posted + a.already + a.busy).toBe(6);
  expect(b.posted + b.already + b.busy).toBe(6);
  expect(Object.values(postsByChannel())).toEqual([1, 1, 1, 1, 1, 1]);
});

it('a crash after posting, before remembering: the retry finds the message in the channel and posts nothing', async () => {
  let crashes = 1;
  db.raw.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { UpdateExpression?: string };
      if (crashes > 0 && input.UpdateExpression?.includes('postedTs')) {
        crashes--;
        throw new Error('process killed');
      }
      return next(args);
    },
    { step: 'initialize', name: 'crashOnMark' },
  );
  const first = await runDigest(deps(), MONDAY);
  expect(first).toMatchObject({ posted: 0, failed: 1 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1 });
  const ts = fake.posted[0]!.ts;

  // Retried at once (Lambda's async retry): the claim's lease is still live, so nothing is posted.
  expect(await runDigest(deps(), MONDAY)).toMatchObject({ posted: 0, busy: 1 });

  // The next run after the lease: the digest is found in the channel and remembered.
  clockOffset = 7 * 60_000;
  const retry = await runDigest(deps(), MONDAY);
  expect(retry).toMatchObject({ posted: 0, already: 1, failed: 0 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1 });
  expect(fake.callsTo('conversations.history')).toHaveLength(1);
  expect(fake.callsTo('conversations.history')[0]!.args).toMatchObject({
    channel: 'C0GENERAL',
    include_all_metadata: true,
  });
  expect(await getDigestClaim(db, 'C0GENERAL', WEEK)).toMatchObject({ state: 'posted', postedTs: ts });
  expect(await runDigest(deps(), hours(1))).toMatchObject({ posted: 0, already: 1 });
  db.raw.middlewareStack.remove('crashOnMark');
});

it('a crash after claiming, before the post reached Slack: the next run looks, finds nothing, and posts once', async () => {
  await claimDigest(db, 'C0GENERAL', WEEK, 'a-run-that-died', Date.now() - 10 * 60_000);
  const run = await runDigest(deps(), MONDAY);
  expect(run).toMatchObject({ posted: 1, failed: 0 });
  expect(fake.callsTo('conversations.history')).toHaveLength(1);
  expect(postsByChannel()).toEqual({ C0GENERAL: 1 });
  expect(await getDigestClaim(db, 'C0GENERAL', WEEK)).toMatchObject({ state: 'posted', attempts: 2 });
});

it('after a crash, a channel whose history Slack will not show still gets its digest; a Slack outage waits for the next run', async () => {
  await claimDigest(db, 'C0GENERAL', WEEK, 'a-run-that-died', Date.now() - 10 * 60_000);
  fake.httpError('conversations.history', 503);
  expect(await runDigest(deps(), MONDAY)).toMatchObject({ posted: 0, failed: 1 });
  expect(postsByChannel()).toEqual({});
  // The next run after that run's lease: Kept posts there without being a member, and Slack
  // refuses the history for good.
  clockOffset = 7 * 60_000;
  fake.failWith('conversations.history', 'not_in_channel');
  expect(await runDigest(deps(), MONDAY)).toMatchObject({ posted: 1, failed: 0 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1 });
  expect(await getDigestClaim(db, 'C0GENERAL', WEEK)).toMatchObject({ state: 'posted' });
});

it('a 429 in the middle of a fan-out to 20 channels: Retry-After is waited out and each channel gets exactly one digest', async () => {
  await addChannels(channels(19));
  fake.rateLimit('chat.postMessage', 1, 1, 8); // the 9th post is refused once
  const started = Date.now();
  const run = await runDigest(deps(), MONDAY);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  expect(run).toMatchObject({ posted: 20, already: 0, failed: 0 });
  expect(fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'rate_limited')).toHaveLength(1);
  const posts = postsByChannel();
  expect(Object.keys(posts)).toHaveLength(20);
  expect(Object.values(posts).every((n) => n === 1)).toBe(true);
  expect(await runDigest(deps(), hours(0.25))).toMatchObject({ posted: 0, already: 20 });
  expect(Object.values(postsByChannel()).every((n) => n === 1)).toBe(true);
});

it('a channel Slack refuses gives its claim back and is posted by a later run', async () => {
  fake.failWith('chat.postMessage', 'not_in_channel', 1);
  expect(await runDigest(deps(), MONDAY)).toMatchObject({ posted: 0, failed: 1 });
  expect(await getDigestClaim(db, 'C0GENERAL', WEEK)).toBeUndefined();
  expect(await runDigest(deps(), hours(0.25))).toMatchObject({ posted: 1, failed: 0 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1 });
});

it('each channel that fails is counted for the alarms, and a channel posted later is not', async () => {
  await addChannels(channels(2));
  const metrics = countingMetrics();
  fake.failWith('chat.postMessage', 'not_in_channel', 1);
  expect(await runDigest(deps({ metrics }), MONDAY)).toMatchObject({ posted: 2, failed: 1 });
  expect(metrics.counts).toEqual({ DigestChannelFailed: 1 });
  expect(await runDigest(deps({ metrics }), hours(0.25))).toMatchObject({ posted: 1, already: 2, failed: 0 });
  expect(metrics.counts).toEqual({ DigestChannelFailed: 1 });
});

it('a digest run that cannot read the directory is counted as failed and fails, so Lambda tries it again', async () => {
  const metrics = countingMetrics();
  const outage = throttleCallsMentioning(db, DIRECTORY_PK);
  try {
    await expect(
      runScheduled(deps({ metrics }), { job: 'digest', scheduledTime: MONDAY.toISOString() }),
    ).rejects.toThrow(/throughput/);
  } finally {
    outage.heal();
  }
  expect(metrics.counts).toEqual({ DigestRunFailed: 1 });
  expect(postsByChannel()).toEqual({});
  expect(await runScheduled(deps({ metrics }), { job: 'digest', scheduledTime: MONDAY.toISOString() })).toMatch(
    /^Digest at .*: 1 channel posted/,
  );
  expect(metrics.counts).toEqual({ DigestRunFailed: 1 });
});

it('posts to each channel at its own local weekday and time', async () => {
  await addChannels([
    { channel: 'C0BERLIN1', weekday: 'mon', time: '16:00', timezone: 'Europe/Berlin' }, // 15:30 there: not yet
    { channel: 'C0FRIDAY1', weekday: 'fri', time: '09:00', timezone: 'America/New_York' }, // later this week
    { channel: 'C0TOKYO01', weekday: 'mon', time: '23:00', timezone: 'Asia/Tokyo' }, // 23:30 there: due
  ]);
  expect(await runDigest(deps(), MONDAY)).toMatchObject({ posted: 2 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 1, C0TOKYO01: 1 });
  expect(await runDigest(deps(), hours(0.5))).toMatchObject({ posted: 1, already: 2 }); // 16:00 in Berlin has come
  expect(postsByChannel()).toEqual({ C0GENERAL: 1, C0TOKYO01: 1, C0BERLIN1: 1 });
});

it('a run on Tuesday after a missed Monday posts; the next week posts again', async () => {
  expect(await runDigest(deps(), hours(-1))).toMatchObject({ posted: 0 }); // Monday 08:30: not yet
  expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  expect(await runDigest(deps(), hours(24))).toMatchObject({ posted: 1 }); // Tuesday: caught up
  expect(await runDigest(deps(), hours(24 * 6))).toMatchObject({ posted: 0, already: 1 }); // Sunday: still this week's
  const nextWeek = await runDigest(deps(), hours(24 * 7));
  expect(nextWeek).toMatchObject({ posted: 1 });
  expect(postsByChannel()).toEqual({ C0GENERAL: 2 });
  const weeks = fake
    .callsTo('chat.postMessage')
    .map((c) => (c.args.metadata as { event_payload: { week: string } }).event_payload.week);
  expect(weeks).toEqual([WEEK, '2026-W50']);
});

it('the digest carries the tips, a scorecard per providing department, the kudos and the requests at risk', async () => {
  await runDigest(deps(), MONDAY);
  const post = fake.callsTo('chat.postMessage')[0]!;
  const blocks = JSON.stringify(post.args.blocks);
  expect(blocks).toContain('Say when');
  expect(blocks).toContain('Try this week:');
  expect(blocks).toContain('*IT*');
  expect(blocks).toContain('&lt;!channel&gt;');
  expect(blocks).not.toContain('<!channel>');
  expect(blocks).toMatch(/Kudos received\*\\n3/);
  expect(String(post.args.text)).toMatch(/^Kept weekly — week 49: .*open requests? at risk now\.$/);
  expect((post.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
});

it('a week with penalties: the digest shows compliance and misses, never a penalty figure', async () => {
  // Filed Tuesday 24 November 10:00 in New York (IT's hours), P1: both targets missed that day.
  const filed = await fileFromSlack(db, {
    user: 'U0FINMEM1',
    agreementId: 'it-for-finance',
    priority: 'P1',
    title: 'Payroll laptop dead',
    description: '',
    delivery: 'view:digest-penalty',
    now: new Date('2026-11-24T15:00:00Z'),
  });
  expect(filed.outcome).toBe('filed');
  expect(await runScan({ db }, new Date('2026-11-25T15:00:00Z'))).toMatchObject({ breaches: 2 });
  expect((await readTotal(db, 'it-for-finance', '2026-11')).charged).toBe(100); // 50 points a miss

  await runDigest(deps(), MONDAY);
  const post = fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0GENERAL')!;
  const shown = `${String(post.args.text)}\n${JSON.stringify(post.args.blocks)}`;
  expect(shown).toMatch(/\*IT\* · 1 request/);
  expect(shown).toMatch(/\*Compliance\*\\n0%/);
  expect(shown).toMatch(/\*Breaches\*\\n1/);
  expect(shown).not.toMatch(/penalt|owed|\b100\b|\b50\b|points/i);
});

it('the internal tip follows last week’s most frequent cause of a miss, and says so', async () => {
  // Three P1s filed Tuesday 24 November, all missed; two put down to tools, one to a handoff.
  const causes = ['tooling', 'handoff', 'tooling'] as const;
  const ids: string[] = [];
  for (const i of causes.keys()) {
    const filed = await fileFromSlack(db, {
      user: 'U0FINMEM1',
      agreementId: 'it-for-finance',
      priority: 'P1',
      title: `Laptop ${i}`,
      description: '',
      delivery: `view:digest-cause-${i}`,
      now: new Date('2026-11-24T15:00:00Z'),
    });
    if (filed.outcome !== 'filed') throw new Error(filed.outcome);
    ids.push(filed.request.id);
  }
  await runScan({ db }, new Date('2026-11-25T15:00:00Z'));
  for (const [i, category] of causes.entries()) {
    const done = await act(db, {
      id: ids[i]!,
      user: 'U0ITMEM01',
      action: { type: 'resolve', note: 'Sorted', cause: { category } },
      now: new Date('2026-11-25T16:00:00Z'),
    });
    expect(done.outcome).toBe('done');
  }
  await runDigest(deps({ sources: storeSources(db) }), MONDAY);
  const post = fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0GENERAL')!;
  const tip = (post.args.blocks as { text?: { text: string } }[])
    .map((b) => b.text?.text ?? '')
    .find((t) => t.startsWith('*Tip: '))!;
  expect(tip).toContain(
    "_Last week's misses came most often from tools getting in the way, so this one is about that._",
  );
  const title = /^\*Tip: (.+)\*\n/.exec(tip)![1];
  expect(builtInTips().find((t) => t.title === title)?.causes).toContain('tooling');
});

it('with the real sources (the tips catalogue and kudos from the table) the digest posts', async () => {
  const run = await runDigest(deps({ sources: storeSources(db) }), MONDAY);
  expect(run).toMatchObject({ posted: 1, failed: 0 });
  const blocks = JSON.stringify(fake.callsTo('chat.postMessage')[0]!.args.blocks);
  expect(blocks).toContain('No kudos last week');
  const tips = await storeSources(db).tipsForWeek(WEEK);
  if (tips) expect(blocks).toContain('Try this week:');
});

it('without a Slack client due channels fail (and are counted) and nothing is claimed', async () => {
  const metrics = countingMetrics();
  expect(await runDigest({ db, sources: fakeSources, metrics }, MONDAY)).toMatchObject({ posted: 0, failed: 1 });
  expect(metrics.counts).toEqual({ DigestChannelFailed: 1 });
  expect(await getDigestClaim(db, 'C0GENERAL', WEEK)).toBeUndefined();
});
