/**
 * Internal service next to customer loyalty: week by week, the compliance of the services a
 * front-line department receives beside a weekly figure of its customers (NPS, satisfaction,
 * churn, complaints: any named metric), with the Pearson correlation over the weeks that have
 * both and a note on what that number can and cannot say. Pure domain code: the caller reads the
 * providers' day counters (store/stats.ts) and the department's metric values (store/metrics.ts).
 */
import * as z from '../zod';
import { covers, EVERY_DEPARTMENT } from './agreement';
import type { AgreementRecord } from './directory';
import { type Issue, issuesOf, shown } from './issues';
import { compliance } from './report';
import { type ProviderDays, rowOf } from './report-sides';
import { sumCounters } from './stats';
import { addWeeks, IsoWeek, mondayOfWeek, weekOf } from './weeks';

/** A metric's name: lowercase letters, digits, `_` and `-`, e.g. `nps`, `csat`, `churn_pct`. */
export const METRIC_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

export const MetricName = z.string({ error: (iss) => `${shown(iss.input)} is not a metric name` }).check(
  z.regex(METRIC_NAME, {
    error: (iss) =>
      `${shown(iss.input)} is not a metric name; use lowercase letters, digits, _ and -, starting with a letter (e.g. nps, csat, churn_pct)`,
  }),
);

export const MetricWeek = z
  .string({ error: (iss) => `${shown(iss.input)} is not a week; write an ISO week like 2026-W48` })
  .check(
    z.refine((w) => IsoWeek.safeParse(w).success && mondayOfWeek(w) !== undefined, {
      error: (iss) => `${shown(iss.input)} is not a week; write an ISO week like 2026-W48 (that year has such a week)`,
    }),
  );

export const MetricNumber = z
  .number({ error: (iss) => `${shown(iss.input)} is not a number` })
  .check(z.refine(Number.isFinite, { error: (iss) => `${shown(iss.input)} is not a finite number` }));

/** One week's value of one named metric of a front-line department. */
export interface MetricValue {
  department: string;
  metric: string;
  /** ISO week, `2026-W48`. */
  week: string;
  value: number;
}

/** One entry of the import file's `metrics` section (or one CSV row). */
export const MetricEntrySpec = z.strictObject(
  {
    department: z.string({
      error: (iss) =>
        iss.input === undefined
          ? 'department is required: the front-line department whose customers gave the figure'
          : `${shown(iss.input)} is not a department id`,
    }),
    metric: MetricName,
    week: MetricWeek,
    value: MetricNumber,
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a metric field; use department, metric, week, value`
        : 'must be a weekly figure like { department: sales, metric: nps, week: 2026-W48, value: 41 }',
  },
);

/**
 * Checks weekly figures: each one's shape, a department Kept knows (`known`), and each
 * department, metric and week given once. Paths are `[i, field]`; the caller puts its own root in
 * front (`metrics` in the import file, a row number in a CSV).
 */
export function checkMetricEntries(
  raw: readonly unknown[],
  known: readonly string[],
  /** How a message names another entry: `metrics[3]`, `row 5`. */
  nameOf: (i: number) => string = (i) => `entry ${i + 1}`,
): { ok: true; value: MetricValue[] } | { ok: false; error: Issue[] } {
  const issues: Issue[] = [];
  const values: MetricValue[] = [];
  const at = new Map<string, number>();
  const knownList = [...known].sort().join(', ') || 'none yet';
  raw.forEach((entry, i) => {
    const parsed = MetricEntrySpec.safeParse(entry);
    if (!parsed.success) {
      issues.push(...issuesOf(parsed.error, [i]));
      const dept = (entry as { department?: unknown } | null)?.department;
      if (typeof dept === 'string' && !known.includes(dept))
        issues.push({
          path: [i, 'department'],
          message: `${shown(dept)} is not a department in Kept; known: ${knownList}`,
        });
      return;
    }
    const v = parsed.data;
    if (!known.includes(v.department)) {
      issues.push({
        path: [i, 'department'],
        message: `${shown(v.department)} is not a department in Kept; known: ${knownList}`,
      });
      return;
    }
    const key = `${v.department}|${v.metric}|${v.week}`;
    const first = at.get(key);
    if (first !== undefined) {
      issues.push({
        path: [i, 'week'],
        message: `${v.metric} of ${v.department} for ${v.week} is given twice (also ${nameOf(first)}); give each week once`,
      });
      return;
    }
    at.set(key, i);
    values.push(v);
  });
  return issues.length > 0 ? { ok: false, error: issues } : { ok: true, value: values };
}

/** How many weeks the loyalty section looks back over, up to the report's last day. */
export const LOYALTY_WEEKS = 26;
/** Under this many weeks with both figures the note says it is too early. */
export const LOYALTY_MIN_WEEKS = 8;

/**
 * The agreements that serve a front-line department: those it declared
 * (`serves_customers_through`), or by default every agreement that covers it as the customer
 * (named or `*`) and that it does not provide itself.
 */
export function servingAgreements(
  agreements: readonly AgreementRecord[],
  department: string,
  declared?: readonly string[],
): AgreementRecord[] {
  if (declared && declared.length > 0) return agreements.filter((a) => declared.includes(a.id));
  return agreements.filter((a) => {
    const terms = a.active ?? a.pending;
    return terms !== undefined && terms.provider !== department && covers(terms, department);
  });
}

/** The `n` ISO weeks that end with the week of the local date `lastDay`, oldest first. */
export function weeksUpTo(lastDay: string, n: number = LOYALTY_WEEKS): string[] {
  const last = weekOf(new Date(`${lastDay}T00:00:00Z`));
  return Array.from({ length: n }, (_, i) => addWeeks(last, i - (n - 1)));
}

/** The ISO week of a local date `YYYY-MM-DD`. */
export const weekOfDay = (day: string): string => weekOf(new Date(`${day}T00:00:00Z`));

/**
 * Pearson's correlation of paired values, or undefined when it cannot be computed (fewer than two
 * pairs, or one side never changes).
 */
export function pearson(pairs: readonly (readonly [number, number])[]): number | undefined {
  const n = pairs.length;
  if (n < 2) return undefined;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return undefined;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, Math.round(r * 100) / 100));
}

export interface LoyaltyWeek {
  week: string;
  requests: number;
  met: number;
  breached: number;
  /** Compliance of the serving agreements that week; null when nothing was met or breached. */
  compliancePct: number | null;
  /** The metric's value that week, null when none came in. */
  value: number | null;
}

export interface LoyaltyMetric {
  metric: string;
  weeks: LoyaltyWeek[];
  /** Pearson's r over the weeks with both figures (two decimals); undefined when it cannot be said. */
  correlation?: number;
  /** How many weeks have both figures. */
  n: number;
  note: string;
}

export interface Loyalty {
  department: string;
  fromWeek: string;
  toWeek: string;
  /** The agreements whose compliance is counted. */
  agreements: string[];
  /** Whether they were declared by the department (otherwise: those where it is the customer). */
  declared: boolean;
  metrics: LoyaltyMetric[];
}

export interface LoyaltyInput {
  department: string;
  /** Consecutive ISO weeks, oldest first (weeksUpTo). */
  weeks: readonly string[];
  agreements: readonly AgreementRecord[];
  declared?: readonly string[];
  /** The day counters of each provider of the serving agreements, over the weeks. */
  providers: readonly ProviderDays[];
  /** The department's metric values (any weeks; those outside `weeks` are left out). */
  values: readonly MetricValue[];
}

const strength = (r: number): string => {
  const a = Math.abs(r);
  if (a < 0.2) return 'hardly moved together';
  const how = a < 0.4 ? 'weakly' : a < 0.7 ? 'moderately' : 'strongly';
  return `moved ${how} ${r > 0 ? 'in the same direction' : 'in opposite directions'}`;
};

/** Why a correlation is a question, not an answer: said wherever r is shown. */
export const CORRELATION_CAUTION =
  'A correlation only shows that two figures moved together; it does not show that one caused the other. Prices, products, seasons and staffing move customers too, so treat it as a question to talk over with the providers, not as proof.';

/**
 * The correlation in a few words, for a line with no room for the whole note (the digest): the
 * same readings as loyaltyNote, and CORRELATION_CAUTION said once beside the lines.
 */
export function correlationShort(r: number | undefined, n: number): string {
  if (n < 2) return 'not yet two weeks with both figures';
  if (r === undefined) return `no correlation: one figure never changed over ${n} weeks`;
  if (n < LOYALTY_MIN_WEEKS) return `r = ${r.toFixed(2)} over ${n} weeks, too early to read anything into`;
  return `r = ${r.toFixed(2)} over ${n} weeks: ${strength(r)}`;
}

/** What the correlation can and cannot say, in our own words. */
export function loyaltyNote(metric: string, r: number | undefined, n: number): string {
  const caution = CORRELATION_CAUTION;
  if (n < 2)
    return `There are not yet two weeks with both figures (compliance of handled requests and ${metric}), so there is nothing to compare. Keep the weekly figures coming.`;
  if (r === undefined)
    return `Over these ${n} weeks one of the two figures never changed, so a correlation cannot be computed. ${caution}`;
  if (n < LOYALTY_MIN_WEEKS)
    return `Only ${n} weeks have both figures: too early to read anything into r = ${r.toFixed(2)}; it swings a lot with so few weeks. Look again after ${LOYALTY_MIN_WEEKS} weeks or more. ${caution}`;
  return `Over ${n} weeks, internal compliance and ${metric} ${strength(r)} (r = ${r.toFixed(2)}). ${caution}`;
}

/** Week by week, the serving agreements' compliance beside each metric, with the correlation and its note. */
export function buildLoyalty(input: LoyaltyInput): Loyalty {
  const agreements = servingAgreements(input.agreements, input.department, input.declared);
  const weekSet = new Set(input.weeks);
  const byWeek = new Map<string, Map<string, ReturnType<typeof sumCounters>[]>>();
  for (const p of input.providers)
    for (const d of p.days) {
      const week = weekOfDay(d.day);
      if (!weekSet.has(week)) continue;
      const forWeek = byWeek.get(week) ?? new Map();
      byWeek.set(week, forWeek);
      forWeek.set(p.department, [...(forWeek.get(p.department) ?? []), d.counters]);
    }
  const compliances = input.weeks.map((week) => {
    let requests = 0;
    let met = 0;
    let breached = 0;
    for (const a of agreements) {
      const terms = a.active ?? a.pending;
      if (!terms) continue;
      const counters = sumCounters(byWeek.get(week)?.get(terms.provider) ?? []);
      const asCustomer = terms.customer === EVERY_DEPARTMENT && covers(terms, input.department);
      const row = rowOf(a, counters, {}, asCustomer ? input.department : undefined);
      if (!row) continue;
      requests += row.requests;
      met += row.met;
      breached += row.breached;
    }
    return { week, requests, met, breached, compliancePct: compliance(met, breached) };
  });
  const own = input.values.filter((v) => v.department === input.department && weekSet.has(v.week));
  const names = [...new Set(own.map((v) => v.metric))].sort();
  const metrics = names.map((metric): LoyaltyMetric => {
    const values = new Map(own.filter((v) => v.metric === metric).map((v) => [v.week, v.value]));
    const weeks = compliances.map((c) => ({ ...c, value: values.get(c.week) ?? null }));
    const pairs = weeks
      .filter((w) => w.compliancePct !== null && w.value !== null)
      .map((w) => [w.compliancePct!, w.value!] as const);
    const r = pearson(pairs);
    return {
      metric,
      weeks,
      ...(r === undefined ? {} : { correlation: r }),
      n: pairs.length,
      note: loyaltyNote(metric, r, pairs.length),
    };
  });
  return {
    department: input.department,
    fromWeek: input.weeks[0] ?? '',
    toWeek: input.weeks.at(-1) ?? '',
    agreements: agreements.map((a) => a.id),
    declared: (input.declared?.length ?? 0) > 0,
    metrics,
  };
}
