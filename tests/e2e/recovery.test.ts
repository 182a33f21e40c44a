/**
 * Service recovery from Slack's side: a miss found by `kept scan` reaches the provider's head with
 * an Apologise button; its form carries Kept's draft, which the head edits and sends; the requester
 * reads it in their DM; after the resolve they confirm, once, that it was put right, and the
 * agreement's recovery credit goes into the ledger once (double and concurrent clicks included),
 * equal in the ledger, the report counters and the statement.
 */
import { buildStatement } from '../../functions/domain/statement';
import { sumCounters } from '../../functions/domain/stats';
import { IDS } from '../../functions/slack/ids';
import { readLedger } from '../../functions/store/ledger';
import { getRequest } from '../../functions/store/requests';
import { readDays } from '../../functions/store/stats';
import { fileThroughModal, keptScan } from '../support/app-steps';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const { opsHead, opsMember, salesMember, salesHead } = OPS_FOR_SALES;
const MINUTE = 60_000;

let app: RunningSlackApp;
const clock = testClock('2026-11-24T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  const company = opsForSales();
  const agreement = company.agreements[0] as Record<string, unknown>;
  agreement.recovery_credit = { share: 0.5, within: '4h' };
  await importCompany(app.db, company, clock.now());
});
afterAll(() => app.stop());

let clicks = 0;
async function click(actionId: string, value: string, user: string, message?: { channel: string; ts: string }) {
  const key = `r-${++clicks}`;
  const responseUrl = app.fake.responseUrl(key);
  const payload = buttonClick(
    { action_id: actionId, value },
    user,
    responseUrl,
    message?.channel ?? `D${user}`,
    message ? { message: { ts: message.ts } } : {},
  );
  const res = await postSigned(app.url, interactivity(payload));
  expect(res.status).toBe(200);
  return key;
}
const said = (key: string) => app.fake.callsTo(`response/${key}`).map((c) => String(c.args.text));

async function submit(view: Record<string, unknown>, typed: Record<string, string | null>, user: string) {
  const res = await postSigned(app.url, submitView(view, typed, user));
  expect(res.status).toBe(200);
  await app.http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string>; view?: unknown }) : {};
}

/** Kept's messages to `user` (text and blocks), in order. */
const dms = (user: string) =>
  app.fake.posted
    .filter((m) => m.channel === user || m.channel === `D${user.slice(1)}`)
    .map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`);

it('from a miss to an apology, a confirmed recovery and its credit, once', async () => {
  let id = '';
  await step('a miss found by the scan reaches the provider head with an Apologise button', async () => {
    id = await fileThroughModal(app, {
      user: salesMember,
      dept: 'ops',
      agreement: 'ops-for-sales',
      priority: 'P1',
      title: 'Demo for ACME is down',
    });
    clock.advance(45 * MINUTE); // the 30m response target is 15 minutes past
    await keptScan(app, clock.now().getTime());
    await app.http.idle();
    const head = dms(opsHead).filter((t) => t.includes(id));
    expect(head.some((t) => t.includes(IDS.recoverApologise))).toBe(true);
    // The customer's head gets the Waive button on that line, not Apologise.
    expect(dms(salesHead).some((t) => t.includes(IDS.recoverApologise))).toBe(false);
  });

  await step('the apology form carries Kept’s draft; the requester reads the edited apology', async () => {
    await click(IDS.recoverApologise, JSON.stringify({ id, kind: 'response' }), opsHead);
    await app.http.idle();
    const modal = app.fake.lastModal();
    expect(modal.callback_id).toBe(IDS.recoverModal);
    const draft = JSON.stringify(modal);
    expect(draft).toContain(`I'm sorry. We promised to get back to you on ${id}`);
    expect(draft).toContain('Demo for ACME is down');
    expect(draft).toContain('15 minutes late');
    expect(await submit(modal, { [IDS.recoverTextBlock]: '' }, opsHead)).toMatchObject({ response_action: 'errors' });
    const text = 'Sorry: we were 15 minutes late answering. The demo box is back up; I check it again at noon.';
    // The form says it went, and what is still to do.
    const sent = await submit(modal, { [IDS.recoverTextBlock]: text }, opsHead);
    expect(sent.response_action).toBe('update');
    expect(JSON.stringify(sent)).toContain(
      'Still to do: explain what happened, report progress, write down the cause.',
    );
    expect(dms(salesMember).some((t) => t.includes('The demo box is back up'))).toBe(true);
    const request = (await getRequest(app.db, id))!;
    expect(request.recovery?.steps?.apologised).toEqual({ by: opsHead, at: clock.now().getTime() });
    // Someone outside the provider is refused, with a clear word, and nothing is written.
    await click(IDS.recoverApologise, JSON.stringify({ id, kind: 'response' }), salesHead);
    await app.http.idle();
    expect(JSON.stringify(app.fake.lastModal())).toMatch(/Only people in Operations can apologise/);
    expect((await getRequest(app.db, id))!.rev).toBe(request.rev);
  });

  await step('resolved, the requester is asked once; concurrent and repeated clicks credit once', async () => {
    clock.advance(30 * MINUTE);
    await click(IDS.requestAction.resolve, id, opsMember);
    await app.http.idle();
    expect(
      await submit(
        app.fake.lastModal(),
        {
          [IDS.resolveNoteBlock]: 'Restarted the demo cluster',
          [IDS.resolveCauseBlock]: 'staffing',
          [IDS.resolveCauseTextBlock]: '',
        },
        opsMember,
      ),
    ).toEqual({});
    const resolvedDm = app.fake.posted.filter(
      (m) => m.channel === salesMember && JSON.stringify(m.blocks ?? []).includes(IDS.recoveredYes),
    );
    expect(resolvedDm).toHaveLength(1);
    const at = { channel: resolvedDm[0]!.channel, ts: resolvedDm[0]!.ts };
    const yes = JSON.stringify({ id, recovered: true });
    // Two clicks at once (a double click, or two devices), then one more later.
    const keys = await Promise.all([
      click(IDS.recoveredYes, yes, salesMember, at),
      click(IDS.recoveredYes, yes, salesMember, at),
    ]);
    await app.http.idle();
    const again = await click(IDS.recoveredNo, JSON.stringify({ id, recovered: false }), salesMember, at);
    await app.http.idle();
    expect(said(again).join(' ')).toMatch(/already told Kept/);
    expect(keys.flatMap(said).filter((t) => /already told Kept/.test(t)).length).toBeLessThanOrEqual(1);

    const request = (await getRequest(app.db, id))!;
    expect(request.recovery?.confirmed).toMatchObject({ recovered: true, by: salesMember });
    expect(request.recovery?.credits).toHaveLength(1);
    const month = request.breaches!.response!.month;
    const ledger = await readLedger(app.db, 'ops-for-sales', month);
    const credits = ledger.filter((e) => e.type === 'credit');
    expect(credits.map((e) => [e.request, e.kind, e.amount])).toEqual([[id, 'response', -25]]);

    // Equal in the statement and in the report.
    const statement = buildStatement({
      agreementId: 'ops-for-sales',
      month,
      terms: {
        provider: 'ops',
        customer: 'sales',
        service: 'Demo environments',
        penalty: { unit: 'points', perBreach: 50, tiers: [] },
      },
      entries: ledger,
    });
    expect(statement.credits).toEqual([{ request: id, kind: 'response', cycle: 1, amount: 25, by: salesMember }]);
    expect(statement.totals).toMatchObject({ credited: 25, net: statement.totals.charged - 25 });
    const day = request.filed.day;
    const counters = sumCounters((await readDays(app.db, 'ops', day, day)).days.map((d) => d.counters));
    expect(counters['credit|points']).toBe(25);
    expect(counters['cust|sales|credit|ops-for-sales|points']).toBe(25);
    // The redrawn DM says what they answered, without the buttons.
    const redrawn = app.fake
      .callsTo('chat.update')
      .filter((c) => c.args.ts === at.ts)
      .at(-1);
    expect(JSON.stringify(redrawn?.args.blocks)).toContain('put');
    expect(JSON.stringify(redrawn?.args.blocks)).not.toContain(IDS.recoveredYes);
  });
});
