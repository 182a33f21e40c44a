/**
 * The web dashboard end to end: examples/company.yaml with a November of requests (one met, one
 * breached), a signed `/sla web` into the real app, the link taken from its ephemeral answer and
 * opened against the same server. The link lands on "My departments" with the department's
 * compliance; used again it signs nobody in. Also through the Lambda handlers: the link from the
 * Slack function, the pages from the web function.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { parseWebConfig } from '../../functions/config';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { createWebLambdaHandler } from '../../functions/web/lambda';
import { testConfig } from '../support/config';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { FORM, httpApiEvent, postSigned, signature, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';
import { seedNovember } from '../support/web';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const STRANGER = 'U0NOBODY1';

let app: RunningSlackApp;
/** Tuesday 24 November 2026 in New York: "this month" is November whatever today is. */
const clock = testClock();

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  const body = res.json() as { response_type: string; text: string };
  expect(body.response_type).toBe('ephemeral');
  return body.text;
}

/** The link in `/sla web`'s answer, as Slack shows it: `<url|label>`. */
async function linkFor(user: string): Promise<string> {
  const text = await sla('web', user);
  const url = /<(http[^|>]+)\|Open Kept on the web>/.exec(text)?.[1];
  if (!url) throw new Error(`no link in: ${text}`);
  return url;
}

/** Opens a link as a browser would, without following the redirect: the answer and the session cookie. */
async function open(url: string, cookie?: string) {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  return { status: res.status, location: res.headers.get('location'), cookie: set[0], html: await res.text(), res };
}

/** Signs `user` in through a fresh link: the cookie to send. */
async function signIn(user: string): Promise<string> {
  const landed = await open(await linkFor(user));
  expect(landed.status).toBe(303);
  return landed.cookie!;
}

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now, web: true });
  await seedNovember(app.db);
});
afterAll(() => app.stop());

describe('/sla web', () => {
  it('answers only the asker with a personal link to the dashboard on this server, valid 5 minutes', async () => {
    const text = await sla('web', IT_HEAD);
    expect(text).toMatch(new RegExp(`<${app.base}/web/signin\\?token=[A-Za-z0-9_-]{43}\\|Open Kept on the web>`));
    expect(text).toContain('5 minutes');
  });

  it('gives a different link every time', async () => {
    expect(await linkFor(IT_HEAD)).not.toBe(await linkFor(IT_HEAD));
  });

  it('says what it takes when given more words, and makes no link', async () => {
    expect(await sla('web please', IT_HEAD)).toContain('`/sla web` takes no more words');
  });
});

describe('the one-time link', () => {
  it('lands a head on a page that names the department and shows its compliance; used again, it signs nobody in', async () => {
    const link = await linkFor(IT_HEAD);
    const landed = await open(link);
    expect(landed.status).toBe(303);
    expect(landed.location).toBe('/web');
    const attributes = landed.res.headers.getSetCookie()[0]!;
    expect(attributes).toMatch(/HttpOnly/i);
    expect(attributes).toMatch(/SameSite=Lax/i);
    expect(attributes).not.toMatch(/Secure/i); // http on 127.0.0.1
    const page = await open(`${app.base}/web`, landed.cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h2 id="dept-it">IT</h2>');
    expect(page.html).toMatch(/<span class="n">50%<\/span> <span class="what">compliance<\/span>/);
    expect(page.html).toContain('November 2026');

    const again = await open(link);
    expect(again.status).toBe(410);
    expect(again.cookie).toBeUndefined();
    expect(again.html).toContain('This sign-in link no longer works');
    expect(again.html).toContain('/sla web');
  });

  it('a made-up token signs nobody in', async () => {
    const guessed = await open(`${app.base}/web/signin?token=${'A'.repeat(43)}`);
    expect(guessed.status).toBe(410);
    expect(guessed.cookie).toBeUndefined();
  });

  it('a link 5 minutes old signs nobody in', async () => {
    const link = await linkFor(IT_HEAD);
    clock.advance(5 * 60 * 1000);
    try {
      const late = await open(link);
      expect(late.status).toBe(410);
      expect(late.cookie).toBeUndefined();
    } finally {
      clock.advance(-5 * 60 * 1000);
    }
  });
});

describe('My departments', () => {
  it('without a session explains how to sign in', async () => {
    const page = await open(`${app.base}/web`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Sign in to Kept');
    expect(page.html).toContain('<code>/sla web</code>');
    expect(page.res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('a cookie someone changed is no session', async () => {
    const cookie = await signIn(IT_MEMBER);
    const [name, value] = cookie.split('=');
    const page = await open(`${app.base}/web`, `${name}=${value!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`);
    expect(page.html).toContain('Sign in to Kept');
  });

  it("shows a head the department's penalties, and members the same figures without them", async () => {
    const head = await open(`${app.base}/web`, await signIn(IT_HEAD));
    expect(head.html).toMatch(/\d+ points<\/span> <span class="what">penalties owed/);
    const member = await open(`${app.base}/web`, await signIn(IT_MEMBER));
    expect(member.html).toContain('<h2 id="dept-it">IT</h2>');
    expect(member.html).toContain('50%');
    expect(member.html).not.toMatch(/points|penalties owed/);
    expect(member.html).toContain("Penalties are shown to the department's heads and Kept admins.");
  });

  it('shows the customer what it receives from other departments', async () => {
    const page = await open(`${app.base}/web`, await signIn(FIN_HEAD));
    expect(page.html).toContain('<h2 id="dept-finance">Finance</h2>');
    expect(page.html).toContain('What Finance receives');
    expect(page.html).toMatch(
      /<td>IT<\/td><td><a href="\/web\/agreements\/it-for-finance">Laptops and accounts<\/a><\/td><td class="num">2<\/td><td class="num">50%<\/td><td class="num">1<\/td>/,
    );
  });

  it('tells someone in no department so, kindly', async () => {
    const page = await open(`${app.base}/web`, await signIn(STRANGER));
    expect(page.html).toContain('You are not in any department in Kept yet');
  });

  it('signing out ends the session on this browser', async () => {
    const cookie = await signIn(IT_HEAD);
    const res = await fetch(`${app.base}/web/signout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie()[0]).toMatch(/kept_session=;.*Max-Age=0/i);
  });
});

/** A browser's GET through API Gateway's HTTP API (payload 2.0) to the web function. */
function pageEvent(path: string, query = '', cookie?: string): APIGatewayProxyEventV2 {
  const base = httpApiEvent('', {});
  const routeKey = path === '/web' || path === '/' ? `GET ${path}` : 'GET /web/{proxy+}';
  return {
    ...base,
    routeKey,
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...(cookie ? { cookie } : {}) },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    body: undefined,
    requestContext: { ...base.requestContext, routeKey, http: { ...base.requestContext.http, method: 'GET', path } },
  };
}

describe('through the Lambda functions', () => {
  const PUBLIC_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
  const context = { awsRequestId: 'req-web', functionName: 'kept-web' } as Context;

  it('the web function answers the pages with its own session key and no Slack secret; the Slack function still answers /sla web', async () => {
    const slack = createSlackLambdaHandler(
      async () =>
        testConfig({
          slackApiUrl: app.fake.url,
          table: app.db.table,
          endpoint: testEndpoint(),
          env: { KEPT_PUBLIC_URL: PUBLIC_URL },
        }),
      outboxFromConfig,
      undefined,
      { now: clock.now },
    );
    // What the web function loads in AWS (functions/secrets.ts): no SLACK_* setting at all.
    const web = createWebLambdaHandler(
      async () =>
        parseWebConfig({
          KEPT_TABLE: app.db.table,
          DYNAMODB_ENDPOINT: testEndpoint(),
          KEPT_PUBLIC_URL: PUBLIC_URL,
          KEPT_WEB_SESSION_KEY: 'k'.repeat(64),
        }),
      { now: clock.now },
    );

    const signedOut = await web(pageEvent('/web'), context);
    expect(signedOut.statusCode).toBe(200);
    expect(String(signedOut.headers?.['content-type'])).toContain('text/html');
    expect(signedOut.body).toContain('Sign in to Kept');

    const command = slashCommand({ text: 'web', user_id: IT_HEAD });
    const answer = await slack(httpApiEvent(command, { 'content-type': FORM, ...signature(command) }), context);
    expect(answer.statusCode).toBe(200);
    const link = /<(https:[^|>]+)\|Open Kept on the web>/.exec(JSON.parse(answer.body!).text)?.[1];
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/web/signin\\?token=`));
    await slack.idle();

    const url = new URL(link!);
    const landed = await web(pageEvent(url.pathname, url.search.slice(1)), context);
    expect(landed.statusCode).toBe(303);
    const cookie = landed.cookies?.[0] ?? '';
    expect(cookie).toMatch(/^kept_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/Secure/); // https outside this machine
    const page = await web(pageEvent('/web', '', cookie.split(';')[0]), context);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="dept-it">IT</h2>');
    // A cookie of the local server (keyed from the signing secret) is no session here.
    const local = await signIn(IT_HEAD);
    expect((await web(pageEvent('/web', '', local), context)).body).toContain('Sign in to Kept');
  });

  it('the Slack function no longer answers the pages: a GET without a Slack signature is refused', async () => {
    const slack = createSlackLambdaHandler(
      async () => testConfig({ slackApiUrl: app.fake.url, table: app.db.table, endpoint: testEndpoint() }),
      outboxFromConfig,
      undefined,
      { now: clock.now },
    );
    expect((await slack(pageEvent('/web'), context)).statusCode).toBe(401);
    await slack.idle();
  });
});
