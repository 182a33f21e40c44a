/**
 * The agreement page end to end (docs/web.md): examples/company.yaml with a November of requests
 * (IT-1 met, IT-2 breached both targets), people signed in through `/sla web` links from the real
 * app, pages and the ledger's CSV fetched from the same server. Slack's rights: either side's
 * members see compliance, only heads and admins the ledger; anyone else gets the page an agreement
 * that does not exist gets.
 */
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';
import { FIN_MEMBER, seedNovember } from '../support/web';

const IT_HEAD = 'U0ITHEAD1';
const FIN_HEAD = 'U0FINHEAD';
const SUPPORT_MEMBER = 'U0SUPMEM1';
const PAGE = '/web/agreements/it-for-finance';

let app: RunningSlackApp;
/** Tuesday 24 November 2026 in New York. */
const clock = testClock();

async function signIn(user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text: 'web', user_id: user }));
  const url = /<(http[^|>]+)\|Open Kept on the web>/.exec((res.json() as { text: string }).text)?.[1];
  if (!url) throw new Error('no link');
  const landed = await fetch(url, { redirect: 'manual' });
  expect(landed.status).toBe(303);
  return landed.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function get(path: string, cookie?: string) {
  const res = await fetch(`${app.base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const sessions: Record<string, string> = {};
const as = async (user: string) => (sessions[user] ??= await signIn(user));

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now, web: true });
  await seedNovember(app.db);
});
afterAll(() => app.stop());

it('My departments links each agreement, on both sides, to its page', async () => {
  const it = await get('/web', await as(IT_HEAD));
  expect(it.body).toContain(`<a href="${PAGE}">Laptops and accounts</a>`);
  const finance = await get('/web', await as(FIN_MEMBER));
  expect(finance.body).toContain(`<a href="${PAGE}">Laptops and accounts</a>`);
});

it('a member of the customer sees the terms, compliance and breakdowns, but no penalty, ledger or CSV', async () => {
  const page = await get(PAGE, await as(FIN_MEMBER));
  expect(page.status).toBe(200);
  expect(page.body).toContain('<h1>Laptops and accounts</h1>');
  expect(page.body).toContain('IT promises Finance');
  expect(page.body).toMatch(
    /<span class="n">2<\/span> <span class="what">requests<\/span><\/li><li><span class="n">50%<\/span> <span class="what">compliance/,
  );
  expect(page.body).toContain(
    '<th scope="row">2026-W47</th><td class="num">2</td><td class="num">1</td><td class="num">1</td><td class="num">50%</td>',
  );
  // IT-2 was filed on Tuesday at 10:00 in New York.
  expect(page.body).toContain('<td>Tuesday</td><td>10:00</td><td class="num">1</td>');
  expect(page.body).not.toMatch(/ledger\.csv|Penalty ledger|owed|IT-2/);
  expect(page.body).toContain('Penalties and the ledger are shown to the heads of both departments and Kept admins.');
  const csv = await get(`${PAGE}/ledger.csv?month=2026-11`, await as(FIN_MEMBER));
  expect(csv.status).toBe(403);
  expect(csv.headers.get('content-disposition')).toBeNull();
  expect(csv.body).toContain('The ledger is for heads');
});

it("the provider's head sees November's ledger and downloads it as CSV", async () => {
  const page = await get(PAGE, await as(IT_HEAD));
  expect(page.body).toContain('Penalty ledger, November 2026');
  expect(page.body).toMatch(
    /<td><a href="\/web\/requests\/IT-2">IT-2<\/a><\/td><td>response<\/td><td>Penalty<\/td><td class="num">50 points<\/td>/,
  );
  expect(page.body).toContain(`href="${PAGE}/ledger.csv?month=2026-11" download`);
  // Each charge links to its request's page, which the head may open.
  const request = await get('/web/requests/IT-2', await as(IT_HEAD));
  expect(request.status).toBe(200);
  expect(request.body).toContain('IT-2');
  const csv = await get(`${PAGE}/ledger.csv?month=2026-11`, await as(IT_HEAD));
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toContain('text/csv');
  expect(csv.headers.get('content-disposition')).toBe('attachment; filename="it-for-finance-ledger-2026-11.csv"');
  const rows = csv.body.trim().split('\r\n');
  expect(rows[0]).toBe('date,request,target,type,amount,unit,by,reason');
  expect(rows.slice(1).map((r) => r.split(',').slice(1, 6).join(','))).toEqual([
    'IT-2,response,penalty,50,points',
    'IT-2,resolution,penalty,50,points',
  ]);
  // The customer's head sees it too; October was empty.
  const october = await get(`${PAGE}?month=2026-10`, await as(FIN_HEAD));
  expect(october.body).toContain('Penalty ledger, October 2026');
  expect(october.body).toContain('Nothing was charged or waived this month.');
});

it('someone in neither department gets the same page as for an agreement that does not exist, for the page and its CSV', async () => {
  const cookie = await as(SUPPORT_MEMBER);
  const theirs = await get(PAGE, cookie);
  const none = await get('/web/agreements/no-such-thing', cookie);
  expect(theirs.status).toBe(404);
  expect(none.status).toBe(404);
  expect(theirs.body).toBe(none.body);
  expect(theirs.body).toContain('There is no agreement here that you can see');
  expect(theirs.body).not.toMatch(/Laptops|IT promises|Finance/);
  const csv = await get(`${PAGE}/ledger.csv?month=2026-11`, cookie);
  expect(csv.status).toBe(404);
  expect(csv.body).toBe(none.body);
  expect(csv.headers.get('content-disposition')).toBeNull();
  // Signed out: how to sign in, nothing about the agreement.
  const out = await get(PAGE);
  expect(out.body).toContain('Sign in to Kept');
  expect(out.body).not.toContain('Laptops');
});

it('a month that is not a month gets a clear answer', async () => {
  const page = await get(`${PAGE}?month=2026-13`, await as(IT_HEAD));
  expect(page.status).toBe(400);
  expect(page.body).toContain('is not a month');
  expect((await get(`${PAGE}/ledger.csv?month=nope`, await as(IT_HEAD))).status).toBe(400);
});

it("lets the page load scripts from Kept only, with no eval, and serves them for a year's caching", async () => {
  const page = await get(PAGE, await as(FIN_MEMBER));
  const csp = page.headers.get('content-security-policy')!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  expect(page.headers.get('cache-control')).toBe('no-store');
  const scripts = [...page.body.matchAll(/<script (?:defer|type="module") src="([^"]+)"/g)].map((m) => m[1]!);
  expect(scripts.map((s) => s.split('?')[0])).toEqual([
    '/web/assets/vega.min.js',
    '/web/assets/vega-lite.min.js',
    '/web/assets/vega-embed.min.js',
    '/web/assets/charts.js',
  ]);
  for (const src of scripts) {
    const file = await get(src);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('javascript');
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  }
  const charts = await get(scripts[3]!);
  expect(charts.body).toMatch(/from '\.\/vega-interpreter\.js\?v=[\w-]+'/);
  const interpreter = await get('/web/assets/vega-interpreter.js');
  expect(interpreter.body).toContain('globalThis.vega');
  expect(interpreter.body).not.toMatch(/from 'vega-util'/);
  expect((await get('/web/assets/../../package.json')).status).toBe(404);
  expect((await get('/web/assets/nothing.js')).status).toBe(404);
});
