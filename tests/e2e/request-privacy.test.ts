/**
 * A request is for its two sides only, checked from outside: someone in neither department (nor
 * its requester, nor a Kept admin) who guesses an ID gets, on every surface that takes one, the
 * reply an unknown ID gets — nothing of the request's text, not even that it exists — and writes
 * nothing. The requester, the provider's and the customer's people and the admins see it. The
 * main refusal also runs through the Lambda handler, as in AWS.
 */

import { LogLevel } from '@slack/web-api';
import type { Context } from 'aws-lambda';
import { noSuchRequest } from '../../functions/domain/privacy';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { performWork } from '../../functions/jobs/work';
import { fileFromSlack } from '../../functions/services/requests';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { createSlackClient } from '../../functions/slack/web-client';
import { getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { testConfig } from '../support/config';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  FORM,
  httpApiEvent,
  interactivity,
  postSigned,
  signature,
  slashCommand,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1'; // files the request
const FIN_HEAD = 'U0FINHEAD'; // the customer's head
const IT_MEMBER = 'U0ITMEM01'; // the provider's member
const OUTSIDER = 'U0SUPMEM1'; // Support: neither side
const ADMIN = 'U0ADMIN01';
const TITLE = 'Salary file for Q4 will not upload';

let app: RunningSlackApp;
const clock = testClock('2026-11-10T10:00');
let id = '';

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  await importExample(app.db, clock.now());
  const filed = await fileFromSlack(app.db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: TITLE,
    description: 'The bonus column is confidential.',
    delivery: 'view:privacy',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  id = filed.request.id;
  const slack = createSlackClient(
    { SLACK_API_URL: app.fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  await performWork({ db: app.db, slack, admins: [] }, { type: 'request.changed', id });
});
afterAll(() => app.stop());

/** `/sla <text>` by `user`: the ephemeral answer as one string (text and blocks). */
async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  const body = res.json() as { text: string; blocks?: unknown };
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}

let presses = 0;
/** A button with the request's ID pressed by `user`: what reached them (the response_url, or the modal). */
async function press(actionId: string, user: string): Promise<string> {
  presses++;
  const name = `privacy-${presses}`;
  const before = app.fake.modals().length;
  const res = await postSigned(
    app.url,
    interactivity(buttonClick({ action_id: actionId, value: id }, user, app.fake.responseUrl(name))),
  );
  expect(res.status).toBe(200);
  await app.http.idle();
  const responses = app.fake.callsTo(`response/${name}`).map((c) => JSON.stringify(c.args));
  const modals = app.fake
    .modals()
    .slice(before)
    .map((m) => JSON.stringify(m));
  return [...responses, ...modals].join('\n');
}

const historyLength = async () => (await getRequestRecord(app.db, id))!.events.length;

it('someone on neither side learns nothing of a request, on any surface, and changes nothing', async () => {
  const unknown = noSuchRequest(id);
  const lines = await historyLength();

  await step('/sla show and /sla explain answer as for an ID that does not exist', async () => {
    const shown = await sla(`show ${id}`, OUTSIDER);
    expect(shown).toContain(unknown);
    expect(shown).not.toContain(TITLE);
    const missing = await sla('show IT-999', OUTSIDER);
    expect(missing.replaceAll('IT-999', id)).toBe(shown);
    const explained = await sla(`explain ${id}`, OUTSIDER);
    expect(explained).toContain(unknown);
    expect(explained).not.toContain(TITLE);
  });

  await step('replies, notes, actions and kudos naming it are refused the same way', async () => {
    for (const command of [
      `reply ${id} what is in the bonus column?`,
      `note ${id} looking`,
      `ack ${id}`,
      `resolve ${id} done`,
      `priority ${id} P1 urgent`,
      `cancel ${id}`,
    ]) {
      const answer = await sla(command, OUTSIDER);
      expect(answer).toContain(unknown);
      expect(answer).not.toContain(TITLE);
    }
    expect(await historyLength()).toBe(lines);
  });

  await step("the card's and the DMs' buttons, pressed with a guessed ID, show nothing either", async () => {
    for (const action of [
      IDS.requestAction.explain,
      IDS.requestAction.resolve,
      IDS.requestAction.pause,
      IDS.requestAction.priority,
      IDS.requestAction.answer,
      IDS.requestAction.acknowledge,
      IDS.requestAction.assignMe,
    ]) {
      const seen = await press(action, OUTSIDER);
      expect(seen).not.toContain(TITLE);
      expect(seen).not.toContain('bonus');
      expect(seen).toContain(`There is no request ${id} that you can see`);
    }
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.events).toHaveLength(lines);
    expect(record.request.assignee).toBeUndefined();
  });
});

it('the requester, both sides and the Kept admins see it', async () => {
  for (const user of [FIN_MEMBER, FIN_HEAD, IT_MEMBER, ADMIN]) {
    const shown = await sla(`show ${id}`, user);
    expect(shown).toContain(TITLE);
  }
  expect(await sla(`explain ${id}`, FIN_HEAD)).toContain(TITLE);
});

it('through the Lambda handler, as in AWS, the outsider gets the same answer', async () => {
  const handler = createSlackLambdaHandler(
    async () => testConfig({ slackApiUrl: app.fake.url, table: app.db.table, endpoint: testEndpoint() }),
    outboxFromConfig,
  );
  const body = slashCommand({ text: `show ${id}`, user_id: OUTSIDER });
  const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), {
    awsRequestId: 'privacy-1',
    functionName: 'kept-slack',
  } as Context);
  await handler.idle();
  expect(res.statusCode).toBe(200);
  expect((JSON.parse(res.body ?? '{}') as { text?: string }).text).toBe(noSuchRequest(id));
  expect(res.body).not.toContain(TITLE);
});
