/**
 * Slow work handed off from the Slack ack path arrives here through SQS. Each record is
 * checked with zod; a record that fails is reported alone (batchItemFailures), so the other
 * records of the batch are not processed again, and after 5 tries it rests in the DLQ.
 */
import type { WebClient } from '@slack/web-api';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { SLACK_USER_ID } from '../domain/department';
import { KUDOS_RECIPIENTS_MAX } from '../domain/kudos';
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

export const WorkItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('slack.post'),
    /** Same key, same message: a redelivered item does not post twice. */
    key: z.string().min(1).max(200),
    channel: z.string().min(1),
    text: z.string().min(1).max(40_000),
  }),
  /** A proposal was made: DM the heads who answer it, and confirm to the proposer. */
  z.object({
    type: z.literal('agreement.proposed'),
    id: z.string().min(1).max(80),
    version: z.number().int().positive(),
  }),
  /** A proposal was accepted, declined or withdrawn: update its DMs and tell both sides. */
  z.object({
    type: z.literal('agreement.decided'),
    id: z.string().min(1).max(80),
    version: z.number().int().positive(),
  }),
  /** A department's user group was set: read its members from Slack. */
  z.object({ type: z.literal('usergroups.sync'), department: z.string().min(1).max(40) }),
  /** A request was filed or changed: post or update its card, its thread and the requester's DMs. */
  z.object({ type: z.literal('request.changed'), id: z.string().min(1).max(40) }),
  /** A department's report over local dates `from`..`to` as charts and CSV in `user`'s DM, once per key. */
  z.object({
    type: z.literal('report.files'),
    key: z.string().min(1).max(200),
    user: z.string().regex(SLACK_USER_ID),
    department: z.string().min(1).max(40),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  /** A digest was posted: its compliance chart of the last 8 weeks goes into its thread, once per key. */
  z.object({
    type: z.literal('digest.chart'),
    key: z.string().min(1).max(200),
    channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
    threadTs: z.string().regex(/^\d+\.\d+$/),
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    departments: z.array(z.string().min(1).max(40)).min(1).max(500),
  }),
  /** Kudos were given: DM each recipient once. */
  z.object({ type: z.literal('kudos.given'), week: z.string().regex(/^\d{4}-W\d{2}$/), id: z.string().min(1).max(80) }),
  /** A kudos reaction was taken back after its DMs went out: delete them. */
  z.object({
    type: z.literal('kudos.taken'),
    dms: z
      .array(z.object({ channel: z.string().min(1), ts: z.string().min(1) }))
      .min(1)
      .max(KUDOS_RECIPIENTS_MAX),
  }),
]);
export type WorkItem = z.infer<typeof WorkItem>;

export interface WorkDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: they answer proposals made to every department. */
  admins: readonly string[];
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

export async function processWorkBatch(deps: WorkDeps, event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        throw new Error('body is not JSON');
      }
      await performWork(deps, WorkItem.parse(body));
    } catch (err) {
      logger.error('work item failed', { messageId: record.messageId, error: (err as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
