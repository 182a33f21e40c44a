import type { Report } from '../../functions/domain/report';
import { IDS } from '../../functions/slack/ids';
import { readLedger } from '../../functions/store/ledger';
import { getRequestRecord } from '../../functions/store/requests';
import { fileThroughModal, keptCli, keptScan } from '../support/app-steps';
import { importCompany } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';
const HOUR = 3_600_000;
const MINUTE = 60_000;

// No hours in the calendars: every hour is working time, so the 16h resolution target is 16 hours.
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
    },
  ],
};

let app: RunningSlackApp;
/** Tuesday 10 November 2026, 10:00 in New York. */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importCompany(app.db, COMPANY, clock.now());
});
afterAll(() => app.stop());

/** `kept scan --now <instant>` as a person runs it, against the test's table and fake Slack. */
const scan = async (at: number) => (await keptScan(app, at)).join('\n');

/** `kept report --dept it --format json` for November 2026. */
const reportJson = async (): Promise<Report> =>
  JSON.parse(
    (
      await keptCli(app, ['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'])
    ).join('\n'),
  ) as Report;

/** `/sla <text>` by `user`: the answer's text and blocks as one string. */
async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  const body = res.json() as { text: string; blocks?: unknown };
  return `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
}

const fileP2 = (title: string) =>
  fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P2', title });

it('a request late in two cycles has two breaches, each recorded and charged once, and counts once as breached', async () => {
  const filedAt = clock.now().getTime();
  let id = '';
  let month = '';
  await step('a P2 is filed at 10:00 Tuesday and acknowledged at once', async () => {
    id = await fileP2('Laptop will not boot');
    expect(await sla(`ack ${id}`, IT_MEMBER)).toContain(`Acknowledged ${id}`);
  });

  await step('scans after the 16h resolution target record its miss once, however often they run', async () => {
    const late = filedAt + 17 * HOUR;
    expect(await scan(late)).toContain('1 breach');
    await Promise.all([scan(late + MINUTE), scan(late + MINUTE), scan(late + 2 * MINUTE)]);
    const { request, events } = (await getRequestRecord(app.db, id))!;
    expect(events.filter((e) => e.type === 'breach')).toHaveLength(1);
    expect(request.breaches?.resolution?.dueAt).toBe(filedAt + 16 * HOUR);
    month = request.breaches!.resolution!.month;
  });

  const reopenAt = filedAt + 20 * HOUR;
  await step(
    'resolved late with a cause, then reopened by the requester: a new cycle with the whole target',
    async () => {
      clock.advance(18 * HOUR);
      expect(await sla(`resolve ${id} reinstalled the OS cause:staffing`, IT_MEMBER)).toContain(`Resolved ${id}`);
      clock.advance(2 * HOUR);
      expect(await sla(`reopen ${id} it still will not boot`, FIN_MEMBER)).toContain(
        `Reopened ${id}; a new cycle starts: its whole resolution target runs afresh from now.`,
      );
      const { request } = (await getRequestRecord(app.db, id))!;
      expect(request.cycles).toHaveLength(1);
      expect(request.breaches).toBeUndefined();
      expect(request.clocks.resolution.dueAt).toBe(reopenAt + 16 * HOUR);
    },
  );

  await step(
    'within the new 16h a scan warns of the new cycle; scans after it record the second miss once',
    async () => {
      expect(await scan(reopenAt + 15 * HOUR)).toContain('0 breaches recorded, 1 at-risk warning sent');
      const late = reopenAt + 17 * HOUR;
      await Promise.all([scan(late), scan(late), scan(late + MINUTE)]);
      await scan(late + 5 * MINUTE);
      const { request, events } = (await getRequestRecord(app.db, id))!;
      expect(events.filter((e) => e.type === 'breach').map((e) => e.cycle ?? 1)).toEqual([1, 2]);
      expect(request.cycles?.[0]?.breach?.dueAt).toBe(filedAt + 16 * HOUR);
      expect(request.breaches?.resolution?.dueAt).toBe(reopenAt + 16 * HOUR);
    },
  );

  await step('the ledger has two charges, each its own entry, the second saying its cycle', async () => {
    const penalties = (await readLedger(app.db, 'it-for-finance', month)).filter((e) => e.type === 'penalty');
    expect(penalties.map((e) => [e.request, e.kind, e.n, e.cycle])).toEqual([
      [id, 'resolution', 1, undefined],
      [id, 'resolution', 2, 2],
    ]);
  });

  await step('/sla show says which cycle it is in and keeps the first cycle’s miss', async () => {
    const shown = await sla(`show ${id}`, FIN_MEMBER);
    expect(shown).toContain('*Cycle 2* since the reopen');
    expect(shown).toContain('cycle 1: resolution missed — was due');
    expect(shown).toContain('missed its resolution target (cycle 2)');
  });

  await step('kept report: 1 request ever breached, 1 breached this cycle, 2 breaches', async () => {
    const report = await reportJson();
    expect(report).toMatchObject({
      requests: 1,
      breached: 1,
      breachedThisCycle: 1,
      breaches: 2,
      breachesByTarget: { response: 0, resolution: 2 },
      penalties: { points: { charged: 100, waived: 0, owed: 100 } },
    });
  });

  await step(
    "the first cycle's breach DM, pressed after the second miss, waives the first cycle's penalty",
    async () => {
      const sent = app.fake.posted.filter(
        (m) => m.channel === FIN_HEAD && JSON.stringify(m.blocks ?? []).includes(IDS.waivePenalty),
      );
      const buttonValue = (cycle: number) => JSON.stringify({ id, kind: 'resolution', cycle });
      const about = (cycle: number) =>
        sent.filter((m) => JSON.stringify(m.blocks).includes(JSON.stringify(buttonValue(cycle)).slice(1, -1)));
      // Each miss's DM carries its own cycle on its Waive button.
      expect(about(1).length).toBeGreaterThan(0);
      expect(about(2).length).toBeGreaterThan(0);
      const first = about(1)[0]!;
      const value = buttonValue(1);
      const res = await postSigned(
        app.url,
        interactivity(
          buttonClick(
            { action_id: IDS.waivePenalty, value },
            FIN_HEAD,
            app.fake.responseUrl('waive-1'),
            `D${FIN_HEAD.slice(1)}`,
            {
              message: { ts: first.ts, blocks: (first.blocks ?? []) as unknown[] },
            },
          ),
        ),
      );
      expect(res.status).toBe(200);
      await app.http.idle();
      const modal = app.fake.lastModal();
      expect(modal.callback_id).toBe(IDS.waiveModal);
      const typed = { [IDS.waiveReasonBlock]: 'Agreed at the review' };
      const submitted = await postSigned(app.url, submitView(modal, typed, FIN_HEAD));
      expect(submitted.status).toBe(200);
      await app.http.idle();
      const { request } = (await getRequestRecord(app.db, id))!;
      expect(request.cycles?.[0]?.breach?.waived).toMatchObject({ by: FIN_HEAD, reason: 'Agreed at the review' });
      expect(request.breaches?.resolution?.waived).toBeUndefined();
      expect(await sla(`waive ${id} resolution cycle 1 again`, FIN_HEAD)).toContain(
        `The resolution (cycle 1) penalty of ${id} was already waived.`,
      );
      const report = await reportJson();
      expect(report.penalties.points).toEqual({ charged: 100, waived: 50, owed: 50 });
      expect(report.breaches).toBe(2);
    },
  );

  await step("the current cycle's penalty is waived by command, without naming a cycle", async () => {
    expect(await sla(`waive ${id} resolution the reopen was our fault`, FIN_HEAD)).toContain('Waived');
    const { request } = (await getRequestRecord(app.db, id))!;
    expect(request.breaches?.resolution?.waived).toMatchObject({ reason: 'the reopen was our fault' });
    expect((await reportJson()).penalties.points).toEqual({ charged: 100, waived: 100, owed: 0 });
  });
});
