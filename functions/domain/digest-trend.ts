/**
 * The digest's chart: the combined weekly compliance of the scorecard's departments over the
 * 8 ISO weeks before the digest's week (the digest for 2026-W49 charts W41..W48), summed from the
 * per-day counters (stats.ts): met / (met + breached) of the requests filed in each week, all
 * departments together (renderTrendPng draws one line, and the busiest department alone would hide
 * the rest). The digest job decides with `enoughForChart` whether to hand the chart to the worker,
 * which renders and uploads it (functions/slack/digest-chart.ts). Pure domain code, no chart
 * libraries: the digest Lambda leaves them out.
 */
import { DateTime } from 'luxon';
import { buildReport, type TrendRow } from './report';
import type { Counters } from './stats';

/** Weeks the chart spans. */
export const CHART_WEEKS = 8;
/** Weeks with a compliance figure (some request filed that week met or missed its targets) the chart needs. */
export const MIN_CHART_WEEKS = 2;

/** The local dates of the CHART_WEEKS ISO weeks before `week` (`2026-W49`), Monday to Sunday; null for a malformed week. */
export function chartSpan(week: string): { from: string; to: string } | null {
  const monday = DateTime.fromISO(week, { zone: 'UTC' });
  if (!/^\d{4}-W\d{2}$/.test(week) || !monday.isValid) return null;
  return { from: monday.minus({ weeks: CHART_WEEKS }).toISODate()!, to: monday.minus({ days: 1 }).toISODate()! };
}

/** One row per week of `from`..`to`, oldest first, for all the departments' days together. */
export function combinedTrend(
  from: string,
  to: string,
  days: readonly (readonly { day: string; counters: Counters }[])[],
): TrendRow[] {
  return buildReport({
    department: { id: '*', name: 'All' },
    from,
    to,
    days: days.flat(),
    better: [],
    agreementNames: {},
  }).trend;
}

/** Whether the trend has enough to be worth a chart: at least MIN_CHART_WEEKS weeks with a compliance figure. */
export function enoughForChart(trend: readonly TrendRow[]): boolean {
  return trend.filter((t) => t.compliancePct !== null).length >= MIN_CHART_WEEKS;
}
