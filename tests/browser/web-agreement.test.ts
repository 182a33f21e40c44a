/**
 * The agreement page in a real browser (Debian's chromium through playwright-core): the real app
 * with a November of requests (IT-1 met, IT-2 breached both targets). IT's head follows a `/sla web`
 * link, sees IT's 50% on My departments, opens the agreement, and its charts are drawn by vega-embed
 * under the page's strict CSP (no eval, scripts from Kept only): hovering a week shows its tooltip.
 * The ledger downloads as CSV. A member of another department gets the not-found page.
 * CHROMIUM_PATH names the browser (default /usr/bin/chromium). KEPT_WEB_SCREENSHOTS=<dir> saves
 * the two pages as web-dashboard.png and web-agreement.png (`npm run screenshots`, docs/web.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { webInBrowser } from '../support/browser';

const SHOTS = process.env.KEPT_WEB_SCREENSHOTS;
const IT_HEAD = 'U0ITHEAD1';
const SUPPORT_MEMBER = 'U0SUPMEM1';

const web = webInBrowser();

/** Everything the browser complains about: script errors and CSP refusals (an eval would be one). */
function complaints(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    // The browser's own favicon request is none of the page's doing.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) seen.push(m.text());
  });
  page.on('pageerror', (e) => seen.push(e.message));
  return seen;
}

it("a head opens an agreement from My departments, hovers its chart and downloads the ledger; another department's member sees nothing", async () => {
  const context = await web.browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = complaints(page);

  await page.goto(await web.linkFor(IT_HEAD));
  const it = page.getByRole('region', { name: 'IT', exact: true });
  expect(await it.locator('.figures li', { hasText: 'compliance' }).textContent()).toBe('50% compliance');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'web-dashboard.png'), fullPage: true });

  await it.getByRole('link', { name: 'Laptops and accounts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Laptops and accounts' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/web/agreements/it-for-finance');

  // The charts are drawn: an svg in each box, with the week's point to hover.
  const trend = page.locator('#trend');
  await trend.locator('svg').waitFor();
  await page.locator('#heat svg').waitFor();
  // Only W47 had a request finish: the one point drawn (weeks without a figure break the line).
  const point = trend.locator('svg .mark-symbol path');
  expect(await point.count()).toBe(1);
  await point.hover();
  const tip = page.locator('#vg-tooltip-element.visible');
  await tip.waitFor();
  expect(await tip.textContent()).toContain('2026-W47');
  expect(await tip.textContent()).toContain('50.0');
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'web-agreement.png'), fullPage: true });

  // The ledger's CSV, as a download.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download November 2026 as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('it-for-finance-ledger-2026-11.csv');
  const rows = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(rows[0]).toBe('date,request,target,type,amount,unit,by,reason');
  expect(rows.slice(1).map((r) => r.split(',').slice(1, 6).join(','))).toEqual([
    'IT-2,response,penalty,50,points',
    'IT-2,resolution,penalty,50,points',
  ]);
  expect(errors).toEqual([]);
  await context.close();

  const other = await web.browser.newContext();
  const stranger = await other.newPage();
  stranger.setDefaultTimeout(20_000);
  await stranger.goto(await web.linkFor(SUPPORT_MEMBER));
  const answer = await stranger.goto(`${web.app.base}/web/agreements/it-for-finance`);
  expect(answer?.status()).toBe(404);
  await stranger.getByRole('heading', { name: 'There is no agreement here that you can see' }).waitFor();
  expect(await stranger.getByRole('main').textContent()).not.toContain('Laptops');
  await other.close();
}, 90_000);
