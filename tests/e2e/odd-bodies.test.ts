/**
 * Correctly signed bodies that are not what Slack sends, or that no listener handles: each is
 * answered at once with an empty 200, never a 5xx, a 404 or a crash, and Kept goes on answering.
 * The same bodies go through the local front door and the Lambda handler.
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { testConfig } from '../support/config';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  eventEnvelope,
  FORM,
  httpApiEvent,
  interactivity,
  JSON_TYPE,
  postSigned,
  signature,
  slashCommand,
} from '../support/slack-requests';

let app: RunningSlackApp;
beforeAll(async () => {
  app = await startSlackApp();
});
afterAll(() => app.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const click = buttonClick({ action_id: 'no_listener_has_this', value: 'x' }, 'U0ALICE001', 'https://hooks.slack.com/a');

/** [what it is, content type, body] */
const ODD: [string, string, string][] = [
  ['payload=null', FORM, form({ payload: 'null' })],
  ['a payload that is not JSON', FORM, form({ payload: '{not json' })],
  ['a block action without a user', FORM, interactivity({ ...click, user: undefined })],
  ['a block action whose actions are not a list', FORM, interactivity({ ...click, actions: { action_id: 'x' } })],
  [
    'a view submission without state',
    FORM,
    interactivity({ type: 'view_submission', user: { id: 'U0ALICE001' }, view: { id: 'V1', callback_id: 'x' } }),
  ],
  [
    'an interaction of a type Kept has no use for',
    FORM,
    interactivity({ type: 'dialog_submission', user: { id: 'U0ALICE001' } }),
  ],
  ['a slash command without a response_url', FORM, slashCommand({ response_url: '' })],
  ['an empty form', FORM, ''],
  ['JSON null', JSON_TYPE, 'null'],
  [
    'an event callback whose event is null',
    JSON_TYPE,
    JSON.stringify({ type: 'event_callback', event: null, event_id: 'Ev1' }),
  ],
  ['an event without a type', JSON_TYPE, eventEnvelope({ user: 'U0ALICE001' })],
  ['a well-formed click no listener handles', FORM, interactivity(click)],
  ['a well-formed event no listener handles', JSON_TYPE, eventEnvelope({ type: 'team_join', user: { id: 'U0NEW' } })],
];

describe('the local front door', () => {
  it.each(ODD)('%s: an empty 200 at once, nothing sent to Slack, and Kept still answers', async (_what, type, body) => {
    app.fake.reset();
    const res = await postSigned(app.url, body, { contentType: type });
    expect([res.status, res.text]).toEqual([200, '']);
    await app.http.idle();
    expect(app.fake.calls.filter((c) => !c.method.startsWith('auth.'))).toEqual([]);
    const help = await postSigned(app.url, slashCommand({ text: 'help' }));
    expect(help.status).toBe(200);
    expect(String((help.json() as { text: string }).text)).toContain('/sla');
  });
});

describe('the Lambda handler', () => {
  const context = { awsRequestId: 'req-odd', functionName: 'kept-slack' } as Context;
  it.each(ODD)('%s: an empty 200, never a 5xx', async (_what, type, body) => {
    const lambda = createSlackLambdaHandler(
      async () => testConfig({ slackApiUrl: app.fake.url, table: app.db.table, endpoint: testEndpoint() }),
      outboxFromConfig,
    );
    const res = await lambda(httpApiEvent(body, { 'content-type': type, ...signature(body) }), context);
    expect([res.statusCode, res.body ?? '']).toEqual([200, '']);
    await lambda.idle();
  });
});
