/**
 * Every recovery step from Slack's side (docs/breaches.md "Recovery"): a miss found by `kept scan`
 * reaches the assignee with the four steps; an explanation and word on progress reach the
 * requester (once, however often the form is submitted); the cause is written down and counted
 * once, and the resolve keeps it; `/sla show` lists each step with who; a stranger is refused and
 * nothing is written.
 */

import { noSuchRequest } from '../../functions/domain/privacy';
import { sumCounters } from '../../functions/domain/stats';
import { IDS } from '../../functions/slack/ids';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { readDays } from '../../functions/store/stats';
import { fileThroughModal, keptScan } from '../support/app-steps';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  interactivity,
  postSigned,
  slashCommand,
  stateOf,
  viewSubmission,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const { opsHead, opsMember, salesMember, salesHead } = OPS_FOR_SALES;
const STRANGER = 'U0STRANGE1';
const MINUTE = 60_000;
const STEPS = [IDS.recoverApologise, IDS.recoverExplain, IDS.recoverProgress, IDS.recoverCause];

let app: RunningSlackApp;
const clock = testClock('2026-11-24T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importCompany(app.db, opsForSales(), clock.now());
});
afterAll(() => app.stop());

let clicks = 0;
async function click(
  action: { action_id: string; value?: string; block_id?: string; selected_option?: { value: string } },
  user: string,
) {
  const key = `s-${++clicks}`;
  const res = await postSigned(app.url, interactivity(buttonClick(action, user, app.fake.responseUrl(key))));
  expect(res.status).toBe(200);
  await app.http.idle();
  return key;
}
const press = (actionId: string, id: string, user: string) =>
  click({ action_id: actionId, value: JSON.stringify({ id, kind: 'response' }) }, user);

type Answer = { response_action?: string; errors?: Record<string, string>; view?: Record<string, unknown> };
async function submit(
  view: Record<string, unknown>,
  typed: Record<string, string | null>,
  user: string,
  viewId?: string,
): Promise<Answer> {
  const payload = viewSubmission(view, stateOf(view as { blocks: unknown[] }, typed), user, viewId);
  const res = await postSigned(app.url, interactivity(payload));
  expect(res.status).toBe(200);
  await app.http.idle();
  return res.text ? (res.json() as Answer) : {};
}

/** Kept's messages to `user` (text and blocks), in order. */
const dms = (user: string) =>
  app.fake.posted
    .filter((m) => m.channel === user || m.channel === `D${user.slice(1)}`)
    .map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`);

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  const body = res.text ? (res.json() as { text?: string; blocks?: unknown[] }) : undefined;
  return `${body?.text ?? ''}\n${JSON.stringify(body?.blocks ?? [])}`;
}

async function causeCounters(day: string) {
  const counters = sumCounters((await readDays(app.db, 'ops', day, day)).days.map((d) => d.counters));
  return Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith('cause|') && counters[k] !== 0));
}

it('from a miss through every recovery step, each recorded once with who and when', async () => {
  let id = '';
  await step("the assignee's breach DM carries the four recovery steps", async () => {
    id = await fileThroughModal(app, {
      user: salesMember,
      dept: 'ops',
      agreement: 'ops-for-sales',
      priority: 'P1',
      title: 'Demo for ACME is down',
    });
    await click({ action_id: IDS.requestAction.assignMe, value: id }, opsMember);
    expect((await getRequest(app.db, id))!.assignee).toBe(opsMember);
    clock.advance(45 * MINUTE); // the 30m response target is 15 minutes past
    await keptScan(app, clock.now().getTime());
    await app.http.idle();
    const missed = dms(opsMember).filter((t) => t.includes(id) && t.includes('missed its response target'));
    expect(missed).toHaveLength(1);
    for (const action of STEPS) expect(missed[0]).toContain(action);
    // Each head hears of the miss once (the scan's batch: `kept scan --now` runs its work on the same
    // instant, inside the grace); the provider's head reads the steps as buttons under its one line.
    expect(dms(opsHead).filter((t) => t.includes(id))).toHaveLength(1);
    expect(dms(salesHead).filter((t) => t.includes(id))).toHaveLength(1);
    for (const action of STEPS) expect(dms(opsHead).some((t) => t.includes(id) && t.includes(action))).toBe(true);
    expect(dms(salesHead).some((t) => t.includes(IDS.recoverProgress))).toBe(false);
  });

  const explanation = 'The demo cluster ran out of disk overnight and nobody was paged. Paging is on now.';
  await step('an explanation reaches the requester once, however often the form is sent', async () => {
    await press(IDS.recoverExplain, id, opsMember);
    const form = app.fake.lastModal();
    expect(form.callback_id).toBe(IDS.recoverModal);
    expect(JSON.parse(String(form.private_metadata))).toMatchObject({ id, step: 'explained' });
    expect(await submit(form, { [IDS.recoverTextBlock]: '  ' }, opsMember)).toMatchObject({
      response_action: 'errors',
    });
    const first = await submit(form, { [IDS.recoverTextBlock]: explanation }, opsMember, 'VEXPLAIN01');
    expect(first.response_action).toBe('update');
    expect(JSON.stringify(first.view)).toContain('Still to do: apologise, report progress, write down the cause.');
    // Slack sends the same submission again (a double click on Send, a retry).
    expect((await submit(form, { [IDS.recoverTextBlock]: explanation }, opsMember, 'VEXPLAIN01')).response_action).toBe(
      'update',
    );
    expect(dms(salesMember).filter((t) => t.includes('ran out of disk overnight'))).toHaveLength(1);
    const record = (await getRequestRecord(app.db, id))!;
    expect(record.events.filter((e) => e.type === 'recover')).toHaveLength(1);
    expect(record.request.recovery?.steps?.explained).toEqual({ by: opsMember, at: clock.now().getTime() });
  });

  await step("a provider head reports progress from their breach DM's button", async () => {
    clock.advance(5 * MINUTE);
    await click({ action_id: IDS.recoverProgress, value: JSON.stringify({ id, kind: 'response' }) }, opsHead);
    const form = app.fake.lastModal();
    expect(JSON.parse(String(form.private_metadata))).toMatchObject({ id, step: 'progress' });
    expect(await submit(form, { [IDS.recoverTextBlock]: 'Disk cleaned; demo is back.' }, opsHead)).toMatchObject({
      response_action: 'update',
    });
    expect(dms(salesMember).some((t) => t.includes('Disk cleaned; demo is back.'))).toBe(true);
  });

  await step('a stranger and the customer side are refused, and nothing is written', async () => {
    const before = (await getRequest(app.db, id))!.rev;
    await press(IDS.recoverExplain, id, STRANGER);
    expect(JSON.stringify(app.fake.lastModal())).toContain(JSON.stringify(noSuchRequest(id)).slice(1, -1));
    await press(IDS.recoverCause, id, salesHead);
    expect(JSON.stringify(app.fake.lastModal())).toContain(
      `Only people in Operations can write down the cause of ${id}`,
    );
    expect((await getRequest(app.db, id))!.rev).toBe(before);
  });

  await step("the card in the provider's channel offers the steps too: an apology from its menu", async () => {
    await click(
      {
        action_id: IDS.requestAction.more,
        block_id: `request_actions:${id}`,
        selected_option: { value: IDS.recoverApologise },
      },
      opsMember,
    );
    const form = app.fake.lastModal();
    expect(form.callback_id).toBe(IDS.recoverModal);
    expect(JSON.stringify(form)).toContain(`I'm sorry. We promised to get back to you on ${id}`);
    expect(await submit(form, {}, opsMember)).toMatchObject({ response_action: 'update' }); // the draft as it is
    expect(dms(salesMember).some((t) => t.includes(`We promised to get back to you on ${id}`))).toBe(true);
  });

  let day = '';
  await step('the cause is written down, counted once, and not sent to the requester', async () => {
    clock.advance(5 * MINUTE);
    const requesterSaw = dms(salesMember).length;
    await press(IDS.recoverCause, id, opsMember);
    const form = app.fake.lastModal();
    expect(form.callback_id).toBe(IDS.recoverCauseModal);
    expect(
      await submit(form, { [IDS.recoverCauseBlock]: null, [IDS.recoverCauseTextBlock]: 'x' }, opsMember),
    ).toMatchObject({ response_action: 'errors' });
    const note = 'Disk alerts went to a channel nobody reads';
    const saved = await submit(
      form,
      { [IDS.recoverCauseBlock]: 'tooling', [IDS.recoverCauseTextBlock]: note },
      opsMember,
    );
    expect(JSON.stringify(saved.view)).toContain('Every recovery step is done.');
    const request = (await getRequest(app.db, id))!;
    expect(request.cause).toEqual({ category: 'tooling', text: note });
    expect(request.recovery?.steps?.cause).toEqual({ by: opsMember, at: clock.now().getTime() });
    day = request.filed.day;
    expect(await causeCounters(day)).toEqual({ 'cause|tooling': 1 });
    expect(
      dms(salesMember)
        .slice(requesterSaw)
        .some((t) => t.includes(note)),
    ).toBe(false);
  });

  await step('`/sla show` lists each step with who took it', async () => {
    const shown = await sla(`show ${id}`, opsHead);
    expect(shown).toContain(`<@${opsMember}> explained to the requester what happened for ${id}`);
    expect(shown).toContain(`<@${opsHead}> told the requester how the fix is going for ${id}`);
    expect(shown).toContain(`<@${opsMember}> wrote down why ${id} missed its target: Tooling`);
    expect(shown).toContain(`<@${opsMember}> apologised to the requester for ${id}`);
  });

  await step('the resolve keeps the cause written down and counts it once', async () => {
    await click({ action_id: IDS.requestAction.resolve, value: id }, opsMember);
    const form = app.fake.lastModal();
    expect(JSON.stringify(form)).toContain('"initial_option"');
    expect(
      await submit(
        form,
        { [IDS.resolveNoteBlock]: 'Cleaned the disk, paging on', [IDS.resolveCauseTextBlock]: null },
        opsMember,
      ),
    ).toEqual({});
    const request = (await getRequest(app.db, id))!;
    expect(request.status).toBe('resolved');
    expect(request.cause?.category).toBe('tooling');
    expect(await causeCounters(day)).toEqual({ 'cause|tooling': 1 });
  });
});
