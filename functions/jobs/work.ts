/**
 * Slow work handed off from the Slack ack path arrives here through SQS. Each record is
 * checked with zod; a record that fails is reported alone (batchItemFailures), so the other
 * records of the batch are not processed again, and after 5 tries it rests in the DLQ.
 */
import type { WebClient } from '@slack/web-api';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../log';
import type { Metrics } from '../metrics';
import { sendDigestChart } from '../slack/digest-chart';
import { notifyDecision, notifyProposal } from '../slack/notify-agreements';
import { notifyKudos, recallKudosDms } from '../slack/notify-kudos';
import { announceRequest } from '../slack/notify-requests';
import { sendReportFiles } from '../slack/report-files';
import { syncUsergroups } from '../slack/usergroups';
import type { Db } from '../store/client';
import { once, WORKER_LEASE_MS } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { WorkItem } from '../work/item';

export interface WorkDeps {
  db: Db;
  slack: WebClient;
  /** KEPT_ADMINS: they answer proposals made to every department. */
  admins: readonly string[];
  /** Where failures are counted for the alarms (the worker Lambda's EMF metrics); without one, nowhere. */
  metrics?: Metrics;
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
      deps.metrics?.count('WorkItemFailed');
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
