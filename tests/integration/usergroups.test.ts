/**
 * User-group members kept fresh without anyone asking: the quarter-hourly job (the digest's run)
 * hands every department whose group was read an hour ago or more, or never, to the worker, which
 * reads it again. Slack's `subteam_members_changed` event usually comes first
 * (tests/e2e/departments.test.ts); this is the net for a missed one.
 */

import { LogLevel } from '@slack/web-api';
import { runScheduled } from '../../functions/jobs/scheduled';
import { refreshStaleUsergroups } from '../../functions/jobs/usergroups';
import { performWork } from '../../functions/jobs/work';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { cacheUsergroupMembers } from '../../functions/store/departments';
import { readDirectory } from '../../functions/store/directory';
import type { WorkItem } from '../../functions/work/item';
import type { Outbox } from '../../functions/work/outbox';
import { importCompany } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeSlack } from '../support/fake-slack';
import { countingMetrics } from '../support/metrics';

const T0 = new Date('2026-11-25T15:00:00Z');
const MIN = 60_000;
const department = (id: string, usergroup?: string) => ({
  id,
  name: id.toUpperCase(),
  heads: [`U0${id.toUpperCase()}HEAD`],
  channel: `C0${id.toUpperCase()}Q`,
  calendar: { timezone: 'UTC' },
  ...(usergroup ? { usergroup } : {}),
});

let db: Db;
let items: WorkItem[];
const outbox: Outbox = { send: async (item) => void items.push(item), idle: async () => {} };

beforeAll(async () => {
  db = await freshTable();
  await importCompany(
    db,
    { departments: [department('it', 'S0ITTEAM1'), department('hr', 'S0HRTEAM1'), department('ops')] },
    T0,
  );
  await cacheUsergroupMembers(db, 'it', 'S0ITTEAM1', ['U0DANA001'], T0.toISOString()); // HR's group was never read
});
afterAll(() => dropTable(db));
beforeEach(() => (items = []));

it('hands over the groups read an hour ago or more, or never, and no department without a group', async () => {
  expect(await refreshStaleUsergroups({ db, outbox }, new Date(T0.getTime() + 59 * MIN))).toEqual(['hr']);
  expect(items).toEqual([{ type: 'usergroups.sync', department: 'hr' }]);
  items = [];
  expect(await refreshStaleUsergroups({ db, outbox }, new Date(T0.getTime() + 60 * MIN))).toEqual(['hr', 'it']);
  expect(items).toEqual([
    { type: 'usergroups.sync', department: 'hr' },
    { type: 'usergroups.sync', department: 'it' },
  ]);
});

it('runs with the digest job, which says what it handed over', async () => {
  const line = await runScheduled(
    { db, outbox },
    { job: 'digest', scheduledTime: new Date(T0.getTime() + 30 * MIN).toISOString() },
  );
  expect(line).toMatch(/ User groups to read again: hr\.$/);
  expect(items).toEqual([{ type: 'usergroups.sync', department: 'hr' }]);
});

it('without a worker to hand to (the CLI without a queue), hands nothing and says nothing', async () => {
  expect(await refreshStaleUsergroups({ db }, new Date(T0.getTime() + 120 * MIN))).toEqual([]);
});

describe('the worker reading a group', () => {
  let fake: FakeSlack;
  beforeAll(async () => (fake = await FakeSlack.start()));
  afterAll(() => fake.stop());
  const deps = () => ({
    db,
    slack: createSlackClient(
      { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
      { logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } },
    ),
    admins: [],
  });

  it('a group Slack refuses outright (deleted) is logged, not retried into the dead-letter queue; a Slack outage is tried again', async () => {
    const metrics = countingMetrics();
    fake.failWith('usergroups.users.list', 'no_such_subteam');
    await expect(
      performWork({ ...deps(), metrics }, { type: 'usergroups.sync', department: 'hr' }),
    ).resolves.toBeUndefined();
    fake.httpError('usergroups.users.list', 503);
    await expect(performWork({ ...deps(), metrics }, { type: 'usergroups.sync', department: 'hr' })).rejects.toThrow(
      /user group not read/,
    );
    // Both reads left the members as they were: counted, so a group that stays stale shows on a graph.
    expect(metrics.counts).toEqual({ UsergroupReadStale: 2 });
    fake.setUsergroup('S0HRTEAM1', ['U0HRMEM01']);
    await performWork({ ...deps(), metrics }, { type: 'usergroups.sync', department: 'hr' });
    expect(metrics.counts).toEqual({ UsergroupReadStale: 2 });
    expect((await readDirectory(db)).departments.find((d) => d.id === 'hr')?.usergroupMembers).toEqual(['U0HRMEM01']);
  });
});
