/**
 * Slow work handed off from the Slack ack path arrives here through SQS. Each record is
 * checked with zod; a record that fails is reported alone (batchItemFailures), so the other
 * records of the batch are not processed again, and after 5 tries it rests in the DLQ.
 *
 * Slack's rate limits are not waited out here: a call Slack rate-limits fails at once (the worker's
 * client, slack/web-client.ts), and the item goes back on the queue hidden for Retry-After seconds,
 * while the rest of the batch goes on. Each work type remembers what it already posted, so the item
 * sent again finishes only what is missing.
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../log';
import { sendDigestChart } from '../slack/digest-chart';
import { notifyDecision, notifyProposal } from '../slack/notify-agreements';
import { notifyKudos, recallKudosDms } from '../slack/notify-kudos';
import { announceRequest } from '../slack/notify-requests';
import { sendReportFiles } from '../slack/report-files';
import { syncUsergroups } from '../slack/usergroups';
import type { Db } from '../store/client';
import { once } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { WorkItem } from '../work/item';
import type { Outbox } from '../work/outbox';

export interface WorkDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: they answer proposals made to every department. */
  admins: readonly string[];
  /** The instant now (the request lease, clocks on cards); tests pass their own clock. */
  now?: () => Date;
}

/** What the worker needs beyond the work itself: the queue a rate-limited item goes back on. */
export interface WorkerDeps extends WorkDeps {
  outbox: Outbox;
}

/** Does one work item; throws when it should be tried again. */
export async function performWork(deps: WorkDeps, item: WorkItem): Promise<void> {
  switch (item.type) {
    case 'slack.post':
      return postOnce(deps, item);
    case 'agreement.proposed':
      return notifyProposal(deps, item.id, item.version);
    case 'agreement.decided':
      return notifyDecision(deps, item.id, item.version);
    case 'request.changed':
      return announceRequest(deps, item.id);
    case 'kudos.given':
      return notifyKudos(deps, item.week, item.id);
    case 'kudos.taken':
      return recallKudosDms(deps.slack, item.dms);
    case 'report.files':
      await sendReportFiles(deps, item);
      return;
    case 'digest.chart':
      await sendDigestChart(deps, item);
      return;
    case 'usergroups.sync': {
      const dir = await readDirectory(deps.db);
      const only = { ...dir, departments: dir.departments.filter((d) => d.id === item.department) };
      const result = await syncUsergroups(deps.db, deps.slack, only, { maxAgeMs: 0 });
      // A group Slack refuses outright (deleted, a scope missing) is logged, not retried into the
      // dead-letter queue every quarter of an hour; a rate limit or a time-out is tried again.
      const transient = result.failed.filter((f) => !f.lasting);
      if (transient.length > 0) throw new Error(`user group not read: ${transient.map((f) => f.error).join(', ')}`);
      return;
    }
  }
}

async function postOnce(deps: WorkDeps, item: Extract<WorkItem, { type: 'slack.post' }>): Promise<void> {
  await once(deps.db, `work:${item.key}`, () =>
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

export async function processWorkBatch(deps: WorkerDeps, event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
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
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
