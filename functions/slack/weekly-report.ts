/**
 * The worker's side of weekly report subscriptions (`report.weekly`, handed over by the scheduled
 * run, functions/jobs/weekly-reports.ts): the department's report of last week, and one line of what
 * it received from others, posted once per subscription and week (the delivery key is leased
 * before posting, store/deliveries.ts, so a redelivered item posts nothing more).
 *
 * Penalty amounts and the breaches per person go only into a DM, and only to someone who is a head
 * of the department or a Kept admin when it is posted (docs/decisions.md "Penalties and per-person
 * misses are for heads, never for a channel"); a channel gets compliance and counts. A person who
 * subscribed as a head and no longer is one gets one DM saying their report stopped, and their
 * subscription is removed (with an audit line). A channel Kept may not post in (private and Kept
 * not invited, archived) is not tried again: whoever subscribed it is told how to invite Kept.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { isHead } from '../domain/department';
import { findDepartment } from '../domain/directory';
import { SYSTEM_ACTOR } from '../domain/request';
import { logger } from '../log';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { readCustomerReport, readReport } from '../store/stats';
import { getSubscription, unsubscribe } from '../store/subscriptions';
import type { WorkItem } from '../work/item';
import { postDm } from './dm';
import { context, MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './views/blocks';
import { escapeMrkdwn } from './views/format';
import { reportMessage } from './views/report';

export type WeeklyReportItem = Extract<WorkItem, { type: 'report.weekly' }>;

export interface WeeklyReportDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: a Kept admin's own subscription shows penalties too. */
  admins: readonly string[];
  now?: () => Date;
}

/** The "better" answers the report reads (the message shows five). */
const BETTER_READ = 20;
/** Slack's refusals of a channel post that no retry changes. */
const CHANNEL_REFUSALS = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

/** The delivery each subscription's report of a week is posted under, once. */
export const weeklyReportKey = (item: Pick<WeeklyReportItem, 'department' | 'target' | 'week'>) =>
  `weekly-report:${item.department}:${item.target}:${item.week}`;

export type WeeklyReportOutcome = 'posted' | 'already-sent' | 'stopped' | 'refused' | 'gone';

export async function sendWeeklyReport(deps: WeeklyReportDeps, item: WeeklyReportItem): Promise<WeeklyReportOutcome> {
  const done = await once(deps.db, weeklyReportKey(item), { leaseMs: WORKER_LEASE_MS }, () => send(deps, item));
  return done === 'already-done' ? 'already-sent' : done;
}

async function send(deps: WeeklyReportDeps, item: WeeklyReportItem): Promise<WeeklyReportOutcome> {
  const sub = await getSubscription(deps.db, item.department, item.target);
  const dir = await readDirectory(deps.db);
  const department = findDepartment(dir, item.department);
  // Unsubscribed (or the department deleted) since the run handed it over: nothing to post.
  if (!sub || !department) return 'gone';
  const now = (deps.now ?? (() => new Date()))().getTime();
  const name = escapeMrkdwn(department.name);
  if (sub.kind === 'person') {
    if (!isHead(department, sub.target) && !deps.admins.includes(sub.target)) {
      await unsubscribe(deps.db, sub, { by: SYSTEM_ACTOR, at: now, action: 'stopped: no longer a head' });
      const text = `Your weekly report of ${name} has stopped, as you are no longer one of its heads. If that is a mistake, ask a Kept admin to add you back, then subscribe again with \`/sla report subscribe weekly ${department.id}\`.`;
      await postDm(deps.slack, sub.target, { text, blocks: [section(text)] }, 'weekly report stopped');
      return 'stopped';
    }
  }
  const forHeads = sub.kind === 'person';
  const period = { from: item.from, to: item.to, label: item.label };
  const report = await readReport(deps.db, dir, department, period, BETTER_READ);
  const received = await readCustomerReport(deps.db, dir, department.id, period);
  const body = reportMessage(report, { forHeads });
  const receivedLine =
    received.byAgreement.length === 0 || received.empty
      ? undefined
      : `As a customer in ${escapeMrkdwn(item.label)}: ${received.compliancePct === null ? '–' : `${received.compliancePct.toFixed(1)}%`} of what ${name} asked other departments for was on time (${received.met} met, ${received.breached} breached). \`/sla report customer ${department.id} last-week\` shows each.`;
  const footer = context(
    [
      receivedLine,
      `Your weekly report of ${name}. Stop it with \`/sla report unsubscribe${sub.kind === 'channel' ? ` <#${sub.target}>` : ''} ${department.id}\`.`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  const message: SlackMessage = {
    text: `Weekly report: ${body.text}`,
    blocks: [...body.blocks.slice(0, MAX_MESSAGE_BLOCKS - 1), footer],
  };
  if (sub.kind === 'person') {
    const posted = await postDm(deps.slack, sub.target, message, 'weekly report');
    return posted ? 'posted' : 'refused';
  }
  try {
    await deps.slack.chat.postMessage({
      channel: sub.target,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return 'posted';
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    const problem = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
    if (!problem || !CHANNEL_REFUSALS.has(problem)) throw err;
    logger.warn('weekly report refused by the channel; its subscriber is told', {
      channel: sub.target,
      error: problem,
    });
    const text = `I could not post ${name}'s weekly report in <#${sub.target}>: Slack says I am not allowed there (${escapeMrkdwn(problem)}). If it is a private channel, invite me with \`/invite @Kept\` in it; next week's report goes there then. Or stop it with \`/sla report unsubscribe <#${sub.target}> ${department.id}\`.`;
    await postDm(deps.slack, sub.by, { text, blocks: [section(text)] }, 'weekly report refused');
    return 'refused';
  }
}
