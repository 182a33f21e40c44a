/**
 * `npm start` with no Slack settings: Kept as usual (DynamoDB Local, the scheduler, the worker in
 * this process) against the Slack stand-in, with the playground's pages on Kept's own port. The
 * made-up company of examples/playground.yaml is imported on first start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../config';
import { validateImport } from '../../domain/import-file';
import { planImport } from '../../domain/import-plan';
import { runScan } from '../../jobs/scan';
import type { Db } from '../../store/client';
import { readDirectory } from '../../store/directory';
import { applyImport } from '../../store/import';
import type { Outbox } from '../../work/outbox';
import { findRoot } from '../dynamodb-local';
import { BOT, FakeSlack } from '../fake-slack';
import { type RunningKept, startKept } from '../runner';
import { PLAYGROUND_FILE, PLAYGROUND_PEOPLE } from './people';
import { createPlayground, PlaygroundClock } from './server';

/** Whether the environment names no Slack app at all: then `npm start` runs the playground. */
export function noSlackSettings(env: Record<string, string | undefined>): boolean {
  return ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'].every((k) => !env[k]?.trim());
}

/** Imports the playground's company when the table has no departments yet. */
async function seedOnce(db: Db, now: Date): Promise<boolean> {
  const before = await readDirectory(db);
  if (before.departments.length > 0) return false;
  const file = parseYaml(readFileSync(path.join(findRoot(), PLAYGROUND_FILE), 'utf8')) as unknown;
  const checked = validateImport(file, before);
  if (!checked.ok) throw new Error(`${PLAYGROUND_FILE} does not import: ${JSON.stringify(checked.error)}`);
  await applyImport(db, planImport(checked.value, before, now.toISOString()), before);
  return true;
}

export interface RunningPlayground extends RunningKept {
  fake: FakeSlack;
  clock: PlaygroundClock;
}

export async function startPlayground(
  env: Record<string, string | undefined>,
  say: (line: string) => void = () => {},
): Promise<RunningPlayground> {
  const fake = await FakeSlack.start();
  for (const person of PLAYGROUND_PEOPLE) fake.setUser(person.id, { real_name: person.name, tz: 'Europe/London' });
  const signingSecret = randomBytes(24).toString('hex');
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig({
      ...env,
      // A placeholder in the shape the settings check wants, not a token: only the stand-in sees it.
      SLACK_BOT_TOKEN: 'xoxb-fake',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.url,
      SLACK_BOT_USER_ID: BOT.userId,
      SLACK_TEAM_ID: BOT.teamId,
      SLACK_BOT_ID: BOT.botId,
    });
  } catch (err) {
    await fake.stop();
    throw err;
  }
  const clock = new PlaygroundClock();
  let url = '';
  let jobs: { db: Db; outbox: Outbox } | undefined;
  let running: RunningKept | undefined;
  const playground = createPlayground({
    fake,
    signingSecret,
    clock,
    eventsUrl: () => `${url}/slack/events`,
    idle: () => running?.idle() ?? Promise.resolve(),
    scan: async () => (jobs ? runScan(jobs, clock.now()) : undefined),
    channels: async () =>
      jobs
        ? (await readDirectory(jobs.db)).departments
            .filter((d) => d.channel)
            .map((d) => ({ id: d.channel!, name: d.name.toLowerCase().replace(/\s+/g, '-') }))
        : [],
  });
  try {
    running = await startKept(config, say, {
      now: clock.now,
      web: playground.listener,
      noSlackApp: true,
      ready: async (db, outbox) => {
        jobs = { db, outbox };
        if (await seedOnce(db, clock.now())) say(`Imported the playground's company from ${PLAYGROUND_FILE}`);
      },
    });
  } catch (err) {
    await fake.stop();
    throw err;
  }
  url = running.url;
  const kept = running;
  say(`The playground is at ${url}/ : pick a person and try /sla new (no Slack needed; it stays on this machine)`);
  return {
    ...kept,
    fake,
    clock,
    stop: async () => {
      await kept.stop();
      await fake.stop();
    },
  };
}
