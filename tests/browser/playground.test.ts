/**
 * The playground in a real browser (Debian's chromium through playwright-core): Kept with no Slack
 * settings, as `npm start` runs it, on the run's DynamoDB Local. A person of the made-up company
 * files a request, another works it from the card, kudos are given, and moving the clock shows the
 * miss. CHROMIUM_PATH names the browser (default /usr/bin/chromium; `.ci/run` installs it).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type RunningPlayground, startPlayground } from '../../functions/local/playground';
import { createDb } from '../../functions/store/client';
import { dropTable, testEndpoint } from '../support/db';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let kept: RunningPlayground;
let browser: Browser;
let page: Page;
const table = `t-playground-${randomUUID()}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  kept = await startPlayground({
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: table,
    PORT: String(await freePort()),
    KEPT_SCHEDULER: 'off',
    KEPT_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kept-playground-')),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kept?.stop();
  await dropTable(createDb({ table, endpoint: testEndpoint() }));
});

const main = () => page.locator('main').innerText();
async function as(who: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByLabel('You are').selectOption({ label: who })]);
}
async function say(text: string): Promise<void> {
  await page.getByLabel('Message').fill(text);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send' }).click()]);
}
async function open(name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).click()]);
}

it('says on every page that it is a local playground, not Slack', async () => {
  await page.goto(`${kept.url}/`);
  const note = await page.getByRole('note').innerText();
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
  await Promise.all([page.waitForNavigation(), modal.getByRole('button', { name: 'File request' }).click()]);
  expect(await page.getByRole('dialog').count()).toBe(0);
  await open('Messages');
  console.log('DAN DM', await main());
});

it('Ben in IT sees the card in #it and takes the request', async () => {
  await as('Ben — IT support');
  await open('# it');
  console.log('IT CHANNEL', await main());
  console.log(await page.locator('main').innerHTML());
});
