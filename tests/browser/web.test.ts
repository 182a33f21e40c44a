/**
 * The web dashboard in a real browser (Debian's chromium through playwright-core): the real app
 * with the dashboard on its port, a November of requests, and a head's `/sla web` link. Followed,
 * it lands on "My departments" naming IT with its compliance; opened again in a fresh browser
 * context it signs nobody in. CHROMIUM_PATH names the browser (default /usr/bin/chromium).
 * KEPT_WEB_SCREENSHOT=<file> saves the signed-in page (docs/web.md's picture).
 */
import { webInBrowser } from '../support/browser';

const IT_HEAD = 'U0ITHEAD1';

const web = webInBrowser();

it("a head's link lands on My departments with IT's compliance; the same link again signs nobody in", async () => {
  const link = await web.linkFor(IT_HEAD);

  const first = await web.browser.newContext();
  const page = await first.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(link);
  expect(new URL(page.url()).pathname).toBe('/web');
  await page.getByRole('heading', { level: 1, name: 'My departments' }).waitFor();
  const it = page.getByRole('region', { name: 'IT', exact: true });
  await it.waitFor();
  const compliance = await it.locator('.figures li', { hasText: 'compliance' }).textContent();
  expect(compliance).toMatch(/^\d+(\.\d)?% compliance$/);
  expect(compliance).toBe('50% compliance');
  if (process.env.KEPT_WEB_SCREENSHOT) await page.screenshot({ path: process.env.KEPT_WEB_SCREENSHOT, fullPage: true });
  // The session survives a reload, and the page is usable from the keyboard: Tab reaches Sign out.
  await page.reload();
  await page.getByRole('region', { name: 'IT', exact: true }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('Sign out');
  await first.close();

  const fresh = await web.browser.newContext();
  const again = await fresh.newPage();
  again.setDefaultTimeout(15_000);
  const answer = await again.goto(link);
  expect(answer?.status()).toBe(410);
  await again.getByRole('heading', { name: 'This sign-in link no longer works' }).waitFor();
  expect(await again.getByRole('main').textContent()).toContain('/sla web');
  expect(await fresh.cookies()).toEqual([]);
  await again.goto(`${web.app.base}/web`);
  await again.getByRole('heading', { name: 'Sign in to Kept' }).waitFor();
  await fresh.close();
}, 60_000);
