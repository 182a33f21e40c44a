/**
 * Claims with a lease (functions/store/claims.ts) on DynamoDB Local: of runs claiming at once, one
 * claims; a claim whose lease ran out is taken over by one run; a claim marked done is never taken
 * again; a claim given back is claimed afresh; only the run holding a claim can mark it done.
 */
import {
  type ClaimOutcome,
  type ClaimRequest,
  claimOnce,
  markClaimed,
  releaseClaim,
} from '../../functions/store/claims';
import type { Db } from '../../functions/store/client';
import { allItems, dropTable, freshTable } from '../support/db';

const AT = Date.parse('2026-12-07T08:00:00Z');
const LEASE_MS = 6 * 60_000;
const KEY = { pk: 'DIGEST#C-TEST', sk: 'WEEK#2026-W50' };
const STATE = { attribute: 'state', done: 'posted' };
const runs = (name: string) => [1, 2, 3, 4, 5].map((n) => `${name}-${n}`);
const RUNS = runs('run');

let db: Db;
beforeEach(async () => {
  db = await freshTable();
});
afterEach(async () => {
  await dropTable(db);
});

const request = (owner: string, at: number): ClaimRequest => ({
  key: KEY,
  item: { state: 'posting', claimedAt: at, attempts: 1, expiresAt: 1_900_000_000 },
  state: STATE,
  owner,
  at,
  leaseMs: LEASE_MS,
  takeOver: { set: { state: 'checking', claimedAt: at }, countAttempts: true },
});

/** Five runs (`names`) claim at `at` at once: each one's outcome, by run. */
async function fiveClaim(at: number, names = RUNS): Promise<Record<string, ClaimOutcome['kind']>> {
  const outcomes = await Promise.all(names.map((run) => claimOnce(db, request(run, at))));
  return Object.fromEntries(names.map((run, i) => [run, outcomes[i]!.kind]));
}
const count = (outcomes: Record<string, string>, kind: string) =>
  Object.values(outcomes).filter((k) => k === kind).length;
const winner = (outcomes: Record<string, string>, kind: string) =>
  Object.keys(outcomes).find((run) => outcomes[run] === kind)!;

it('of five runs claiming at once, one claims and four are told it is busy; the item is as given', async () => {
  const outcomes = await fiveClaim(AT);
  expect(count(outcomes, 'claimed')).toBe(1);
  expect(count(outcomes, 'busy')).toBe(4);
  expect(await allItems(db)).toEqual([
    {
      ...KEY,
      state: 'posting',
      claimedAt: AT,
      attempts: 1,
      expiresAt: 1_900_000_000,
      owner: winner(outcomes, 'claimed'),
      leaseUntil: AT + LEASE_MS,
    },
  ]);
  // A lease still live a moment before it ends keeps everyone else out.
  expect(count(await fiveClaim(AT + LEASE_MS - 1), 'busy')).toBe(5);
});

it('a claim whose lease ran out is taken over by one of five runs, and its first owner can no longer mark it', async () => {
  const first = winner(await fiveClaim(AT), 'claimed');
  const later = AT + LEASE_MS;
  const outcomes = await fiveClaim(later, runs('later'));
  expect(count(outcomes, 'takenOver')).toBe(1);
  expect(count(outcomes, 'busy')).toBe(4);
  const second = winner(outcomes, 'takenOver');
  expect(await allItems(db)).toEqual([
    {
      ...KEY,
      state: 'checking',
      claimedAt: later,
      attempts: 2,
      expiresAt: 1_900_000_000,
      owner: second,
      leaseUntil: later + LEASE_MS,
    },
  ]);

  expect(await markClaimed(db, KEY, first, { state: 'posted', postedTs: '1.1' })).toBe(false);
  expect(await markClaimed(db, KEY, second, { state: 'posted', postedTs: '2.2', postedAt: later + 1 })).toBe(true);
  const [item] = await allItems(db);
  expect(item).toMatchObject({ state: 'posted', postedTs: '2.2', postedAt: later + 1, owner: second });
  expect(item).not.toHaveProperty('leaseUntil');
});

it('a claim marked done is never taken again, however late and however many runs try', async () => {
  const first = winner(await fiveClaim(AT), 'claimed');
  expect(await markClaimed(db, KEY, first, { state: 'posted', postedTs: '1.1' })).toBe(true);
  const done = await allItems(db);

  for (const at of [AT + 1, AT + LEASE_MS, AT + 100 * LEASE_MS]) {
    const outcomes = await Promise.all(RUNS.map((run) => claimOnce(db, request(run, at))));
    for (const outcome of outcomes)
      expect(outcome).toEqual({ kind: 'done', held: expect.objectContaining({ state: 'posted', postedTs: '1.1' }) });
  }
  // Nor given back by anyone, its owner included.
  await releaseClaim(db, KEY, first, STATE);
  expect(await allItems(db)).toEqual(done);
});

it('a claim given back by its owner is claimed afresh; nobody else can give it back', async () => {
  const first = winner(await fiveClaim(AT), 'claimed');
  const other = RUNS.find((run) => run !== first)!;
  await releaseClaim(db, KEY, other, STATE);
  expect(await allItems(db)).toHaveLength(1);

  await releaseClaim(db, KEY, first, STATE);
  expect(await allItems(db)).toEqual([]);
  const outcomes = await fiveClaim(AT + 1);
  expect(count(outcomes, 'claimed')).toBe(1);
  expect(count(outcomes, 'busy')).toBe(4);
  expect((await allItems(db))[0]).toMatchObject({ attempts: 1, claimedAt: AT + 1 });
});

it('a take-over without counted attempts sets only the owner and the lease', async () => {
  const key = { pk: 'REVIEW#A-1', sk: 'tier:2026-12' };
  const review = (owner: string, at: number): ClaimRequest => ({
    key,
    item: { agreementId: 'A-1', hand: 'handing', expiresAt: 1_900_000_000 },
    state: { attribute: 'hand', done: 'handed' },
    owner,
    at,
    leaseMs: LEASE_MS,
  });
  expect(await claimOnce(db, review('run-1', AT))).toEqual({ kind: 'claimed' });
  expect(await claimOnce(db, review('run-2', AT + LEASE_MS))).toMatchObject({
    kind: 'takenOver',
    held: { owner: 'run-1', leaseUntil: AT + LEASE_MS },
  });
  expect(await allItems(db)).toEqual([
    {
      ...key,
      agreementId: 'A-1',
      hand: 'handing',
      expiresAt: 1_900_000_000,
      owner: 'run-2',
      leaseUntil: AT + 2 * LEASE_MS,
    },
  ]);
});
