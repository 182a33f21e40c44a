/**
 * The advice read on the Slack path (functions/slack/target-advice.ts) against DynamoDB Local: one
 * query, and when DynamoDB does not answer in time the form or DM goes without advice instead of
 * waiting for it.
 */
import { PRIORITIES } from '../../functions/domain/agreement';
import { HOUR_MS } from '../../functions/domain/duration';
import { readShownAdvice } from '../../functions/slack/target-advice';
import { createDb, type Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { importExample } from '../support/company';
import { countCalls, dropTable, freshTable, testEndpoint } from '../support/db';
import { DbProxy } from '../support/db-proxy';
import { eventually } from '../support/eventually';

let db: Db;
let proxy: DbProxy;
beforeAll(async () => {
  db = await freshTable();
  await importExample(db);
  proxy = await DbProxy.start(testEndpoint());
});
afterAll(async () => {
  await proxy.stop();
  await dropTable(db);
});

const terms = { id: 'it-for-finance', provider: 'it', targets: { P2: { response: HOUR_MS, resolution: 8 * HOUR_MS } } };
const now = Date.parse('2027-03-04T15:00:00Z');

it("reads the provider's last quarter in one query", async () => {
  const slack = createDb({ table: db.table, endpoint: proxy.endpoint, budget: 'slack' });
  const calls = countCalls(slack);
  const shown = await readShownAdvice(slack, await readDirectory(db), terms, true, now);
  expect(calls.count()).toBe(1);
  expect(shown).toMatchObject({ providerName: 'IT', advice: { scope: 'agreement' } });
  expect(shown!.advice.priorities.map((p) => p.priority)).toEqual(PRIORITIES.filter((p) => p === 'P2'));
});

it('when DynamoDB does not answer in time, there is no advice and nothing waits for it', async () => {
  // The job budget: the client itself waits 3 s a try; the answer is held back 500 ms, far past the wait.
  const slow = createDb({ table: db.table, endpoint: proxy.endpoint });
  let finished = 0;
  slow.raw.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } finally {
        finished += 1;
      }
    },
    { step: 'initialize', name: 'countFinished' },
  );
  const dir = await readDirectory(db);
  proxy.slow(500);
  try {
    expect(await readShownAdvice(slow, dir, terms, true, now, 20)).toBeUndefined();
    expect(finished).toBe(0); // left out while the query was still under way
  } finally {
    proxy.heal();
  }
  // The late answer still arrives (and is dropped) before the test ends.
  await eventually(() => expect(finished).toBe(1));
});
