/**
 * The request and company pages end to end, with the rights Slack has: the November history of
 * tests/support/web.ts (IT-1 met, IT-2 missed both targets), a reply from the requester and an
 * internal note from IT on IT-2. People sign in through `/sla web` links into the real app.
 */
import { act } from '../../functions/services/requests';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';
import { FIN_MEMBER, IT_MEMBER, seedNovember } from '../support/web';

const IT_HEAD = 'U0ITHEAD1';
const FIN_HEAD = 'U0FINHEAD';
const HR_HEAD = 'U0HRHEAD1';
const STRANGER = 'U0NOBODY1';
const ADMIN = 'U0ADMIN01';

let app: RunningSlackApp;
const clock = testClock();

async function signIn(user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text: 'web', user_id: user }));
  const url = /<(http[^|>]+)\|Open Kept on the web>/.exec((res.json() as { text: string }).text)?.[1];
  if (!url) throw new Error('no link');
  const landed = await fetch(url, { redirect: 'manual' });
  expect(landed.status).toBe(303);
  return landed.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function page(path: string, cookie?: string) {
  const res = await fetch(`${app.base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, html: await res.text() };
}

const cookies = new Map<string, string>();
async function as(user: string, path: string) {
  let cookie = cookies.get(user);
  if (!cookie) {
    cookie = await signIn(user);
    cookies.set(user, cookie);
  }
  return page(path, cookie);
}

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now, web: true });
  await seedNovember(app.db);
  const say = async (user: string, note: string, at: string, internal = false) => {
    const action = { type: 'comment' as const, note, ...(internal ? { side: 'provider' as const, internal } : {}) };
    const r = await act(app.db, { id: 'IT-2', user, action, now: new Date(at) });
    expect(r.outcome).toBe('done');
  };
  await say(FIN_MEMBER, 'Any news on this? I am locked out.', '2026-11-19T14:00:00Z');
  await say(IT_MEMBER, 'vendor portal is down again', '2026-11-19T14:30:00Z', true);
});
afterAll(() => app.stop());

describe('the request page', () => {
  it('shows its two sides the request: title, sides, status, priority, due times explained, the timeline', async () => {
    const { status, html } = await as(IT_MEMBER, '/web/requests/IT-2');
    expect(status).toBe(200);
    expect(html).toContain('<h1>IT-2 · Password reset</h1>');
    expect(html).toMatch(/<dt>Provider<\/dt><dd>IT<\/dd>/);
    expect(html).toMatch(/<dt>Customer<\/dt><dd>Finance<\/dd>/);
    expect(html).toMatch(/<dt>Status<\/dt><dd>Open<\/dd>/);
    expect(html).toMatch(/<dt>Priority<\/dt><dd>P1<\/dd>/);
    expect(html).toContain('<h2 id="due">Due times</h2>');
    expect(html).toContain('<h3 id="target-response">First response</h3>');
    expect(html).toMatch(/counted, so it is due <time datetime="2026-11-1\dT/);
    expect(html).toContain('<strong>Overdue</strong>');
    expect(html).toContain('Times are in IT’s time zone, America/New_York.');
    expect(html).toMatch(/<strong>It missed its first response target<\/strong>/);
    expect(html).toMatch(/<strong>It missed its resolution target<\/strong>/);
    // IT works it: the conversation with the internal note.
    expect(html).toContain('Any news on this? I am locked out.');
    expect(html).toContain('vendor portal is down again');
    expect(html).toContain('IT, internal note');
  });

  it('shows the requester the conversation without internal notes, and a member no penalties', async () => {
    const { status, html } = await as(FIN_MEMBER, '/web/requests/IT-2');
    expect(status).toBe(200);
    expect(html).toContain('Any news on this? I am locked out.');
    expect(html).not.toContain('vendor portal');
    expect(html).not.toContain('Penalties');
    expect((await as(IT_MEMBER, '/web/requests/IT-2')).html).not.toContain('<h2 id="penalties">');
  });

  it('shows the heads of both sides and admins what the misses cost', async () => {
    for (const user of [IT_HEAD, FIN_HEAD, ADMIN]) {
      const { status, html } = await as(user, '/web/requests/IT-2');
      expect(status).toBe(200);
      expect(html).toContain('<h2 id="penalties">Penalties</h2>');
      expect(html).toMatch(/<td class="num">\d+ points<\/td>/);
    }
    expect((await as(IT_HEAD, '/web/requests/IT-1')).html).toContain('No target was missed, so nothing is owed.');
  });

  it('tells anyone else the same as for a request that does not exist, and says nothing of it', async () => {
    const hidden = await as(STRANGER, '/web/requests/IT-2');
    const missing = await as(STRANGER, '/web/requests/IT-999');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.html).toContain('There is no request IT-2 that you can see.');
    expect(hidden.html.replace('IT-2', 'IT-999')).toBe(missing.html);
    expect(hidden.html).not.toContain('Password reset');
    // A head of another department is a stranger to this request too.
    expect((await as(HR_HEAD, '/web/requests/IT-2')).status).toBe(404);
  });

  it('answers an ID that is not one with the same page, and asks a signed-out browser to sign in', async () => {
    const odd = await as(STRANGER, '/web/requests/%3Cscript%3E');
    expect(odd.status).toBe(404);
    expect(odd.html).not.toContain('<script>');
    const out = await page('/web/requests/IT-2');
    expect(out.html).toContain('Sign in to Kept');
    expect(out.html).not.toContain('Password reset');
  });
});

describe('the company page', () => {
  it('shows an admin every agreement in one table, worst first, with the figures of /sla report company', async () => {
    const { status, html } = await as(ADMIN, '/web/company');
    expect(status).toBe(200);
    expect(html).toContain('<h1>The company · November 2026</h1>');
    const rows = [...html.matchAll(/<tr><td>([^<]+) <span class="note">\(([a-z-]+)\)<\/span><\/td>/g)].map((m) => m[2]);
    expect(rows[0]).toBe('it-for-finance'); // 50%: the only agreement with a miss
    expect(rows).toEqual(
      expect.arrayContaining(['it-for-finance', 'it-for-everyone', 'finance-for-people-ops', 'people-ops-for-support']),
    );
    expect(html).toMatch(
      /\(it-for-finance\)<\/span><\/td><td>IT<\/td><td>Finance<\/td><td class="num">2<\/td><td class="num">50%<\/td><td class="num">1<\/td>/,
    );
  });

  it('is linked from My departments for admins only', async () => {
    expect((await as(ADMIN, '/web')).html).toContain('<a href="/web/company">');
    expect((await as(IT_HEAD, '/web')).html).not.toContain('/web/company');
  });

  it('is not found for anyone else, heads included', async () => {
    for (const user of [IT_HEAD, IT_MEMBER, STRANGER]) {
      const { status, html } = await as(user, '/web/company');
      expect(status).toBe(404);
      expect(html).toContain('This page does not exist.');
      expect(html).not.toContain('it-for-finance');
    }
  });

  it('says which periods it takes when given another', async () => {
    const { status, html } = await as(ADMIN, '/web/company?period=yesterday');
    expect(status).toBe(400);
    expect(html).toContain('this-week, last-week, this-month');
  });
});

describe('recovery steps on the request page', () => {
  it('shows the cause written down, with its category and note, escaped', async () => {
    const note = 'Vendor <b>portal</b> was down';
    const done = await act(app.db, {
      id: 'IT-2',
      user: IT_MEMBER,
      action: { type: 'recover', step: 'cause', note, cause: { category: 'dependency', text: note } },
      now: new Date('2026-11-19T15:00:00Z'),
    });
    expect(done.outcome).toBe('done');
    const { html } = await as(IT_MEMBER, '/web/requests/IT-2');
    expect(html).toContain(
      'wrote down why it missed its target: Dependency, “Vendor &lt;b&gt;portal&lt;/b&gt; was down”',
    );
    expect(html).not.toContain('<b>portal</b>');
  });
});
