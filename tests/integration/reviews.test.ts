/**
 * Joint reviews on DynamoDB Local: a tier crossed opens one review however many digest runs notice
 * it at once (5 concurrent); a cause written down on three breached requests opens one; of two heads
 * submitting a fix at the same moment, one agreement stands and the other is told whose; the
 * follow-up is handed on once, recorded once, and each head hears once, however often the work comes.
 */
import { LogLevel } from '@slack/web-api';
import { reviewLine } from '../../functions/domain/review';
import { followUpReview } from '../../functions/jobs/review-followup';
import { runReviews } from '../../functions/jobs/reviews';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { reviewsForDigest } from '../../functions/services/reviews';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { agreeReview, dueFollowUps, getReview, openReview, reviewsOf } from '../../functions/store/reviews';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';

const { opsHead: HEAD_OPS, opsMember: OPS_MEMBER, salesHead: HEAD_SALES, salesMember: SALES_MEMBER } = OPS_FOR_SALES;

// Ops works around the clock in New York. 50 points a breach, doubled from the 3rd.
const COMPANY = opsForSales({ unit: 'points', per_breach: 50, tiers: [{ from_breach: 3, multiplier: 2 }] });

let fake: FakeSlack;
let db: Db;

beforeEach(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importCompany(db, COMPANY, '2026-11-01T12:00:00Z');
});
afterEach(async () => {
  await fake.stop();
  await dropTable(db);
});

const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs);

function recordingOutbox() {
  const items: WorkItem[] = [];
  const outbox: Outbox = { send: async (item) => void items.push(item), idle: async () => {} };
  return { outbox, items };
}
const slack = () =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });
const work = async (items: WorkItem[], now: string) => {
  for (const item of items) await performWork({ db, slack: slack(), admins: [], now: () => new Date(now) }, item);
};
const dmsTo = (user: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

let n = 0;
/** A P1 filed at `iso` and left alone: both its targets are missed (30 minutes, 4 hours). */
async function missedBoth(iso: string): Promise<string> {
  const result = await fileFromSlack(db, {
    user: SALES_MEMBER,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: `Demo ${++n}`,
    description: '',
    delivery: `view:S${n}`,
    now: new Date(iso),
  });
  if (result.outcome !== 'filed') throw new Error(JSON.stringify(result));
  await runScan({ db }, at(iso, 5 * 60 * 60_000));
  return result.request.id;
}

it('a tier crossed opens one review under 5 concurrent runs, and each head hears once', async () => {
  await missedBoth('2026-12-01T15:00:00Z'); // breaches 1 and 2: below the tier
  const { outbox, items } = recordingOutbox();
  expect(await runReviews({ db, outbox }, at('2026-12-01T21:00:00Z'))).toEqual({ opened: 0, followUps: 0 });
  await missedBoth('2026-12-02T15:00:00Z'); // breaches 3 and 4: the ×2 tier
  const runs = await Promise.all([0, 1, 2, 3, 4].map((i) => runReviews({ db, outbox }, at('2026-12-02T21:00:00Z', i))));
  expect(runs.reduce((sum, r) => sum + r.opened, 0)).toBe(1);
  for (const later of [15 * 60_000, 24 * 60 * 60_000])
    expect((await runReviews({ db, outbox }, at('2026-12-02T21:00:00Z', later))).opened).toBe(0);
  expect(items).toEqual([{ type: 'review.open', agreement: 'ops-for-sales', key: 'tier|2026-12|3' }]);
  const [review] = await reviewsOf(db, 'ops-for-sales');
  expect(review).toMatchObject({
    trigger: { kind: 'tier', month: '2026-12', fromBreach: 3, multiplier: 2 },
    monthBreaches: 4,
    provider: 'ops',
    customers: ['sales'],
    handed: true,
  });
  expect(review!.breaches.map((b) => b.title)).toEqual(['Demo 1', 'Demo 1', 'Demo 2', 'Demo 2']);

  await work([...items, ...items], '2026-12-02T21:01:00Z');
  for (const head of [HEAD_OPS, HEAD_SALES]) {
    expect(dmsTo(head)).toHaveLength(1);
    expect(String(dmsTo(head)[0]!.args.text)).toContain("Let's fix the cause together");
  }
});

it('five openers of one trigger at once: one opens it, the others are told it is taken', async () => {
  const review = {
    agreementId: 'ops-for-sales',
    key: 'tier|2026-12|3',
    trigger: { kind: 'tier' as const, month: '2026-12', fromBreach: 3, multiplier: 2 },
    provider: 'ops',
    customers: ['sales'],
    openedAt: 1,
    breaches: [],
  };
  const claims = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((owner) => openReview(db, review, owner, 1000)));
  expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
  expect(claims.filter((c) => c.kind === 'busy')).toHaveLength(4);
  // A run that died before handing it on: once its lease ran out, the next run takes it over.
  expect((await openReview(db, review, 'f', 1000 + 6 * 60_000)).kind).toBe('claimed');
});

it("a review claimed in a month's last minutes by a run that died is handed on in the next month", async () => {
  const review = {
    agreementId: 'ops-for-sales',
    key: 'tier|2026-12|3',
    trigger: { kind: 'tier' as const, month: '2026-12', fromBreach: 3, multiplier: 2 },
    provider: 'ops',
    customers: ['sales'],
    openedAt: Date.parse('2026-12-31T23:55:00Z'),
    breaches: [],
  };
  // The run claimed it and died before handing it on; January's total no longer crosses a tier.
  expect((await openReview(db, review, 'dead', review.openedAt)).kind).toBe('claimed');
  const { outbox, items } = recordingOutbox();
  expect((await runReviews({ db, outbox }, at('2027-01-01T00:10:00Z'))).opened).toBe(1);
  expect(items).toEqual([{ type: 'review.open', agreement: 'ops-for-sales', key: 'tier|2026-12|3' }]);
  expect((await reviewsOf(db, 'ops-for-sales'))[0]).toMatchObject({ handed: true });
  expect((await runReviews({ db, outbox }, at('2027-01-01T00:25:00Z'))).opened).toBe(0);
});

it('the same cause on three breached requests opens one cause review', async () => {
  const ids: string[] = [];
  for (const day of ['01', '08', '20']) ids.push(await missedBoth(`2026-12-${day}T15:00:00Z`));
  for (const [i, id] of ids.entries()) {
    const done = await act(db, {
      id,
      user: OPS_MEMBER,
      action: { type: 'resolve', note: 'Done', cause: { category: 'handoff', text: 'Night shift missed it' } },
      now: at(`2026-12-2${i + 1}T15:00:00Z`),
    });
    expect(done).toMatchObject({ outcome: 'done' });
  }
  const { outbox, items } = recordingOutbox();
  const runs = await Promise.all([0, 1, 2, 3, 4].map((i) => runReviews({ db, outbox }, at('2026-12-24T15:00:00Z', i))));
  expect(runs.reduce((sum, r) => sum + r.opened, 0)).toBe(2); // the tier, and the cause
  expect(items.map((i) => 'key' in i && i.key).sort()).toEqual([`cause|handoff|${ids[0]}`, 'tier|2026-12|3']);
  const cause = await getReview(db, 'ops-for-sales', `cause|handoff|${ids[0]}`);
  expect(cause?.breaches.map((b) => [b.request, b.cause?.category])).toEqual([
    [ids[0], 'handoff'],
    [ids[1], 'handoff'],
    [ids[2], 'handoff'],
  ]);
  expect((await runReviews({ db, outbox }, at('2026-12-24T16:00:00Z'))).opened).toBe(0);
});

it('two heads agree at once: one agreement stands, the other is told whose; the follow-up comes once', async () => {
  await missedBoth('2026-12-01T15:00:00Z');
  await missedBoth('2026-12-02T15:00:00Z');
  const { outbox, items } = recordingOutbox();
  await runReviews({ db, outbox }, at('2026-12-02T21:00:00Z'));
  const key = 'tier|2026-12|3';
  const agreedAt = Date.parse('2026-12-03T15:00:00Z');
  const fix = (by: string, text: string) => ({
    fix: text,
    owner: HEAD_OPS,
    date: '2026-12-10',
    by,
    at: agreedAt,
    followUpAt: Date.parse('2026-12-24T05:00:00Z'), // midnight in New York, around the clock
  });
  const outcomes = await Promise.all([
    agreeReview(db, 'ops-for-sales', key, fix(HEAD_OPS, 'A second person on call at month end')),
    agreeReview(db, 'ops-for-sales', key, fix(HEAD_SALES, 'Sales books demos a day earlier')),
  ]);
  const won = outcomes.find((o) => o.kind === 'agreed');
  const lost = outcomes.find((o) => o.kind === 'already');
  expect(won).toBeDefined();
  expect(lost).toBeDefined();
  if (won?.kind !== 'agreed' || lost?.kind !== 'already') throw new Error('one of each');
  expect(lost.agreed).toEqual(won.review.agreed);

  // The form's own hand-off of the agreed fix's DMs never came (agreeReview alone, as when SQS
  // refused it): after a grace the digest's runs hand them on; each head hears once all the same.
  items.length = 0;
  expect((await runReviews({ db, outbox }, new Date(agreedAt + 60_000))).agreedHanded).toBeUndefined();
  await Promise.all([0, 1].map((i) => runReviews({ db, outbox }, new Date(agreedAt + 5 * 60_000 + i))));
  expect(items.length).toBeGreaterThanOrEqual(1);
  expect(items.every((i) => i.type === 'review.agreed')).toBe(true);
  await work([...items, ...items], '2026-12-03T15:06:00Z');
  for (const head of [HEAD_OPS, HEAD_SALES])
    expect(dmsTo(head).filter((c) => String(c.args.text).startsWith('A fix is agreed'))).toHaveLength(1);
  expect((await runReviews({ db, outbox }, new Date(agreedAt + 20 * 60_000))).agreedHanded).toBeUndefined();

  // Not due before its instant; then handed on once, however many runs go at once.
  expect((await runReviews({ db, outbox }, at('2026-12-24T04:59:00Z'))).followUps).toBe(0);
  items.length = 0;
  const runs = await Promise.all([0, 1, 2].map((i) => runReviews({ db, outbox }, at('2026-12-24T05:00:00Z', i))));
  expect(runs.reduce((sum, r) => sum + r.followUps, 0)).toBe(1);
  expect(items).toEqual([{ type: 'review.followup', agreement: 'ops-for-sales', key }]);

  // A breach after the fix: it came back. SQS delivers the work twice: recorded once, each head hears once.
  await missedBoth('2026-12-15T15:00:00Z');
  await work([...items, ...items], '2026-12-24T05:01:00Z');
  const review = await getReview(db, 'ops-for-sales', key);
  expect(review?.followUp).toEqual({ outcome: 'came_back', count: 2, at: Date.parse('2026-12-24T05:01:00Z') });
  expect(await dueFollowUps(db, Date.parse('2027-01-01T00:00:00Z'))).toEqual([]);
  expect((await followUpReview(db, { agreement: 'ops-for-sales', key }, 0))?.followUp?.at).toBe(
    Date.parse('2026-12-24T05:01:00Z'),
  );
  for (const head of [HEAD_OPS, HEAD_SALES]) {
    const followUps = dmsTo(head).filter((c) => String(c.args.text).includes('came back'));
    expect(followUps).toHaveLength(1);
  }

  // The digest of the week of the follow-up (Monday 21 December) reads it, for either side; not the week after.
  const digest = await reviewsForDigest(db, ['sales'], '2026-W52');
  expect(digest.map((d) => [d.agreement, d.review.key, d.review.followUp?.outcome])).toEqual([
    ['Operations · Demo environments', key, 'came_back'],
  ]);
  expect(reviewLine(digest[0]!.review)).toContain('fix agreed, but 2 breaches came back by the follow-up');
  expect(await reviewsForDigest(db, ['ops'], '2026-W53')).toEqual([]);
});
