/**
 * Slow work handed off from the Slack ack path arrives here through SQS. Each record is
 * checked with zod; a record that fails is reported alone (batchItemFailures), so the other
 * records of the batch are not processed again, and after 5 tries it rests in the DLQ.
 *
 * Slack's rate limits are not waited out here: a call Slack rate-limits fails at once (the worker's
 * client, slack/web-client.ts), and the item goes back on the queue hidden for Retry-After seconds,
 * while the rest of the batch goes on. Each work type remembers what it already posted, so the item
 * sent again finishes only what is missing. A worker near its timeout stops taking records and hands
 * the ones it did not reach back to SQS untouched.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import { sendDigestChart } from '../slack/digest-chart';
import { onPersonGone } from '../slack/dm';
import { notifyDecision, notifyProposal } from '../slack/notify-agreements';
import { notifyBreaches } from '../slack/notify-breaches';
import { notifyKudos, recallKudosDms } from '../slack/notify-kudos';
import { announceRequest } from '../slack/notify-requests';
import { notifyFollowUp, notifyReview } from '../slack/notify-reviews';
import { sendStatement } from '../slack/notify-statements';
import { sendReportFiles } from '../slack/report-files';
import { syncUsergroups } from '../slack/usergroups';
import { sendWeeklyReport } from '../slack/weekly-report';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { WorkItem } from '../work/item';
import type { Outbox } from '../work/outbox';
import { personLeft } from './people';
import { eraseForRetention } from './retention-erase';
import { followUpReview } from './review-followup';

export interface WorkDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: they answer proposals made to every department. */
  admins: readonly string[];
  /** Where failures are counted for the alarms (the worker Lambda's EMF metrics); without one, nowhere. */
  metrics?: Metrics;
  /** The instant now (the request lease, clocks on cards); tests pass their own clock. */
  now?: () => Date;
}

/** What the worker needs beyond the work itself: the queue a rate-limited item goes back on. */
export interface WorkerDeps extends WorkDeps {
  outbox: Outbox;
}

/**
 * The worker takes no new record once less than this is left of its invocation: more than one
 * item's worst case, so the item it starts ends before Lambda stops it. An item stops at its first
 * Slack call that fails; a brownout costs it at most about 3 timed-out calls of 2.5 s (a card or DM,
 * and the permalink and time zone it can go without), and a slow but working Slack a few more.
 */
export const WORKER_ITEM_MARGIN_MS = 20_000;

/** Does one work item; throws when it should be tried again. */
export async function performWork(deps: WorkDeps, item: WorkItem): Promise<void> {
  // A DM Slack refused because the person is gone (user_not_found, account_inactive): once the
  // item is done, Kept stops counting them, as for Slack's user_change (jobs/people.ts).
  const gone = new Set<string>();
  const stop = onPersonGone((user) => gone.add(user));
  try {
    await performItem(deps, item);
  } finally {
    stop();
  }
  for (const user of gone) if (item.type !== 'person.left' || item.user !== user) await personLeft(deps, user);
}

async function performItem(deps: WorkDeps, item: WorkItem): Promise<void> {
  switch (item.type) {
    case 'slack.post':
      return postOnce(deps, item);
    case 'agreement.proposed':
      return notifyProposal(deps, item.id, item.version);
    case 'agreement.decided':
      return notifyDecision(deps, item.id, item.version);
    case 'request.changed':
      return announceRequest(deps, item.id);
    case 'retention.erase':
      return eraseForRetention(deps.db, item, (id) => announceRequest(deps, id));
    case 'person.left':
      return void (await personLeft(deps, item.user));
    case 'breaches.found':
      return notifyBreaches(deps, item);
    case 'kudos.given':
      return notifyKudos(deps, item.week, item.id);
    case 'kudos.taken':
      return recallKudosDms(deps.slack, item.dms);
    case 'statement.send':
      return sendStatement(deps, item);
    case 'review.open':
      return notifyReview(deps, item, 'open');
    case 'review.agreed':
      return notifyReview(deps, item, 'agreed');
    case 'review.followup': {
      const review = await followUpReview(deps.db, item, (deps.now?.() ?? new Date()).getTime());
      if (review) await notifyFollowUp(deps, review);
      return;
    }
    case 'report.files':
      await sendReportFiles(deps, item);
      return;
    case 'report.weekly':
      await sendWeeklyReport(deps, item);
      return;
    case 'digest.chart':
      await sendDigestChart(deps, item);
      return;
    case 'usergroups.sync': {
      const dir = await readDirectory(deps.db);
      const only = { ...dir, departments: dir.departments.filter((d) => d.id === item.department) };
      const result = await syncUsergroups(deps.db, deps.slack, only, { maxAgeMs: 0, metrics: deps.metrics });
      // A group Slack refuses outright (deleted, a scope missing) is logged, not retried into the
      // dead-letter queue every quarter of an hour; a rate limit or a time-out is tried again.
      const transient = result.failed.filter((f) => !f.lasting);
      if (transient.length > 0) throw new Error(`user group not read: ${transient.map((f) => f.error).join(', ')}`);
      return;
    }
  }
}

/**
 * Posts once per key. The lease outlives the worker's timeout, so a worker killed between taking it
 * and posting leaves the post to SQS's redelivery (the visibility timeout is longer still); a
 * redelivery while another worker holds the lease fails the item, so SQS brings it back later.
 */
async function postOnce(deps: WorkDeps, item: Extract<WorkItem, { type: 'slack.post' }>): Promise<void> {
  await once(deps.db, `work:${item.key}`, { leaseMs: WORKER_LEASE_MS }, () =>
    deps.slack.chat.postMessage({ channel: item.channel, text: item.text }),
  );
}

/** Slack's Retry-After, in seconds, when `err` is a call Slack rate-limited; otherwise undefined. */
export function retryAfterOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; retryAfter?: unknown } | undefined;
  if (e?.code !== ErrorCode.RateLimitedError) return undefined;
  // Slack always sends the header; a 429 without a number waits a second.
  return typeof e.retryAfter === 'number' && Number.isFinite(e.retryAfter) && e.retryAfter >= 0 ? e.retryAfter : 1;
}

/**
 * Does one work item. When Slack rate-limits one of its calls, the item is sent to `outbox` again,
 * hidden for Retry-After seconds, and this one counts as done (`requeued`): what it already posted
 * is remembered, so its successor posts only the rest. Throws when the item should be tried again,
 * and when its successor could not be queued, so the item itself is tried again and never lost.
 */
export async function workOnce(deps: WorkerDeps, item: WorkItem): Promise<'done' | 'requeued'> {
  try {
    await performWork(deps, item);
    return 'done';
  } catch (err) {
    const retryAfter = retryAfterOf(err);
    if (retryAfter === undefined) throw err;
    try {
      await deps.outbox.send(item, { delaySeconds: retryAfter });
    } catch (sendErr) {
      throw new Error(
        `rate-limited by Slack (Retry-After ${retryAfter} s) and not queued again: ${(sendErr as Error).message}`,
      );
    }
    logger.warn('Slack rate-limited a work item; it is queued again', { type: item.type, retryAfter });
    return 'requeued';
  }
}

/**
 * One SQS batch, record after record. `timeLeftMs` is what is left of the invocation (the Lambda
 * context's getRemainingTimeInMillis): once it is under WORKER_ITEM_MARGIN_MS, the records not yet
 * started are reported as failures without being touched, so SQS hands only those out again
 * instead of Lambda timing out and the whole batch (done ones included) coming back.
 */
export async function processWorkBatch(
  deps: WorkerDeps,
  event: SQSEvent,
  timeLeftMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  const records = event.Records;
  for (const [index, record] of records.entries()) {
    if (timeLeftMs() < WORKER_ITEM_MARGIN_MS) {
      const rest = records.slice(index).map((r) => ({ itemIdentifier: r.messageId }));
      logger.warn('worker nearly out of time; the rest of the batch goes back to the queue untouched', {
        left: rest.length,
        timeLeftMs: timeLeftMs(),
      });
      batchItemFailures.push(...rest);
      break;
    }
    try {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        throw new Error('body is not JSON');
      }
      await workOnce(deps, WorkItem.parse(body));
    } catch (err) {
      logger.error('work item failed', { messageId: record.messageId, error: (err as Error).message });
      deps.metrics?.count('WorkItemFailed');
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
