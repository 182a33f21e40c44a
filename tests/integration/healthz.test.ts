import { randomUUID } from 'node:crypto';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
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
