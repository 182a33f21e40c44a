/**
 * The web dashboard (docs/web.md): a Hono app, the same in Node (`npm start`, web/node.ts) and in
 * its own Lambda function (web/handler.ts, web/lambda.ts). Pages are server-rendered HTML (pages.ts); the person is named
 * by a signed session cookie (session.ts) set by a one-time link from `/sla web`.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { type Config, publicUrl } from '../config';
import { logger } from '../log';
import { redeemSignIn, SIGNIN_PATH } from '../services/signin';
import type { Db } from '../store/client';
import { readAgreement } from './agreement';
import { agreementPage, badMonthPage, ledgerForHeadsPage, noSuchAgreementPage } from './agreement-page';
import { ASSET_CACHE, ASSETS_PATH, asset, chartScripts } from './assets';
import { badPeriodPage, COMPANY_PATH, companyPage, readCompanyPage } from './company-page';
import { readDashboard } from './dashboard';
import { ledgerCsv } from './ledger-csv';
import { dashboardPage, linkNotValidPage, notFoundPage, signInPage } from './pages';
import { noSuchRequestPage, readRequestPage, requestPage } from './request-page';
import { openSession, SESSION_COOKIE, SESSION_MS, sealSession, secureCookies, webSessionKey } from './session';

export const WEB_HOME = '/web';

export interface WebDeps {
  /** KEPT_WEB_SESSION_KEY in the web function; locally the key is derived from SLACK_SIGNING_SECRET. */
  config: Pick<Config, 'KEPT_ADMINS' | 'KEPT_PUBLIC_URL' | 'PORT'> &
    Partial<Pick<Config, 'SLACK_SIGNING_SECRET' | 'KEPT_WEB_SESSION_KEY'>>;
  db: Db;
  now?: () => Date;
}

/** No script, no frames, no framing, no referrer (a sign-in link must not leak), nothing cached. */
const HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The chart pages' policy: scripts only from Kept itself (assets.ts). No 'unsafe-eval': Vega's
 * expressions run in its interpreter (`ast: true, expr: expressionInterpreter`), not `new Function`.
 * Styles inline (ours and vega-embed's tooltip), images from Kept or data URLs (Vega's own).
 */
const CHART_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SORRY = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kept</title></head><body><main><h1>Sorry, Kept could not show this page just now</h1><p>Please reload it in a minute. If it keeps happening, tell a Kept admin.</p></main></body></html>`;

export function createWebApp({ config, db, now = () => new Date() }: WebDeps): Hono {
  const key = webSessionKey(config);
  const secure = secureCookies(publicUrl(config));
  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    // A route may set its own (the chart pages' CSP, the assets' caching); the rest get the defaults.
    for (const [name, value] of Object.entries(HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });

  app.get('/', (c) => c.redirect(WEB_HOME, 302));

  app.get(WEB_HOME, async (c) => {
    const user = openSession(key, getCookie(c, SESSION_COOKIE), now());
    if (!user) return c.html(signInPage());
    return c.html(dashboardPage(await readDashboard(db, user, config.KEPT_ADMINS, now())));
  });

  // A request's page: only for those who may see it; everyone else the same "no such request".
  app.get('/web/requests/:id', async (c) => {
    const user = openSession(key, getCookie(c, SESSION_COOKIE), now());
    if (!user) return c.html(signInPage());
    const id = c.req.param('id');
    const view = await readRequestPage(db, user, config.KEPT_ADMINS, id, now());
    return view ? c.html(requestPage(view)) : c.html(noSuchRequestPage(id), 404);
  });

  // Every agreement, worst first: Kept admins only; anyone else sees the not-found page.
  app.get(COMPANY_PATH, async (c) => {
    const user = openSession(key, getCookie(c, SESSION_COOKIE), now());
    if (!user) return c.html(signInPage());
    if (!config.KEPT_ADMINS.includes(user)) return c.html(notFoundPage(), 404);
    const report = await readCompanyPage(db, user, c.req.query('period'), now());
    return report.ok ? c.html(companyPage(report.value)) : c.html(badPeriodPage(report.error), 400);
  });

  app.get(SIGNIN_PATH, async (c) => {
    const at = now();
    const user = await redeemSignIn(db, c.req.query('token'), at);
    if (!user) return c.html(linkNotValidPage(), 410);
    setCookie(c, SESSION_COOKIE, sealSession(key, user, at), {
      httpOnly: true,
      sameSite: 'Lax',
      secure,
      path: '/',
      maxAge: SESSION_MS / 1000,
    });
    logger.info('signed in to the web dashboard', { user });
    return c.redirect(WEB_HOME, 303);
  });

  // A form post: SameSite=Lax keeps other sites from signing a person out.
  app.post('/web/signout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
    return c.redirect(WEB_HOME, 303);
  });

  // The agreement page and its ledger's CSV (agreement.ts, agreement-page.ts, ledger-csv.ts), and the
  // scripts its charts need (assets.ts): Slack's rights, one page for "no such" and "not yours".
  app.get(`${ASSETS_PATH}/:name`, (c) => {
    const file = asset(c.req.param('name'));
    if (!file) return c.html(notFoundPage(), 404);
    return c.body(file.body, 200, { 'content-type': file.type, 'cache-control': ASSET_CACHE });
  });

  // Scripts that cannot be read (a bundle without them) cost the charts, not the page: its tables stay.
  const scriptsOrNone = () => {
    try {
      return chartScripts();
    } catch (err) {
      logger.error('chart scripts not found: the agreement page is shown without charts', {
        error: (err as Error).message,
      });
      return undefined;
    }
  };

  const agreementFor = async (c: Context, user: string) =>
    readAgreement(db, {
      id: c.req.param('id') ?? '',
      user,
      admins: config.KEPT_ADMINS,
      month: c.req.query('month'),
      now: now(),
    });

  app.get('/web/agreements/:id', async (c) => {
    const user = openSession(key, getCookie(c, SESSION_COOKIE), now());
    if (!user) return c.html(signInPage());
    const read = await agreementFor(c, user);
    if (!read.ok)
      return read.reason === 'bad-month'
        ? c.html(badMonthPage(c.req.param('id'), read.month), 400)
        : c.html(noSuchAgreementPage(), 404);
    c.header('content-security-policy', CHART_CSP);
    return c.html(agreementPage(read.view, scriptsOrNone()));
  });

  app.get('/web/agreements/:id/ledger.csv', async (c) => {
    const user = openSession(key, getCookie(c, SESSION_COOKIE), now());
    if (!user) return c.html(signInPage(), 401);
    const read = await agreementFor(c, user);
    if (!read.ok)
      return read.reason === 'bad-month'
        ? c.html(badMonthPage(c.req.param('id'), read.month), 400)
        : c.html(noSuchAgreementPage(), 404);
    const ledger = read.view.ledger;
    // A member who is not a head: the agreement exists for them, its ledger is for heads.
    if (!ledger) return c.html(ledgerForHeadsPage(read.view.id), 403);
    return c.body(ledgerCsv(ledger.entries), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${read.view.id}-ledger-${ledger.month}.csv"`,
    });
  });

  app.notFound((c) => c.html(notFoundPage(), 404));
  app.onError((err, c) => {
    logger.error('web page failed', { path: c.req.path, error: err.message });
    return c.html(SORRY, 500);
  });
  return app;
}
