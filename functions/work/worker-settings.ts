/**
 * The worker's queue and function, as numbers both sides must agree on: the stack builds them from
 * here (lib/constructs/worker.ts), and the code that has to fit inside them (the worker's time
 * budget, the request lease, delayed re-sends) reads the same numbers, so they cannot drift apart.
 */

/** The worker Lambda's timeout. */
export const WORKER_TIMEOUT_SECONDS = 60;
/** Worker invocations at once (the SQS event source's maximum concurrency): items worked at once. */
export const WORKER_MAX_CONCURRENCY = 5;
/** Records per invocation. */
export const WORKER_BATCH_SIZE = 10;
/** After this many failed receives a message moves to the dead-letter queue (checklist G6). */
export const WORKER_MAX_RECEIVE_COUNT = 5;
/**
 * How long a received message stays hidden: AWS guidance for Lambda event sources is at least 6x the
 * function timeout, so a message is not handed to a second worker while the first still runs.
 */
export const WORKER_VISIBILITY_TIMEOUT_SECONDS = 6 * WORKER_TIMEOUT_SECONDS;
/** SQS's longest `DelaySeconds`: a message sent later than this is sent with this delay. */
export const MAX_DELAY_SECONDS = 900;
