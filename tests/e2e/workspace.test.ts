/**
 * One workspace, checked from outside: a command, a click, a form and an event signed with the
 * app's secret but sent for another Slack workspace are refused without effect (nothing written,
 * not even an event's lease; no Slack call), and so are people of another organisation in a
 * channel shared with it (Slack Connect), unless KEPT_EXTERNAL_TEAMS names their organisation.
 * Without SLACK_TEAM_ID, Kept asks Slack which workspace it is in once, and refuses while it cannot.
 */
import type { Context } from 'aws-lambda';
import { outboxFromConfig } from '../../functions/jobs/in-process-outbox';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { OTHER_WORKSPACE, OUTSIDE_PERSON } from '../../functions/slack/workspace';
import { importExample } from '../support/company';
import { testConfig, withoutBotIds } from '../support/config';
import { allItems, testEndpoint } from '../support/db';
import { BOT } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  buttonClick,
  eventEnvelope,
  FORM,
  httpApiEvent,
  interactivity,
  JSON_TYPE,
  postSigned,
  signature,
  slashCommand,
  stateOf,
  viewSubmission,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const OTHER_TEAM = 'T0ELSEWHR1';
const PARTNER = 'T0PARTNER1';
const STRANGER_ORG = 'T0STRANGE1';
const FIN_MEMBER = 'U0FINMEM1';
const IT_MEMBER = 'U0ITMEM01';

const clock = testClock('2026-11-10T10:00');
let app: RunningSlackApp;

beforeAll(async () => {
  app = await startSlackApp({ KEPT_EXTERNAL_TEAMS: PARTNER }, { now: clock.now });
  await importExample(app.db, clock.now());
});
afterAll(() => app.stop());

/** The table's items other than deliveries of commands (which the guard never reaches anyway). */
const snapshot = async () => JSON.stringify(await allItems(app.db));

/** A payload sent for `team`, by a person of `userTeam`. */
function from<T extends Record<string, unknown>>(payload: T, team: string, userTeam = team): T {
  const user = payload.user as Record<string, unknown>;
  return { ...payload, team: { id: team, domain: 'elsewhere' }, user: { ...user, team_id: userTeam } };
}

it('another workspace is refused on commands, clicks, forms and events, and nothing happens', async () => {
  const before = await snapshot();
  const calls = app.fake.calls.length;

  await step('a command gets one private line and opens nothing', async () => {
    const res = await postSigned(app.url, slashCommand({ text: 'new it', user_id: FIN_MEMBER, team_id: OTHER_TEAM }));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: OTHER_WORKSPACE });
    const list = await postSigned(app.url, slashCommand({ text: 'list', user_id: FIN_MEMBER, team_id: OTHER_TEAM }));
    expect(list.json()).toEqual({ response_type: 'ephemeral', text: OTHER_WORKSPACE });
  });

  await step('a click, a form and events are acknowledged and go no further', async () => {
    const click = from(
      buttonClick({ action_id: IDS.requestAction.assignMe, value: 'IT-1' }, IT_MEMBER, app.fake.responseUrl('x')),
      OTHER_TEAM,
    );
    expect((await postSigned(app.url, interactivity(click))).status).toBe(200);
    const view = { type: 'modal', callback_id: IDS.newRequestModal, blocks: [] };
    const form = from(viewSubmission(view, stateOf(view as { blocks: unknown[] }, {}), FIN_MEMBER), OTHER_TEAM);
    const submitted = await postSigned(app.url, interactivity(form));
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    const home = JSON.parse(eventEnvelope(appHomeOpened(FIN_MEMBER), 'EvELSEWHERE1')) as Record<string, unknown>;
    const sent = await postSigned(app.url, JSON.stringify({ ...home, team_id: OTHER_TEAM }), {
      contentType: JSON_TYPE,
    });
    expect(sent.status).toBe(200);
    await app.http.idle();
  });

  await step('nothing was written (no lease, no delivery) and Slack was not called', async () => {
    expect(await snapshot()).toBe(before);
    expect(app.fake.calls.slice(calls)).toEqual([]);
  });
});

it('people of another organisation in a shared channel are refused unless their organisation is allowed', async () => {
  await step('a stranger organisation’s person pressing a button changes nothing', async () => {
    const before = await snapshot();
    const click = from(
      buttonClick({ action_id: IDS.requestAction.acknowledge, value: 'IT-1' }, 'U0STRANGE1', app.fake.responseUrl('s')),
      BOT.teamId,
      STRANGER_ORG,
    );
    expect((await postSigned(app.url, interactivity(click))).status).toBe(200);
    const said = JSON.parse(
      eventEnvelope(
        {
          type: 'message',
          user: 'U0STRANGE1',
          user_team: STRANGER_ORG,
          text: 'hi',
          channel: 'C0ITQUEUE',
          ts: '1780000009.000100',
          thread_ts: '1780000000.000002',
        },
        'EvSTRANGE01',
      ),
    ) as Record<string, unknown>;
    expect((await postSigned(app.url, JSON.stringify(said), { contentType: JSON_TYPE })).status).toBe(200);
    await app.http.idle();
    expect(await snapshot()).toBe(before);
    // The guest who pressed is told why, privately.
    expect(app.fake.callsTo('response/s').map((c) => c.args.text)).toEqual([OUTSIDE_PERSON]);
  });

  await step('a partner organisation named in KEPT_EXTERNAL_TEAMS is let in', async () => {
    const res = await postSigned(
      app.url,
      interactivity(
        from(
          buttonClick(
            { action_id: IDS.requestAction.explain, value: 'IT-404' },
            'U0PARTNER1',
            app.fake.responseUrl('p'),
          ),
          BOT.teamId,
          PARTNER,
        ),
      ),
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    // It reached the listener: the presser is told about the ID, not refused at the door.
    expect(app.fake.callsTo('response/p').map((c) => String(c.args.text))).toEqual([
      expect.stringContaining('There is no request IT-404'),
    ]);
  });
});

it('without SLACK_TEAM_ID Kept asks Slack once which workspace it is in', async () => {
  const cold = await startSlackApp({ SLACK_TEAM_ID: '' }, { now: clock.now });
  try {
    await importExample(cold.db, clock.now());
    for (let n = 0; n < 2; n++) {
      const res = await postSigned(cold.url, slashCommand({ text: 'help', user_id: FIN_MEMBER }));
      expect(String((res.json() as { text: string }).text)).toContain('/sla help');
    }
    const foreign = await postSigned(cold.url, slashCommand({ text: 'help', team_id: OTHER_TEAM }));
    expect(foreign.json()).toEqual({ response_type: 'ephemeral', text: OTHER_WORKSPACE });
    expect(cold.fake.callsTo('auth.test')).toHaveLength(1);
  } finally {
    await cold.stop();
  }
});

it('through the Lambda handler, with the bot IDs unset, another workspace is refused the same way', async () => {
  const handler = createSlackLambdaHandler(
    async () => withoutBotIds(testConfig({ slackApiUrl: app.fake.url, table: app.db.table, endpoint: testEndpoint() })),
    outboxFromConfig,
  );
  const before = await snapshot();
  const context = { awsRequestId: 'ws-1', functionName: 'kept-slack' } as Context;
  const command = slashCommand({ text: 'new it', user_id: FIN_MEMBER, team_id: OTHER_TEAM });
  const res = await handler(httpApiEvent(command, { 'content-type': FORM, ...signature(command) }), context);
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body ?? '{}')).toEqual({ response_type: 'ephemeral', text: OTHER_WORKSPACE });
  const body = JSON.stringify({
    ...(JSON.parse(eventEnvelope(appHomeOpened(FIN_MEMBER), 'EvLAMBDAWS1')) as object),
    team_id: OTHER_TEAM,
  });
  const ev = await handler(httpApiEvent(body, { 'content-type': JSON_TYPE, ...signature(body) }), context);
  expect(ev.statusCode).toBe(200);
  await handler.idle();
  expect(await snapshot()).toBe(before);
  expect(app.fake.callsTo('views.publish').filter((c) => c.args.user_id === FIN_MEMBER)).toEqual([]);
});
