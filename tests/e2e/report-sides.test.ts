/**
 * The customer side and the company view end to end: examples/company.yaml imported with
 * `kept import`, requests filed by Finance and Support in March 2026, `kept scan` past a P1's
 * response target, then `kept report --side customer`, `kept report --company` and the signed
 * `/sla report customer` and `/sla report company` commands against the real app.
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
const SUP_MEMBER = 'U0SUPMEM1';
const ADMIN = 'U0ADMIN01';
const MARCH = ['--from', '2026-03-01', '--to', '2026-03-31'];

let app: RunningSlackApp;
const clock = testClock();
let n = 0;

function cli(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: app.fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: app.db.table,
  };
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), readFile: (p) => readFile(p, 'utf8'), env },
    out,
    err,
  };
}

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const c = cli();
  const code = await kept(argv, c.io);
  return { code, out: c.out, err: c.err };
}

async function file(user: string, agreementId: string, priority: 'P1' | 'P2', iso: string): Promise<void> {
  n++;
  const r = await fileFromSlack(app.db, {
    user,
    agreementId,
    priority,
    title: `Sides test ${n}`,
    description: '',
    delivery: `view:SIDES${n}`,
    now: new Date(iso),
  });
  if (r.outcome !== 'filed') throw new Error(JSON.stringify(r));
}

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  expect((await run(['import', EXAMPLE_FILE])).code).toBe(0);
  // Tuesday 10 March 2026, 10:00 in New York: a P1 for Finance, answer due in 30 minutes.
  await file(FIN_MEMBER, 'it-for-finance', 'P1', '2026-03-10T14:00:00Z');
  // Printers for every department: one from Finance, one from Support (answer due in an hour).
  await file(FIN_MEMBER, 'it-for-everyone', 'P2', '2026-03-10T14:20:00Z');
  await file(SUP_MEMBER, 'it-for-everyone', 'P2', '2026-03-10T14:20:00Z');
  // Past the P1's response target, before anything else falls due.
  expect((await run(['scan', '--now', '2026-03-10T15:00:00Z'])).code).toBe(0);
});
afterAll(() => app.stop());

describe('kept report --side customer', () => {
  it('after a breach of it-for-finance, shows Finance the breach and the 50 points owed to it', async () => {
    const { code, out, err } = await run([
      'report',
      '--dept',
      'finance',
      '--side',
      'customer',
      '--format',
      'json',
      ...MARCH,
    ]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.breached).toBeGreaterThanOrEqual(1);
    expect(report.penaltyTotal).toBe(50);
    expect(report).toMatchObject({ side: 'customer', department: 'finance', penaltyUnit: 'points', requests: 2 });
  });

  it("lists each provider and agreement; a '*' agreement shows Finance's own share, not Support's", async () => {
    const { out } = await run(['report', '--dept', 'finance', '--side', 'customer', '--format', 'json', ...MARCH]);
    const rows = JSON.parse(out.join('\n')).byAgreement;
    expect(rows).toEqual([
      expect.objectContaining({
        agreement: 'it-for-finance',
        provider: 'it',
        requests: 1,
        breached: 1,
        penaltyTotal: 50,
      }),
      expect.objectContaining({
        agreement: 'it-for-everyone',
        provider: 'it',
        customer: '*',
        requests: 1,
        breached: 0,
      }),
    ]);
    const support = await run(['report', '--dept', 'support', '--side', 'customer', '--format', 'json', ...MARCH]);
    expect(JSON.parse(support.out.join('\n'))).toMatchObject({ requests: 1, breached: 0, penaltyTotal: 0 });
  });

  it('prints a table for people and a CSV with the same figures', async () => {
    const table = (await run(['report', '--dept', 'Finance', '--side', 'customer', ...MARCH])).out.join('\n');
    expect(table).toMatch(/^IT\s+Laptops and accounts\s+1\s+0\s+1\s+0%\s+50 points$/m);
    expect(table).toMatch(/^IT\s+Printers and meeting rooms \(every department\)\s+1\s+0\s+0\s+–\s+–$/m);
    expect(table).toContain('count requests from 2026-12 on');
    const csv = (
      await run(['report', '--dept', 'finance', '--side', 'customer', '--format', 'csv', ...MARCH])
    ).out.join('\n');
    expect(csv).toContain('it,it-for-finance,Laptops and accounts,finance,1,0,1,0,50,points');
  });
});

describe('kept report --company', () => {
  it('puts every agreement in one table, worst compliance first', async () => {
    const { code, out } = await run(['report', '--company', '--format', 'json', ...MARCH]);
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.byAgreement.map((r: { agreement: string }) => r.agreement)).toEqual([
      'it-for-finance', // 0%
      // nothing met or breached yet: last, by provider
      'finance-for-people-ops',
      'it-for-everyone',
      'people-ops-for-support',
    ]);
    expect(report.byAgreement[0]).toMatchObject({ compliancePct: 0, breached: 1, penaltyTotal: 50 });
    expect(report.byAgreement[2]).toMatchObject({ requests: 2, compliancePct: null });
    const table = (await run(['report', '--company', ...MARCH])).out.join('\n');
    expect(table).toMatch(/^IT\s+Laptops and accounts\s+Finance\s+1\s+0\s+1\s+0%\s+50 points$/m);
  });
});

it.each([
  [
    ['report', '--dept', 'finance', '--side', 'both'],
    /^kept report: --side "both" is not a side; use provider or customer$/,
  ],
  [
    ['report', '--company', '--dept', 'it'],
    /^kept report: --company shows every agreement: leave out --dept and --side$/,
  ],
  [['report', '--company', '--side', 'customer'], /^kept report: --company shows every agreement: leave out --dept/],
  [['report', '--company', '--format', 'xml'], /^kept report: --format "xml" is not a format/],
  [
    ['report', '--company', '--from', '2026-04-01', '--to', '2026-03-01'],
    /^kept report: --from 2026-04-01 is after --to 2026-03-01$/,
  ],
])('bad input %j is one line and exit code 2', async (argv, line) => {
  const { code, out, err } = await run(argv);
  expect(code).toBe(2);
  expect(err).toEqual([expect.stringMatching(line)]);
  expect(out).toEqual([]);
});

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { text: string; blocks?: unknown[] };
  expect((body.blocks ?? []).length).toBeLessThanOrEqual(50);
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}

describe('/sla report customer', () => {
  it("shows Finance's head what Finance receives and what is owed to it", async () => {
    const shown = await sla('report customer finance 2026-03', FIN_HEAD);
    expect(shown).toContain('Finance as a customer, March 2026: 0.0% compliance, 2 filed · 0 met · 1 breached');
    expect(shown).toContain('Laptops and accounts');
    expect(shown).toContain('Printers and meeting rooms');
    expect(shown).toContain('50 points owed');
  });

  it('shows a member the compliance without what is owed, and says who sees it', async () => {
    const shown = await sla('report customer 2026-03', FIN_MEMBER); // their own department by default
    expect(shown).toContain('Laptops and accounts');
    expect(shown).not.toMatch(/owed to Finance:|points owed/);
    expect(shown).toContain('What is owed to Finance is shown only to its heads and Kept admins.');
  });

  it('tells someone in no department how to name one', async () => {
    expect(await sla('report customer', 'U0NOBODY1')).toMatch(
      /^You are not in any department, so name the one you want: `\/sla report customer finance \[period\]`/,
    );
  });

  it('answers a word it does not know in one line', async () => {
    expect(await sla('report customer nonsense', FIN_HEAD)).toMatch(/^`nonsense` is neither a department nor a period/);
  });
});

describe('/sla report company', () => {
  it('shows a Kept admin every agreement, worst first', async () => {
    const shown = await sla('report company 2026-03', ADMIN);
    expect(shown).toContain('Every agreement, March 2026');
    expect(shown.indexOf('Laptops and accounts')).toBeLessThan(shown.indexOf('Printers and meeting rooms'));
    expect(shown).toContain('Payroll corrections');
  });

  it('tells anyone else, in one line, that it is for Kept admins', async () => {
    expect(await sla('report company', FIN_HEAD)).toMatch(
      /^The company view is for Kept admins; `\/sla report customer` shows what your department receives\.\n/,
    );
  });
});
