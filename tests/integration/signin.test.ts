/**
 * One-time sign-in links on DynamoDB Local (functions/services/signin.ts, store/signin.ts): a link
 * signs its person in once, within 5 minutes; of uses at the same moment exactly one works; a
 * guessed, malformed or expired token signs nobody in; the table never holds the token itself.
 */
import { hashToken, issueSignInLink, redeemSignIn, SIGNIN_VALID_MS } from '../../functions/services/signin';
import type { Db } from '../../functions/store/client';
import { allItems, dropTable, freshTable } from '../support/db';
import { testClock } from '../support/test-clock';

let db: Db;
const clock = testClock();
beforeAll(async () => {
  db = await freshTable();
});
afterAll(() => dropTable(db));

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const later = (ms: number) => new Date(clock.ms() + ms);

it('links to the dashboard under the base URL, and the link signs its person in once', async () => {
  const { url, until } = await issueSignInLink(db, 'U0ITHEAD1', 'https://kept.example.com', clock.now());
  expect(url).toMatch(/^https:\/\/kept\.example\.com\/web\/signin\?token=[A-Za-z0-9_-]{43}$/);
  expect(until.getTime()).toBe(clock.ms() + SIGNIN_VALID_MS);
  expect(await redeemSignIn(db, tokenOf(url), later(1000))).toBe('U0ITHEAD1');
  expect(await redeemSignIn(db, tokenOf(url), later(2000))).toBeUndefined();
});

it('of eight uses at the same moment exactly one signs in', async () => {
  const { url } = await issueSignInLink(db, 'U0ITMEM01', 'http://127.0.0.1:3000', clock.now());
  const uses = await Promise.all(Array.from({ length: 8 }, () => redeemSignIn(db, tokenOf(url), later(10))));
  expect(uses.filter((u) => u === 'U0ITMEM01')).toHaveLength(1);
  expect(uses.filter((u) => u === undefined)).toHaveLength(7);
});

it('works up to its last moment and not after', async () => {
  const a = await issueSignInLink(db, 'U0FINHEAD', 'http://127.0.0.1:3000', clock.now());
  const b = await issueSignInLink(db, 'U0FINHEAD', 'http://127.0.0.1:3000', clock.now());
  expect(await redeemSignIn(db, tokenOf(a.url), later(SIGNIN_VALID_MS - 1))).toBe('U0FINHEAD');
  expect(await redeemSignIn(db, tokenOf(b.url), later(SIGNIN_VALID_MS))).toBeUndefined();
});

it('a guessed, malformed or missing token signs nobody in and writes nothing', async () => {
  const before = (await allItems(db)).length;
  for (const token of ['A'.repeat(43), 'x', '', '../../etc', `${'A'.repeat(42)}!`, undefined, ['a'], 42])
    expect(await redeemSignIn(db, token, clock.now())).toBeUndefined();
  expect((await allItems(db)).length).toBe(before);
});

it('the table keeps only the hash of a token, with a TTL', async () => {
  const { url } = await issueSignInLink(db, 'U0SUPHEAD', 'http://127.0.0.1:3000', clock.now());
  const token = tokenOf(url);
  const items = await allItems(db);
  expect(JSON.stringify(items)).not.toContain(token);
  const item = items.find((i) => i.pk === `SIGNIN#${hashToken(token)}`);
  expect(item).toMatchObject({ sk: 'SIGNIN', user: 'U0SUPHEAD', until: clock.ms() + SIGNIN_VALID_MS });
  expect(item?.expiresAt).toEqual(expect.any(Number));
});
