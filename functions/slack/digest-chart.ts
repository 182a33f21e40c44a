/**
 * The worker's side of the digest chart: the combined weekly compliance of the scorecard's
 * departments over the 8 ISO weeks before the digest's week (functions/domain/digest-trend.ts),
 * rendered as a PNG and uploaded into the digest's thread (`files.uploadV2` with `thread_ts`).
 * The digest job sends the item only when there is enough data (functions/jobs/digest.ts); the
 * worker checks again and uploads nothing when the counters no longer have enough.
 *
 * Once per work item key (`digest-chart:<channel>:<week>`): the key is leased before anything is
 * uploaded, given back when the upload fails, so the queue's retry uploads instead of finding the
 * key taken, and left to run out when the worker is killed (as report-files.ts does).
 */
import type { WebClient } from '@slack/web-api';
import { renderTrendPng } from '../charts/render';
import { CHART_WEEKS, chartSpan, combinedTrend, enoughForChart } from '../domain/digest-trend';
import type { TrendRow } from '../domain/report';
import { logger } from '../log';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDays } from '../store/stats';

export interface DigestChartItem {
  /** `digest-chart:<channel>:<week>`: uploaded once. */
  key: string;
  channel: string;
  /** The digest message's ts: the chart goes into its thread. */
  threadTs: string;
  /** The digest's ISO week, `2026-W49`: the chart shows the 8 weeks before it. */
  week: string;
  /** The scorecard's departments, combined into one line. */
  departments: string[];
}

export interface DigestChartDeps {
  db: Db;
  slack: WebClient;
}

export const DIGEST_CHART_COMMENT = `Compliance over the last ${CHART_WEEKS} weeks`;
/** The delivery claimed for a work item's key. */
export const digestChartClaim = (key: string) => `files:${key}`;

export type DigestChartOutcome = 'uploaded' | 'already-sent' | 'not-enough';

/**
 * Uploads the chart once per key; throws (after giving the lease back) when Slack did not take it,
 * and an InProgressError while another worker holds the lease (the queue brings the item back later).
 */
export async function sendDigestChart(deps: DigestChartDeps, item: DigestChartItem): Promise<DigestChartOutcome> {
  const done = await once(deps.db, digestChartClaim(item.key), { leaseMs: WORKER_LEASE_MS }, () => send(deps, item));
  return done === 'already-done' ? 'already-sent' : done;
}

async function send(deps: DigestChartDeps, item: DigestChartItem): Promise<DigestChartOutcome> {
  const span = chartSpan(item.week);
  if (!span) throw new Error(`not an ISO week: ${item.week}`);
  // A few departments at a time: a big company must not fire hundreds of queries at once.
  const days: Awaited<ReturnType<typeof readDays>>['days'][] = [];
  for (let i = 0; i < item.departments.length; i += 10) {
    days.push(
      ...(await Promise.all(
        item.departments.slice(i, i + 10).map(async (d) => (await readDays(deps.db, d, span.from, span.to)).days),
      )),
    );
  }
  const trend = combinedTrend(span.from, span.to, days);
  if (!enoughForChart(trend)) {
    logger.info('digest chart: not enough data any more; nothing uploaded', { key: item.key });
    return 'not-enough';
  }
  const first = trend[0]?.week ?? span.from;
  const last = trend[trend.length - 1]?.week ?? span.to;
  const subtitle = `${item.departments.length === 1 ? '1 department' : `${item.departments.length} departments`} together, ${first} to ${last}`;
  const png = await renderTrendPng(
    trend.map((t) => ({ week: t.week, compliancePct: t.compliancePct })),
    { subtitle },
  );
  await deps.slack.files.uploadV2({
    channel_id: item.channel,
    thread_ts: item.threadTs,
    initial_comment: DIGEST_CHART_COMMENT,
    file_uploads: [
      {
        file: png,
        filename: `kept-digest-${item.week}-compliance.png`,
        title: `Weekly compliance, ${first} to ${last}`,
        alt_text: alt(trend),
      },
    ],
  });
  return 'uploaded';
}

function alt(trend: readonly TrendRow[]): string {
  const weeks = trend.map((t) => `${t.week} ${t.compliancePct === null ? 'no data' : `${t.compliancePct}%`}`);
  return `Line chart of weekly compliance (percent of requests met on time) of the digest's departments together: ${weeks.join(', ')}.`.slice(
    0,
    900,
  );
}
