/**
 * `npm start` as a newcomer runs it: a separate process with the embedded DynamoDB Local
 * keeping its data under .kept/. Data survives a restart, nothing listens beyond loopback,
 * and no Java process outlives Kept, however it is stopped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../functions/local/dynamodb-local';
import { eventually } from '../support/eventually';
import { BOT, FakeSlack } from '../support/fake-slack';
import {
  javaPidsOnPort,
  listeningAddresses,
  processGone,
  ROOT,
  type Started,
  startNode,
  waitForOutput,
} from '../support/processes';
import {
  appHomeOpened,
  eventEnvelope,
  JSON_TYPE,
  postSigned,
  SIGNING_SECRET,
  slashCommand,
} from '../support/slack-requests';

let fake: FakeSlack;
const workdir = mkdtempSync(path.join(tmpdir(), 'kept-start-'));
const running: Started[] = [];

beforeAll(async () => (fake = await FakeSlack.start()));
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await fake.stop();
});

async function npmStart(extra: Record<string, string> = {}) {
  const port = await freePort();
  const p = startNode(
    [path.join(ROOT, 'bin', 'run.cjs'), 'bin/local.ts'],
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: fake.url,
      SLACK_BOT_ID: BOT.botId,
      SLACK_BOT_USER_ID: BOT.userId,
      SLACK_TEAM_ID: BOT.teamId,
      PORT: String(port),
      KEPT_SCHEDULER: 'off',
      ...extra,
    },
    workdir,
  );
  running.push(p);
  const out = await waitForOutput(p, (o) => o.includes('Slack request URL:'));
  const ddbPort = Number(/DynamoDB Local is running at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  return { p, url: `http://127.0.0.1:${port}`, port, ddbPort, javaPids: javaPidsOnPort(ddbPort) };
}

const homeEvent = eventEnvelope(appHomeOpened('U0CAROL001'), 'Ev0RESTART1');

it('runs, answers Slack, listens on loopback only, and stops cleanly on SIGTERM', async () => {
  const kept = await npmStart();
  expect((await fetch(`${kept.url}/healthz`)).status).toBe(200);
  expect(kept.javaPids).toHaveLength(1);
  expect(listeningAddresses(kept.ddbPort).every((a) => a === '127.0.0.1' || a === '::ffff:127.0.0.1')).toBe(true);
  expect(listeningAddresses(kept.ddbPort).length).toBeGreaterThan(0);
  expect(listeningAddresses(kept.port)).toEqual(['127.0.0.1']);

  const help = await postSigned(`${kept.url}/slack/events`, slashCommand({ text: 'help' }));
  expect((help.json() as { text: string }).text).toContain('/sla help');
  expect((await postSigned(`${kept.url}/slack/events`, homeEvent, { contentType: JSON_TYPE })).status).toBe(200);
  await eventually(() => fake.callsTo('views.publish').length === 1, { timeoutMs: 15_000 });
  // The web dashboard on the same port: / leads to /web, which explains how to sign in.
  const web = await fetch(`${kept.url}/`);
  expect(new URL(web.url).pathname).toBe('/web');
  expect(await web.text()).toContain('Sign in to Kept');

  kept.p.child.kill('SIGTERM');
  expect(await kept.p.exited).toBe(0);
  expect(kept.javaPids.every(processGone)).toBe(true);
});

it('with no Slack settings at all, starts the playground on loopback, with its made-up company', async () => {
  const port = await freePort();
  const p = startNode(
    [path.join(ROOT, 'bin', 'run.cjs'), 'bin/local.ts'],
    { PORT: String(port), KEPT_SCHEDULER: 'off', SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '' },
    mkdtempSync(path.join(tmpdir(), 'kept-playground-')),
  );
  running.push(p);
  const out = await waitForOutput(p, (o) => o.includes('The playground is at'));
  expect(out).toContain(`http://127.0.0.1:${port}/`);
  expect(out).not.toContain('Configuration error');
  expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
  const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  expect(page).toContain('local stand-in for Slack');
  expect(page).toContain('Dan — Finance');
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
});

it('keeps what it wrote across a restart (same .kept/), then stops on Ctrl-C', async () => {
  const kept = await npmStart();
  const retry = await postSigned(`${kept.url}/slack/events`, homeEvent, {
    contentType: JSON_TYPE,
    headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
  });
  expect(retry.status).toBe(200);
  await postSigned(`${kept.url}/slack/events`, eventEnvelope(appHomeOpened('U0DAVE0001')), { contentType: JSON_TYPE });
  await eventually(() => fake.callsTo('views.publish').length === 2, { timeoutMs: 15_000 });
  // The re-delivered event was remembered from before the restart: only Dave's home was published.
  expect(fake.callsTo('views.publish').map((c) => c.args.user_id)).toEqual(['U0CAROL001', 'U0DAVE0001']);

  kept.p.child.kill('SIGINT');
  expect(await kept.p.exited).toBe(0);
  expect(kept.javaPids.every(processGone)).toBe(true);
});

it('leaves no Java process behind even when killed outright', async () => {
  const kept = await npmStart();
  kept.p.child.kill('SIGKILL');
  await kept.p.exited;
  await eventually(() => kept.javaPids.every(processGone), { timeoutMs: 15_000 });
  expect(javaPidsOnPort(kept.ddbPort)).toEqual([]);
});

it('refuses to start with bad settings, naming every one of them in one run', async () => {
  const p = startNode(
    [path.join(ROOT, 'bin', 'run.cjs'), 'bin/local.ts'],
    { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxp-fake', PORT: 'eighty' },
    workdir,
  );
  expect(await p.exited).toBe(1);
  expect(p.stderr().trim().split('\n')).toEqual([
    'Configuration error: 2 settings need fixing; set them in .env (see .env.example) or the environment:',
    expect.stringMatching(/^ {2}SLACK_BOT_TOKEN must be a bot token starting with xoxb-/),
    expect.stringMatching(/^ {2}PORT must be a port number/),
  ]);
});

it('says in one line how to install Java when it is missing', async () => {
  const p = startNode(
    [path.join(ROOT, 'bin', 'run.cjs'), 'bin/local.ts'],
    {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      PORT: String(await freePort()),
      PATH: '/nonexistent',
    },
    workdir,
  );
  expect(await p.exited).toBe(1);
  expect(p.stderr().trim().split('\n')).toEqual([
    expect.stringMatching(/`java` was not found; install it with `apt-get install/),
  ]);
});
