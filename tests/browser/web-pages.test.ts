/**
 * The request page in a real browser (Debian's chromium through playwright-core), with JavaScript
 * off: IT's member signs in through a `/sla web` link and opens IT-2 (which missed both targets).
 * The page reads as headings and regions, and the due time's explanation opens from the keyboard.
 * CHROMIUM_PATH names the browser (default /usr/bin/chromium).
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';
import { IT_MEMBER, seedNovember } from '../support/web';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let app: RunningSlackApp;
let browser: Browser;
const clock = testClock();

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  app = await startSlackApp({}, { now: clock.now, web: true });
  await seedNovember(app.db);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the request page', () => {
  it('reads without JavaScript: title, due times and timeline as regions; the explanation opens from the keyboard', async () => {
    const res = await postSigned(app.url, slashCommand({ text: 'web', user_id: IT_MEMBER }));
    const link = /<(http[^|>]+)\|Open Kept on the web>/.exec((res.json() as { text: string }).text)?.[1];
    expect(link).toBeDefined();

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(link!);
    await page.goto(`${app.base}/web/requests/IT-2`);
    await page.getByRole('heading', { level: 1, name: 'IT-2 · Password reset' }).waitFor();
    const due = page.getByRole('region', { name: 'Due times' });
    await due.waitFor();
    const response = due.getByRole('region', { name: 'First response' });
    expect(await response.textContent()).toContain('Overdue');
    expect(await page.getByRole('region', { name: 'Timeline' }).textContent()).toContain(
      'It missed its resolution target',
    );

    // The stretches are folded away; Tab reaches the first "How it was counted", Enter opens it.
    const rows = response.getByRole('row');
    expect(await rows.first().isVisible()).toBe(false);
    await response.locator('summary').focus();
    await page.keyboard.press('Enter');
    await rows.nth(1).waitFor({ state: 'visible' });
    expect(await rows.nth(1).textContent()).toContain('Counted');
    await context.close();
  }, 60_000);
});
