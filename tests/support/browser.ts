/**
 * The web dashboard's browser tests share this: the real app with the dashboard on its port and a
 * November of requests (support/web.ts), Debian's chromium through playwright-core (CHROMIUM_PATH,
 * default /usr/bin/chromium; `.ci/run` installs it), and a person's `/sla web` link. Call
 * `webInBrowser()` at the top of a test file: it starts both before the tests and stops them after.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { type RunningSlackApp, startSlackApp } from './slack-app';
import { postSigned, slashCommand } from './slack-requests';
import { type TestClock, testClock } from './test-clock';
import { seedNovember } from './web';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails in one line when the browser is missing (never skips). */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface WebInBrowser {
  readonly app: RunningSlackApp;
  readonly browser: Browser;
  readonly clock: TestClock;
  /** The one-time link Kept's ephemeral answer to `/sla web` gives `user`. */
  linkFor(user: string): Promise<string>;
}

export function webInBrowser(): WebInBrowser {
  const clock = testClock();
  let app: RunningSlackApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startSlackApp({}, { now: clock.now, web: true });
    await seedNovember(app.db);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  return {
    get app() {
      return app!;
    },
    get browser() {
      return browser!;
    },
    clock,
    async linkFor(user) {
      const res = await postSigned(app!.url, slashCommand({ text: 'web', user_id: user }));
      const text = (res.json() as { text: string }).text;
      const url = /<(http[^|>]+)\|Open Kept on the web>/.exec(text)?.[1];
      if (!url) throw new Error(`no link in: ${text}`);
      return url;
    },
  };
}
