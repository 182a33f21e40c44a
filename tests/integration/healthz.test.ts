import { randomUUID } from 'node:crypto';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { type SchedulerStatus, startScheduler } from '../../functions/local/scheduler';
import { createSlackHttp } from '../../functions/slack/http-server';
import { createDb } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/table';
import { testConfig } from '../support/config';
import { dropTable, testEndpoint } from '../support/db';

it('GET /healthz is 503 until the table answers and 200 after', async () => {
  const db = createDb({ table: `t-${randomUUID()}`, endpoint: testEndpoint() });
  const config = testConfig({ slackApiUrl: 'http://127.0.0.1:9/api/', table: db.table, endpoint: testEndpoint() });
  const http = createSlackHttp({ config, db, outbox: outboxFromConfig(config, db) });
  const url = `${await http.listen(0)}/healthz`;
  try {
    const before = await fetch(url);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'waiting for the table', table: db.table });
    expect(await ensureTable(db)).toBe('created');
    expect((await fetch(url)).status).toBe(200);
    expect(await ensureTable(db)).toBe('existed');
  } finally {
    await http.close();
    await dropTable(db);
  }
});

it("GET /healthz says when the local scheduler's scan and digest last ran well, and a later failure", async () => {
  const db = createDb({ table: `t-${randomUUID()}`, endpoint: testEndpoint() });
  const config = testConfig({ slackApiUrl: 'http://127.0.0.1:9/api/', table: db.table, endpoint: testEndpoint() });
  const outbox = outboxFromConfig(config, db);
  let at = new Date('2026-11-24T15:00:00Z');
  const scheduler = startScheduler({ db, outbox }, () => at);
  const http = createSlackHttp({ config, db, outbox, health: () => ({ scheduler: scheduler.status() }) });
  const url = `${await http.listen(0)}/healthz`;
  const health = async () =>
    (await (await fetch(url)).json()) as { status: string; scheduler: SchedulerStatus } & Record<string, unknown>;
  try {
    await ensureTable(db);
    expect(await health()).toEqual({
      status: 'ok',
      table: db.table,
      scheduler: { scan: {}, digest: {} },
    });
    await scheduler.runNow('scan', at);
    expect((await health()).scheduler.scan).toEqual({ lastSuccess: '2026-11-24T15:00:00.000Z' });
    // The table goes away: the next scan fails, and /healthz shows it beside the last success.
    await dropTable(db);
    at = new Date('2026-11-24T15:01:00Z');
    await scheduler.runNow('scan', at);
    const body = await health();
    expect(body.status).toBe('waiting for the table');
    expect(body.scheduler.scan).toEqual({
      lastSuccess: '2026-11-24T15:00:00.000Z',
      lastFailure: { at: '2026-11-24T15:01:00.000Z', error: expect.any(String) },
    });
  } finally {
    scheduler.stop();
    await http.close();
  }
});
