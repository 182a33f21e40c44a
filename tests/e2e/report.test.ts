/**
 * Reports end to end: examples/company.yaml imported, requests filed, worked and scanned on the
 * app's table in March 2026, then signed `/sla report` commands against the real app (who sees
 * penalties, refusals, the empty state) and `kept report` in its three formats.
 */
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { importExample } from '../support/company';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';
const ADMIN = 'U0ADMIN01';
const STRANGER = 'U0NOBODY1';

let app: RunningSlackApp;
/** The app's clock, so "this month" is November 2026 whatever today is. */
const clock = testClock();
const ids: string[] = [];

async function file(agreementId: string, priority: 'P1' | 'P2', iso: string): Promise<string> {
  const r = await fileFromSlack(app.db, {
    user: FIN_MEMBER,
    agreementId,
    priority,
    title: `Report test ${ids.length + 1}`,
    description: '',
    delivery: `view:REPORT${ids.length + 1}`,
    now: new Date(iso),
  });
  if (r.outcome !== 'filed') throw new Error(JSON.stringify(r));
  ids.push(r.request.id);
  return r.request.id;
}

async function done(id: string, user: string, action: Parameters<typeof act>[1]['action'], iso: string): Promise<void> {
  const r = await act(app.db, { id, user, action, now: new Date(iso) });
  if (r.outcome !== 'done') throw new Error(JSON.stringify(r));
}

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  await importExample(app.db, new Date('2026-01-05T00:00:00Z'));
  // IT works Mon-Fri 09:00-17:00 in New York (EDT from 8 March: 09:00 = 13:00Z).
  // 1. Answered in 10 minutes, solved in an hour: met; rated 2 with a "better" answer.
  const met = await file('it-for-finance', 'P1', '2026-03-10T14:00:00Z');
  await done(met, IT_MEMBER, { type: 'acknowledge' }, '2026-03-10T14:10:00Z');
  await done(met, IT_MEMBER, { type: 'resolve', note: 'New laptop' }, '2026-03-10T15:00:00Z');
  await done(
    met,
    FIN_MEMBER,
    { type: 'rate', score: 2, better: 'Tell <!channel> & me the ETA' },
    '2026-03-10T16:00:00Z',
  );
  // 2. Never answered: misses 30m and 4h, 50 points each; Finance's head waives the response one.
  const late = await file('it-for-finance', 'P1', '2026-03-10T15:00:00Z');
  // 3. A printer, filed on Wednesday morning: misses 1h and 8h, 10 points each.
  await file('it-for-everyone', 'P2', '2026-03-11T14:30:00Z');
  await runScan({ db: app.db }, new Date('2026-03-12T20:00:00Z'));
  await done(
    late,
    FIN_HEAD,
    { type: 'waive', kind: 'response', reason: 'We sent it to the wrong queue' },
    '2026-03-13T14:00:00Z',
  );
});
afterAll(() => app.stop());

async function sla(text: string, user: string): Promise<{ text: string; blocks?: unknown[] }> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  return res.json() as { text: string; blocks?: unknown[] };
}
const shown = (body: { text: string; blocks?: unknown[] }) => `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;

describe('/sla report', () => {
  it('shows a head of the department its compliance, breaches and what is owed', async () => {
    const body = await sla('report it 2026-03', IT_HEAD);
    const all = shown(body);
    expect(body.text).toBe(
      'IT, March 2026: 33.3% compliance, 3 requests filed · 1 met · 2 breached · 2 open · 0 cancelled, 70 points owed.',
    );
    expect(all).toContain('70 points owed');
    expect(all).toContain('120 points charged, 50 points waived');
    expect(all).toContain('Missed targets: 2 responses · 2 resolutions');
    expect(all).toContain('Laptops and accounts');
    expect(all).toContain('Printers and meeting rooms');
    expect(all).toContain('2026-W11');
    expect(all).toContain('*2.0 / 5* from 1 rating');
    expect(all).toContain('Tell &lt;!channel&gt; &amp; me the ETA');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('Tue 11:00–12:00: 1'); // request 2, filed 11:00 in New York
    expect(all).toContain('unassigned 2');
    expect(body.blocks!.length).toBeLessThanOrEqual(50);
  });

  it("sends the charts and the CSV to the asker's DM once, after answering", async () => {
    await app.http.idle(); // the files of the report asked for above
    app.fake.reset();
    await sla('report it 2026-03', IT_HEAD);
    await app.http.idle();
    const done = app.fake.callsTo('files.completeUploadExternal');
    expect(done).toHaveLength(1);
    expect(done[0]!.args.channel_id).toBe(`D${IT_HEAD}`);
    expect(JSON.stringify(done[0]!.args.files)).toMatch(/Weekly compliance[\s\S]*When breaches happen[\s\S]*CSV/);
    const uploads = app.fake.calls.filter((c) => c.method.startsWith('upload/'));
    expect(uploads).toHaveLength(3);
  });

  it('shows Kept admins the penalties too', async () => {
    expect(shown(await sla('report it 2026-03', ADMIN))).toContain('70 points owed');
  });

  it('shows members, and heads of other departments, compliance without penalties, and says why', async () => {
    for (const user of [IT_MEMBER, FIN_HEAD]) {
      const body = await sla('report 2026-03 it', user); // either order
      const all = shown(body);
      expect(all).toContain('33.3%');
      expect(all).not.toMatch(/owed|charged|waived|points|Assignees|unassigned 2/);
      expect(all).toContain('Penalties and breaches per person are shown only to heads of IT and Kept admins.');
    }
  });

  it('reports the department one heads by default, this month', async () => {
    expect((await sla('report', IT_HEAD)).text).toBe(
      'Nobody filed a request to IT in November 2026, so there is nothing to report yet.',
    );
  });

  it('says plainly when nothing was filed', async () => {
    const body = await sla('report Finance 2026-03', FIN_MEMBER);
    expect(body.text).toBe('Nobody filed a request to Finance in March 2026, so there is nothing to report yet.');
  });

  it('lists the period forms for a word it does not know, in one line', async () => {
    const body = await sla('report nonsense', IT_HEAD);
    expect(body.text).not.toContain('\n');
    for (const form of ['this-week', 'last-week', 'this-month', 'last-month', 'quarter', '2026-11'])
      expect(body.text).toContain(form);
    expect((await sla('report it 2026-13', IT_HEAD)).text).toMatch(
      /^"2026-13" is not a period; use this-week, last-week/,
    );
    expect((await sla('report <!channel>', IT_HEAD)).text).toMatch(
      /^`&lt;!channel&gt;` is neither a department nor a period/,
    );
  });

  it('tells someone in no department how to ask', async () => {
    expect((await sla('report', STRANGER)).text).toMatch(
      /^You are not in any department, so name the one you want: `\/sla report finance \[period\]`\. Departments: `finance`, `it`, `people-ops`, `support`\.$/,
    );
  });
});

describe('kept report', () => {
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

  it('--format json has every figure, under the documented keys', async () => {
    const { io, out, err } = cli();
    expect(
      await kept(['report', '--dept', 'it', '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'json'], io),
    ).toBe(0);
    expect(err).toEqual([]);
    const report = JSON.parse(out.join('\n')) as Record<string, unknown>;
    for (const key of [
      'department',
      'from',
      'to',
      'requests',
      'met',
      'breached',
      'open',
      'cancelled',
      'compliancePct',
      'breachesByTarget',
      'penaltyTotal',
      'penaltyUnit',
      'penalties',
      'byAgreement',
      'trend',
      'csat',
      'better',
      'causes',
      'heatmap',
      'byService',
      'byAssignee',
      'empty',
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({
      department: 'it',
      from: '2026-03-01',
      to: '2026-03-31',
      requests: 3,
      met: 1,
      breached: 2,
      open: 2,
      cancelled: 0,
      compliancePct: 33.3,
      breachesByTarget: { response: 2, resolution: 2 },
      penaltyTotal: 70,
      penaltyUnit: 'points',
      penalties: { points: { charged: 120, waived: 50, owed: 70 } },
      csat: { count: 1, average: 2, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 } },
      better: [{ id: ids[0], day: '2026-03-10', text: 'Tell <!channel> & me the ETA' }],
      byAssignee: [{ assignee: null, breached: 2 }],
      empty: false,
    });
    expect(report.byAgreement).toEqual([
      {
        agreement: 'it-for-finance',
        name: 'Laptops and accounts',
        priority: 'P1',
        requests: 2,
        met: 1,
        breached: 1,
        compliancePct: 50,
      },
      {
        agreement: 'it-for-everyone',
        name: 'Printers and meeting rooms',
        priority: 'P2',
        requests: 1,
        met: 0,
        breached: 1,
        compliancePct: 0,
      },
    ]);
    expect((report.trend as { week: string }[]).map((t) => t.week)).toEqual([
      '2026-W09',
      '2026-W10',
      '2026-W11',
      '2026-W12',
      '2026-W13',
      '2026-W14',
    ]);
    expect((report.heatmap as number[][])[1]![11]).toBe(1); // Tuesday 11:00
    expect((report.heatmap as number[][])[2]![10]).toBe(1); // Wednesday 10:00
  });

  it('--format csv and the default table print the same figures', async () => {
    const csv = cli();
    expect(
      await kept(['report', '--dept', 'it', '--from', '2026-03-01', '--to', '2026-03-31', '--format', 'csv'], csv.io),
    ).toBe(0);
    const text = csv.out.join('\n');
    expect(text).toMatch(/^Summary\r\ndepartment,name,from,to,/);
    expect(text).toContain('it,IT,2026-03-01,2026-03-31,3,1,2,2,0,33.3,2,2,70,points,2,4\r\n');
    expect(text).toContain('points,120,50,70');
    const table = cli();
    expect(await kept(['report', '--dept', 'IT', '--from', '2026-03-01', '--to', '2026-03-31'], table.io)).toBe(0);
    const lines = table.out.join('\n');
    expect(lines).toContain('Compliance 33.3%: 3 filed, 1 met, 2 breached, 2 open, 0 cancelled');
    // For people: agreements by service and customer, not by id.
    expect(lines).toMatch(/^Laptops and accounts\s+Finance\s+P1\s+2\s+1\s+1\s+50%$/m);
    expect(lines).toMatch(/^Printers and meeting rooms\s+every department\s+P2\s+1\s+0\s+1\s+0%$/m);
    expect(lines).not.toContain('it-for-');
  });

  it('defaults to this month to date', async () => {
    const { io, out } = cli();
    expect(await kept(['report', '--dept', 'it', '--format', 'json'], io)).toBe(0);
    const today = DateTime.now().setZone('America/New_York');
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      from: today.startOf('month').toISODate(),
      to: today.toISODate(),
      empty: true,
    });
  });

  it.each([
    [
      ['report', '--dept', 'nope'],
      /^kept report: there is no department "nope"; departments: finance, it, people-ops, support$/,
    ],
    [['report'], /^kept report: --dept \(or --company\) is required; usage: kept report \(--dept ID/],
    [
      ['report', '--dept', 'it', '--from', '2026-02-30'],
      /^kept report: --from "2026-02-30" is not a date; write YYYY-MM-DD/,
    ],
    [['report', '--dept', 'it', '--to', 'yesterday'], /^kept report: --to "yesterday" is not a date/],
    [
      ['report', '--dept', 'it', '--from', '2026-03-31', '--to', '2026-03-01'],
      /^kept report: --from 2026-03-31 is after --to 2026-03-01$/,
    ],
    [
      ['report', '--dept', 'it', '--from', '2099-01-01'],
      /^kept report: --from 2099-01-01 is after --to \d{4}-\d{2}-\d{2} \(today in America\/New_York when left out\)$/,
    ],
    [
      ['report', '--dept', 'it', '--format', 'xml'],
      /^kept report: --format "xml" is not a format; use table, json or csv$/,
    ],
    [['report', '--dept', 'it', '--week'], /^kept report: Unknown option '--week'.*usage: kept report/],
  ])('bad input %j is one line and exit code 2', async (argv, line) => {
    const { io, out, err } = cli();
    expect(await kept(argv, io)).toBe(2);
    expect(err).toEqual([expect.stringMatching(line)]);
    expect(out).toEqual([]);
  });
});
