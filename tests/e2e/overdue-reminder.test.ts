import { IDS } from '../../functions/slack/ids';
import { getRequestRecord } from '../../functions/store/requests';
import { fileThroughModal, keptScan } from '../support/app-steps';
import { importCompany } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_MEMBER = 'U0FINMEM1';
const CHANNEL = 'C0ITQUEUE';

const COMPANY = {
  departments: [
    {
      id: 'it',
      name: 'IT',
      heads: [IT_HEAD],
      members: [IT_MEMBER],
      channel: CHANNEL,
      calendar: {
        timezone: 'America/New_York',
        hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
      },
    },
    {
      id: 'finance',
      name: 'Finance',
      heads: ['U0FINHEAD'],
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
    },
  ],
};

let app: RunningSlackApp;
/** Tuesday 10 November 2026, 10:00 in New York. */
const clock = testClock('2026-11-10T10:00');
const _at = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importCompany(app.db, COMPANY, clock.now());
});
afterAll(() => app.stop());

/** `kept scan --now <iso>` as a person runs it, against the test's table and fake Slack. */
const scan = async (iso: string) => (await keptScan(app, iso)).join('\n');

const fileP2 = (title: string) =>
  fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P2', title });

/** Reminders Slack accepted: broadcast from the card's thread to the channel, or in a DM (not the quiet thread line). */
const remindersIn = (channel: string, id: string) =>
  app.fake
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === channel &&
        c.outcome === 'ok' &&
        (c.args.thread_ts === undefined || c.args.reply_broadcast === true) &&
        String(c.args.text).startsWith(`:alarm_clock: ${id}`),
    );

it('a missed target still open is brought up once each working day until it is met', async () => {
  let id = '';
  await step('a P2 filed on Tuesday at 10:00 misses its 4h response; the scan records it at 14:01', async () => {
    id = await fileP2('New starter has no laptop');
    expect(await scan('2026-11-10T19:01:00Z')).toContain('1 breach recorded');
    expect(remindersIn(CHANNEL, id)).toHaveLength(0);
  });

  await step('nothing more that day, however often the scan runs', async () => {
    await scan('2026-11-10T21:00:00Z');
    await scan('2026-11-11T13:59:00Z'); // Wednesday 08:59, before IT opens
    expect(remindersIn(CHANNEL, id)).toHaveLength(0);
  });

  await step("Wednesday 09:00: one reminder in IT's channel, broadcast from the card's thread", async () => {
    const outs = await Promise.all([
      scan('2026-11-11T14:00:00Z'),
      scan('2026-11-11T14:00:00Z'),
      scan('2026-11-11T14:00:00Z'),
    ]);
    expect(outs.filter((o) => o.includes('1 overdue reminder sent'))).toHaveLength(1);
    const lines = remindersIn(CHANNEL, id);
    expect(lines).toHaveLength(1);
    const line = lines[0]!.args;
    expect(line.reply_broadcast).toBe(true);
    expect(line.thread_ts).toBeDefined();
    const text = String(line.text);
    expect(text).toContain(
      `:alarm_clock: ${id} has had no response yet: its response target is 3h of working time over`,
    );
    expect(text).toContain(`<@${IT_MEMBER}>: nobody has taken it yet, and the requester is still waiting`);
    expect(text).not.toContain(`<@${FIN_MEMBER}>`); // the requester is not pinged in IT's channel
    await scan('2026-11-11T20:00:00Z');
    expect(remindersIn(CHANNEL, id)).toHaveLength(1);
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.events.filter((e) => e.type === 'remind')).toHaveLength(1);
  });

  await step(
    'Ada takes it on Wednesday afternoon; Thursday 09:00 the reminder is her DM, with Acknowledge',
    async () => {
      const res = await postSigned(
        app.url,
        interactivity(
          buttonClick({ action_id: IDS.requestAction.assignMe, value: id }, IT_MEMBER, app.fake.responseUrl('take')),
        ),
      );
      expect(res.status).toBe(200);
      await app.http.idle();
      expect((await getRequestRecord(app.db, id))!.request.assignee).toBe(IT_MEMBER);
      expect(await scan('2026-11-12T14:00:00Z')).toContain('1 overdue reminder sent');
      const dms = remindersIn(IT_MEMBER, id);
      expect(dms).toHaveLength(1);
      expect(String(dms[0]!.args.text)).toContain(`You are assigned, and <@${FIN_MEMBER}> is still waiting`);
      const blocks = JSON.stringify(dms[0]!.args.blocks);
      expect(blocks).toContain(IDS.requestAction.acknowledge);
      expect(blocks).toContain(IDS.requestAction.resolve);
      expect(remindersIn(CHANNEL, id)).toHaveLength(1); // the channel hears nothing more
    },
  );

  await step('she acknowledges it: the response is met, and no reminder comes on Friday', async () => {
    const res = await postSigned(
      app.url,
      interactivity(
        buttonClick({ action_id: IDS.requestAction.acknowledge, value: id }, IT_MEMBER, app.fake.responseUrl('ack')),
      ),
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    expect((await getRequestRecord(app.db, id))!.request.status).toBe('acknowledged');
  });

  await step('its 16h resolution is missed on Thursday; Friday 09:00 brings one reminder about it', async () => {
    // 16h of Mon-Fri 9-17 from Tuesday 10:00: due Thursday 10:00.
    expect(await scan('2026-11-12T15:01:00Z')).toContain('1 breach recorded');
    expect(await scan('2026-11-13T14:00:00Z')).toContain('1 overdue reminder sent');
    const dms = remindersIn(IT_MEMBER, id);
    expect(dms).toHaveLength(2);
    expect(String(dms[1]!.args.text)).toContain(
      `${id} is not resolved yet: its resolution target is 7h of working time over`,
    );
    // Next: Monday 09:00, not Saturday.
    expect(await scan('2026-11-14T14:00:00Z')).not.toContain('overdue reminder');
    expect(await scan('2026-11-16T14:00:00Z')).toContain('1 overdue reminder sent');
  });
});
