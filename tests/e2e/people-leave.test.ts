/**
 * Someone leaves, checked from outside: Slack's `user_change` with `deleted: true` (signed, into
 * the real app; the worker's work in this process). The person is taken off their departments, the
 * live request assigned to them goes back to IT's queue with a line in the channel asking someone
 * to take it, and the proposal they were the only one to answer reaches the Kept admins, who can
 * accept it. The same event re-sent (another event_id) changes and says nothing more. Through the
 * Lambda handler the event becomes one `person.left` work item on the queue.
 */
import type { Context } from 'aws-lambda';
import { IDS } from '../../functions/slack/ids';
import { createSlackLambdaHandler } from '../../functions/slack/lambda';
import { readDirectory } from '../../functions/store/directory';
import { getRequestRecord } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import { importExample } from '../support/company';
import { testConfig, withoutBotIds } from '../support/config';
import { testEndpoint } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  eventEnvelope,
  httpApiEvent,
  interactivity,
  JSON_TYPE,
  postSigned,
  signature,
  slashCommand,
  submitView,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const ANA = 'U0ITMEM01'; // IT, leaves
const FIN_HEAD = 'U0FINHEAD'; // Finance's only head, leaves
const FIN_MEMBER = 'U0FINMEM1';
const ADMIN = 'U0ADMIN01';
const CHANNEL = 'C0ITQUEUE';

const clock = testClock('2026-11-10T10:00');
let app: RunningSlackApp;

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  await importExample(app.db, clock.now());
});
afterAll(() => app.stop());

async function submit(command: string, user: string, typed: Record<string, string>): Promise<void> {
  expect((await postSigned(app.url, slashCommand({ text: command, user_id: user }))).status).toBe(200);
  await app.http.idle();
  const view = app.fake.lastModal();
  const res = await postSigned(app.url, submitView(view, typed, user));
  expect(res.status).toBe(200);
  await app.http.idle();
}

const deactivated = (user: string, eventId: string) =>
  eventEnvelope(
    { type: 'user_change', user: { id: user, team_id: 'T0KEPT0001', deleted: true, name: 'gone' } },
    eventId,
  );

async function leaves(user: string, eventId: string): Promise<void> {
  const res = await postSigned(app.url, deactivated(user, eventId), { contentType: JSON_TYPE });
  expect(res.status).toBe(200);
  await app.http.idle();
}

const dmsTo = (user: string) =>
  app.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user && c.outcome === 'ok');

it('a person who leaves stops counting: their request goes back to the queue and their proposal to the admins', async () => {
  let id = '';
  await step('Finance files a request and Ana of IT takes it; IT proposes shorter answers to Finance', async () => {
    await submit('new it', FIN_MEMBER, {
      [IDS.requestServiceBlock]: 'it-for-finance',
      [IDS.requestPriorityBlock]: 'P2',
      [IDS.requestTitleBlock]: 'Monitor flickers',
      [IDS.requestDescriptionBlock]: '',
    });
    const dir = await readDirectory(app.db);
    id = 'IT-1';
    expect((await getRequestRecord(app.db, id))?.request.title).toBe('Monitor flickers');
    const take = await postSigned(
      app.url,
      interactivity(buttonClick({ action_id: IDS.requestAction.assignMe, value: id }, ANA, app.fake.responseUrl('t'))),
    );
    expect(take.status).toBe(200);
    await app.http.idle();
    expect((await getRequestRecord(app.db, id))!.request.assignee).toBe(ANA);
    await submit('propose it-for-finance', IT_HEAD, { 'targets.P2.response': '1h' });
    expect(dmsTo(FIN_HEAD).filter((c) => String(c.args.text).includes('propos'))).not.toHaveLength(0);
    expect(dmsTo(ADMIN)).toHaveLength(0);
    expect(dir.departments.find((d) => d.id === 'it')!.members).toContain(ANA);
  });

  await step('Ana leaves: the request is unassigned and IT’s channel is asked to take it', async () => {
    const posted = app.fake.callsTo('chat.postMessage').length;
    await leaves(ANA, 'EvLEAVE0001');
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.request.assignee).toBeUndefined();
    expect(record.events.at(-1)).toMatchObject({ type: 'unassign', previousAssignee: ANA });
    const lines = app.fake
      .callsTo('chat.postMessage')
      .slice(posted)
      .filter((c) => c.args.channel === CHANNEL && c.args.reply_broadcast === true);
    expect(lines).toHaveLength(1);
    expect(String(lines[0]!.args.text)).toContain(`<@${ANA}> has left Slack, so ${id} is back in the queue`);
    expect(String(lines[0]!.args.text)).toContain('could one of you take it?');
    const it = (await readDirectory(app.db)).departments.find((d) => d.id === 'it')!;
    expect([...it.heads, ...it.members]).not.toContain(ANA);
  });

  await step("Finance's only head leaves: the admins are asked to answer the proposal, and can", async () => {
    await leaves(FIN_HEAD, 'EvLEAVE0002');
    const finance = (await readDirectory(app.db)).departments.find((d) => d.id === 'finance')!;
    expect(finance.heads).toEqual([]);
    const toAdmin = dmsTo(ADMIN);
    expect(toAdmin).toHaveLength(1);
    expect(JSON.stringify(toAdmin[0]!.args.blocks)).toContain(IDS.acceptProposal);
    const value = JSON.stringify({ id: 'it-for-finance', version: 2 });
    const res = await postSigned(
      app.url,
      interactivity(buttonClick({ action_id: IDS.acceptProposal, value }, ADMIN, app.fake.responseUrl('accept'))),
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    const agreement = (await readDirectory(app.db)).agreements.find((a) => a.id === 'it-for-finance')!;
    expect(agreement.active?.version).toBe(2);
  });

  await step('the same departures re-sent by Slack change and say nothing more', async () => {
    const posted = app.fake.callsTo('chat.postMessage').length;
    const rev = (await readDirectory(app.db)).rev;
    await leaves(ANA, 'EvLEAVE0003');
    await leaves(FIN_HEAD, 'EvLEAVE0004');
    expect(app.fake.callsTo('chat.postMessage').slice(posted)).toEqual([]);
    expect((await readDirectory(app.db)).rev).toBe(rev);
  });

  await step('someone else changing their profile changes nothing', async () => {
    const rev = (await readDirectory(app.db)).rev;
    const res = await postSigned(
      app.url,
      eventEnvelope({ type: 'user_change', user: { id: IT_HEAD, deleted: false, name: 'new name' } }, 'EvPROFILE01'),
      { contentType: JSON_TYPE },
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    expect((await readDirectory(app.db)).rev).toBe(rev);
  });
});

it('a DM Slack refuses because the person is gone (account_inactive) makes Kept stop counting them too', async () => {
  const GONE = 'U0ITMEM02';
  expect((await readDirectory(app.db)).departments.find((d) => d.id === 'it')!.members).toContain(GONE);
  // The kudos DM to them is the next message Kept posts; Slack refuses it.
  app.fake.failWith('chat.postMessage', 'account_inactive');
  const res = await postSigned(
    app.url,
    slashCommand({
      command: '/kudos',
      text: `<@${GONE}|zoe> thanks for the new charger`,
      user_id: FIN_MEMBER,
      channel_id: 'D0FINMEM1',
      channel_name: 'directmessage',
    }),
  );
  expect(res.status).toBe(200);
  await app.http.idle();
  const it = (await readDirectory(app.db)).departments.find((d) => d.id === 'it')!;
  expect([...it.heads, ...it.members]).not.toContain(GONE);
});

it('through the Lambda handler the departure becomes one work item', async () => {
  const sent: WorkItem[] = [];
  const handler = createSlackLambdaHandler(
    async () => withoutBotIds(testConfig({ slackApiUrl: app.fake.url, table: app.db.table, endpoint: testEndpoint() })),
    () => ({ send: async (item: WorkItem) => void sent.push(item), idle: async () => {} }),
  );
  const body = deactivated('U0ITMEM02', 'EvLAMBDALV1');
  const res = await handler(httpApiEvent(body, { 'content-type': JSON_TYPE, ...signature(body) }), {
    awsRequestId: 'leave-1',
    functionName: 'kept-slack',
  } as Context);
  await handler.idle();
  expect(res.statusCode).toBe(200);
  expect(sent).toEqual([{ type: 'person.left', user: 'U0ITMEM02' }]);
});
