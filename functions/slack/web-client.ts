/**
 * Options for every Slack Web API client Kept makes (Bolt's, the worker's and the jobs'). The
 * library's default retries for about 30 minutes; a Lambda has seconds, so calls time out and retry
 * a bounded number of times, or not at all.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config';
import { httpFetch } from './http-fetch';

export const SLACK_CALL_TIMEOUT_MS = 2_500;
export const SLACK_CALL_RETRIES = 2;

export function slackClientOptions(
  config: Pick<Config, 'SLACK_API_URL'>,
  overrides: Partial<WebClientOptions> = {},
): WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    timeout: SLACK_CALL_TIMEOUT_MS,
    retryConfig: { retries: SLACK_CALL_RETRIES, factor: 2, minTimeout: 100, maxTimeout: 1_000, randomize: true },
    ...overrides,
  };
}

/**
 * The Slack app's own client, which runs while Slack waits for its answer (in Lambda the whole
 * listener runs before the answer): a rate limit is reported at once instead of waited out
 * (Retry-After can be 30 s or more, Slack gives 3), and a call that hangs gives up after 1 s with
 * one quick retry, so one Slack call never costs more than about 2.1 s. Listeners turn these
 * failures into a "please try again" line. The jobs keep the patient defaults above; the worker has
 * its own (below).
 */
export const REQUEST_PATH_TIMEOUT_MS = 1_000;

/**
 * Bolt's `respond()` posts to the response_url with this `fetch` and no deadline of its own; a
 * response_url that hangs would hold the Lambda's answer past Slack's 3 seconds. The Web API
 * calls bring their own deadline (`timeout` above) and keep it.
 */
export const RESPOND_TIMEOUT_MS = 1_500;
export function fetchWithin(ms: number, base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}

export const REQUEST_PATH_CLIENT: Partial<WebClientOptions> = {
  rejectRateLimitedCalls: true,
  timeout: REQUEST_PATH_TIMEOUT_MS,
  retryConfig: { retries: 1, factor: 1, minTimeout: 100, maxTimeout: 100 },
  // node:http rather than Node's fetch, whose first call costs the cold start 70-110 ms (http-fetch.ts).
  fetch: fetchWithin(RESPOND_TIMEOUT_MS, httpFetch),
};

export function createSlackClient(
  config: Pick<Config, 'SLACK_API_URL' | 'SLACK_BOT_TOKEN'>,
  overrides: Partial<WebClientOptions> = {},
): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions(config, overrides));
}

/**
 * The worker's client (SQS in AWS, the in-process outbox locally): a rate limit is handed back at
 * once, so the item goes back on the queue hidden for Retry-After seconds (functions/jobs/work.ts)
 * instead of sleeping inside a 60-second Lambda, and nothing is retried inside the library: a
 * retried `chat.postMessage` that had timed out after Slack took it would post a card, a thread
 * reply or a DM twice. The queue's redelivery is the retry, and each work type skips what it has
 * already remembered. A call still gives up after SLACK_CALL_TIMEOUT_MS.
 */
export const WORKER_CLIENT: Partial<WebClientOptions> = {
  rejectRateLimitedCalls: true,
  retryConfig: { retries: 0 },
};

export function workerSlackClient(
  config: Pick<Config, 'SLACK_API_URL' | 'SLACK_BOT_TOKEN'>,
  overrides: Partial<WebClientOptions> = {},
): WebClient {
  return createSlackClient(config, { ...WORKER_CLIENT, ...overrides });
}
