/**
 * Handing a request over to the department that should have it: `/sla transfer ID DEPT reason` by
 * the provider's people. Bad input (unknown request or department, no reason, someone without the
 * right, a department with no agreement covering the requester) gets one line and writes nothing;
 * a command Slack sends twice moves it once. After the move the old card says where it went, a new
 * card is in the new department's channel, the requester is told, `/sla show` names the new
 * department, and each department's report counts its share. Signed requests into the real app;
 * the worker runs as the queue would run it.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import { fileFromSlack } from '../../functions/services/requests';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { readLedger } from '../../functions/store/ledger';
import { findThread } from '../../functions/store/request-slack';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { readDays, readReport } from '../../functions/store/stats';
import { importCompany, importExample } from '../support/company';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1';
const IT_MEMBER = 'U0ITMEM01';
const MINUTE = 60_000;

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Tuesday 10 November 2026, 10:00 in New York (15:00 in London: People Operations works too). */
const clock = testClock('2026-11-10T10:00');

const HR_FOR_FINANCE = {
  agreements: [
    {
      id: 'hr-for-finance',
      provider: 'people-ops',
      customer: 'finance',
      service: 'Payroll questions',
      targets: { P1: { response: '30m', resolution: '4h' }, P2: { response: '2h', resolution: '16h' } },
      penalty: { unit: 'points', per_breach: 20 },
    },
  ],
};

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
  await importCompany(db, HR_FOR_FINANCE, clock.now());
});
afterAll(() => app.stop());

const slack = () =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });

/** `/sla <text>` by `user`: the ephemeral answer's text and blocks as one string. */
async function sla(text: string, user: string, trigger_id?: string): Promise<string> {
  const res = await postSigned(url, slashCommand({ text, user_id: user, ...(trigger_id ? { trigger_id } : {}) }));
  expect(res.status).toBe(200);
  await http.idle();
  const body = res.json() as { text: string; blocks?: unknown };
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}
const firstLine = (answer: string) => answer.split('\n')[0]!;

it('hands a request over to HR: new card there, old card says where it went, requester told, reports split', async () => {
  const filed = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: 'Payslip shows the wrong bank',
    description: '',
    delivery: 'view:transfer-1',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  const id = filed.request.id;
  await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
  const oldCard = (await getRequestRecord(db, id))!.card!;
  expect(oldCard.channel).toBe('C0ITQUEUE');

  await step('bad input gets one clear line and writes nothing', async () => {
    clock.advance(5 * MINUTE);
    const cases: [string, string, RegExp][] = [
      [`transfer ${id}`, IT_MEMBER, /^Which department\?/],
      [`transfer ${id} HR`, IT_MEMBER, /^Say why it belongs to HR/],
      [`transfer ${id} HR    `, IT_MEMBER, /^Say why it belongs to HR/],
      ['transfer IT-999 HR payroll', IT_MEMBER, /^There is no request IT-999 that you can see\./],
      ['transfer HR payroll', IT_MEMBER, /^Which request\?/],
      [`transfer ${id} legal payroll`, IT_MEMBER, /^There is no department "legal" in Kept/],
      [`transfer ${id} IT payroll`, IT_MEMBER, new RegExp(`^${id} is already with IT\\.`)],
      [
        `transfer ${id} support payroll`,
        IT_MEMBER,
        new RegExp(`^Customer Support has no agreement covering Finance, so ${id} cannot go there`),
      ],
      [`transfer ${id} HR payroll`, 'U0STRANGER', new RegExp(`^There is no request ${id} that you can see\\.`)],
      [`transfer ${id} HR payroll`, FIN_MEMBER, new RegExp(`^Only people in IT can transfer ${id}\\.`)],
    ];
    for (const [text, user, expected] of cases) expect(firstLine(await sla(text, user))).toMatch(expected);
    expect((await getRequest(db, id))!.rev).toBe(1);
  });

  await step('an IT member transfers it to HR, once however often Slack sends it', async () => {
    clock.advance(10 * MINUTE);
    fake.reset();
    const trigger = 'transfer-trigger-1';
    expect(firstLine(await sla(`transfer ${id} hr payslips are People Operations' job`, IT_MEMBER, trigger))).toMatch(
      new RegExp(`^${id} is now with People Operations`),
    );
    expect(firstLine(await sla(`transfer ${id} hr payslips are People Operations' job`, IT_MEMBER, trigger))).toBe(
      'Already done: Slack sent that twice.',
    );
    const request = (await getRequest(db, id))!;
    expect(request).toMatchObject({
      id,
      provider: 'people-ops',
      agreementId: 'hr-for-finance',
      agreementVersion: 1,
      status: 'open',
      priority: 'P2',
      rev: 2,
    });
    // The new clocks start at the transfer, under HR's P2 targets.
    expect(request.clocks.response).toMatchObject({ startedAt: clock.now().getTime(), target: 2 * 60 * MINUTE });
    expect(request.transfers).toEqual([
      expect.objectContaining({
        from: 'it',
        to: 'people-ops',
        agreementId: 'it-for-finance',
        by: IT_MEMBER,
        outcome: { response: 'transferred', resolution: 'transferred' },
      }),
    ]);
  });

  await step('the old card says where it went, HR gets a card, the requester a DM', async () => {
    await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
    const updates = fake.callsTo('chat.update').filter((c) => c.args.ts === oldCard.ts);
    expect(JSON.stringify(updates.at(-1)!.args.blocks)).toContain('Transferred to People Operations by <@U0ITMEM01>');
    expect(JSON.stringify(updates.at(-1)!.args.blocks)).not.toContain('"actions"');
    const cards = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0HRQUEUE' && !c.args.thread_ts);
    expect(cards).toHaveLength(1);
    const record = (await getRequestRecord(db, id))!;
    expect(record.card!.channel).toBe('C0HRQUEUE');
    expect(await findThread(db, record.card!.channel, record.card!.ts)).toMatchObject({ id, provider: 'people-ops' });
    const dms = fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === FIN_MEMBER || String(c.args.channel).startsWith('D'));
    expect(dms.map((c) => String(c.args.text))).toEqual([expect.stringContaining(`IT handed your request ${id}`)]);
    // A retried job posts nothing more.
    fake.reset();
    await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  await step('/sla show names HR; HR works it; each department reports its share', async () => {
    const shown = await sla(`show ${id}`, FIN_MEMBER);
    expect(shown).toContain('People Operations');
    expect(shown).toContain('transferred');
    expect(firstLine(await sla(`ack ${id}`, IT_MEMBER))).toMatch(/^Only people in People Operations/);
    expect(firstLine(await sla(`ack ${id}`, 'U0HRHEAD1'))).not.toMatch(/^Only/);
    const day = '2026-11-10';
    const it = (await readDays(db, 'it', day, day)).days[0]!.counters;
    const hr = (await readDays(db, 'people-ops', day, day)).days[0]!.counters;
    expect(it).toMatchObject({ filed: 1, transferred: 1 });
    expect(it.live ?? 0).toBe(0);
    expect(hr).toMatchObject({ filed: 1, 'filed|hr-for-finance|P2': 1, live: 1 });
  });
});

it('a breach recorded at IT stays charged to IT after the transfer; HR is charged only for its own miss', async () => {
  // Tuesday 10 November, 10:15 in New York (15:15 in London).
  const filed = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P1',
    title: 'Cannot open the payroll spreadsheet',
    description: '',
    delivery: 'view:transfer-2',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  const id = filed.request.id;
  const charges = async (agreement: string) =>
    (await readLedger(db, agreement, '2026-11')).filter((e) => e.request === id);

  await step("IT misses the 30-minute response; the scan charges it to IT's agreement", async () => {
    clock.advance(45 * MINUTE);
    await runScan({ db }, clock.now());
    expect((await getRequest(db, id))!.breaches?.response).toMatchObject({ unit: 'points', amount: 50 });
    expect(await charges('it-for-finance')).toEqual([
      expect.objectContaining({ type: 'penalty', kind: 'response', amount: 50, unit: 'points' }),
    ]);
  });

  clock.advance(5 * MINUTE);
  const movedAt = clock.now().getTime();
  await step("IT hands it to HR: HR's clocks start at the transfer, the breach stays IT's", async () => {
    expect(firstLine(await sla(`transfer ${id} hr the spreadsheet is People Operations'`, IT_MEMBER))).toMatch(
      new RegExp(`^${id} is now with People Operations`),
    );
    const request = (await getRequest(db, id))!;
    expect(request).toMatchObject({ provider: 'people-ops', agreementId: 'hr-for-finance', status: 'open' });
    expect(request.breaches).toBeUndefined();
    for (const kind of ['response', 'resolution'] as const)
      expect(request.clocks[kind]).toMatchObject({ startedAt: movedAt, usedBefore: 0, state: 'running' });
    // HR's P1 response is 30 minutes of London working time from 16:05.
    expect(request.clocks.response.dueAt).toBe(movedAt + 30 * MINUTE);
    expect(request.transfers).toEqual([
      expect.objectContaining({ from: 'it', outcome: { response: 'breached', resolution: 'transferred' } }),
    ]);
    expect(await charges('hr-for-finance')).toEqual([]);
  });

  await step("HR misses its own response: charged to HR's agreement, IT's charge unchanged", async () => {
    clock.advance(60 * MINUTE);
    await runScan({ db }, clock.now());
    expect(await charges('hr-for-finance')).toEqual([
      expect.objectContaining({ type: 'penalty', kind: 'response', amount: 20, unit: 'points' }),
    ]);
    expect(await charges('it-for-finance')).toHaveLength(1);
  });

  await step("each department's report charges the breach it made, and no other", async () => {
    const dir = await readDirectory(db);
    const day = { from: '2026-11-10', to: '2026-11-10' };
    const it = await readReport(db, dir, { id: 'it', name: 'IT' }, day, 0);
    const hr = await readReport(db, dir, { id: 'people-ops', name: 'People Operations' }, day, 0);
    expect(it.byAgreement.find((a) => a.agreement === 'it-for-finance' && a.priority === 'P1')).toMatchObject({
      breached: 1,
    });
    expect(it.penalties).toMatchObject({ points: { charged: 50 } });
    expect(it.breachesByTarget).toMatchObject({ response: 1 });
    expect(hr.byAgreement.find((a) => a.agreement === 'hr-for-finance' && a.priority === 'P1')).toMatchObject({
      breached: 1,
    });
    expect(hr.penalties).toMatchObject({ points: { charged: 20 } });
    expect(hr.breachesByTarget).toMatchObject({ response: 1 });
  });
});

it("the card's Transfer button: a form offering only departments that could take it; a reason is asked for; done once", async () => {
  const filed = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: 'Payslip shows the wrong tax code',
    description: '',
    delivery: 'view:VTRANSFERBTN',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  const id = filed.request.id;
  const press = async (user: string) => {
    const payload = buttonClick(
      { action_id: IDS.requestAction.transfer, value: id },
      user,
      fake.responseUrl(`tr-${user}`),
      'C0ITQUEUE',
    );
    expect((await postSigned(url, interactivity(payload))).status).toBe(200);
    await http.idle();
    return fake.lastModal();
  };

  // Someone outside IT: the form opens and says why not.
  const refused = await press(FIN_MEMBER);
  expect(JSON.stringify(refused.blocks)).toContain(`Only people in IT can transfer ${id}.`);
  expect(refused.submit).toBeUndefined();

  // An IT member: only People Operations covers Finance besides IT itself.
  const form = await press(IT_MEMBER);
  expect(form.callback_id).toBe(IDS.transferModal);
  const options = JSON.stringify(form.blocks);
  expect(options).toContain('"value":"people-ops"');
  expect(options).not.toContain('"value":"it"');
  const submit = async (typed: Record<string, string | null>, viewId: string) => {
    const res = await postSigned(url, submitView(form, typed, IT_MEMBER, viewId));
    expect(res.status).toBe(200);
    await http.idle();
    return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
  };
  const before = (await getRequest(db, id))!.rev;
  expect(await submit({ [IDS.transferDeptBlock]: 'people-ops', [IDS.transferReasonBlock]: '  ' }, 'VTR00001')).toEqual({
    response_action: 'errors',
    errors: { [IDS.transferReasonBlock]: expect.stringMatching(/^Say why it belongs there/) },
  });
  expect((await getRequest(db, id))!.rev).toBe(before);

  const typed = { [IDS.transferDeptBlock]: 'people-ops', [IDS.transferReasonBlock]: 'Payslips are theirs' };
  expect(await submit(typed, 'VTR00002')).toEqual({});
  expect(await submit(typed, 'VTR00002')).toEqual({}); // Slack sent the same submission twice
  const record = (await getRequestRecord(db, id))!;
  expect(record.request.provider).toBe('people-ops');
  expect(record.events.filter((e) => e.type === 'transfer')).toHaveLength(1);
});
