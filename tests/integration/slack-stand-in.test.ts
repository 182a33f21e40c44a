/**
 * The Slack stand-in (functions/local/fake-slack.ts) is as strict as Slack where Kept could get it
 * wrong: a method the manifest grants no scope for, a trigger older than 3 s, and Block Kit over
 * Slack's limits are refused, and nothing is posted or opened. The tests and the playground both
 * rely on it.
 */
import { WebClient } from '@slack/web-api';
import { FakeSlack } from '../../functions/local/fake-slack';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const quiet = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    setLevel() {},
    getLevel: () => 'error' as never,
    setName() {},
  };
  // Refusals are what these tests expect: the client's own error lines would only be noise.
  client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quiet });
});
afterAll(() => fake.stop());
afterEach(() => fake.reset());

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const refusal = async (call: Promise<unknown>) => {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error ?? String(err);
  }
};

it('refuses a message of more than 50 blocks, and posts nothing', async () => {
  const blocks = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
  expect(await refusal(client.chat.postMessage({ channel: 'C0ITQUEUE', text: 'x', blocks }))).toBe('invalid_blocks');
  expect(fake.posted).toHaveLength(0);
  expect(await refusal(client.chat.postMessage({ channel: 'C0ITQUEUE', text: 'x', blocks: blocks.slice(0, 50) }))).toBe(
    'ok',
  );
});

it('refuses a section over 3,000 characters and a header over 150', async () => {
  expect(
    await refusal(client.chat.postMessage({ channel: 'C0ITQUEUE', text: 'x', blocks: [section('a'.repeat(3001))] })),
  ).toBe('invalid_blocks');
  const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
  expect(await refusal(client.chat.update({ channel: 'C0ITQUEUE', ts: '1.1', text: 'x', blocks: [header] }))).toBe(
    'invalid_blocks',
  );
});

it('refuses a modal of more than 100 blocks or with a title over 24 characters, and opens nothing', async () => {
  const trigger = fake.issueTrigger('U0PERSON1');
  const many = { type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: Array(101).fill(section('x')) };
  expect(await refusal(client.views.open({ trigger_id: trigger, view: many as never }))).toBe('invalid_arguments');
  const titled = { type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] };
  expect(await refusal(client.views.open({ trigger_id: trigger, view: titled as never }))).toBe('invalid_arguments');
  expect(fake.modalStacks.size).toBe(0);
});

it('refuses a trigger older than 3 seconds, as Slack does', async () => {
  const old = `${Date.now() - 3_500}.1.x`;
  const view = { type: 'modal', title: { type: 'plain_text', text: 'Form' }, blocks: [] };
  expect(await refusal(client.views.open({ trigger_id: old, view: view as never }))).toBe('expired_trigger_id');
});

it('refuses a method the manifest grants no scope for', async () => {
  expect(await refusal(client.apiCall('admin.users.list'))).toBe('unknown_method');
  expect(await refusal(client.reactions.add({ channel: 'C0ITQUEUE', timestamp: '1.1', name: 'eyes' }))).toMatch(
    /missing_scope|unknown_method/,
  );
});
