/**
 * The local front door works on a few of Slack's requests at a time (LOCAL_LISTENERS_AT_ONCE), in
 * order of arrival: in a burst each is answered sooner than if all shared the one Node process at
 * once (the figures are in `npm run bench -- load`). Here, with DynamoDB slowed so that a burst
 * really overlaps: every request is answered, and never more than that many are worked on at once.
 */
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackHttp, LOCAL_LISTENERS_AT_ONCE, type SlackHttp } from '../../functions/slack/http-server';
import { createDb, type Db } from '../../functions/store/client';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { dropTable, freshTable, testEndpoint } from '../support/db';
import { DbProxy } from '../support/db-proxy';
import { FakeSlack } from '../support/fake-slack';
import { postSigned, slashCommand } from '../support/slack-requests';

let fake: FakeSlack;
let table: Db;
let proxy: DbProxy;
let front: Db;
let http: SlackHttp;
let url: string;
/** DynamoDB calls in flight from the listeners, and the most at once. */
let inFlight = 0;
let most = 0;

beforeAll(async () => {
  fake = await FakeSlack.start();
  table = await freshTable();
  await importExample(table);
  proxy = await DbProxy.start(testEndpoint());
  front = createDb({ table: table.table, endpoint: proxy.endpoint, budget: 'slack' });
  front.raw.middlewareStack.add(
    (next) => async (args) => {
      most = Math.max(most, ++inFlight);
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'countInFlight' },
  );
  const config = testConfig({ slackApiUrl: fake.url, table: table.table, endpoint: proxy.endpoint });
  http = createSlackHttp({ config, db: front, outbox: outboxFromConfig(config, table) });
  url = `${await http.listen(0)}/slack/events`;
});
afterAll(async () => {
  await http.idle();
  await http.close();
  front.raw.destroy();
  await proxy.stop();
  await fake.stop();
  await dropTable(table);
});

it(`a burst of 30 /sla list: every one answered with the list, never more than ${LOCAL_LISTENERS_AT_ONCE} worked on at once`, async () => {
  proxy.slow(40);
  const people = ['U0FINMEM1', 'U0FINHEAD', 'U0SUPMEM1', 'U0ITMEM01', 'U0ITHEAD1'];
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      postSigned(url, slashCommand({ text: 'list', user_id: people[i % people.length]!, trigger_id: `burst.${i}` })),
    ),
  );
  proxy.heal();
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(String((JSON.parse(answer.text) as { text?: unknown }).text)).toMatch(/^Your requests/);
  }
  // Each /sla list makes its DynamoDB calls one after the other: one call in flight per listener.
  expect(most).toBe(LOCAL_LISTENERS_AT_ONCE);
});
