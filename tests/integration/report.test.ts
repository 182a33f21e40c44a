/**
 * Reports on DynamoDB Local, from histories made through the real flows: requests filed with
 * fileFromSlack at random instants over six weeks, worked with act (acknowledge, resolve with a
 * cause when a target was missed, rate with a "better" answer, close, cancel, a customer head's
 * waiver) and scanned by runScan at random later instants. The report built from the day
 * counters must agree, figure by figure, with a recount of the raw request items of the same
 * period (a test-only table Scan); erasing everyone's text afterwards changes no figure and no ledger
 * item. The times (median and p90 per priority, the share within each target, waiting) agree with
 * the raw times sorted, and each customer's side of every agreement (readCustomerReport) agrees with
 * the provider's. Also: a department nobody filed to says so, and a quarter's report takes a handful
 * of DynamoDB calls.
 */

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { MINUTE_MS } from '../../functions/domain/duration';
import { REMOVED } from '../../functions/domain/erase';
import { buildReport, compliance, type Report } from '../../functions/domain/report';
import { CAUSE_CATEGORIES, type CauseCategory, type Request } from '../../functions/domain/request';
import { sumCounters } from '../../functions/domain/stats';
import { ALL, bucketOf, shareWithin, type TimeKind } from '../../functions/domain/times';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { reportCommand } from '../../functions/slack/listeners/report';
import { reportMessage } from '../../functions/slack/views/report';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { eraseRequest, requestsTouchedBy } from '../../functions/store/erase';
import { readBetter, readCustomerReport, readDays } from '../../functions/store/stats';
import { importCompany } from '../support/company';
import { testConfig } from '../support/config';
import { allItems, countCalls, dropTable, freshTable, testEndpoint } from '../support/db';

const OPS_HEAD = 'U0OPSHEAD1';
const OPS = ['U0OPSHEAD1', 'U0OPSMEM01', 'U0OPSMEM02'];
const SALES_HEAD = 'U0SALHEAD1';
const SALES = ['U0SALMEM01', 'U0SALMEM02'];
const FIN_HEAD = 'U0FINHEAD1';
const FINANCE = ['U0FINMEM01'];
const ZONE = 'America/New_York';
const MIN = 60_000;
const DAY = 86_400_000;

// Ops works around the clock in New York (summer time ends on 1 November, inside the window);
// Sales files to it under two agreements, one charged in points with a tier and a monthly cap,
// one in euros. Service names carry the characters counter keys and CSV must survive.
const COMPANY = {
  departments: [
    {
      id: 'ops',
      name: 'Operations',
      heads: [OPS_HEAD],
      members: OPS.slice(1),
      channel: 'C0OPSQUEUE',
      prefix: 'OPS',
      calendar: { timezone: ZONE },
    },
    {
      id: 'sales',
      name: 'Sales',
      heads: [SALES_HEAD],
      members: SALES,
      channel: 'C0SALQUEUE',
      calendar: { timezone: ZONE },
    },
    {
      id: 'finance',
      name: 'Finance',
      heads: [FIN_HEAD],
      members: FINANCE,
      channel: 'C0FINQUEUE',
      calendar: { timezone: ZONE },
    },
  ],
  agreements: [
    {
      id: 'ops-for-sales',
      provider: 'ops',
      customer: 'sales',
      service: 'Demo environments, "fast" & <safe>',
      targets: { P1: { response: '30m', resolution: '4h' }, P2: { response: '2h', resolution: '16h' } },
      penalty: { unit: 'points', per_breach: 50, tiers: [{ from_breach: 3, multiplier: 2 }], monthly_cap: 500 },
    },
    {
      id: 'ops-for-all',
      provider: 'ops',
      customer: '*',
      service: 'Access | badges',
      targets: { P3: { response: '1h', resolution: '8h' } },
      penalty: { unit: 'EUR', per_breach: 120.5 },
    },
  ],
};
const CHOICES = [
  { agreementId: 'ops-for-sales', priority: 'P1' },
  { agreementId: 'ops-for-sales', priority: 'P2' },
  { agreementId: 'ops-for-all', priority: 'P3' },
] as const;
const NAMES = { 'ops-for-sales': COMPANY.agreements[0]!.service, 'ops-for-all': COMPANY.agreements[1]!.service };

/** Monday 5 October 2026, 00:00 in New York; six weeks of filings. */
const START = Date.parse('2026-10-05T04:00:00Z');
const WINDOW_MIN = 42 * 24 * 60;

const importOurs = (db: Db): Promise<void> => importCompany(db, COMPANY, '2026-10-01T00:00:00Z');

// ---------------------------------------------------------------------------------------------
// Random histories

type StepKind = 'acknowledge' | 'resolve' | 'rate' | 'close' | 'cancel' | 'waive' | 'pause' | 'resume';
interface Step {
  kind: StepKind;
  /** Minutes after the previous step of the same request (or its filing). */
  after: number;
  who: number;
  score: number;
  better: string | null;
  cause: CauseCategory;
  target: 'response' | 'resolution';
}
interface Filing {
  /** Minutes after START. */
  at: number;
  choice: number;
  requester: number;
  steps: Step[];
}
interface Plan {
  filings: Filing[];
  /** Minutes after START. */
  scans: number[];
  /** Day offsets from START of the period checked besides the whole window. */
  period: [number, number];
}

const BETTER = [
  'Faster, please',
  'Say "when" <!channel>',
  'A & B\nnext line',
  '=HYPERLINK("x")',
  '  ',
  'Nothing: great',
];

const step: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<StepKind>(
    'acknowledge',
    'resolve',
    'resolve',
    'rate',
    'close',
    'cancel',
    'waive',
    'pause',
    'resume',
  ),
  after: fc.oneof(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 26, max: 3 * 24 * 60 })),
  who: fc.nat(9),
  score: fc.integer({ min: 1, max: 5 }),
  better: fc.option(fc.constantFrom(...BETTER), { nil: null }),
  cause: fc.constantFrom(...CAUSE_CATEGORIES),
  target: fc.constantFrom('response' as const, 'resolution' as const),
});

/** A few random steps, often followed by a resolve and a rating (which need each other, in that order). */
const steps: fc.Arbitrary<Step[]> = fc
  .tuple(fc.array(step, { maxLength: 3 }), fc.option(fc.tuple(step, step), { nil: null }))
  .map(([some, end]) =>
    end ? [...some, { ...end[0], kind: 'resolve' as const }, { ...end[1], kind: 'rate' as const }] : some,
  );

const plan: fc.Arbitrary<Plan> = fc.record({
  filings: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: WINDOW_MIN }),
      choice: fc.nat(CHOICES.length - 1),
      requester: fc.nat(SALES.length + FINANCE.length - 1),
      steps: steps,
    }),
    { minLength: 1, maxLength: 7 },
  ),
  scans: fc.array(fc.integer({ min: 0, max: WINDOW_MIN + 4 * 24 * 60 }), { minLength: 1, maxLength: 3 }),
  period: fc
    .tuple(fc.integer({ min: 0, max: 45 }), fc.integer({ min: 0, max: 45 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
});

/**
 * One history tried first, whatever the seed: a P1 filed on a Monday morning, waiting on its
 * requester for two hours, and left for three days (both targets missed), its response penalty waived by the customer's head, then resolved with a
 * cause and rated. Fifteen random histories do not always contain a waiver; this one always does.
 */
const WAIVED: Plan = {
  filings: [
    {
      at: 10 * 60,
      choice: 0,
      requester: 0,
      steps: [
        { kind: 'pause', after: 60, who: 0, score: 1, better: null, cause: 'staffing', target: 'response' },
        { kind: 'resume', after: 120, who: 0, score: 1, better: null, cause: 'staffing', target: 'response' },
        { kind: 'waive', after: 3 * 24 * 60, who: 0, score: 1, better: null, cause: 'staffing', target: 'response' },
        { kind: 'resolve', after: 10, who: 1, score: 1, better: null, cause: 'staffing', target: 'resolution' },
        { kind: 'rate', after: 5, who: 0, score: 4, better: 'Faster, please', cause: 'other', target: 'response' },
      ],
    },
  ],
  scans: [WINDOW_MIN],
  period: [0, 45],
};

type Event = { at: number; order: number; run: () => Promise<void> };

/** Plays the plan through the real flows, in time order. */
async function play(db: Db, p: Plan): Promise<void> {
  const events: Event[] = [];
  const ids: (string | undefined)[] = [];
  p.filings.forEach((f, i) => {
    const filedAt = START + f.at * MIN;
    const choice = CHOICES[f.choice]!;
    // Finance files only under the agreement for every department; Sales under both.
    const requester =
      choice.agreementId === 'ops-for-all' ? [...SALES, ...FINANCE][f.requester]! : SALES[f.requester % SALES.length]!;
    events.push({
      at: filedAt,
      order: 0,
      run: async () => {
        const result = await fileFromSlack(db, {
          user: requester,
          ...choice,
          title: `Request ${i}`,
          description: '',
          delivery: `view:F${i}`,
          now: new Date(filedAt),
        });
        if (result.outcome !== 'filed') throw new Error(`filing ${i}: ${JSON.stringify(result)}`);
        ids[i] = result.request.id;
      },
    });
    let t = filedAt;
    for (const s of f.steps) {
      t += s.after * MIN;
      const now = new Date(t);
      const provider = OPS[s.who % OPS.length]!;
      events.push({
        at: t,
        order: 1,
        run: async () => {
          const id = ids[i]!;
          switch (s.kind) {
            case 'acknowledge':
              await act(db, { id, user: provider, action: { type: 'acknowledge' }, now });
              break;
            case 'resolve': {
              const plain = await act(db, { id, user: provider, action: { type: 'resolve', note: 'Done' }, now });
              if (plain.outcome === 'refused' && /pick a cause/.test(plain.message))
                await act(db, {
                  id,
                  user: provider,
                  action: { type: 'resolve', note: 'Done, late', cause: { category: s.cause, text: 'why' } },
                  now,
                });
              break;
            }
            case 'rate':
              await act(db, {
                id,
                user: requester,
                action: { type: 'rate', score: s.score, ...(s.better !== null ? { better: s.better } : {}) },
                now,
              });
              break;
            case 'close':
              await act(db, { id, user: requester, action: { type: 'close' }, now });
              break;
            case 'cancel':
              await act(db, { id, user: requester, action: { type: 'cancel' }, now });
              break;
            case 'pause':
              await act(db, { id, user: provider, action: { type: 'pause', note: 'Which one?' }, now });
              break;
            case 'resume':
              await act(db, { id, user: requester, action: { type: 'resume' }, now });
              break;
            case 'waive':
              // A head waives from the breach DM, which follows the scan that recorded the breach.
              await runScan({ db }, now);
              await act(db, {
                id,
                user: SALES.includes(requester) ? SALES_HEAD : FIN_HEAD,
                action: { type: 'waive', kind: s.target, reason: 'We changed the brief' },
                now,
              });
              break;
          }
        },
      });
    }
  });
  for (const s of p.scans) {
    const now = new Date(START + s * MIN);
    events.push({ at: now.getTime(), order: 2, run: async () => void (await runScan({ db }, now)) });
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of events) await e.run();
}

// ---------------------------------------------------------------------------------------------
// The recount: straight from the request items

const round2 = (n: number) => Math.round(n * 100) / 100;
const LIVE = ['open', 'acknowledged', 'waiting_on_requester', 'reopened'];

function recount(all: Request[], provider: string, from: string, to: string) {
  const local = (r: Request) => DateTime.fromMillis(r.createdAt, { zone: ZONE });
  const rs = all.filter((r) => r.provider === provider && local(r).toISODate()! >= from && local(r).toISODate()! <= to);
  const isBreached = (r: Request) => Object.values(r.breaches ?? {}).some(Boolean);
  const breached = rs.filter(isBreached);
  const met = rs.filter((r) => !isBreached(r) && (r.status === 'resolved' || r.status === 'closed')).length;

  const penalties: Record<string, { charged: number; waived: number; owed: number }> = {};
  for (const r of rs) {
    for (const b of Object.values(r.breaches ?? {})) {
      if (!b) continue;
      const p = (penalties[b.unit] ??= { charged: 0, waived: 0, owed: 0 });
      p.charged = round2(p.charged + b.amount);
      if (b.waived) p.waived = round2(p.waived + b.amount);
    }
  }
  for (const [unit, p] of Object.entries(penalties)) {
    if (p.charged === 0 && p.waived === 0) delete penalties[unit];
    else p.owed = round2(p.charged - p.waived);
  }

  const ratings = rs.flatMap((r) => (r.rating ? [r.rating] : []));
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as Record<string, number>;
  for (const g of ratings) distribution[String(g.score)]! += 1;

  const causes: Record<string, number> = Object.fromEntries(CAUSE_CATEGORIES.map((c) => [c, 0]));
  for (const r of rs) if (r.cause) causes[r.cause.category]! += 1;

  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of breached) heatmap[local(r).weekday - 1]![local(r).hour]! += 1;

  const tally = <K>(items: Request[], key: (r: Request) => K) => {
    const m = new Map<K, number>();
    for (const r of items) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const byService = [...tally(breached, (r) => r.service)]
    .map(([service, n]) => ({ service, breached: n }))
    .sort((a, b) => b.breached - a.breached || a.service.localeCompare(b.service));
  const byAssignee = [...tally(breached, (r) => r.assignee ?? null)]
    .map(([assignee, n]) => ({ assignee, breached: n }))
    .sort((a, b) => b.breached - a.breached || (a.assignee ?? '').localeCompare(b.assignee ?? ''));

  const slices = new Map<
    string,
    { agreement: string; priority: string; requests: number; met: number; breached: number }
  >();
  for (const r of rs) {
    const row = slices.get(`${r.agreementId}|${r.priority}`) ?? {
      agreement: r.agreementId,
      priority: r.priority,
      requests: 0,
      met: 0,
      breached: 0,
    };
    row.requests++;
    if (isBreached(r)) row.breached++;
    else if (r.status === 'resolved' || r.status === 'closed') row.met++;
    slices.set(`${r.agreementId}|${r.priority}`, row);
  }

  return {
    requests: rs.length,
    met,
    breached: breached.length,
    open: rs.filter((r) => LIVE.includes(r.status)).length,
    cancelled: rs.filter((r) => r.status === 'cancelled').length,
    compliancePct: compliance(met, breached.length),
    breachesByTarget: {
      response: rs.filter((r) => r.breaches?.response).length,
      resolution: rs.filter((r) => r.breaches?.resolution).length,
    },
    penalties,
    csat: {
      count: ratings.length,
      average: ratings.length ? round2(ratings.reduce((s, g) => s + g.score, 0) / ratings.length) : null,
      distribution,
    },
    causes,
    heatmap,
    byService,
    byAssignee,
    byAgreement: [...slices.values()]
      .map((s) => ({ ...s, compliancePct: compliance(s.met, s.breached) }))
      .sort((a, b) => a.agreement.localeCompare(b.agreement) || a.priority.localeCompare(b.priority)),
    better: rs
      .flatMap((r) => (r.rating?.better ? [{ id: r.id, text: r.rating.better }] : []))
      .sort((a, b) => a.id.localeCompare(b.id)),
    empty: rs.length === 0,
  };
}

/** The bound (ms) of the bucket of the time at rank ceil(p·n) of the sorted times; null without times or past the last bound. */
function rankBound(ms: readonly number[], percent: number): number | null {
  if (ms.length === 0) return null;
  const sorted = [...ms].sort((a, b) => a - b);
  const bound = bucketOf(sorted[Math.ceil((percent * sorted.length) / 100) - 1]!);
  return bound === 'more' ? null : Number(bound) * MINUTE_MS;
}

/** Each met clock's working time, by kind and priority, and each finished wait, straight from the request items. */
function recountTimes(rs: readonly Request[]) {
  const met = (kind: 'response' | 'resolution', p: string) =>
    rs.filter((r) => r.priority === p && r.clocks[kind].metAt !== null).map((r) => r.clocks[kind].usedBefore);
  const times: Record<string, unknown> = {};
  for (const p of ['P1', 'P2', 'P3', 'P4']) {
    const response = met('response', p);
    const resolution = met('resolution', p);
    if (response.length + resolution.length === 0) continue;
    times[p] = {
      responseMedianMs: rankBound(response, 50),
      responseP90Ms: rankBound(response, 90),
      resolutionMedianMs: rankBound(resolution, 50),
      resolutionP90Ms: rankBound(resolution, 90),
      counts: { response: response.length, resolution: resolution.length },
    };
  }
  const waits = rs
    .filter((r) => (r.waited?.pauses ?? 0) > 0 && r.status !== 'waiting_on_requester')
    .map((r) => Math.round(r.waited!.ms));
  return {
    times,
    waiting: { medianMs: rankBound(waits, 50), p90Ms: rankBound(waits, 90), timed: waits.length },
  };
}

/** Every agreement's targets, each a bucket bound, so the share within it is exact. */
const TARGETS: [string, string, TimeKind, number][] = [
  ['ops-for-sales', 'P1', 'response', 30],
  ['ops-for-sales', 'P1', 'resolution', 240],
  ['ops-for-sales', 'P2', 'response', 120],
  ['ops-for-sales', 'P2', 'resolution', 960],
  ['ops-for-all', 'P3', 'response', 60],
  ['ops-for-all', 'P3', 'resolution', 480],
];

/** What `customer` got under `agreement`, straight from the request items: counts and penalties per unit. */
function recountSide(rs: readonly Request[], agreement: string, customer: string) {
  const mine = rs.filter((r) => r.agreementId === agreement && r.customer === customer);
  const breached = (r: Request) => Object.values(r.breaches ?? {}).some(Boolean);
  const penalties: Record<string, { charged: number; waived: number; owed: number }> = {};
  for (const r of mine)
    for (const b of Object.values(r.breaches ?? {})) {
      if (!b) continue;
      const p = (penalties[b.unit] ??= { charged: 0, waived: 0, owed: 0 });
      p.charged = round2(p.charged + b.amount);
      if (b.waived) p.waived = round2(p.waived + b.amount);
      p.owed = round2(p.charged - p.waived);
    }
  for (const [unit, p] of Object.entries(penalties)) if (p.charged === 0 && p.waived === 0) delete penalties[unit];
  return {
    requests: mine.length,
    met: mine.filter((r) => !breached(r) && (r.status === 'resolved' || r.status === 'closed')).length,
    breached: mine.filter(breached).length,
    penalties,
  };
}

function figures(r: Report) {
  return {
    requests: r.requests,
    met: r.met,
    breached: r.breached,
    open: r.open,
    cancelled: r.cancelled,
    compliancePct: r.compliancePct,
    breachesByTarget: r.breachesByTarget,
    penalties: r.penalties,
    csat: r.csat,
    causes: r.causes,
    heatmap: r.heatmap,
    byService: r.byService,
    byAssignee: r.byAssignee,
    byAgreement: r.byAgreement
      .map(({ name: _name, ...row }) => row)
      .sort((a, b) => a.agreement.localeCompare(b.agreement) || a.priority.localeCompare(b.priority)),
    better: r.better.map(({ id, text }) => ({ id, text })).sort((a, b) => a.id.localeCompare(b.id)),
    empty: r.empty,
  };
}

async function reportFor(db: Db, department: { id: string; name: string }, from: string, to: string): Promise<Report> {
  const [days, better] = await Promise.all([
    readDays(db, department.id, from, to),
    readBetter(db, department.id, from, to, 100),
  ]);
  return buildReport({ department, from, to, days: days.days, better: better.answers, agreementNames: NAMES });
}

const localDay = (offsetDays: number) => DateTime.fromMillis(START + offsetDays * DAY, { zone: ZONE }).toISODate()!;

const RUNS = 8;
it('a report from the day counters agrees with a recount of the requests, whatever happened to them', async () => {
  let runs = 0;
  let nonEmpty = 0;
  let withBreaches = 0;
  let withWaivers = 0;
  let withRatings = 0;
  let withCauses = 0;
  let withTimes = 0;
  let withWaits = 0;
  await fc.assert(
    fc.asyncProperty(plan, async (p) => {
      runs++;
      const db = await freshTable();
      try {
        await importOurs(db);
        await play(db, p);
        const requests = (await allItems(db)).filter((i) => i.sk === 'REQ') as unknown as Request[];
        expect(requests).toHaveLength(p.filings.length);
        const dir = await readDirectory(db);
        for (const [from, to] of [
          ['2026-10-01', '2026-12-31'],
          [localDay(p.period[0]), localDay(p.period[1])],
        ] as const) {
          const report = await reportFor(db, { id: 'ops', name: 'Operations' }, from, to);
          const expected = recount(requests, 'ops', from, to);
          expect(figures(report)).toEqual(expected);
          // The weekly trend adds up to the totals, and every agreement row carries its service.
          expect(report.trend.reduce((s, w) => s + w.requests, 0)).toBe(report.requests);
          expect(report.trend.reduce((s, w) => s + w.breached, 0)).toBe(report.breached);
          expect(report.byAgreement.every((a) => a.name === NAMES[a.agreement as keyof typeof NAMES])).toBe(true);
          if (report.requests > 0) nonEmpty++;
          if (report.breached > 0) withBreaches++;
          if (Object.values(report.penalties).some((x) => x.waived > 0)) withWaivers++;
          if (report.csat.count > 0) withRatings++;
          if (Object.values(report.causes).some((n) => n > 0)) withCauses++;

          // Times: medians and p90s per priority, and the waits, equal the raw times sorted; the
          // share within each target equals the share of raw times within it (targets are bounds).
          const inPeriod = requests.filter((r) => r.filed.day >= from && r.filed.day <= to);
          const times = recountTimes(inPeriod);
          expect(report.times).toEqual(times.times);
          expect({
            medianMs: report.waiting.medianMs,
            p90Ms: report.waiting.p90Ms,
            timed: report.waiting.timed,
          }).toEqual(times.waiting);
          const counters = sumCounters((await readDays(db, 'ops', from, to)).days.map((d) => d.counters));
          for (const [agreement, priority, kind, minutes] of TARGETS) {
            const k = kind as 'response' | 'resolution';
            for (const which of [agreement, ALL]) {
              const clocks = inPeriod.filter(
                (r) =>
                  (which === ALL || r.agreementId === which) && r.priority === priority && r.clocks[k].metAt !== null,
              );
              const within = clocks.filter((r) => r.clocks[k].usedBefore <= minutes * MINUTE_MS).length;
              expect(shareWithin(counters, kind, which, priority, minutes * MINUTE_MS)).toBe(
                clocks.length === 0 ? null : within / clocks.length,
              );
            }
          }
          if (Object.keys(report.times).length > 0) withTimes++;
          if (report.waiting.timed > 0) withWaits++;

          // Each customer's side of every agreement equals the provider's figures for it.
          for (const customer of ['sales', 'finance']) {
            const side = await readCustomerReport(db, dir, customer, { from, to });
            for (const row of side.byAgreement) {
              const expected = recountSide(inPeriod, row.agreement, customer);
              expect({
                requests: row.requests,
                met: row.met,
                breached: row.breached,
                penalties: row.penalties,
              }).toEqual(expected);
            }
            expect(side.byAgreement.map((a) => a.agreement).sort()).toEqual(
              customer === 'sales' ? ['ops-for-all', 'ops-for-sales'] : ['ops-for-all'],
            );
          }
          const named = report.byAgreement.filter((a) => a.agreement === 'ops-for-sales');
          const salesSide = await readCustomerReport(db, dir, 'sales', { from, to });
          const row = salesSide.byAgreement.find((a) => a.agreement === 'ops-for-sales')!;
          expect([row.requests, row.met, row.breached]).toEqual([
            named.reduce((n, a) => n + a.requests, 0),
            named.reduce((n, a) => n + a.met, 0),
            named.reduce((n, a) => n + a.breached, 0),
          ]);
        }
        // Erasing what people wrote (kept erase, and the retention job's everyone-scope) keeps every
        // figure and the ledger exactly as they were; only text becomes "(removed)".
        const ledger = async () =>
          JSON.stringify((await allItems(db)).filter((i) => String(i.pk).startsWith('LEDGER#')));
        const ledgerBefore = await ledger();
        const before = await reportFor(db, { id: 'ops', name: 'Operations' }, '2026-10-01', '2026-12-31');
        const who = SALES[p.filings.length % SALES.length]!;
        for (const id of await requestsTouchedBy(db, who)) await eraseRequest(db, id, { user: who });
        for (const r of requests) await eraseRequest(db, r.id, { everyone: true });
        const after = await reportFor(db, { id: 'ops', name: 'Operations' }, '2026-10-01', '2026-12-31');
        // Every figure the same; the "what would have made this better?" answers kept, their text removed.
        const was = figures(before) as { better?: { text: string }[] };
        expect(figures(after)).toEqual({ ...was, better: (was.better ?? []).map((b) => ({ ...b, text: REMOVED })) });
        expect(await ledger()).toBe(ledgerBefore);
        const erased = (await allItems(db)).filter((i) => i.sk === 'REQ');
        expect(erased.every((i) => i.title === REMOVED)).toBe(true);
        expect(after.better.every((b) => b.text === REMOVED)).toBe(true);
      } finally {
        await dropTable(db);
      }
    }),
    // Each run fills a table, so a few runs; the first is always the hand-written WAIVED history.
    { numRuns: RUNS, examples: [[WAIVED]] },
  );
  expect(runs).toBe(RUNS);
  // The histories are not all trivial: most reports have requests, and some have breaches (the first
  // history, WAIVED, makes sure a waiver, a rating and a cause are among them).
  expect(nonEmpty).toBeGreaterThan(RUNS); // of 2 * RUNS reports
  expect(withBreaches).toBeGreaterThan(2);
  expect(withWaivers).toBeGreaterThan(0);
  expect(withRatings).toBeGreaterThan(0);
  expect(withCauses).toBeGreaterThan(0);
  expect(withTimes).toBeGreaterThanOrEqual(2);
  expect(withWaits).toBeGreaterThan(0);
}, 90_000);

describe('on one history', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshTable();
    await importOurs(db);
    // One request filed on each of twelve days of the quarter, all left open; the scan records what they missed.
    for (let i = 0; i < 12; i++) {
      const now = new Date(Date.parse('2026-10-02T15:00:00Z') + i * 4 * DAY);
      const r = await fileFromSlack(db, {
        user: SALES[i % 2]!,
        ...CHOICES[i % 3]!,
        title: `Quarter ${i}`,
        description: '',
        delivery: `view:Q${i}`,
        now,
      });
      expect(r.outcome).toBe('filed');
    }
    await runScan({ db }, new Date('2026-11-25T12:00:00Z'));
  });
  afterAll(() => dropTable(db));

  it('a department nobody filed to says so', async () => {
    const report = await reportFor(db, { id: 'sales', name: 'Sales' }, '2026-11-01', '2026-11-25');
    expect(report).toMatchObject({ requests: 0, empty: true, compliancePct: null });
    expect(reportMessage({ ...report, label: 'November 2026' }, { forHeads: true }).text).toBe(
      'Nobody filed a request to Sales in November 2026, so there is nothing to report yet.',
    );
  });

  it("a quarter's report takes three DynamoDB calls, directory included, and one per agreement for its joint reviews", async () => {
    const counter = countCalls(db);
    const [days, better] = await Promise.all([
      readDays(db, 'ops', '2026-10-01', '2026-12-31'),
      readBetter(db, 'ops', '2026-10-01', '2026-12-31'),
    ]);
    expect(days.days).toHaveLength(12);
    expect(days.calls + better.calls).toBe(2);
    expect(counter.count()).toBe(2);

    // The joint reviews: one Query per agreement Operations is a side of (they run beside the report's).
    const sides = (await readDirectory(db)).agreements.filter((a) =>
      [a.active?.provider, a.active?.customer].some((d) => d === 'ops' || d === '*'),
    ).length;
    expect(sides).toBeGreaterThan(0);
    const before = counter.count();
    const deps = {
      config: testConfig({ slackApiUrl: 'http://127.0.0.1:9/api/', table: db.table, endpoint: testEndpoint() }),
      db,
      outbox: { send: async () => {}, idle: async () => {} },
      now: () => new Date('2026-11-25T15:00:00Z'),
    };
    const answer = await reportCommand(deps, OPS_HEAD, ['quarter']);
    expect(counter.count() - before).toBeLessThanOrEqual(3 + sides);
    expect(answer.text).toMatch(
      /^Operations, Q4 2026: 0\.0% compliance, 12 requests filed · 0 met · 12 breached · 12 open · 0 cancelled, /,
    );
  });
});
