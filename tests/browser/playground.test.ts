/**
 * The playground in a real browser (Debian's chromium through playwright-core): Kept with no Slack
 * settings, as `npm start` runs it, on the run's DynamoDB Local. A person of the made-up company
 * files a request, another works it from the card, kudos are given, and moving the clock shows the
 * miss. CHROMIUM_PATH names the browser (default /usr/bin/chromium; `.ci/run` installs it).
 * KEPT_PLAYGROUND_SCREENSHOT=<file> saves the page at the end (the README's picture).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort } from '../../functions/local/dynamodb-local';
import { type RunningPlayground, startPlayground } from '../../functions/local/playground';
import { createDb } from '../../functions/store/client';
import { dropTable, testEndpoint } from '../support/db';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let kept: RunningPlayground;
let browser: Browser;
let page: Page;
const table = `t-playground-${randomUUID()}`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  kept = await startPlayground({
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: table,
    PORT: String(await freePort()),
    KEPT_SCHEDULER: 'off',
    KEPT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kept-playground-')),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kept?.stop();
  await dropTable(createDb({ table, endpoint: testEndpoint() }));
});

/** What the conversation shown reads, as a person sees it. */
const shown = async () => (await page.locator('main').textContent()) ?? '';
/** Waits for the page the click leads to (every press posts a form and comes back). */
const andWait = (act: Promise<unknown>) => Promise.all([page.waitForNavigation(), act]);
const as = (who: string) => andWait(page.getByLabel('You are').selectOption({ label: who }));
const open = (name: string) => andWait(page.getByRole('link', { name, exact: true }).click());
async function say(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await andWait(page.getByRole('button', { name: 'Send' }).click());
}
/** The card of `id` in the conversation shown. */
const card = (id: string) => page.locator('article.msg', { hasText: `${id} ·` }).first();

it('says on every page that it is a local playground, not Slack', async () => {
  await page.goto(`${kept.url}/`);
  const note = (await page.getByRole('note').textContent()) ?? '';
  expect(note).toContain('local stand-in for Slack');
  expect(note).toContain('never part of the AWS stack');
});

it('Dan in Finance files a request from /sla new, and Kept confirms it in his messages', async () => {
  await page.goto(`${kept.url}/`);
  await as('Dan — Finance');
  await say('/sla new');
  const modal = page.getByRole('dialog', { name: 'New request' });
  await modal.getByLabel('Priority').selectOption('P1');
  await modal.getByLabel('Title').fill('Laptop will not start');
  await andWait(modal.getByRole('button', { name: 'File request' }).click());
  expect(await page.getByRole('dialog').count()).toBe(0);
  await open('Messages');
  expect(await shown()).toContain('Filed IT-1 with IT: Laptop will not start');
});

it('a form sent back with an error stays open and says what to fix', async () => {
  await say('/sla new');
  const modal = page.getByRole('dialog', { name: 'New request' });
  await modal.getByLabel('Priority').selectOption('P2');
  await modal.getByLabel('Title').fill('   ');
  await andWait(modal.getByRole('button', { name: 'File request' }).click());
  expect(await page.getByRole('alert').count()).toBeGreaterThan(0);
  await andWait(page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click());
  expect(await page.getByRole('dialog').count()).toBe(0);
});

it('Ben in IT takes the request from its card, and the card shows it', async () => {
  await as('Ben — IT support');
  await open('# it');
  expect(await card('IT-1').textContent()).toContain('nobody yet');
  await andWait(card('IT-1').getByRole('button', { name: 'Assign to me' }).click());
  await andWait(card('IT-1').getByRole('button', { name: 'Acknowledge' }).click());
  const now = (await card('IT-1').textContent()) ?? '';
  expect(now).toContain('Ben');
  expect(now).not.toContain('nobody yet');
  expect(now).toContain('(edited)');
});

it('Dan hears that IT acknowledged his request', async () => {
  await as('Dan — Finance');
  await open('Messages');
  expect(await shown()).toMatch(/IT-1.*acknowledged|acknowledged.*IT-1/s);
});

it('Dan thanks Ben with /kudos in #general, where everyone sees it, and Ben is told', async () => {
  await open('# general');
  await say('/kudos @Ben thanks for sorting my laptop so fast');
  expect(await shown()).toContain('@Dan thanked @Ben: “thanks for sorting my laptop so fast”');
  expect(await shown()).toMatch(/Only visible to you.*kudos left today/s);
  await as('Ben — IT support');
  await open('Messages');
  expect(await shown()).toContain('Dan gave you kudos');
});

it('moving the clock a day on shows the missed target on the card', async () => {
  await open('# it');
  await andWait(page.getByRole('button', { name: '+1 day' }).click());
  expect(await card('IT-1').textContent()).toMatch(/missed/i);
  expect(await shown()).toMatch(/IT-1 missed its resolution target/);
  if (process.env.KEPT_PLAYGROUND_SCREENSHOT)
    await page.screenshot({ path: process.env.KEPT_PLAYGROUND_SCREENSHOT, fullPage: false });
});

it('the App Home shows Ben what he is working on', async () => {
  await open('Home');
  expect(await shown()).toContain('IT-1');
});

it('serves the web dashboard under /web beside the playground', async () => {
  await page.goto(`${kept.url}/web`);
  await page.getByRole('heading', { name: 'Sign in to Kept' }).waitFor();
  await page.goto(`${kept.url}/`);
  expect(await page.getByRole('note').textContent()).toContain('local stand-in for Slack');
});
