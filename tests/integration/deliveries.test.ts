/**
 * Delivery leases on DynamoDB Local (functions/store/deliveries.ts): of attempts at the same moment
 * exactly one works; a key whose work is done is dropped for a day; a lease blocks other attempts
 * until it is given back or runs out (its holder was killed), and then the next attempt works. The
 * clock is the test's: each call is told the instant it happens at.
 */
import type { Db } from '../../functions/store/client';
import {
  claimLease,
  completeLease,
  InProgressError,
  isDelivered,
  type Lease,
  once,
  releaseLease,
} from '../../functions/store/deliveries';
import { dropTable, freshTable } from '../support/db';
import { type TestClock, testClock } from '../support/test-clock';

const LEASE_MS = 15_000;
const DAY_MS = 24 * 60 * 60 * 1000;

let db: Db;
let clock: TestClock;
beforeAll(async () => {
  db = await freshTable();
});
beforeEach(() => {
  clock = testClock();
});
afterAll(() => dropTable(db));

let n = 0;
const freshKey = () => `test:${++n}`;
const at = (offsetMs: number) => new Date(clock.ms() + offsetMs);
const isLease = (claim: Lease | string): claim is Lease => typeof claim !== 'string';

it('of 12 attempts at the same moment exactly one gets the lease; the others hear it is in progress', async () => {
  const key = freshKey();
  const claims = await Promise.all(Array.from({ length: 12 }, () => claimLease(db, key, LEASE_MS, clock.now())));
  expect(claims.filter(isLease)).toHaveLength(1);
  expect(claims.filter((c) => !isLease(c))).toEqual(Array(11).fill('in-progress'));
});

it('a key whose work is done is refused as done, long after the lease, until a day has passed', async () => {
  const key = freshKey();
  const lease = await claimLease(db, key, LEASE_MS, clock.now());
  if (!isLease(lease)) throw new Error('expected the lease');
  await completeLease(db, lease, at(1_000));
  expect(await isDelivered(db, key, at(1_000))).toBe(true);
  expect(await claimLease(db, key, LEASE_MS, at(2_000))).toBe('done');
  expect(await claimLease(db, key, LEASE_MS, at(LEASE_MS + 60_000))).toBe('done');
  expect(await claimLease(db, key, LEASE_MS, at(1_000 + DAY_MS - 1_000))).toBe('done');
  // Expired, whether or not TTL has removed the item yet: the key can be worked on again.
  expect(await isDelivered(db, key, at(DAY_MS + 2_000))).toBe(false);
  expect(isLease(await claimLease(db, key, LEASE_MS, at(DAY_MS + 2_000)))).toBe(true);
});

it('a lease blocks other attempts until it runs out (its holder was killed); then the next attempt gets it', async () => {
  const key = freshKey();
  expect(isLease(await claimLease(db, key, LEASE_MS, clock.now()))).toBe(true);
  expect(await isDelivered(db, key, clock.now())).toBe(false); // in progress is not done
  expect(await claimLease(db, key, LEASE_MS, at(3_000))).toBe('in-progress');
  expect(await claimLease(db, key, LEASE_MS, at(LEASE_MS))).toBe('in-progress');
  expect(isLease(await claimLease(db, key, LEASE_MS, at(LEASE_MS + 1)))).toBe(true);
});

it('a lease given back can be taken at once', async () => {
  const key = freshKey();
  const lease = await claimLease(db, key, LEASE_MS, clock.now());
  if (!isLease(lease)) throw new Error('expected the lease');
  await releaseLease(db, lease);
  expect(isLease(await claimLease(db, key, LEASE_MS, at(1)))).toBe(true);
});

it('a holder whose lease ran out and was taken over can neither give it back nor mark it done', async () => {
  const key = freshKey();
  const late = await claimLease(db, key, LEASE_MS, clock.now());
  const next = await claimLease(db, key, LEASE_MS, at(LEASE_MS + 1));
  if (!isLease(late) || !isLease(next)) throw new Error('expected two leases one after the other');
  await releaseLease(db, late);
  expect(await claimLease(db, key, LEASE_MS, at(LEASE_MS + 2))).toBe('in-progress');
  await completeLease(db, late, at(LEASE_MS + 3));
  expect(await isDelivered(db, key, at(LEASE_MS + 3))).toBe(false);
  await completeLease(db, next, at(LEASE_MS + 4));
  expect(await claimLease(db, key, LEASE_MS, at(LEASE_MS + 5))).toBe('done');
});

describe('once', () => {
  const options = (offsetMs = 0) => ({ leaseMs: LEASE_MS, now: () => at(offsetMs) });

  it('does the work, then drops every repeat as already done', async () => {
    const key = freshKey();
    let runs = 0;
    expect(await once(db, key, options(), async () => ++runs)).toBe(1);
    expect(await once(db, key, options(1_000), async () => ++runs)).toBe('already-done');
    expect(runs).toBe(1);
  });

  it('work that fails gives the lease back and throws; the retry does the work', async () => {
    const key = freshKey();
    await expect(
      once(db, key, options(), async () => {
        throw new Error('Slack did not answer');
      }),
    ).rejects.toThrow('Slack did not answer');
    expect(await once(db, key, options(1_000), async () => 'posted')).toBe('posted');
  });

  it('a repeat while another attempt works is refused as in progress, without running; it works once that attempt failed', async () => {
    const key = freshKey();
    let fail!: (err: Error) => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = once(db, key, options(), () => {
      started();
      return new Promise((_, reject) => (fail = reject));
    });
    await running;
    let runs = 0;
    const repeat = once(db, key, options(3_000), async () => ++runs);
    await expect(repeat).rejects.toBeInstanceOf(InProgressError);
    fail(new Error('DynamoDB throttled'));
    await expect(first).rejects.toThrow('DynamoDB throttled');
    expect(await once(db, key, options(60_000), async () => ++runs)).toBe(1);
    expect(runs).toBe(1);
  });

  it('an attempt killed after taking the lease (it never finishes or gives it back) holds the key until the lease runs out', async () => {
    const key = freshKey();
    expect(isLease(await claimLease(db, key, LEASE_MS, clock.now()))).toBe(true); // then the process died
    let runs = 0;
    await expect(once(db, key, options(LEASE_MS - 1_000), async () => ++runs)).rejects.toBeInstanceOf(InProgressError);
    expect(runs).toBe(0);
    expect(await once(db, key, options(LEASE_MS + 1), async () => ++runs)).toBe(1);
    expect(await once(db, key, options(LEASE_MS + 2), async () => ++runs)).toBe('already-done');
  });
});
