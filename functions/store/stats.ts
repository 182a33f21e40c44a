/**
 * Report counters (`pk=STATS#<provider>`): one item per local day of filing (`sk=DAY#2026-11-25`)
 * whose attributes are counters (see domain/stats.ts), moved with `ADD` in the same transaction as
 * the request write they come from; and the "what would have made this better?" answers
 * (`sk=BETTER#<day>#<request>`), written once each. A report reads both with two range queries,
 * however many requests the period holds.
 */

import { type Advice, adviceSpan, buildAdvice } from '../domain/advice';
import { covers, type Targets } from '../domain/agreement';
import type { Department } from '../domain/department';
import { agreementNames, type Directory } from '../domain/directory';
import { buildReport, type Report } from '../domain/report';
import {
  buildCompanyReport,
  buildCustomerReport,
  type CompanyReport,
  type CustomerReport,
  type SidesInput,
} from '../domain/report-sides';
import { type Counters, type StatsDelta, sumCounters } from '../domain/stats';
import type { Db } from './client';
import { QueryCommand } from './commands';
import { queryPages, type TransactItem } from './transact';

export const statsPk = (department: string) => `STATS#${department}`;
export const daySk = (day: string) => `DAY#${day}`;
/** A request's answer (`n`: its nth rating, asked again after a reopen; the first has none). */
export const betterSk = (day: string, id: string, n?: number) => `BETTER#${day}#${id}${n ? `#${n}` : ''}`;

/** The transaction items for one request write's counter changes (none when nothing changes). */
export function statsItems(db: Db, department: string, delta: StatsDelta): TransactItem[] {
  const items: TransactItem[] = [];
  const keys = Object.keys(delta.add);
  if (keys.length > 0) {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    keys.forEach((key, i) => {
      names[`#c${i}`] = key;
      values[`:c${i}`] = delta.add[key]!;
    });
    items.push({
      Update: {
        TableName: db.table,
        Key: { pk: statsPk(department), sk: daySk(delta.day) },
        UpdateExpression: `ADD ${keys.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
  }
  if (delta.better) {
    items.push({
      Put: {
        TableName: db.table,
        Item: {
          pk: statsPk(department),
          sk: betterSk(delta.day, delta.better.id, delta.better.n),
          id: delta.better.id,
          day: delta.day,
          text: delta.better.text,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  return items;
}

export interface DayCounters {
  /** `YYYY-MM-DD`, the provider's local filing date. */
  day: string;
  counters: Counters;
}

/** The counters of every day from `from` to `to` (local dates, inclusive) that has any, and how many calls it took. */
export async function readDays(
  db: Db,
  department: string,
  from: string,
  to: string,
): Promise<{ days: DayCounters[]; calls: number }> {
  const days: DayCounters[] = [];
  let calls = 0;
  const pages = queryPages(db, {
    TableName: db.table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
    ExpressionAttributeValues: { ':pk': statsPk(department), ':a': daySk(from), ':b': daySk(to) },
  });
  for await (const items of pages) {
    calls++;
    for (const item of items) {
      const counters: Counters = {};
      for (const [k, v] of Object.entries(item)) if (typeof v === 'number') counters[k] = v;
      days.push({ day: String(item.sk).slice('DAY#'.length), counters });
    }
  }
  return { days, calls };
}

export interface BetterAnswer {
  id: string;
  day: string;
  text: string;
}

/** The latest "what would have made this better?" answers of those days (at most `limit`). */
export async function readBetter(
  db: Db,
  department: string,
  from: string,
  to: string,
  limit = 20,
): Promise<{ answers: BetterAnswer[]; calls: number }> {
  const page = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':pk': statsPk(department), ':a': `BETTER#${from}`, ':b': `BETTER#${to}#\uffff` },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return {
    answers: (page.Items ?? []).map((i) => ({ id: String(i.id), day: String(i.day), text: String(i.text) })),
    calls: 1,
  };
}

/**
 * A department's report over its local dates `from`..`to`, as `/sla report`, `kept report`, the
 * report files and the App Home build it: the day counters and up to `better` "what would have
 * made this better?" answers (two queries, one when `better` is 0), put together by the domain.
 */
export async function readReport(
  db: Db,
  dir: Directory,
  department: Pick<Department, 'id' | 'name'>,
  period: { from: string; to: string; label?: string },
  better: number,
): Promise<Report> {
  const { from, to } = period;
  const [days, answers] = await Promise.all([
    readDays(db, department.id, from, to),
    better > 0 ? readBetter(db, department.id, from, to, better) : { answers: [] },
  ]);
  return buildReport({
    department: { id: department.id, name: department.name },
    from,
    to,
    ...(period.label ? { label: period.label } : {}),
    days: days.days,
    better: answers.answers,
    agreementNames: agreementNames(dir),
  });
}

/** Each provider's day counters over `from`..`to` (one query each, in parallel) and the sides' input. */
async function readSides(
  db: Db,
  dir: Directory,
  providers: readonly string[],
  period: { from: string; to: string; label?: string },
): Promise<SidesInput> {
  const read = await Promise.all(
    [...new Set(providers)].map(async (department) => ({
      department,
      days: (await readDays(db, department, period.from, period.to)).days,
    })),
  );
  return {
    from: period.from,
    to: period.to,
    ...(period.label ? { label: period.label } : {}),
    names: Object.fromEntries(dir.departments.map((d) => [d.id, d.name])),
    agreements: dir.agreements,
    providers: read,
  };
}

const providerOf = (a: Directory['agreements'][number]) => (a.active ?? a.pending)?.provider;

/** What `customer` receives over its local dates `from`..`to`: one query per provider that serves it. */
export async function readCustomerReport(
  db: Db,
  dir: Directory,
  customer: string,
  period: { from: string; to: string; label?: string },
): Promise<CustomerReport> {
  const providers = dir.agreements
    .filter((a) => {
      const terms = a.active ?? a.pending;
      return terms !== undefined && terms.provider !== customer && covers(terms, customer);
    })
    .map(providerOf)
    .filter((p): p is string => p !== undefined);
  return buildCustomerReport(await readSides(db, dir, providers, period), customer);
}

/** Every agreement over the local dates `from`..`to`: one query per provider department. */
export async function readCompanyReport(
  db: Db,
  dir: Directory,
  period: { from: string; to: string; label?: string },
): Promise<CompanyReport> {
  const providers = dir.agreements.map(providerOf).filter((p): p is string => p !== undefined);
  return buildCompanyReport(await readSides(db, dir, providers, period));
}

/**
 * Target advice (domain/advice.ts) for `targets` of an agreement of `provider`: its last quarter's
 * day counters in the provider's zone, one query (a page holds every day's counters up to 1 MB).
 * `agreement` when an active agreement is being changed (its own counters), else every agreement
 * the provider keeps.
 */
export async function readAdvice(
  db: Db,
  input: { provider: { id: string; timezone: string }; agreement?: string | undefined; targets: Targets; now: number },
): Promise<{ advice: Advice; calls: number }> {
  const { from, to } = adviceSpan(input.now, input.provider.timezone);
  const { days, calls } = await readDays(db, input.provider.id, from, to);
  const counters = sumCounters(days.map((d) => d.counters));
  return { advice: buildAdvice({ counters, agreement: input.agreement, targets: input.targets }), calls };
}
