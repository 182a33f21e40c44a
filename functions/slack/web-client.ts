/**
 * Options for every Slack Web API client Kept makes (Bolt's and the jobs'). The library's
 * default retries for about 30 minutes; a Lambda has seconds, so calls time out and retry
 * a bounded number of times.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Config } from '../config';

export const SLACK_CALL_TIMEOUT_MS = 2_500;
export const SLACK_CALL_RETRIES = 2;

export function slackClientOptions(config: Pick<Config, 'SLACK_API_URL'>, overrides: Partial<WebClientOptions> = {}): WebClientOptions {
  return {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    timeout: SLACK_CALL_TIMEOUT_MS,
    retryConfig: { retries: SLACK_CALL_RETRIES, factor: 2, minTimeout: 100, maxTimeout: 1_000, randomize: true },
    ...overrides,
  };
}

export function createSlackClient(config: Pick<Config, 'SLACK_API_URL' | 'SLACK_BOT_TOKEN'>, overrides: Partial<WebClientOptions> = {}): WebClient {
  return new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions(config, overrides));
}
