/**
 * The worker's SQS queue as Lambda's event source uses it, on a clock the test holds (nothing waits
 * for real): a message sent with `DelaySeconds` stays hidden until the clock passes it; a received
 * message is hidden for the visibility timeout; of a batch, the records the worker reports as
 * failures show again after it and the rest are deleted; a message received `maxReceiveCount` times
 * that comes back once more moves to the dead-letter queue. It is also the `Outbox` the worker sends
 * a rate-limited item back to. The settings default to the stack's (functions/work/worker-settings.ts).
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { WorkItem } from '../../functions/work/item';
import { delayOf, type Outbox, type SendOptions } from '../../functions/work/outbox';
import {
  WORKER_BATCH_SIZE,
  WORKER_MAX_RECEIVE_COUNT,
  WORKER_VISIBILITY_TIMEOUT_SECONDS,
} from '../../functions/work/worker-settings';

export interface QueuedMessage {
  messageId: string;
  item: WorkItem;
  /** `DelaySeconds` it was sent with (0 for none). */
  delaySeconds: number;
  /** When it can next be received (the test clock's ms). */
  visibleAt: number;
  receiveCount: number;
}

export interface FakeQueueSettings {
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

let sequence = 0;

export class FakeQueue implements Outbox {
  /** Every message sent, in order: what the worker re-queued, with its delay. */
  readonly sent: { item: WorkItem; delaySeconds: number }[] = [];
  /** Messages on the queue (visible, delayed or in flight). */
  readonly messages: QueuedMessage[] = [];
  /** Messages moved to the dead-letter queue. */
  readonly dead: QueuedMessage[] = [];
  /** The next this many sends are refused, as SQS refuses a request it cannot take. */
  refuseSends = 0;
  private readonly visibilityMs: number;
  private readonly maxReceiveCount: number;

  constructor(
    private readonly now: () => number,
    {
      visibilityTimeoutSeconds = WORKER_VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount = WORKER_MAX_RECEIVE_COUNT,
    }: FakeQueueSettings = {},
  ) {
    this.visibilityMs = visibilityTimeoutSeconds * 1000;
    this.maxReceiveCount = maxReceiveCount;
  }

  async send(item: WorkItem, options?: SendOptions): Promise<void> {
    if (this.refuseSends > 0) {
      this.refuseSends -= 1;
      throw new Error('SQS refused the message (injected)');
    }
    const delaySeconds = delayOf(options);
    this.sent.push({ item, delaySeconds });
    this.messages.push({
      messageId: `msg-${++sequence}`,
      item,
      delaySeconds,
      visibleAt: this.now() + delaySeconds * 1000,
      receiveCount: 0,
    });
  }

  async idle(): Promise<void> {}

  /** Up to `max` messages visible now, as the event Lambda gets; each is hidden for the visibility timeout. */
  receive(max = WORKER_BATCH_SIZE): SQSEvent {
    const records: SQSRecord[] = [];
    for (const m of [...this.messages]) {
      if (records.length >= max) break;
      if (m.visibleAt > this.now()) continue;
      if (m.receiveCount >= this.maxReceiveCount) {
        this.messages.splice(this.messages.indexOf(m), 1);
        this.dead.push(m);
        continue;
      }
      m.receiveCount += 1;
      m.visibleAt = this.now() + this.visibilityMs;
      records.push({
        messageId: m.messageId,
        body: JSON.stringify(m.item),
        attributes: { ApproximateReceiveCount: String(m.receiveCount) },
      } as SQSRecord);
    }
    return { Records: records };
  }

  /** What Lambda does with the worker's answer: every record not reported as a failure is deleted. */
  settle(event: SQSEvent, response: SQSBatchResponse): void {
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    for (const record of event.Records) {
      if (failed.has(record.messageId)) continue;
      const at = this.messages.findIndex((m) => m.messageId === record.messageId);
      if (at >= 0) this.messages.splice(at, 1);
    }
  }

  /** When the next hidden message shows again; undefined when the queue is empty. */
  nextVisibleAt(): number | undefined {
    return this.messages.length === 0 ? undefined : Math.min(...this.messages.map((m) => m.visibleAt));
  }
}
