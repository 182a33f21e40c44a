/**
 * Customer loyalty end to end: examples/company.yaml imported with `kept import`, Finance's weekly
 * NPS pushed with `kept metrics push`, a P1 for Finance missed in March 2026 (`kept scan`), then the
 * signed `/sla report customer` against the real app: Finance's head sees the week's compliance
 * beside its NPS and the note on what a correlation can say; a member does not see the figures.
 */
import { readFile } from 'node:fs/promises';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { fileFromSlack } from '../../functions/services/requests';
import { EXAMPLE_FILE } from '../support/company';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';

let app: RunningSlackApp;
const clock = testClock();

async function run(argv: string[]): Promise<number> {
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: app.fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: app.db.table,
  };
  const err: string[] = [];
  const io: CliIO = { out: () => {}, err: (l) => err.push(l), readFile: (p) => readFile(p, 'utf8'), env };
  const code = await kept(argv, io);
  if (code !== 0) throw new Error(`kept ${argv.join(' ')}: ${err.join('\n')}`);
  return code;
}

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { text: string; blocks?: unknown[] };
  expect((body.blocks ?? []).length).toBeLessThanOrEqual(50);
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await run(['import', EXAMPLE_FILE]);
  // Tuesday 10 March 2026 (2026-W11), 10:00 in New York: a P1 for Finance, answer due in 30 minutes.
  const filed = await fileFromSlack(app.db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P1',
    title: 'Payroll export fails',
    description: '',
    delivery: 'view:LOYAL1',
    now: new Date('2026-03-10T14:00:00Z'),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  await run(['scan', '--now', '2026-03-10T15:00:00Z']);
  for (const [week, value] of [
    ['2026-W10', 44],
    ['2026-W11', 31],
  ] as const)
    await run(['metrics', 'push', '--dept', 'finance', '--metric', 'nps', '--week', week, '--value', String(value)]);
});
afterAll(() => app.stop());

it("shows Finance's head its NPS beside the compliance it received, with the note", async () => {
  const shown = await sla('report customer finance 2026-03', FIN_HEAD);
  expect(shown).toContain('Customer loyalty');
  expect(shown).toContain(
    '*nps* beside the compliance of what Finance receives, 2025-W41 to 2026-W14 (no correlation yet, 1 week with both)',
  );
  expect(shown).toContain('2026-W10 · compliance – · nps 44');
  expect(shown).toContain('2026-W11 · compliance 0.0% · nps 31');
  expect(shown).toMatch(/There are not yet two weeks with both/);
});

it('leaves the customer figures out for a member, like what is owed', async () => {
  const shown = await sla('report customer 2026-03', FIN_MEMBER);
  expect(shown).toContain('Laptops and accounts');
  expect(shown).not.toContain('Customer loyalty');
});
