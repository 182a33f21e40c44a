/**
 * The worker's side of report files: a department's report over a period as two charts (the weekly
 * compliance trend and when breaches happen) and every table as CSV, sent to the asker's DM in one
 * message (one `files.uploadV2` call, so one `files.completeUploadExternal` with three files).
 *
 * Once per work item key: the key is leased (store/deliveries.ts) before anything is uploaded, given
 * back when the upload fails, so the queue's retry uploads instead of finding the key taken, and
 * left to run out after the worker's timeout when the worker is killed. A report with no
 * requests uploads nothing. Penalties and the breaches per assignee go only to the department's
 * heads and Kept admins, as in `/sla report`.
 */
import type { WebClient } from '@slack/web-api';
import { renderHeatmapPng, renderTrendPng } from '../charts/render';
import { isHead } from '../domain/department';
import { findDepartment } from '../domain/directory';
import type { Report } from '../domain/report';
import { heatCellLabel, reportCsv, topHeatCells } from '../domain/report-format';
import { logger } from '../log';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { readReport } from '../store/stats';
import { escapeMrkdwn } from './views/format';

export interface ReportFilesItem {
  /** The same key is uploaded once (the listener passes `report:<trigger_id>`). */
  key: string;
  /** Who asked: the files go to their DM. */
  user: string;
  department: string;
  /** Local dates `YYYY-MM-DD`, inclusive, in the department's time zone. */
  from: string;
  to: string;
}

export interface ReportFilesDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: they see penalties of every department. */
  admins: readonly string[];
}

/** How many "better" answers the CSV carries (the same as `kept report`). */
const BETTER_READ = 50;
/** Slack's limit for a file's alt text is 1,000 characters. */
const ALT_TEXT_MAX = 900;

/** The delivery claimed for a work item's key. */
export const reportFilesClaim = (key: string) => `files:${key}`;

export type ReportFilesOutcome = 'uploaded' | 'already-sent' | 'empty' | 'no-department';

/**
 * Sends the files once per key; throws (after giving the lease back) when Slack did not take them,
 * and an InProgressError while another worker holds the lease (the queue brings the item back later).
 */
export async function sendReportFiles(deps: ReportFilesDeps, item: ReportFilesItem): Promise<ReportFilesOutcome> {
  const done = await once(deps.db, reportFilesClaim(item.key), { leaseMs: WORKER_LEASE_MS }, () => send(deps, item));
  return done === 'already-done' ? 'already-sent' : done;
}

async function send(deps: ReportFilesDeps, item: ReportFilesItem): Promise<ReportFilesOutcome> {
  const dir = await readDirectory(deps.db);
  const department = findDepartment(dir, item.department);
  if (!department) {
    // Deleted since it was asked for: nothing to retry.
    logger.warn('report files for a department Kept does not know', { department: item.department });
    return 'no-department';
  }
  const report = await readReport(deps.db, dir, department, item, BETTER_READ);
  if (report.empty) return 'empty';

  const forHeads = isHead(department, item.user) || deps.admins.includes(item.user);
  const subtitle = `${report.departmentName}, ${report.label}`;
  const [trendPng, heatmapPng] = await Promise.all([
    renderTrendPng(
      report.trend.map((t) => ({ week: t.week, compliancePct: t.compliancePct })),
      { subtitle },
    ),
    renderHeatmapPng(report.heatmap, { subtitle }),
  ]);
  const csv = reportCsv(report, { forHeads });

  const opened = await deps.slack.conversations.open({ users: item.user });
  const channel = opened.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${item.user}`);
  const base = `kept-${report.department}-${report.from}-to-${report.to}`;
  await deps.slack.files.uploadV2({
    channel_id: channel,
    initial_comment: comment(report, forHeads),
    file_uploads: [
      {
        file: trendPng,
        filename: `${base}-trend.png`,
        title: `Weekly compliance: ${subtitle}`,
        alt_text: trendAlt(report),
      },
      {
        file: heatmapPng,
        filename: `${base}-breaches.png`,
        title: `When breaches happen: ${subtitle}`,
        alt_text: heatmapAlt(report),
      },
      { content: csv, filename: `${base}.csv`, title: `Report: ${subtitle} (CSV)` },
    ],
  });
  return 'uploaded';
}

function comment(r: Report, forHeads: boolean): string {
  const lines = [
    `Report files for *${escapeMrkdwn(r.departmentName)}*, ${escapeMrkdwn(r.label)} (${r.from} to ${r.to}): the weekly compliance trend, when breaches happen, and every table as CSV.`,
  ];
  if (!forHeads)
    lines.push("Penalties and breaches per person are left out: they are for the department's heads and Kept admins.");
  return lines.join('\n');
}

const cut = (text: string) => (text.length > ALT_TEXT_MAX ? `${text.slice(0, ALT_TEXT_MAX - 1)}…` : text);

function trendAlt(r: Report): string {
  const weeks = r.trend.map((t) => `${t.week} ${t.compliancePct === null ? 'no data' : `${t.compliancePct}%`}`);
  return cut(
    `Line chart of weekly compliance (percent of requests met on time) for ${r.departmentName}, ${r.label}: ${weeks.join(', ')}.`,
  );
}

function heatmapAlt(r: Report): string {
  const busiest = topHeatCells(r.heatmap, 10).map((c) => `${heatCellLabel(c)} ${c.breached}`);
  return cut(
    `Grid of breached requests by weekday and hour filed for ${r.departmentName}, ${r.label}: ${r.breached} in all${busiest.length ? `; the most: ${busiest.join(', ')}` : ''}.`,
  );
}
