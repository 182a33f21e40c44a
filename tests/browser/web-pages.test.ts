/**
 * The request page in a real browser (Debian's chromium through playwright-core), with JavaScript
 * off: IT's member signs in through a `/sla web` link and opens IT-2 (which missed both targets).
 * The page reads as headings and regions, and the due time's explanation opens from the keyboard.
 * CHROMIUM_PATH names the browser (default /usr/bin/chromium).
 */
import { webInBrowser } from '../support/browser';
import { IT_MEMBER } from '../support/web';

const web = webInBrowser();

describe('the request page', () => {
  it('reads without JavaScript: title, due times and timeline as regions; the explanation opens from the keyboard', async () => {
    const link = await web.linkFor(IT_MEMBER);

    const context = await web.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(link);
    await page.goto(`${web.app.base}/web/requests/IT-2`);
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
