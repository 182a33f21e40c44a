/**
 * Changing a request's priority from Slack: `/sla priority ID P1 reason` by the provider, asked
 * for by the requester, refused with one clear line for bad input (writing nothing), done once
 * when Slack sends the command twice; `/sla show` then names the new priority beside the
 * original, and the next scan charges a target the new priority had already missed at its true
 * instant. Signed requests into the real app; the scan and the worker run as the schedule and the
 * queue would run them.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import { fileFromSlack } from '../../functions/services/requests';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { importExample } from '../support/company';
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
/** Tuesday 10 November 2026, 10:00 in IT's working hours. */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
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

async function submit(
  view: Record<string, unknown>,
  typed: Record<string, string | null>,
  user: string,
  viewId?: string,
) {
  const res = await postSigned(url, submitView(view, typed, user, viewId));
  expect(res.status).toBe(200);
  await http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

it('changes the priority, keeps the originals, and charges a target the new priority already missed', async () => {
  const filed = await fileFromSlack(db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: 'Payroll laptop slow',
    description: '',
    delivery: 'view:priority-1',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  const id = filed.request.id;
  await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });

  await step('bad input gets one clear line and writes nothing', async () => {
    clock.advance(5 * MINUTE);
    const cases: [string, RegExp][] = [
      [`priority ${id} P9 it is urgent`, /^"P9" is not a priority; use P1, P2, P3 or P4/],
      [`priority ${id}`, /^Which priority\?/],
      [`priority ${id} P1`, /^Say why it should be P1/],
      [`priority ${id} P1    `, /^Say why it should be P1/],
      ['priority IT-999 P1 it is urgent', /^There is no request IT-999 that you can see\./],
      ['priority P1 it is urgent', /^Which request\?/],
      [`priority ${id} P2 same again`, new RegExp(`^${id} is already P2\\.`)],
      [`priority ${id} P3 not urgent`, /^The agreement of IT-\d+ has no P3 target; pick one of P1, P2\./],
    ];
    for (const [text, expected] of cases) expect(firstLine(await sla(text, IT_MEMBER))).toMatch(expected);
    expect(firstLine(await sla(`priority ${id} P1 please`, 'U0STRANGER'))).toMatch(
      new RegExp(`^There is no request ${id} that you can see`),
    );
    expect((await getRequest(db, id))!.rev).toBe(1);
  });

  await step('the requester asks; the provider reads it in the card thread; nothing else changes', async () => {
    fake.reset();
    expect(firstLine(await sla(`priority ${id} P1 payroll runs tonight`, FIN_MEMBER))).toBe(
      `Asked IT to make ${id} P1; they decide, and you will see it on the card.`,
    );
    const asked = (await getRequest(db, id))!;
    expect([asked.priority, asked.original]).toEqual(['P2', undefined]);
    await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
    const thread = fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts !== undefined);
    expect(thread.map((c) => String(c.args.text))).toEqual([
      expect.stringMatching(new RegExp(`asks for ${id} to be P1 instead of P2.*payroll runs tonight`)),
    ]);
  });

  await step(
    'the provider changes it, once however often Slack sends it; /sla show has P1 and the original',
    async () => {
      // 40 minutes after filing: P1's 30-minute answer is already late.
      clock.advance(30 * MINUTE);
      const trigger = 'priority-trigger-1';
      fake.reset();
      expect(firstLine(await sla(`priority ${id} P1 payroll runs tonight`, IT_MEMBER, trigger))).toMatch(
        new RegExp(`^${id} has its new priority`),
      );
      expect(firstLine(await sla(`priority ${id} P1 payroll runs tonight`, IT_MEMBER, trigger))).toBe(
        'Already done: Slack sent that twice.',
      );
      const record = (await getRequestRecord(db, id))!;
      expect(record.request.priority).toBe('P1');
      expect(record.events.filter((e) => e.type === 'priority' && !e.asked)).toHaveLength(1);
      const shown = await sla(`show ${id}`, FIN_MEMBER);
      expect(shown).toContain('P1');
      expect(shown).toContain('original');
      expect(shown).toContain('~P2~');

      // The card, its thread and the requester's DM, announced once however often the worker runs.
      await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
      const toRequester = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === FIN_MEMBER);
      expect(toRequester.map((c) => String(c.args.text))).toEqual([
        expect.stringContaining(`changed the priority of ${id}`),
      ]);
      const card = fake.callsTo('chat.update').at(-1)!;
      expect(JSON.stringify(card.args.blocks)).toContain('original');
    },
  );

  await step('the next scan charges the answer P1 wanted within 30 minutes, at that instant', async () => {
    const scan = await runScan({ db, outbox: { send: async () => {}, idle: async () => {} } }, clock.now());
    expect(scan.breaches).toBe(1);
    const request = (await getRequest(db, id))!;
    expect(request.breaches?.response?.dueAt).toBe(filed.request.createdAt + 30 * MINUTE);
    expect(request.breaches?.resolution).toBeUndefined();
  });

  await step("the card's Change priority button opens a form; it asks why, then changes it once", async () => {
    const res = await postSigned(
      url,
      interactivity(
        buttonClick({ action_id: IDS.requestAction.priority, value: id }, IT_MEMBER, fake.responseUrl('p-1')),
      ),
    );
    expect(res.status).toBe(200);
    await http.idle();
    const modal = fake.lastModal();
    expect(modal.callback_id).toBe(IDS.priorityModal);
    // Only the agreement's other priority is offered.
    expect(JSON.stringify(modal.blocks)).toContain('"value":"P2"');
    expect(JSON.stringify(modal.blocks)).not.toContain('"value":"P1"');
    expect(await submit(modal, { [IDS.priorityBlock]: 'P2', [IDS.priorityReasonBlock]: '' }, IT_MEMBER)).toMatchObject({
      response_action: 'errors',
    });
    expect((await getRequest(db, id))!.priority).toBe('P1');
    expect(
      await submit(
        modal,
        { [IDS.priorityBlock]: 'P2', [IDS.priorityReasonBlock]: 'Payroll moved to Friday' },
        IT_MEMBER,
        'V0PRIORITY1',
      ),
    ).toEqual({});
    expect(
      await submit(
        modal,
        { [IDS.priorityBlock]: 'P2', [IDS.priorityReasonBlock]: 'Payroll moved to Friday' },
        IT_MEMBER,
        'V0PRIORITY1',
      ),
    ).toEqual({});
    const request = (await getRequest(db, id))!;
    expect(request.priority).toBe('P2');
    // The first originals stay; the breach P1 caused stays recorded and charged.
    expect(request.original?.priority).toBe('P2');
    expect(request.breaches?.response?.dueAt).toBe(filed.request.createdAt + 30 * MINUTE);
  });
});
