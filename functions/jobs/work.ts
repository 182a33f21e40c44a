/**
 * Slow work handed off from the Slack ack path arrives here through SQS. Each record is
 * checked with zod; a record that fails is reported alone (batchItemFailures), so the other
 * records of the batch are not processed again, and after 5 tries it rests in the DLQ.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { WebClient } from '@slack/web-api';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../log';
import type { Db } from '../store/client';
import { claimDelivery } from '../store/deliveries';

export const WorkItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('slack.post'),
    /** Same key, same message: a redelivered item does not post twice. */
    key: z.string().min(1).max(200),
    channel: z.string().min(1),
    text: z.string().min(1).max(40_000),
  }),
]);
export type WorkItem = z.infer<typeof WorkItem>;

export interface WorkDeps {
  db: Db;
  slack: WebClient;
}

async function perform(deps: WorkDeps, item: WorkItem): Promise<void> {
  const claim = `work:${item.key}`;
  if (!(await claimDelivery(deps.db, claim))) return;
  try {
    await deps.slack.chat.postMessage({ channel: item.channel, text: item.text });
  } catch (err) {
    // Give the claim back so the retry can post.
    await deps.db.doc.send(new DeleteCommand({ TableName: deps.db.table, Key: { pk: `DELIVERY#${claim}`, sk: 'DELIVERY' } }));
    throw err;
  }
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
      await perform(deps, WorkItem.parse(body));
    } catch (err) {
      logger.error('work item failed', { messageId: record.messageId, error: (err as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
