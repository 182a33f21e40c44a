import { IDS } from '../../functions/slack/ids';
import { getAgreementVersion } from '../../functions/store/agreements';
import { getRequestRecord } from '../../functions/store/requests';
import { fileThroughModal, keptCli } from '../support/app-steps';
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
const HOUR = 60 * MINUTE;
const HOURS = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };

const COMPANY = {
  departments: [
    {
      id: 'it',
      name: 'IT',
      heads: [IT_HEAD],
      members: [IT_MEMBER],
      channel: 'C0ITQUEUE',
      calendar: { timezone: 'America/New_York', hours: HOURS },
    },
    {
      id: 'finance',
      name: 'Finance',
      heads: [FIN_HEAD],
      members: [FIN_MEMBER],
      channel: 'C0FINQUEUE',
      calendar: { timezone: 'America/New_York', hours: HOURS },
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
      waiting: { remind_after: '4h', resume_after: '8h' },
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
const scan = (at: number) => cli(['scan', '--now', new Date(at).toISOString()]);

/** `kept <args>` as a person runs it, against the test's table and fake Slack: what it prints. */
const cli = (args: string[]) => keptCli(app, args);

const fileP2 = (title: string) =>
  fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P2', title });

/** Messages Slack accepted in `user`'s DM that name request `id`. */
const dmsAbout = (user: string, id: string) =>
  app.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user && c.outcome === 'ok' && String(c.args.text).includes(id));

/** `/sla <text>` by `user`: the reply Slack shows them, as text. */
async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  return JSON.stringify(res.json());
}

/** The requester's DMs about `id` that remind them of a question. */
const reminders = (id: string) => dmsAbout(FIN_MEMBER, id).filter((c) => String(c.args.text).includes('reminder'));

it('the requester is reminded once, then the clock resumes at its true instant', async () => {
  const filedAt = clock.now().getTime(); // Tuesday 10:00
  let id = '';
  await step('a P2 is filed at 10:00; IT asks a question at once', async () => {
    id = await fileP2('New laptop for the new analyst');
    const request = (await getRequestRecord(app.db, id))!.request;
    expect(request.waitRules).toEqual({ remindAfter: 4 * HOUR, resumeAfter: 8 * HOUR });
    await sla(`pause ${id} Which cost centre should it go on?`, IT_MEMBER);
    expect((await getRequestRecord(app.db, id))!.request.status).toBe('waiting_on_requester');
  });

  await step('a scan at 13:50 sends nothing: four hours have not passed', async () => {
    const out = await scan(filedAt + 3 * HOUR + 50 * MINUTE);
    expect(out.join()).not.toContain('waiting rule');
    expect(reminders(id)).toHaveLength(0);
  });

  await step('a scan at 14:10 reminds the requester, naming the question, with the Answer button', async () => {
    const out = await scan(filedAt + 4 * HOUR + 10 * MINUTE);
    expect(out.join()).toContain('1 waiting rule applied to unanswered requests');
    const sent = reminders(id);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.args.text)).toContain('IT is still waiting on your answer');
    expect(String(sent[0]!.args.text)).toContain('Which cost centre should it go on?');
    expect(JSON.stringify(sent[0]!.args.blocks)).toContain(IDS.requestAction.answer);
  });

  await step('a scan ten minutes later, and three overlapping ones, remind nobody again', async () => {
    await scan(filedAt + 4 * HOUR + 20 * MINUTE);
    await Promise.all([1, 2, 3].map(() => scan(filedAt + 4 * HOUR + 30 * MINUTE)));
    expect(reminders(id)).toHaveLength(1);
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.events.filter((e) => e.type === 'unanswered')).toHaveLength(1);
    expect(record.request.status).toBe('waiting_on_requester');
  });

  // Eight working hours from Tuesday 10:00: seven on Tuesday, one on Wednesday morning.
  const resumeAt = filedAt + 24 * HOUR;
  await step('a scan on Wednesday afternoon resumes the clock as of Wednesday 10:00, once', async () => {
    await Promise.all([scan(resumeAt + 5 * HOUR), scan(resumeAt + 5 * HOUR)]);
    const record = (await getRequestRecord(app.db, id))!;
    const { request } = record;
    expect(request.status).toBe('acknowledged');
    expect(request.clocks.resolution.state).toBe('running');
    expect(request.clocks.resolution.runningSince).toBe(resumeAt);
    expect(request.waited).toEqual({ ms: 8 * HOUR, pauses: 1 });
    const resumed = record.events.filter((e) => e.type === 'unanswered' && e.rule === 'resume');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.at).toBe(resumeAt);
    const told = dmsAbout(FIN_MEMBER, id).filter((c) => String(c.args.text).includes('without your answer'));
    expect(told).toHaveLength(1);
    const thread = app.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0ITQUEUE' && String(c.args.text).includes('because nobody answered'));
    expect(thread).toHaveLength(1);
  });

  await step('/sla show tells both sides how long it waited', async () => {
    expect(await sla(`show ${id}`, FIN_MEMBER)).toContain('*Waited on you:* 8h of working time over 1 pause');
    expect(await sla(`show ${id}`, IT_MEMBER)).toContain('*Waited on the requester:* 8h of working time over 1 pause');
  });

  await step('while a second pause runs, /sla show counts it so far', async () => {
    clock.set('2026-11-12T10:00'); // Thursday
    await sla(`pause ${id} And which building?`, IT_MEMBER);
    clock.set('2026-11-12T11:30');
    expect(await sla(`show ${id}`, FIN_MEMBER)).toContain('*Waited on you:* 9h 30m of working time over 2 pauses');
  });

  await step("kept report shows IT's time paused: the request, its pauses and the wait that ended", async () => {
    const out = await cli(['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json']);
    expect(JSON.parse(out.join('\n')).waiting).toEqual({
      paused: 1,
      sharePct: 100,
      pauses: 2,
      waitedMs: 8 * HOUR,
      averageMs: 8 * HOUR,
      // Its median and p90 wait for the request once it waits no longer.
      medianMs: null,
      p90Ms: null,
      timed: 0,
    });
    const table = await cli(['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30']);
    expect(table.join('\n')).toContain(
      '1 of 1 requests (100%) waited on their requester, 2 pauses, 8h of working time in all, 8h per paused request',
    );
  });
});

it('the terms show the waiting rules, and a change proposed in Slack keeps them', async () => {
  const { url, http, fake, db } = app;
  await step('/sla agreements it lists the rules', async () => {
    const shown = await sla('agreements it', FIN_MEMBER);
    expect(shown).toContain(
      '*Waiting on the requester:* remind the requester after 4h; resume the clock after 8h without an answer',
    );
  });

  await step("IT's head proposes a shorter P2 answer; the proposed version keeps the rules", async () => {
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
    expect(proposed?.waiting).toEqual({ remindAfter: 4 * HOUR, resumeAfter: 8 * HOUR });
  });
});

it('waiting on a third party keeps the clock running, asks the requester nothing, and only IT resumes it', async () => {
  clock.set('2026-11-16T10:00'); // Monday
  const from = clock.now().getTime();
  const id = await fileP2('Docking station for the meeting room');
  const byCommand = await fileP2('Second screen for the meeting room');

  await step(
    "the card's pause form offers a third party; choosing it leaves the resolution clock running",
    async () => {
      app.fake.reset();
      const press = await postSigned(
        app.url,
        interactivity(
          buttonClick({ action_id: IDS.requestAction.pause, value: id }, IT_MEMBER, app.fake.responseUrl('pause')),
        ),
      );
      expect(press.status).toBe(200);
      await app.http.idle();
      const form = app.fake.lastModal();
      expect(JSON.stringify(form)).toContain('A third party');
      const typed = {
        [IDS.pauseWhoBlock]: 'third_party',
        [IDS.pauseQuestionBlock]: 'The vendor ships the dock Thursday.',
      };
      const res = await postSigned(app.url, submitView(form, typed, IT_MEMBER));
      expect(res.status).toBe(200);
      await app.http.idle();
      const request = (await getRequestRecord(app.db, id))!.request;
      expect(request.status).toBe('waiting_on_third_party');
      expect(request.clocks.resolution.state).toBe('running');
      expect(request.clocks.response.state).toBe('met');
      const told = dmsAbout(FIN_MEMBER, id).filter((c) => String(c.args.text).includes('waiting on a third party'));
      expect(told).toHaveLength(1);
      expect(JSON.stringify(told[0]!.args.blocks)).not.toContain(IDS.requestAction.answer);
    },
  );

  await step('/sla pause --third-party does the same, and says the clock keeps running', async () => {
    const said = await sla(`pause ${byCommand} --third-party Waiting on the screen supplier`, IT_MEMBER);
    expect(said).toContain('its resolution clock keeps running, as its agreement sets');
    const record = (await getRequestRecord(app.db, byCommand))!;
    expect(record.request.status).toBe('waiting_on_third_party');
    expect(record.events.at(-1)).toMatchObject({ type: 'pause', note: 'Waiting on the screen supplier' });
  });

  await step('the requester cannot end a third party wait; no waiting rule reminds them of it', async () => {
    const said = await sla(`resume ${id}`, FIN_MEMBER);
    expect(said).toContain(`${id} is waiting on a third party; IT resumes it when they hear back`);
    await scan(from + 24 * HOUR); // well past remind_after and resume_after
    expect(reminders(id)).toHaveLength(0);
    const request = (await getRequestRecord(app.db, id))!.request;
    expect(request.status).toBe('waiting_on_third_party');
    expect(request.waited).toBeUndefined();
  });

  await step('IT resumes it when the vendor delivers', async () => {
    clock.set('2026-11-17T10:00');
    await sla(`resume ${id} The dock arrived`, IT_MEMBER);
    expect((await getRequestRecord(app.db, id))!.request.status).toBe('acknowledged');
  });
});
