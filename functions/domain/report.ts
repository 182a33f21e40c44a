/**
 * Reports: the report built from the per-day counters of a period's dates (`buildReport`, see
 * stats.ts for the counters; report-period.ts says which dates a period word means). Shown as CSV
 * and as a terminal table by report-format.ts, in Slack by slack/views/report.ts. Pure domain
 * code: the caller reads the counters.
 *
 * Every figure is a count of requests filed in the period (by their local filing date in the
 * provider's time zone), as they stand now: a request filed on 30 October and breached on
 * 2 November counts in October's report.
 */
import { DateTime } from 'luxon';
import { compareNames } from './name-order';
import { periodLabel } from './report-period';
import { CAUSE_CATEGORIES } from './request';
import { type Counters, NOBODY, sumCounters } from './stats';
import { type PriorityTimes, TIMES_COUNTED_SINCE, timesByPriority, waitingTimes } from './times';
import { isoWeekOf } from './weeks';

// ---------------------------------------------------------------------------------------------
// The report

export interface BetterAnswer {
  id: string;
  day: string;
  text: string;
}

export interface PenaltyFigures {
  charged: number;
  waived: number;
  /** Given back as recovery credits (only when any were). */
  credited?: number;
  /** charged minus waived (and minus credited) */
  owed: number;
}

export interface AgreementRow {
  agreement: string;
  /** The agreement's service, or its id when the directory no longer knows it. */
  name: string;
  priority: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
}

export interface TrendRow {
  /** ISO week, `2026-W48`. */
  week: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
}

export type Score = '1' | '2' | '3' | '4' | '5';
export const SCORES: readonly Score[] = ['1', '2', '3', '4', '5'];

export interface Report {
  /** The department's id. */
  department: string;
  departmentName: string;
  from: string;
  to: string;
  label: string;
  /** Requests filed in the period. */
  requests: number;
  /** Resolved or closed without a missed target. */
  met: number;
  /** With at least one missed target in any cycle: "ever breached". */
  breached: number;
  /** Whose current cycle missed a target (the response target has one cycle, the first): "breached this cycle". */
  breachedThisCycle: number;
  /** Missed targets, each counted once (a request reopened and late again counts twice). */
  breaches: number;
  /** Still being worked. */
  open: number;
  cancelled: number;
  /** met / (met + breached) in percent, one decimal; null while neither happened. */
  compliancePct: number | null;
  /** Missed targets by kind (a request may miss both, and its resolution target once per cycle). */
  breachesByTarget: { response: number; resolution: number };
  /** What is owed (charged minus waived) in `penaltyUnit`. */
  penaltyTotal: number;
  /** The penalty unit; with several, the one charged most (`penalties` has them all); null when nothing was charged. */
  penaltyUnit: string | null;
  penalties: Record<string, PenaltyFigures>;
  byAgreement: AgreementRow[];
  /** Every ISO week the period touches, oldest first. */
  trend: TrendRow[];
  csat: { count: number; average: number | null; distribution: Record<Score, number> };
  /** "What would have made this better?" answers, newest filing day first. */
  better: BetterAnswer[];
  /** Causes given for missed targets, by category (every category, zero included). */
  causes: Record<string, number>;
  /** Breached requests by weekday (0 = Monday … 6 = Sunday) and hour of filing (0-23), local time. */
  heatmap: number[][];
  /** Breached requests by service, most first. */
  byService: { service: string; breached: number }[];
  /** Breached requests by assignee (null: nobody was assigned), most first. */
  byAssignee: { assignee: string | null; breached: number }[];
  /** Waiting on the requester: how many requests paused, how often, and the working time waited (pauses that ended). */
  waiting: WaitingFigures;
  /**
   * Time to first response and to resolution per priority (times.ts): medians and p90s as the bound
   * of their bucket in working ms, and how many met clocks they stand on. Priorities without any left out.
   */
  times: Record<string, PriorityTimes>;
  /** Since when times are counted (`YYYY-MM`). */
  timesCountedSince: string;
  /** No request was filed in the period. */
  empty: boolean;
}

export interface WaitingFigures {
  /** Requests that waited on their requester at least once. */
  paused: number;
  /** paused / requests in percent, one decimal; null without requests. */
  sharePct: number | null;
  pauses: number;
  /** Working ms waited over the pauses that ended. */
  waitedMs: number;
  /** waitedMs per paused request; null when none paused. */
  averageMs: number | null;
  /** Bound (working ms) of the bucket holding the median time waited per paused request, once it waits no longer; null without counts or beyond the last bound. */
  medianMs: number | null;
  p90Ms: number | null;
  /** Paused requests the median and p90 stand on (counted since `timesCountedSince`). */
  timed: number;
}

export interface ReportInput {
  department: { id: string; name: string };
  from: string;
  to: string;
  /** How the period reads after "in"; worked out from the dates when left out. */
  label?: string;
  days: readonly { day: string; counters: Counters }[];
  better: readonly BetterAnswer[];
  /** Agreement id -> its service, for the per-agreement table. */
  agreementNames: Readonly<Record<string, string>>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** met / (met + breached) in percent with one decimal; null when both are 0. */
export function compliance(met: number, breached: number): number | null {
  const all = met + breached;
  return all === 0 ? null : Math.round((met / all) * 1000) / 10;
}

/** `{ key -> n }` for every counter `<prefix>|key` with a value other than 0. */
function byPrefix(c: Counters, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  const p = `${prefix}|`;
  for (const [k, v] of Object.entries(c)) if (k.startsWith(p) && v !== 0) out.set(k.slice(p.length), v);
  return out;
}

/** Most first, then by name. */
const byCount =
  <T extends { breached: number }>(name: (t: T) => string) =>
  (a: T, b: T) =>
    b.breached - a.breached || compareNames(name(a), name(b));

/** The report of the days `from`..`to` from their counters (days outside the period are left out). */
export function buildReport(input: ReportInput): Report {
  const days = input.days.filter((d) => d.day >= input.from && d.day <= input.to);
  const c = sumCounters(days.map((d) => d.counters));
  const n = (key: string) => c[key] ?? 0;
  const met = n('met');
  const breached = n('breached');

  const units = new Set([...byPrefix(c, 'penalty').keys(), ...byPrefix(c, 'waived').keys()]);
  const penalties: Record<string, PenaltyFigures> = {};
  for (const unit of [...units].sort((a, b) => n(`penalty|${b}`) - n(`penalty|${a}`) || compareNames(a, b))) {
    const charged = round2(n(`penalty|${unit}`));
    const waived = round2(n(`waived|${unit}`));
    const credited = round2(n(`credit|${unit}`));
    penalties[unit] =
      credited > 0
        ? { charged, waived, credited, owed: round2(charged - waived - credited) }
        : { charged, waived, owed: round2(charged - waived) };
  }
  const penaltyUnit = Object.keys(penalties)[0] ?? null;

  const slices = new Set([
    ...byPrefix(c, 'filed').keys(),
    ...byPrefix(c, 'met').keys(),
    ...byPrefix(c, 'breached').keys(),
  ]);
  const byAgreement: AgreementRow[] = [...slices]
    .map((slice) => {
      const bar = slice.lastIndexOf('|');
      const agreement = bar < 0 ? slice : slice.slice(0, bar);
      const priority = bar < 0 ? '' : slice.slice(bar + 1);
      const rowMet = n(`met|${slice}`);
      const rowBreached = n(`breached|${slice}`);
      return {
        agreement,
        name: input.agreementNames[agreement] ?? agreement,
        priority,
        requests: n(`filed|${slice}`),
        met: rowMet,
        breached: rowBreached,
        compliancePct: compliance(rowMet, rowBreached),
      };
    })
    .sort(
      (a, b) =>
        compareNames(a.name, b.name) || compareNames(a.agreement, b.agreement) || compareNames(a.priority, b.priority),
    );

  const trend = weeklyTrend(input.from, input.to, days);

  const distribution = Object.fromEntries(SCORES.map((s) => [s, n(`csat|${s}`)])) as Record<Score, number>;
  const count = n('csat|n');

  const causes: Record<string, number> = Object.fromEntries(CAUSE_CATEGORIES.map((k) => [k, 0]));
  for (const [k, v] of byPrefix(c, 'cause')) causes[k] = v;

  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const [k, v] of byPrefix(c, 'heat')) {
    const [w, h] = k.split('|').map(Number);
    const row = heatmap[(w ?? 0) - 1];
    if (row && h !== undefined && h >= 0 && h < 24) row[h] = (row[h] ?? 0) + v;
  }

  const requests = n('filed');
  const paused = n('paused');
  const waiting: WaitingFigures = {
    paused,
    sharePct: requests > 0 ? Math.round((paused / requests) * 1000) / 10 : null,
    pauses: n('pauses'),
    waitedMs: n('waitedMs'),
    averageMs: paused > 0 ? Math.round(n('waitedMs') / paused) : null,
    ...waitingFigures(c),
  };
  return {
    department: input.department.id,
    departmentName: input.department.name,
    from: input.from,
    to: input.to,
    label: input.label ?? periodLabel(input.from, input.to),
    requests,
    met,
    breached,
    breachedThisCycle: breached - n('breached_earlier'),
    breaches: n('breach|response') + n('breach|resolution'),
    open: n('live'),
    cancelled: n('cancelled'),
    compliancePct: compliance(met, breached),
    breachesByTarget: { response: n('breach|response'), resolution: n('breach|resolution') },
    penaltyTotal: penaltyUnit ? penalties[penaltyUnit]!.owed : 0,
    penaltyUnit,
    penalties,
    byAgreement,
    trend,
    csat: { count, average: count > 0 ? round2(n('csat|sum') / count) : null, distribution },
    better: [...input.better].filter((b) => b.day >= input.from && b.day <= input.to),
    causes,
    heatmap,
    byService: [...byPrefix(c, 'svc')]
      .map(([service, v]) => ({ service, breached: v }))
      .sort(byCount((r) => r.service)),
    byAssignee: [...byPrefix(c, 'who')]
      .map(([who, v]) => ({ assignee: who === NOBODY ? null : who, breached: v }))
      .sort(byCount((r) => r.assignee ?? '')),
    waiting,
    times: timesByPriority(c),
    timesCountedSince: TIMES_COUNTED_SINCE,
    empty: requests === 0,
  };
}

function waitingFigures(c: Counters): Pick<WaitingFigures, 'medianMs' | 'p90Ms' | 'timed'> {
  const w = waitingTimes(c);
  return { medianMs: w.medianMs, p90Ms: w.p90Ms, timed: w.count };
}

/** One row per ISO week from `from` to `to` (at most the last 520 weeks), weeks without requests included. */
function weeklyTrend(from: string, to: string, days: readonly { day: string; counters: Counters }[]): TrendRow[] {
  const weeks = new Map<string, { requests: number; met: number; breached: number }>();
  let d = DateTime.fromISO(from, { zone: 'UTC' });
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  if (d.isValid && end.isValid) {
    d = DateTime.max(d, end.minus({ weeks: 520 }));
    for (; d <= end; d = d.plus({ weeks: 1 }).startOf('week'))
      weeks.set(isoWeekOf(d), { requests: 0, met: 0, breached: 0 });
  }
  for (const { day, counters } of days) {
    const local = DateTime.fromISO(day, { zone: 'UTC' });
    if (!local.isValid) continue;
    const row = weeks.get(isoWeekOf(local));
    if (!row) continue;
    row.requests += counters.filed ?? 0;
    row.met += counters.met ?? 0;
    row.breached += counters.breached ?? 0;
  }
  return [...weeks].map(([week, r]) => ({ week, ...r, compliancePct: compliance(r.met, r.breached) }));
}
