/**
 * The worker's work, run in this process: locally (`npm start`, the `kept` CLI) and in tests,
 * wherever no queue is configured, the work handed over runs right after the answer to Slack, and
 * `idle()` says when it is done (tests wait on it instead of sleeping). Only entry points outside
 * AWS import this module: it reaches every work item's code, chart rendering included.
 */
import type { Config } from '../config';
import { limitTo } from '../limit';
import { logger } from '../log';
import { workerSlackClient } from '../slack/web-client';
import type { Db } from '../store/client';
import type { WorkItem } from '../work/item';
import { delayOf, type Outbox, sqsOutbox } from '../work/outbox';
import { WORKER_MAX_CONCURRENCY } from '../work/worker-settings';
import { type WorkDeps, workOnce } from './work';

/** Like the queue's redelivery (5 receives): a failed item is tried again after a growing pause. */
export const IN_PROCESS_RETRY_MS = [100, 300, 1_000, 3_000] as const;

/** Resolves after `ms`: a real timer, or in tests one the test moves on itself (tests/support/test-clock.ts). */
export type Wait = (ms: number) => Promise<void>;

const realWait: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetries(
  item: WorkItem,
  perform: (item: WorkItem) => Promise<unknown>,
  delays: readonly number[],
  wait: Wait,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await perform(item);
      return;
    } catch (err) {
      const delay = delays[attempt];
      if (delay === undefined) throw err;
      logger.warn('work item failed; trying again', {
        type: item.type,
        attempt: attempt + 1,
        error: (err as Error).message,
      });
      await wait(delay);
    }
  }
}

/**
 * Runs each item sent to it in this process, after its `delaySeconds` (as SQS hides a delayed
 * message), trying a failing one again after each of `retryDelays`. `wait` is the timer for both;
 * `idle()` waits on items still waiting out their delay too. As many items run at once as the
 * worker Lambdas in AWS may (`WORKER_MAX_CONCURRENCY`): a burst waits its turn instead of taking
 * every DynamoDB connection from the people being answered.
 */
export function inProcessOutbox(
  perform: (item: WorkItem) => Promise<unknown>,
  retryDelays: readonly number[] = IN_PROCESS_RETRY_MS,
  wait: Wait = realWait,
  concurrency = WORKER_MAX_CONCURRENCY,
): Outbox {
  const running = new Set<Promise<void>>();
  const turn = limitTo(concurrency);
  const performInTurn = (item: WorkItem) => turn(() => perform(item));
  return {
    send: async (item, options) => {
      const delayMs = delayOf(options) * 1000;
      const start = delayMs > 0 ? wait(delayMs) : new Promise<void>((resolve) => setImmediate(resolve));
      const job = start
        .then(() => withRetries(item, performInTurn, retryDelays, wait))
        .catch((err: Error) => logger.error('work item failed', { type: item.type, error: err.message }))
        .finally(() => running.delete(job));
      running.add(job);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

/**
 * The worker in this process: each item as the SQS worker does it (`workOnce`), so an item Slack
 * rate-limits comes back to this outbox and runs again after Retry-After.
 */
export function inProcessWorker(
  deps: WorkDeps,
  retryDelays: readonly number[] = IN_PROCESS_RETRY_MS,
  wait: Wait = realWait,
): Outbox {
  const outbox: Outbox = inProcessOutbox((item) => workOnce({ ...deps, outbox }, item), retryDelays, wait);
  return outbox;
}

/**
 * The queue when KEPT_QUEUE_URL is set (AWS); otherwise the work runs in this process, on `now`
 * when given (a job replayed with `--now` has its work done at the same instant).
 */
export function outboxFromConfig(config: Config, db: Db, now?: () => Date): Outbox {
  if (config.KEPT_QUEUE_URL) return sqsOutbox(config.KEPT_QUEUE_URL);
  return inProcessWorker({ db, slack: workerSlackClient(config), admins: config.KEPT_ADMINS, ...(now ? { now } : {}) });
}
