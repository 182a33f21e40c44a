/**
 * A missed target from Slack's side: filed through the modal, caught by the scan, announced to
 * both sides' heads; the customer's head waives from the DM (asked why); the provider resolves
 * and is asked for the cause. Signed requests into the real app; the scan and the worker are run
 * as the schedule and the queue would run them.
 */
import { LogLevel } from '@slack/web-api';
import { runScan } from '../../functions/jobs/scan';
import { performWork } from '../../functions/jobs/work';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { createSlackClient } from '../../functions/slack/web-client';
import type { Db } from '../../functions/store/client';
import { readLedger } from '../../functions/store/ledger';
import { getRequest, requestsOf } from '../../functions/store/requests';
import type { WorkItem } from '../../functions/work/item';
import { importExample } from '../support/company';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  buttonClick,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  postSigned,
  slashCommand,
  submitView,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const DAY = 86_400_000;

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Filed on Tuesday 10 November 2026 in IT's working hours; the scan a week later is still November. */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

async function submit(view: Record<string, unknown>, typed: Record<string, string | null>, user: string) {
  const res = await postSigned(url, submitView(view, typed, user));
  expect(res.status).toBe(200);
  await http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

let clicks = 0;
async function click(
  actionId: string,
  value: string,
  user: string,
  message?: { channel: string; ts: string; blocks?: unknown },
): Promise<string[]> {
  const responseUrl = fake.responseUrl(`b-${++clicks}`);
  const payload = message
    ? buttonClick({ action_id: actionId, value }, user, responseUrl, `D${message.channel.slice(1)}`, {
        message: { ts: message.ts, blocks: (message.blocks ?? []) as unknown[] },
      })
    : buttonClick({ action_id: actionId, value }, user, responseUrl);
  const res = await postSigned(url, interactivity(payload));
  expect(res.status).toBe(200);
  await http.idle();
  return fake.callsTo(`response/b-${clicks}`).map((c) => String(c.args.text));
}

const lastModal = () => fake.lastModal();
/** What Kept DMed `user` (its blocks), in order. */
const dm = (user: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => JSON.stringify(c.args.blocks));
/** A scan at the test clock's now, as the schedule runs it: what it hands to the worker. */
async function scanNow(): Promise<WorkItem[]> {
  const sent: WorkItem[] = [];
  await runScan({ db, outbox: { send: async (item) => void sent.push(item), idle: async () => {} } }, clock.now());
  return sent;
}
/** The worker, at the test clock's now. */
async function work(items: WorkItem[]) {
  for (const item of items) await performWork({ db, slack: slack(), admins: [], now: clock.now }, item);
}
/** Everything Kept posted or updated in IT's channel (the card and its thread), text and blocks. */
const inChannel = () =>
  [...fake.callsTo('chat.postMessage'), ...fake.callsTo('chat.update')]
    .filter((c) => c.args.channel === 'C0ITQUEUE')
    .map((c) => `${String(c.args.text)}\n${JSON.stringify(c.args.blocks ?? [])}`);
const slack = () =>
  createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test' }, { logLevel: LogLevel.ERROR });

it('a missed target, from the scan to the waiver, the cause and the App Home', async () => {
  let id = '';
  await step('files a P1 request and lets the scan find both targets missed a week later', async () => {
    const res = await postSigned(url, slashCommand({ text: 'new it', user_id: FIN_MEMBER }));
    expect(res.status).toBe(200);
    await http.idle();
    expect(
      await submit(
        lastModal(),
        {
          [IDS.requestPriorityBlock]: 'P1',
          [IDS.requestTitleBlock]: 'Payroll laptop dead',
          [IDS.requestDescriptionBlock]: '',
        },
        FIN_MEMBER,
      ),
    ).toEqual({});
    id = (await requestsOf(db, FIN_MEMBER))[0]!.id;
    await click(IDS.requestAction.assignMe, id, IT_MEMBER);
    clock.advance(7 * DAY);
    const sent = await scanNow();
    expect(sent.map((i) => i.type)).toEqual(['request.changed', 'breaches.found']);
    fake.reset();
    await work(sent);
    // Each head hears of the run's two misses in one DM; only the customer's head can waive.
    expect(dm(IT_HEAD)).toHaveLength(1);
    expect(dm(FIN_HEAD)).toHaveLength(1);
    for (const head of [IT_HEAD, FIN_HEAD]) {
      expect(dm(head)[0]).toContain('2 targets were missed');
      expect(dm(head)[0]).toMatch(new RegExp(`${id}\\*? response`));
      expect(dm(head)[0]).toMatch(new RegExp(`${id}\\*? resolution`));
    }
    expect(dm(FIN_HEAD)[0]!.split(IDS.waivePenalty)).toHaveLength(3); // a Waive button per miss
    expect(dm(IT_HEAD)[0]).not.toContain(IDS.waivePenalty);
    // The requester is told once per miss, sorry and who has it; never what it costs.
    expect(dm(FIN_MEMBER)).toHaveLength(2);
    for (const text of dm(FIN_MEMBER)) {
      expect(text).toMatch(/Sorry/);
      expect(text).toContain(`<@${IT_MEMBER}> has it now`);
      expect(text).toContain('as soon as it is resolved');
      expect(text).not.toMatch(/penalt|points/i);
    }
    // The assignee is told once per miss, how late, and what to do, with the buttons to do it.
    expect(dm(IT_MEMBER)).toHaveLength(2);
    for (const text of dm(IT_MEMBER)) {
      expect(text).toMatch(/of working time late/);
      expect(text).toContain(IDS.requestAction.resolve);
      expect(text).toContain(`Tell <@${FIN_MEMBER}> where it stands`);
    }
    // The channel sees the misses, on the card and in its thread, but never what they cost.
    const channel = inChannel();
    expect(channel.filter((t) => t.includes(`${id} missed its response target`))).toHaveLength(1);
    expect(channel.filter((t) => t.includes(`${id} missed its resolution target`))).toHaveLength(1);
    expect(channel.some((t) => t.includes('missed — was due'))).toBe(true); // the card
    for (const t of channel) expect(t).not.toMatch(/penalt|points/i);
  });

  await step(
    "the provider's head cannot waive; the customer's head is asked why, and the ledger gets a compensating entry",
    async () => {
      const value = JSON.stringify({ id, kind: 'response' });
      expect(await click(IDS.waivePenalty, value, IT_HEAD)).toEqual([]);
      const refusal = lastModal() as { blocks: Array<{ text: { text: string } }>; submit?: unknown };
      expect(refusal.blocks[0]!.text.text).toMatch(/^Only a head of Finance can waive the penalty of IT-\d+\.$/);
      expect(refusal.submit).toBeUndefined();
      // Pressed in the head's DM of the scan's breaches: that line is updated once waived.
      const breachDm = fake.posted.find(
        (m) => m.channel === FIN_HEAD && JSON.stringify(m.blocks ?? []).includes(IDS.waivePenalty),
      )!;
      expect(await click(IDS.waivePenalty, value, FIN_HEAD, breachDm)).toEqual([]);
      const modal = lastModal();
      expect(modal.callback_id).toBe(IDS.waiveModal);
      expect(await submit(modal, { [IDS.waiveReasonBlock]: '' }, FIN_HEAD)).toMatchObject({
        response_action: 'errors',
      });
      // (No fake.reset() here: the head's DM must still be there to be read back and updated.)
      expect(await submit(modal, { [IDS.waiveReasonBlock]: 'We sent it to the wrong queue first' }, FIN_HEAD)).toEqual(
        {},
      );
      // The line's Waive button gives way to who waived it (addressed to them), when and why; the
      // other missed target's line keeps its button.
      const updated = JSON.stringify(
        fake
          .callsTo('chat.update')
          .filter((c) => c.args.ts === breachDm.ts)
          .at(-1)?.args.blocks ?? [],
      );
      expect(updated).not.toContain(JSON.stringify(JSON.stringify({ id, kind: 'response' })).slice(1, -1));
      expect(updated).toContain(JSON.stringify(JSON.stringify({ id, kind: 'resolution', cycle: 1 })).slice(1, -1));
      expect(updated).toContain(`You waived it — <!date^${Math.floor(clock.now().getTime() / 1000)}^`);
      expect(updated).toContain('We sent it to the wrong queue first');
      expect(updated).not.toContain(`<@${FIN_HEAD}>`);
      // The waiver is told in the card's thread and on the card, without the amount given back.
      const channel = inChannel();
      expect(channel.some((t) => t.includes(`waived the response penalty of ${id}`))).toBe(true);
      expect(channel.some((t) => t.includes('penalty waived by'))).toBe(true);
      for (const t of channel) expect(t).not.toMatch(/points|penalty \d/);
      const request = (await getRequest(db, id))!;
      expect(request.breaches?.response?.waived).toMatchObject({
        by: FIN_HEAD,
        reason: 'We sent it to the wrong queue first',
      });
      const ledger = await readLedger(db, 'it-for-finance', request.breaches!.response!.month);
      expect(ledger.filter((e) => e.request === id).map((e) => [e.type, e.kind, e.amount])).toEqual(
        expect.arrayContaining([
          ['penalty', 'response', 50],
          ['waiver', 'response', -50],
        ]),
      );
      const byCommand = await postSigned(url, slashCommand({ text: `waive ${id} resolution`, user_id: FIN_HEAD }));
      expect((byCommand.json() as { text: string }).text).toMatch(/Say why it is waived/);
    },
  );

  await step('resolving asks for the cause of the miss on the form, and keeps it', async () => {
    fake.reset();
    await click(IDS.requestAction.resolve, id, IT_MEMBER);
    const modal = lastModal();
    expect(JSON.stringify(modal)).toContain(IDS.resolveCauseBlock);
    const missing = await submit(
      modal,
      { [IDS.resolveNoteBlock]: 'Replaced the disk', [IDS.resolveCauseBlock]: null },
      IT_MEMBER,
    );
    expect(missing.response_action).toBe('errors');
    expect(Object.keys(missing.errors ?? {})).toEqual([IDS.resolveCauseBlock]);
    expect(
      await submit(
        modal,
        {
          [IDS.resolveNoteBlock]: 'Replaced the disk',
          [IDS.resolveCauseBlock]: 'dependency',
          [IDS.resolveCauseTextBlock]: 'Waited two days for the vendor',
        },
        IT_MEMBER,
      ),
    ).toEqual({});
    expect((await getRequest(db, id))!).toMatchObject({
      status: 'resolved',
      cause: { category: 'dependency', text: 'Waited two days for the vendor' },
    });
  });

  await step(
    'the App Home shows each head this month at a glance for the departments they head; a member sees no penalties there',
    async () => {
      fake.reset();
      for (const user of [IT_HEAD, FIN_HEAD, IT_MEMBER])
        await postSigned(url, eventEnvelope(appHomeOpened(user)), { contentType: JSON_TYPE });
      await http.idle();
      const homeOf = (user: string) =>
        JSON.stringify(fake.callsTo('views.publish').find((c) => c.args.user_id === user)?.args.view);
      // One request this month, both targets missed; the response penalty waived, 50 points still owed.
      expect(homeOf(IT_HEAD)).toMatch(
        /Your departments this month\*\\n\*IT\* · November 2026: \*0\.0%\* kept \(0 met, 1 missed\) · 0 open · 50 points owed/,
      );
      expect(homeOf(FIN_HEAD)).toMatch(
        /Your departments this month\*\\n\*Finance\* · November 2026: nothing filed yet\./,
      );
      expect(homeOf(IT_MEMBER)).toContain('Queue — IT');
      expect(homeOf(IT_MEMBER)).not.toContain('Your departments this month');
    },
  );
});

it('a missed answer: the requester hears sorry, who has it and when they will hear next, once; resolving late says sorry again', async () => {
  clock.set('2026-11-18T10:00'); // a Wednesday, in IT's working hours
  let id = '';
  // P1: answer within 30 minutes, solve within 4 hours of working time (14:00 in New York).
  await step('files a P1 request that IT takes but does not answer within 30 minutes', async () => {
    await postSigned(url, slashCommand({ text: 'new it', user_id: FIN_MEMBER }));
    await http.idle();
    await submit(
      lastModal(),
      {
        [IDS.requestPriorityBlock]: 'P1',
        [IDS.requestTitleBlock]: 'VPN refuses my token',
        [IDS.requestDescriptionBlock]: '',
      },
      FIN_MEMBER,
    );
    const request = (await requestsOf(db, FIN_MEMBER)).find((r) => r.title === 'VPN refuses my token')!;
    id = request.id;
    await click(IDS.requestAction.assignMe, id, IT_MEMBER);
    clock.advance(40 * 60_000);
    fake.reset();
    await work(await scanNow());
  });

  await step('the requester and the assignee each get one DM about the miss', async () => {
    const toRequester = dm(FIN_MEMBER);
    expect(toRequester).toHaveLength(1);
    expect(toRequester[0]).toContain(`Sorry: IT promised to get back to you on ${id} sooner than this`);
    expect(toRequester[0]).toContain(`<@${IT_MEMBER}> has it now`);
    expect(toRequester[0]).toContain(`You will hear from IT by <!date^${Date.parse('2026-11-18T19:00:00Z') / 1000}^`);
    const toAssignee = dm(IT_MEMBER);
    expect(toAssignee).toHaveLength(1);
    expect(toAssignee[0]).toMatch(
      new RegExp(`${id}, assigned to you, missed its response target: 10m of working time late`),
    );
    expect(toAssignee[0]).toContain(IDS.requestAction.resolve);
    expect(toAssignee[0]).toContain(IDS.requestAction.pause);
    expect(dm(IT_HEAD)).toHaveLength(1);
    expect(dm(FIN_HEAD)).toHaveLength(1);
  });

  await step('scans run again, within the grace and after it, and nobody hears of it twice', async () => {
    const before = fake.callsTo('chat.postMessage').length;
    await work(await scanNow());
    clock.advance(5 * 60_000);
    await work(await scanNow());
    clock.advance(10 * 60_000);
    await work(await scanNow());
    expect(fake.callsTo('chat.postMessage').length).toBe(before);
  });

  await step("resolving it says sorry for the wait in the requester's resolved DM", async () => {
    fake.reset();
    await click(IDS.requestAction.resolve, id, IT_MEMBER);
    await submit(
      lastModal(),
      {
        [IDS.resolveNoteBlock]: 'New token issued',
        [IDS.resolveCauseBlock]: 'staffing',
        [IDS.resolveCauseTextBlock]: 'Two of us were out',
      },
      IT_MEMBER,
    );
    const resolved = dm(FIN_MEMBER).filter((t) => t.includes('resolved'));
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toContain('Sorry it took longer than IT promised');
  });
});
