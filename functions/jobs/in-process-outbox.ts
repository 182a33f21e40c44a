/**
 * The worker's work, run in this process: locally (`npm start`, the `kept` CLI) and in tests,
 * wherever no queue is configured, the work handed over runs right after the answer to Slack, and
 * `idle()` says when it is done (tests wait on it instead of sleeping). Only entry points outside
 * AWS import this module: it reaches every work item's code, chart rendering included.
 */
import type { Config } from '../config';
import { logger } from '../log';
import { createSlackClient } from '../slack/web-client';
import type { Db } from '../store/client';
import type { WorkItem } from '../work/item';
import { type Outbox, sqsOutbox } from '../work/outbox';
import { performWork } from './work';

/** Like the queue's redelivery (5 receives): a failed item is tried again after a growing pause. */
export const IN_PROCESS_RETRY_MS = [100, 300, 1_000, 3_000] as const;

async function withRetries(
  item: WorkItem,
  perform: (item: WorkItem) => Promise<void>,
  delays: readonly number[],
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await perform(item);
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined) throw err;
      logger.warn('work item failed; trying again', {
        type: item.type,
        attempt: attempt + 1,
        error: (err as Error).message,
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export function inProcessOutbox(
  perform: (item: WorkItem) => Promise<void>,
  retryDelays: readonly number[] = IN_PROCESS_RETRY_MS,
): Outbox {
  const running = new Set<Promise<void>>();
  return {
    send: async (item) => {
      const job = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => withRetries(item, perform, retryDelays))
        .catch((err: Error) => logger.error('work item failed', { type: item.type, error: err.message }))
        .finally(() => running.delete(job));
      running.add(job);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

/** The queue when KEPT_QUEUE_URL is set (AWS); otherwise the work runs in this process. */
export function outboxFromConfig(config: Config, db: Db): Outbox {
  if (config.KEPT_QUEUE_URL) return sqsOutbox(config.KEPT_QUEUE_URL);
  const deps = { db, slack: createSlackClient(config), admins: config.KEPT_ADMINS };
  return inProcessOutbox((item) => performWork(deps, item));
}
