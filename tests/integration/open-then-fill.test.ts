/**
 * How a form that needs a read opens (functions/slack/listeners/reply.ts openThenFill), against the
 * Slack stand-in: a read done within FILL_WAIT_MS opens the modal once, complete; a slower read shows
 * "one moment" while the trigger is fresh and the form takes its place; a read that fails says so.
 * The slow read is held by a gate the test opens once the "one moment" modal is on screen, so the
 * order is certain whatever the machine's speed.
 */
import type { ModalView } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { FakeSlack } from '../../functions/local/fake-slack';
import { FORM_LOADING, FORM_NOT_LOADED, type FormOrRefusal, openThenFill } from '../../functions/slack/listeners/reply';
import { modal, section } from '../../functions/slack/views/blocks';
import { eventually } from '../support/eventually';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await FakeSlack.start();
  client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
});
afterAll(() => fake.stop());
afterEach(() => fake.reset());

const FORM: ModalView = modal({ title: 'New request', close: 'Cancel', blocks: [section('Which service?')] });
const shown = () => JSON.stringify(fake.lastModal());
const notOpened = async () => {
  throw new Error('the modal should have opened');
};

it('a read done in time: the form opens once, complete, with no "one moment" first', async () => {
  await openThenFill(client, fake.issueTrigger('U0ALICE001'), 'New request', async () => FORM, notOpened);
  expect(fake.callsTo('views.open')).toHaveLength(1);
  expect(fake.callsTo('views.update')).toHaveLength(0);
  expect(shown()).toContain('Which service?');
});

it('a refusal found in time: the modal opens once, saying why in plain words', async () => {
  const refusal: FormOrRefusal = { refusal: 'You are not in any department in Kept yet.' };
  await openThenFill(client, fake.issueTrigger('U0ALICE001'), 'New request', async () => refusal, notOpened);
  expect(fake.callsTo('views.open')).toHaveLength(1);
  expect(fake.callsTo('views.update')).toHaveLength(0);
  expect(shown()).toContain('You are not in any department in Kept yet.');
});

it('a read that fails in time: the modal opens once and says the form could not load', async () => {
  const failing = async (): Promise<FormOrRefusal> => {
    throw new Error('DynamoDB refused');
  };
  await openThenFill(client, fake.issueTrigger('U0ALICE001'), 'New request', failing, notOpened);
  expect(fake.callsTo('views.open')).toHaveLength(1);
  expect(shown()).toContain(FORM_NOT_LOADED);
});

it('a slow read: "one moment" opens with the fresh trigger, then the form takes its place', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const opening = openThenFill(
    client,
    fake.issueTrigger('U0ALICE001'),
    'New request',
    async () => {
      await gate;
      return FORM;
    },
    notOpened,
    10, // the wait, shortened: the read is held until "one moment" shows
  );
  await eventually(() => fake.callsTo('views.open').length === 1);
  expect(shown()).toContain(FORM_LOADING);
  release();
  await opening;
  expect(fake.callsTo('views.open')).toHaveLength(1);
  expect(fake.callsTo('views.update').map((c) => c.outcome)).toEqual(['ok']);
  expect(shown()).toContain('Which service?');
});

it('Slack refuses the open (trigger expired): the person is told, nothing else is tried', async () => {
  const told: string[] = [];
  const expired = `${Date.now() - 10_000}.1.U0ALICE001`;
  await openThenFill(
    client,
    expired,
    'New request',
    async () => FORM,
    async () => told.push('try again'),
  );
  expect(fake.callsTo('views.open')).toHaveLength(1); // refused by Slack: expired_trigger_id
  expect(fake.modals()).toEqual([]);
  expect(fake.callsTo('views.update')).toHaveLength(0);
  expect(told).toEqual(['try again']);
});
