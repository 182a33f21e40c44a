/**
 * (f) A quarter's report over a year of history. DynamoDB Local in memory; one 24x7 provider with
 * 100,000 requests filed over the last 365 days, built by the real domain code (fileRequest, then
 * acknowledge, resolve with a cause when late, the scan's breach with its charge, rate with a
 * "better" answer, cancel, a customer head's waiver) and written directly with BatchWriteItem
 * (the transactional path would take an hour): the request items (requestItem), the per-day
 * counters summed from contribution(), and the "better" answers, in the shapes the store writes.
 * Then a report of the last whole calendar quarter (92 days) is built 20 times the way
 * `/sla report` builds it (readDays + readBetter + buildReport). Measured: DynamoDB calls per
 * report (counted by a middleware on the client; budget 30), the latency, and the day items' size
 * with and without the time counters (DynamoDB's 400 KB item limit). Then the target advice for
 * Operations' agreement with Sales (its last 92 days, readAdvice as `/sla propose`, its proposal
 * DMs and `kept import --dry-run` read it): DynamoDB calls (budget 30) and latency.
 */

import { DateTime } from 'luxon';
import type { Advice } from '../functions/domain/advice';
import type { AgreementVersion, Priority } from '../functions/domain/agreement';
import { compileCalendar } from '../functions/domain/calendar';
import type { Department } from '../functions/domain/department';
import { buildReport } from '../functions/domain/report';
import {
  CAUSE_CATEGORIES,
  fileRequest,
  type Request,
  type RequestAction,
  type Rights,
  requestId,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../functions/domain/request';
import { decide } from '../functions/domain/request-actions';
import { type Counters, contribution } from '../functions/domain/stats';
import { findingsAt } from '../functions/domain/watch';
import { monthOf } from '../functions/domain/weeks';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createDb, type Db } from '../functions/store/client';
import { BatchWriteCommand } from '../functions/store/commands';
import { readDirectory } from '../functions/store/directory';
import { requestItem } from '../functions/store/requests';
import { betterSk, daySk, readAdvice, readBetter, readDays, statsPk } from '../functions/store/stats';
import { ensureTable } from '../functions/store/table';
import { importCompany } from '../tests/support/company';
import { countCalls } from '../tests/support/db';
import { median, quantile, round, timeMs } from './stats';
import type { Bench } from './types';

export const REQUESTS = 100_000;
const DAYS = 365;
const RUNS = 20;
const WARMUP = 3;
const CALL_BUDGET = 30;
const WRITERS = 8;
export const NOW = Date.parse('2026-11-25T12:00:00Z');
const ZONE = 'Europe/Berlin';
const MIN = 60_000;
const HOUR = 60 * MIN;

export const HEAD = 'U0OPSHEAD1';
const AGENTS = ['U0OPSHEAD1', 'U0OPSMEM01', 'U0OPSMEM02', 'U0OPSMEM03', 'U0OPSMEM04'];
const REQUESTERS = ['U0SALMEM01', 'U0SALMEM02', 'U0SALMEM03'];
const CUSTOMER_HEAD = 'U0SALHEAD1';
const BETTER = [
  'Tell me when you start',
  'A faster first answer',
  'Fewer handoffs, please',
  'Say "done" & close it',
  'Nothing, thanks',
];

const COMPANY = {
  departments: [
    {
      id: 'ops',
      name: 'Operations',
      heads: [HEAD],
      members: AGENTS.slice(1),
      channel: 'C0OPSQUEUE',
      prefix: 'OPS',
      calendar: { timezone: ZONE },
    },
    {
      id: 'sales',
      name: 'Sales',
      heads: [CUSTOMER_HEAD],
      members: REQUESTERS,
      channel: 'C0SALQUEUE',
      calendar: { timezone: ZONE },
    },
  ],
  agreements: [
    {
      id: 'ops-for-sales',
      provider: 'ops',
      customer: 'sales',
      service: 'Demo environments',
      targets: { P1: { response: '30m', resolution: '4h' }, P2: { response: '2h', resolution: '16h' } },
      penalty: { unit: 'points', per_breach: 50 },
    },
    {
      id: 'ops-for-all',
      provider: 'ops',
      customer: '*',
      service: 'Access badges',
      targets: { P3: { response: '8h', resolution: '40h' } },
      penalty: { unit: 'EUR', per_breach: 120 },
    },
  ],
};

/** A small deterministic PRNG (mulberry32), so every run seeds the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Built {
  request: Request;
  better?: string;
}

/** One request's life, decided by the domain: most are answered and solved, some late, some rated, cancelled or waived. */
function buildHistory(random: () => number, agreements: AgreementVersion[], provider: Department): Built[] {
  const calendar = compileCalendar({ timezone: ZONE });
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: Built[] = [];
  for (let i = 1; i <= REQUESTS; i++) {
    const agreement = random() < 0.7 ? agreements[0]! : agreements[1]!;
    const priority = pick(Object.keys(agreement.targets) as Priority[]);
    const filedAt = NOW - Math.floor(random() * DAYS * 24 * HOUR);
    const requester = pick(REQUESTERS);
    const filed = fileRequest({
      id: requestId('OPS', i),
      number: i,
      agreement,
      customer: 'sales',
      priority,
      title: `Request ${i}`,
      description: '',
      requester,
      at: filedAt,
      calendar,
    });
    if (!filed.ok) throw new Error(filed.error);
    let r = filed.value.request;
    const target = agreement.targets[priority]!;
    const step = (action: RequestAction, actor: string, rights: Rights, at: number) => {
      const d = decide(r, action, { actor, at: Math.min(at, NOW), calendar, rights, provider });
      if (d.ok) r = d.value.request;
      return d.ok;
    };
    const agent = pick(AGENTS);
    const asProvider: Rights = { provider: true, requester: false };
    const asRequester: Rights = { provider: false, requester: true };
    const fate = random();
    let t = filedAt;
    if (fate < 0.05) {
      step({ type: 'cancel' }, requester, asRequester, t + random() * target.response * 2);
    } else if (fate < 0.95 && filedAt < NOW - 3 * 24 * HOUR) {
      // Answered within 0.2x to 1.3x the response target, solved within 0.2x to 1.3x the resolution target.
      t += target.response * (0.2 + random() * 1.1);
      step({ type: 'acknowledge' }, agent, asProvider, t);
      t = filedAt + target.resolution * (0.2 + random() * 1.1);
      if (!step({ type: 'resolve', note: 'Done' }, agent, asProvider, t))
        step(
          { type: 'resolve', note: 'Done, late', cause: { category: pick(CAUSE_CATEGORIES) } },
          agent,
          asProvider,
          t,
        );
    }
    // The scan records what was missed, at the true due instant.
    for (const f of findingsAt(r, calendar, NOW)) {
      if (f.type !== 'breach') continue;
      const charge = {
        amount: agreement.penalty.perBreach,
        unit: agreement.penalty.unit,
        n: 1,
        multiplier: 1,
        month: monthOf(f.dueAt, ZONE),
      };
      step({ type: 'breach', kind: f.kind, charge }, SYSTEM_ACTOR, SYSTEM_RIGHTS, Math.max(f.dueAt + MIN, r.updatedAt));
    }
    let better: string | undefined;
    if (r.status === 'resolved' && random() < 0.4) {
      better = random() < 0.25 ? pick(BETTER) : undefined;
      step(
        { type: 'rate', score: 1 + Math.floor(random() * 5), ...(better ? { better } : {}) },
        requester,
        asRequester,
        r.updatedAt + HOUR,
      );
    }
    if (r.breaches?.response && random() < 0.1)
      step(
        { type: 'waive', kind: 'response', reason: 'Our brief was late' },
        CUSTOMER_HEAD,
        { provider: false, requester: false, customerHead: true },
        r.updatedAt + HOUR,
      );
    out.push({ request: r, ...(better && r.rating?.better ? { better } : {}) });
  }
  return out;
}

/** Puts `items` 25 at a time, WRITERS batches in flight, retrying what DynamoDB leaves unprocessed. */
async function putAll(db: Db, items: Record<string, unknown>[], what: string): Promise<void> {
  let next = 0;
  let written = 0;
  const writer = async () => {
    while (next < items.length) {
      const slice = items.slice(next, (next += 25));
      let batch: Record<string, unknown> = { [db.table]: slice.map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(batch).length > 0) {
        const out = await db.doc.send(new BatchWriteCommand({ RequestItems: batch as never }));
        batch = (out.UnprocessedItems ?? {}) as Record<string, unknown>;
      }
      written += slice.length;
      if (written % 10_000 < 25) process.stderr.write(`  ${what}: ${written} of ${items.length}\r`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  process.stderr.write(`  ${what}: ${items.length} of ${items.length}\n`);
}

/** An item's size as DynamoDB counts it: each attribute's name in UTF-8 plus its value (a number: about 1 byte per 2 digits, plus 1). */
function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(item)) {
    bytes += Buffer.byteLength(k);
    bytes +=
      typeof v === 'number'
        ? Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').length / 2) + 1
        : Buffer.byteLength(String(v));
  }
  return bytes;
}
const TIME_COUNTER = /^(resp|reso|wait)\|/;

export interface Seeded {
  agreementNames: Record<string, string>;
  perDay: Map<string, number>;
  /** The day items' sizes in bytes, with the time counters and without them. */
  dayBytes: { mean: number; max: number; meanWithout: number; maxWithout: number };
}

/** The company and its year of 100,000 requests (also the web bench's table, bench/web.bench.ts). */
export async function seed(db: Db): Promise<Seeded> {
  await importCompany(db, COMPANY, '2025-11-01T00:00:00Z');
  const dir = await readDirectory(db);
  const agreements = ['ops-for-sales', 'ops-for-all'].map((id) => dir.agreements.find((a) => a.id === id)!.active!);
  const provider = dir.departments.find((d) => d.id === 'ops')!;

  const started = Date.now();
  const built = buildHistory(prng(42), agreements, provider);
  process.stderr.write(
    `  built ${built.length} requests with the domain in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );

  const days = new Map<string, Counters>();
  const perDay = new Map<string, number>();
  const betterItems: Record<string, unknown>[] = [];
  for (const { request, better } of built) {
    const day = request.filed.day;
    const counters = days.get(day) ?? {};
    for (const [k, v] of Object.entries(contribution(request)))
      counters[k] = Math.round(((counters[k] ?? 0) + v) * 100) / 100;
    days.set(day, counters);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    if (better)
      betterItems.push({ pk: statsPk('ops'), sk: betterSk(day, request.id), id: request.id, day, text: better });
  }
  const statItems = [...days].map(([day, counters]) => ({ pk: statsPk('ops'), sk: daySk(day), ...counters }));
  const sizes = statItems.map(itemBytes);
  const without = statItems.map((item) =>
    itemBytes(Object.fromEntries(Object.entries(item).filter(([k]) => !TIME_COUNTER.test(k)))),
  );
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const dayBytes = {
    mean: mean(sizes),
    max: Math.max(...sizes),
    meanWithout: mean(without),
    maxWithout: Math.max(...without),
  };
  await putAll(db, statItems, 'day counters');
  await putAll(db, betterItems, '"better" answers');
  await putAll(
    db,
    built.map((b) => requestItem(b.request)),
    'requests',
  );
  const agreementNames = Object.fromEntries(agreements.map((a) => [a.id, a.service]));
  return { agreementNames, perDay, dayBytes };
}

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  const db = createDb({ table: 'kept-report-bench', endpoint: dynamo.endpoint });
  try {
    await ensureTable(db);
    const { agreementNames, perDay, dayBytes } = await seed(db);
    const counter = countCalls(db);

    // The last whole calendar quarter before NOW (Q3 2026: 1 July - 30 September, 92 days).
    const last = DateTime.fromMillis(NOW, { zone: ZONE }).startOf('quarter').minus({ days: 1 });
    const from = last.startOf('quarter').toISODate()!;
    const to = last.toISODate()!;
    const filedInQuarter = [...perDay].filter(([d]) => d >= from && d <= to).reduce((s, [, n]) => s + n, 0);

    const once = async () => {
      const [days, better] = await Promise.all([readDays(db, 'ops', from, to), readBetter(db, 'ops', from, to)]);
      return buildReport({
        department: { id: 'ops', name: 'Operations' },
        from,
        to,
        days: days.days,
        better: better.answers,
        agreementNames,
      });
    };
    for (let i = 0; i < WARMUP; i++) await once();
    const latencies: number[] = [];
    const callCounts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = counter.count();
      let report;
      latencies.push(await timeMs(async () => void (report = await once())));
      callCounts.push(counter.count() - start);
      if (report!.requests !== filedInQuarter)
        throw new Error(
          `the report counts ${report!.requests} requests in ${from}..${to}, the seed filed ${filedInQuarter}`,
        );
    }
    const sample = await once();
    process.stderr.write(
      `  quarter ${from}..${to}: ${sample.requests} requests, ${sample.met} met, ${sample.breached} breached (${sample.compliancePct}%), ${sample.cancelled} cancelled, ${sample.csat.count} ratings, ${sample.better.length} answers read, owed ${JSON.stringify(sample.penalties)}\n` +
        `  times ${JSON.stringify(sample.times)}\n` +
        `  day item bytes: mean ${dayBytes.mean} (${dayBytes.meanWithout} without times), max ${dayBytes.max} (${dayBytes.maxWithout} without times)\n`,
    );
    const maxCalls = Math.max(...callCounts);

    // Target advice for ops-for-sales' targets, as of NOW: its own last 92 days.
    const adviceOnce = () =>
      readAdvice(db, {
        provider: { id: 'ops', timezone: ZONE },
        agreement: 'ops-for-sales',
        targets: {
          P1: { response: 30 * MIN, resolution: 4 * HOUR },
          P2: { response: 2 * HOUR, resolution: 16 * HOUR },
        },
        now: NOW,
      });
    for (let i = 0; i < WARMUP; i++) await adviceOnce();
    const adviceLatencies: number[] = [];
    const adviceCalls: number[] = [];
    let advice: Advice | undefined;
    for (let i = 0; i < RUNS; i++) {
      const start = counter.count();
      adviceLatencies.push(await timeMs(async () => void (advice = (await adviceOnce()).advice)));
      adviceCalls.push(counter.count() - start);
    }
    const answered = advice!.priorities.reduce((n, p) => n + p.response.count, 0);
    if (answered === 0) throw new Error('the advice found no answered requests in the last 92 days');
    process.stderr.write(`  advice ${JSON.stringify(advice)}\n`);
    const maxAdviceCalls = Math.max(...adviceCalls);
    return [
      { name: 'report_seed_requests', value: REQUESTS, unit: 'requests' },
      { name: 'report_quarter_requests', value: filedInQuarter, unit: 'requests' },
      {
        name: 'report_quarter_dynamodb_calls',
        value: maxCalls,
        unit: 'calls',
        budget: `<= ${CALL_BUDGET}`,
        ok: maxCalls <= CALL_BUDGET,
      },
      { name: 'report_quarter_latency_median', value: round(median(latencies)), unit: 'ms' },
      { name: 'report_quarter_latency_p99', value: round(quantile(latencies, 0.99)), unit: 'ms' },
      {
        name: 'advice_dynamodb_calls',
        value: maxAdviceCalls,
        unit: 'calls',
        budget: `<= ${CALL_BUDGET}`,
        ok: maxAdviceCalls <= CALL_BUDGET,
      },
      { name: 'advice_latency_median', value: round(median(adviceLatencies)), unit: 'ms' },
      { name: 'report_day_item_bytes_mean', value: dayBytes.mean, unit: 'bytes' },
      { name: 'report_day_item_bytes_mean_without_times', value: dayBytes.meanWithout, unit: 'bytes' },
      {
        name: 'report_day_item_bytes_max',
        value: dayBytes.max,
        unit: 'bytes',
        budget: '<= 409600',
        ok: dayBytes.max <= 409_600,
      },
    ];
  } finally {
    db.raw.destroy();
    await dynamo.stop();
  }
};
