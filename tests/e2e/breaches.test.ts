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
  stateOf,
  viewSubmission,
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
  const res = await postSigned(
    url,
    interactivity(viewSubmission(view, stateOf(view as { blocks: unknown[] }, typed), user)),
  );
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
    const sent: string[] = [];
    clock.advance(7 * DAY);
    const scan = await runScan(
      { db, outbox: { send: async (item) => void sent.push(JSON.stringify(item)), idle: async () => {} } },
      clock.now(),
    );
    expect(scan.breaches).toBe(2);
    expect(sent).toEqual([JSON.stringify({ type: 'request.changed', id })]);
    fake.reset();
    await performWork({ db, slack: slack(), admins: [] }, { type: 'request.changed', id });
    const dm = (user: string) =>
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === user)
        .map((c) => JSON.stringify(c.args.blocks));
    expect(dm(IT_HEAD)).toHaveLength(2); // one per missed target
    expect(dm(FIN_HEAD)).toHaveLength(2);
    expect(dm(FIN_HEAD)[0]).toContain(IDS.waivePenalty);
    expect(dm(IT_HEAD)[0]).not.toContain(IDS.waivePenalty);
    expect(dm(FIN_MEMBER)).toHaveLength(0); // the requester is not told of penalties
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
      // Pressed in the head's breach DM about the response target: that DM is updated once waived.
      const breachDm = fake.posted.find(
        (m) => m.channel === FIN_HEAD && JSON.stringify(m.blocks ?? []).includes(`request_waive:${id}:response`),
      )!;
      expect(await click(IDS.waivePenalty, value, FIN_HEAD, breachDm)).toEqual([]);
      const modal = lastModal();
      expect(modal.callback_id).toBe(IDS.waiveModal);
      expect(await submit(modal, { [IDS.waiveReasonBlock]: '' }, FIN_HEAD)).toMatchObject({
        response_action: 'errors',
      });
      fake.reset();
      expect(await submit(modal, { [IDS.waiveReasonBlock]: 'We sent it to the wrong queue first' }, FIN_HEAD)).toEqual(
        {},
      );
      // The DM's Waive button gives way to who waived it (addressed to them), when and why.
      const updated = JSON.stringify(
        fake
          .callsTo('chat.update')
          .filter((c) => c.args.ts === breachDm.ts)
          .at(-1)?.args.blocks ?? [],
      );
      expect(updated).not.toContain(IDS.waivePenalty);
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
