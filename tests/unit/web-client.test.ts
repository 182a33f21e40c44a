/** Inside a Lambda a Slack call must give up in seconds, not retry for half an hour. */
import { ErrorCode, LogLevel } from '@slack/web-api';
import {
  createSlackClient,
  SLACK_CALL_RETRIES,
  slackClientOptions,
  workerSlackClient,
} from '../../functions/slack/web-client';
import { FakeSlack } from '../support/fake-slack';

let fake: FakeSlack;
beforeAll(async () => (fake = await FakeSlack.start()));
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const config = () => ({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test-token' });

it('sets an explicit timeout and a small retry budget', () => {
  const options = slackClientOptions(config());
  expect(options.timeout).toBeGreaterThan(0);
  expect(options.timeout).toBeLessThanOrEqual(3000);
  expect(options.retryConfig?.retries).toBe(SLACK_CALL_RETRIES);
  expect(SLACK_CALL_RETRIES).toBeLessThanOrEqual(3);
});

it('gives up after a bounded number of attempts when Slack keeps failing', async () => {
  fake.httpError('chat.postMessage', 503, 100);
  const client = createSlackClient(config(), {
    retryConfig: { retries: SLACK_CALL_RETRIES, minTimeout: 1, maxTimeout: 5 },
  });
  await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow();
  expect(fake.callsTo('chat.postMessage')).toHaveLength(SLACK_CALL_RETRIES + 1);
});

it('times out a call that Slack never answers', async () => {
  fake.hang('chat.postMessage', 100);
  const client = createSlackClient(config(), {
    timeout: 100,
    retryConfig: { retries: 1, minTimeout: 1, maxTimeout: 5 },
    logLevel: LogLevel.ERROR,
  });
  await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow();
  expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
});

it('sends the bot token and goes to the configured API URL', async () => {
  await createSlackClient(config()).chat.postMessage({ channel: 'C1', text: 'hello' });
  expect(fake.callsTo('chat.postMessage')).toEqual([
    expect.objectContaining({
      authorization: 'Bearer xoxb-test-token',
      args: expect.objectContaining({ channel: 'C1', text: 'hello' }),
    }),
  ]);
});

describe("the worker's client", () => {
  it('hands a 429 back at once with its Retry-After instead of sleeping through it', async () => {
    fake.rateLimit('chat.postMessage', 30, 5);
    const client = workerSlackClient(config(), { logLevel: LogLevel.ERROR });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['rate_limited']);
  });

  it('tries a failing call once: the queue is the retry', async () => {
    fake.httpError('chat.postMessage', 503, 5);
    const client = workerSlackClient(config(), { logLevel: LogLevel.ERROR });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow();
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('does not send a post that timed out a second time (Slack may have taken it)', async () => {
    fake.hang('chat.postMessage', 5);
    const client = workerSlackClient(config(), { logLevel: LogLevel.ERROR, timeout: 100 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toThrow();
    expect(fake.callsTo('chat.postMessage').map((c) => c.outcome)).toEqual(['hang']);
  });
});
