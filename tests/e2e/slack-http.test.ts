/** Slack drives the local front door the way it drives production: signed HTTP requests. */
import { SLA_WORDS } from '../../functions/slack/commands';
import type { Db } from '../../functions/store/client';
import { allItems } from '../support/db';
import { eventually } from '../support/eventually';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  messageShortcut,
  postSigned,
  signature,
  slashCommand,
} from '../support/slack-requests';

let fake: FakeSlack;
let db: Db;
let url: string;

let app: RunningSlackApp;
beforeAll(async () => {
  app = await startSlackApp();
  ({ fake, db, url } = app);
});
afterAll(() => app.stop());
beforeEach(() => fake.reset());

describe('/sla help', () => {
  /** Types `/sla <text>` and reads Kept's answer. */
  const ask = async (text: string) =>
    (await postSigned(url, slashCommand({ text }))).json() as { response_type: string; text: string };

  it('answers a signed request with the help text, visible only to the asker', async () => {
    const res = await postSigned(url, slashCommand({ text: 'help' }));
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/sla help');
    expect(body.text).toContain('/sla new [dept]');
    expect(body.text).toContain('/kudos @someone');
    expect(body.blocks.length).toBeGreaterThan(2);
  });

  it('lists one short line per command under four headings, and tells how to read one in full', async () => {
    const help = (await postSigned(url, slashCommand({ text: 'help' }))).json() as {
      text: string;
      blocks: Array<{ text?: { text: string } }>;
    };
    const sections = help.blocks.map((b) => b.text?.text ?? '');
    expect(
      sections.filter((t) => /^\*(Requests|Working a request|Agreements and departments|Reports and more)\*\n/.test(t)),
    ).toHaveLength(4);
    expect(help.text).toContain('• /sla new [dept] — File a request to another department.');
    expect(help.text).not.toContain('this-week, last-week'); // the report's details wait for /sla help report
    expect(help.text).toContain('For all one command does, name it: `/sla help report`.');
    expect(JSON.stringify(help).length).toBeLessThan(4500); // a screenful, not a wall
  });

  it('tells one command in full with /sla help <command>, aliases and /kudos included', async () => {
    const before = (await allItems(db)).length;
    const report = await ask('help report');
    expect(report.response_type).toBe('ephemeral');
    expect(report.text).toMatch(/^\/sla report \[customer\|company\] \[dept\] \[period\] — /);
    expect(report.text).toContain('subscribe weekly');
    expect((await ask('help resolve')).text).toContain('`resolve` says it is solved');
    expect((await ask('help DEPARTMENTS')).text).toMatch(/^\/sla dept \[ID\] — /);
    expect((await ask('help /kudos')).text).toMatch(/^\/kudos @someone .* one or more colleagues/);
    expect((await ask('help reprot')).text).toBe(
      "I don't know `/sla reprot`. Did you mean `/sla help report`? Type `/sla help` for every command.",
    );
    expect((await ask('help frobnicate')).text).toMatch(
      /^I don't know `\/sla frobnicate`\. Here is what Kept understands:/,
    );
    expect((await allItems(db)).length).toBe(before);
    expect(fake.calls).toEqual([]);
  });

  it('treats a bare /sla as help, with no leftover "Works today" heading', async () => {
    const help = (await postSigned(url, slashCommand({ text: '' }))).json() as { text: string; blocks: unknown[] };
    expect(help.text).toContain('/sla new [dept]');
    expect(`${help.text}${JSON.stringify(help.blocks)}`).not.toMatch(/works today/i);
  });

  it('offers the command a typo most likely meant, privately, and writes nothing', async () => {
    const before = (await allItems(db)).length;
    const swapped = await ask('nwe');
    expect(swapped.response_type).toBe('ephemeral');
    expect(swapped.text).toBe("I don't know `/sla nwe`. Did you mean `/sla new`? Type `/sla help` for every command.");
    expect((await ask('lsit mine')).text).toContain('Did you mean `/sla list mine`?');
    expect((await ask('agrements it')).text).toContain('Did you mean `/sla agreements it`?');
    expect((await ask('REPROT')).text).toContain('Did you mean `/sla report`?');
    expect((await allItems(db)).length).toBe(before);
    expect(fake.calls).toEqual([]);
  });

  it('answers a word close to nothing with the help, led by what went wrong', async () => {
    const unknown = (await postSigned(url, slashCommand({ text: 'frobnicate' }))).json() as {
      response_type: string;
      text: string;
      blocks: Array<{ text?: { text: string } }>;
    };
    expect(unknown.response_type).toBe('ephemeral');
    expect(unknown.text).toMatch(/^I don't know `\/sla frobnicate`\. Here is what Kept understands:/);
    expect(unknown.text).not.toContain('Did you mean');
    expect(unknown.text).toContain('/sla new [dept]');
    expect(unknown.blocks[0]?.text?.text).toMatch(/^I don't know `\/sla frobnicate`/);
  });

  it('routes every word the manifest hint names (none is answered "I don\'t know")', async () => {
    for (const word of SLA_WORDS) {
      const res = await postSigned(url, slashCommand({ text: word, user_id: 'U0NOBODY1' }));
      expect(res.status).toBe(200);
      const said = res.text ? String((res.json() as { text?: string }).text ?? '') : '';
      expect({ word, said }).toEqual({ word, said: expect.not.stringMatching(/^I don't know/) });
    }
    await app.http.idle();
  });

  it('never lets typed text ping a channel or forge a link', async () => {
    const res = (await postSigned(url, slashCommand({ text: '<!channel>' }))).json() as { text: string };
    expect(res.text).toContain('&lt;!channel&gt;');
    expect(res.text).not.toContain('<!channel>');
  });

  it('/kudos answers (tests/e2e/kudos.test.ts has the rest)', async () => {
    const res = (await postSigned(url, slashCommand({ command: '/kudos', text: 'thanks!' }))).json() as {
      text: string;
    };
    expect(res.text).toMatch(/^Who are you thanking\?/);
  });

  it('echoes non-ASCII text byte for byte', async () => {
    const word = 'é日本語🙂שלום';
    const res = (await postSigned(url, slashCommand({ text: word }))).json() as { text: string };
    expect(res.text).toContain(`/sla ${word}\``);
  });
});

describe('requests that are not from Slack', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const body = slashCommand({ text: 'help' });
  const tampered: Array<[string, () => Promise<{ status: number }>]> = [
    ['signed with the wrong secret', () => postSigned(url, body, { sign: { secret: 'not-the-secret-0000' } })],
    [
      'one hex digit of the signature flipped',
      () => {
        const h = signature(body);
        const sig = h['x-slack-signature'];
        const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
        return postSigned(url, body, { sign: false, headers: { ...h, 'x-slack-signature': flipped } });
      },
    ],
    [
      'a v1= signature',
      () => {
        const h = signature(body);
        return postSigned(url, body, {
          sign: false,
          headers: { ...h, 'x-slack-signature': h['x-slack-signature'].replace('v0=', 'v1=') },
        });
      },
    ],
    [
      'no signature header',
      () => postSigned(url, body, { sign: false, headers: { 'x-slack-request-timestamp': String(now()) } }),
    ],
    [
      'no timestamp header',
      () =>
        postSigned(url, body, { sign: false, headers: { 'x-slack-signature': signature(body)['x-slack-signature'] } }),
    ],
    // 301 s as the server sees it: timestamps are whole seconds, and the second may tick over
    // between signing here and checking there, so sign one second further out.
    ['a timestamp 301 s in the past', () => postSigned(url, body, { sign: { timestamp: now() - 302 } })],
    ['a timestamp 301 s in the future', () => postSigned(url, body, { sign: { timestamp: now() + 302 } })],
    ['a non-numeric timestamp', () => postSigned(url, body, { sign: { timestamp: 'soon' } })],
    [
      'the body changed after signing',
      () => postSigned(url, body.replace('help', 'hel p'), { sign: false, headers: signature(body) }),
    ],
    [
      'invalid JSON, unsigned',
      () => postSigned(url, '{"type": "event_callback", ', { contentType: JSON_TYPE, sign: false }),
    ],
    ['a truncated form, unsigned', () => postSigned(url, 'command=%2Fsla&text=he%', { sign: false })],
    ['an empty body, unsigned', () => postSigned(url, '', { sign: false })],
    [
      'an interactivity payload, unsigned',
      () => postSigned(url, interactivity({ type: 'block_actions' }), { sign: false }),
    ],
  ];

  it.each(tampered)('refuses %s with 401', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(401);
  });

  it('accepts timestamps 299 s off in either direction', async () => {
    expect((await postSigned(url, body, { sign: { timestamp: now() - 299 } })).status).toBe(200);
    expect((await postSigned(url, body, { sign: { timestamp: now() + 299 } })).status).toBe(200);
  });

  it('refuses random bytes with 401', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(401);
  });

  it('causes no Slack call and no write for any refused request', async () => {
    // Earlier tests' signed commands may have written (`/sla web` a sign-in token): compare with before.
    const before = await allItems(db);
    for (const [, send] of tampered) await send();
    expect(fake.calls).toEqual([]);
    expect(await allItems(db)).toEqual(before);
  });

  it('answers 405 to other methods and 404 to other paths without reaching Bolt', async () => {
    expect((await fetch(url, { method: 'GET' })).status).toBe(405);
    expect((await fetch(url.replace('/slack/events', '/admin'), { method: 'POST', body: 'x' })).status).toBe(404);
    expect(fake.calls).toEqual([]);
  });
});

describe('Events API and interactivity', () => {
  it('answers the url_verification challenge', async () => {
    const res = await postSigned(url, JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }), {
      contentType: JSON_TYPE,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ challenge: 'c-123' });
  });

  it('publishes the App Home once even when Slack re-delivers the event', async () => {
    const envelope = eventEnvelope(appHomeOpened('U0ALICE001'), 'Ev0HOME0001');
    const first = await postSigned(url, envelope, { contentType: JSON_TYPE });
    expect(first.status).toBe(200);
    // Re-deliveries after the first has finished (one that overlaps it: tests/e2e/event-leases.test.ts).
    await app.http.idle();
    for (const n of [1, 2, 3]) {
      const retry = await postSigned(url, envelope, {
        contentType: JSON_TYPE,
        headers: { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' },
      });
      expect(retry.status).toBe(200);
    }
    await eventually(() => fake.callsTo('views.publish').length >= 1);
    await postSigned(url, eventEnvelope(appHomeOpened('U0BOB00001')), { contentType: JSON_TYPE });
    await eventually(() => fake.callsTo('views.publish').length >= 2);
    const published = fake.callsTo('views.publish');
    expect(published.map((c) => c.args.user_id)).toEqual(['U0ALICE001', 'U0BOB00001']);
    expect(published[0]!.authorization).toBe('Bearer xoxb-test-token');
    expect(JSON.stringify(published[0]!.args.view)).toContain("You're not in a department in Kept yet");
  });

  it('events with an empty event_id are not taken for one another: each opened App Home is published', async () => {
    const before = fake.callsTo('views.publish').length;
    for (const user of ['U0CAROL001', 'U0DAVE0001'])
      expect((await postSigned(url, eventEnvelope(appHomeOpened(user), ''), { contentType: JSON_TYPE })).status).toBe(
        200,
      );
    await eventually(() => fake.callsTo('views.publish').length >= before + 2);
    const users = fake
      .callsTo('views.publish')
      .slice(before)
      .map((c) => c.args.user_id);
    expect(users.sort()).toEqual(['U0CAROL001', 'U0DAVE0001']);
  });

  it('answers the file_request shortcut with a modal (someone in no department is told how to get added)', async () => {
    const res = await postSigned(url, interactivity(messageShortcut('file_request', fake.responseUrl('shortcut-1'))));
    expect(res.status).toBe(200);
    // One modal for the person (opened complete, or "one moment" first on a slow read:
    // tests/integration/open-then-fill.test.ts), saying how to get added.
    await eventually(() => fake.modals().some((m) => JSON.stringify(m).includes('You are not in any department')));
    expect(fake.callsTo('views.open')).toHaveLength(1);
  });
});
