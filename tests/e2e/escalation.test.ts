import { IDS } from '../../functions/slack/ids';
import { getAgreementVersion } from '../../functions/store/agreements';
import { getRequestRecord } from '../../functions/store/requests';
import { fileThroughModal, keptScan } from '../support/app-steps';
import { importCompany } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';
const MINUTE = 60_000;

const COMPANY = {
  departments: [
    {
      id: 'it',
      name: 'IT',
      heads: [IT_HEAD],
      members: [IT_MEMBER],
      channel: 'C0ITQUEUE',
      calendar: { timezone: 'America/New_York' },
    },
    {
      id: 'finance',
      name: 'Finance',
      heads: [FIN_HEAD],
      members: [FIN_MEMBER],
      channel: 'C0FINQUEUE',
      calendar: { timezone: 'America/New_York' },
    },
  ],
  agreements: [
    {
      id: 'it-for-finance',
      provider: 'it',
      customer: 'finance',
      service: 'Laptops and accounts',
      targets: { P2: { response: '4h', resolution: '16h' } },
      penalty: { unit: 'points', per_breach: 50 },
      escalation: [{ unacknowledged_for: '1h', notify: 'provider_heads' }],
    },
  ],
};

let app: RunningSlackApp;
/** Tuesday 10 November 2026, 10:00 in New York: IT is at work (Mon-Fri 9-17). */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importCompany(app.db, COMPANY, clock.now());
});
afterAll(() => app.stop());

/** `kept scan --now <iso>` as a person runs it, against the test's table and fake Slack. */
const scan = (at: number) => keptScan(app, at);

const fileP2 = (title: string) =>
  fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P2', title });

/** Messages Slack accepted in `user`'s DM that name request `id`. */
const dmsAbout = (user: string, id: string) =>
  app.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && c.outcome === 'ok' && String(c.args.text).includes(id));

it("a request left unacknowledged for an hour reaches the provider's head once, however often the scan runs", async () => {
  const filedAt = clock.now().getTime();
  let id = '';
  await step('a P2 is filed at 10:00 and nobody acknowledges it', async () => {
    id = await fileP2('Expense tool rejects every receipt');
    const request = (await getRequestRecord(app.db, id))!.request;
    expect(request.ladder).toEqual([{ unacknowledgedFor: 60 * MINUTE, notify: 'provider_heads' }]);
    expect(dmsAbout(IT_HEAD, id)).toHaveLength(0);
  });

  await step('a scan at 10:50 sends nothing: the hour is not up', async () => {
    const out = await scan(filedAt + 50 * MINUTE);
    expect(out.join()).not.toContain('escalation');
    expect(dmsAbout(IT_HEAD, id)).toHaveLength(0);
  });

  await step("kept scan at 11:10: IT's head hears of it, with the time left and buttons to act", async () => {
    const out = await scan(filedAt + 70 * MINUTE);
    expect(out.join()).toContain('1 escalation step sent');
    const dms = dmsAbout(IT_HEAD, id);
    expect(dms).toHaveLength(1);
    const text = String(dms[0]!.args.text);
    expect(text).toContain(`${id} has waited 1h of working time without anyone acknowledging it`);
    expect(text).toContain('2h 50m of working time left for the response target'); // 4h less the 70 minutes used
    expect(text).toContain('Could you find someone in IT to take it now?');
    expect(text).toContain('10m later than the agreement sets'); // the scan came ten minutes late
    const actions = JSON.stringify(dms[0]!.args.blocks);
    expect(actions).toContain(IDS.requestAction.acknowledge);
    expect(actions).toContain(IDS.requestAction.assignMe);
    // Only the people the step names: the customer's head and the assignee-less channel hear nothing of it.
    expect(dmsAbout(FIN_HEAD, id).filter((c) => String(c.args.text).includes('acknowledging'))).toHaveLength(0);
  });

  await step('a scan ten minutes later, and two overlapping ones, send nothing more about it', async () => {
    await scan(filedAt + 80 * MINUTE);
    await Promise.all([scan(filedAt + 81 * MINUTE), scan(filedAt + 81 * MINUTE)]);
    expect(dmsAbout(IT_HEAD, id)).toHaveLength(1);
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.events.filter((e) => e.type === 'escalate')).toHaveLength(1);
    expect(record.request.escalated).toEqual({ '0': filedAt + 60 * MINUTE });
  });

  await step('three scans at once, the first to find a second request due, send its step once', async () => {
    clock.advance(2 * 60 * MINUTE); // 12:00
    const second = await fileP2('Cannot log in to the payroll portal');
    const at = clock.now().getTime() + 65 * MINUTE;
    const outs = await Promise.all([scan(at), scan(at), scan(at)]);
    expect(outs.flat().filter((l) => l.includes('1 escalation step sent'))).toHaveLength(1);
    expect(dmsAbout(IT_HEAD, second)).toHaveLength(1);
    const record = (await getRequestRecord(app.db, second))!;
    expect(record.events.filter((e) => e.type === 'escalate')).toHaveLength(1);
  });

  await step("the head presses the DM's Acknowledge: the request is acknowledged by them", async () => {
    const res = await postSigned(
      app.url,
      interactivity(
        buttonClick({ action_id: IDS.requestAction.acknowledge, value: id }, IT_HEAD, app.fake.responseUrl('ack')),
      ),
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    const request = (await getRequestRecord(app.db, id))!.request;
    expect(request.status).toBe('acknowledged');
    expect(request.assignee).toBe(IT_HEAD);
  });
});

it('the terms show the ladder, and a change proposed in Slack keeps it', async () => {
  const { url, http, fake, db } = app;
  await step('/sla agreements it lists the step in place of the at-risk line', async () => {
    const res = await postSigned(url, slashCommand({ text: 'agreements it', user_id: FIN_MEMBER }));
    const shown = JSON.stringify(res.json());
    expect(shown).toContain("*Escalation:* 1. unacknowledged for 1h: tell the provider's heads");
    expect(shown).not.toContain('*At risk:*');
  });

  await step("IT's head proposes a shorter P2 answer; the proposed version keeps the ladder", async () => {
    fake.reset();
    expect((await postSigned(url, slashCommand({ text: 'propose it-for-finance', user_id: IT_HEAD }))).status).toBe(
      200,
    );
    await http.idle();
    const view = fake.lastModal();
    const typed = { 'targets.P2.response': '3h' };
    const res = await postSigned(url, submitView(view, typed, IT_HEAD));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    await http.idle();
    const proposed = await getAgreementVersion(db, 'it-for-finance', 2);
    expect(proposed?.targets.P2?.response).toBe(3 * 60 * MINUTE);
    expect(proposed?.escalation).toEqual([{ unacknowledgedFor: 60 * MINUTE, notify: 'provider_heads' }]);
  });
});
