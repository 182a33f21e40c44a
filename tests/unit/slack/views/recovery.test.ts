/**
 * The recovery steps in the provider's breach DMs (docs/breaches.md "Recovery"): which buttons
 * appear for whom, what is shown as done, and the forms behind them, within Slack's limits and
 * with every user text escaped.
 */
import type { PlainTextInput, StaticSelect } from '@slack/types';
import { MINUTE_MS } from '../../../../functions/domain/duration';
import {
  CAUSE_CATEGORIES,
  NOTE_MAX,
  type PenaltyCharge,
  type Request,
  type RequestAction,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../../functions/domain/request';
import { decide } from '../../../../functions/domain/request-actions';
import { IDS } from '../../../../functions/slack/ids';
import {
  type BatchedBreach,
  breachBatch,
  breachNotice,
  breachToAssignee,
} from '../../../../functions/slack/views/breaches';
import {
  readRecoveryCauseView,
  recoveryCauseModal,
  recoveryRecordedModal,
  recoveryTextModal,
} from '../../../../functions/slack/views/recovery';
import { allText, type Blocks, buttons, contextTexts, inputById, known, sectionTexts } from './blocks';
import { calendar, file, it_, T0 } from './fixtures';

const CHARGE: PenaltyCharge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };
const STEPS: string[] = [IDS.recoverApologise, IDS.recoverExplain, IDS.recoverProgress, IDS.recoverCause];

function apply(request: Request, action: RequestAction, actor: string, at: number): Request {
  const rights = actor === SYSTEM_ACTOR ? SYSTEM_RIGHTS : { requester: false, provider: true, customerHead: false };
  const out = decide(request, action, { actor, at, calendar, rights, provider: it_ });
  if (!out.ok) throw new Error(out.error);
  return out.value.request;
}

const assigned = apply(file(), { type: 'assign', assignee: 'U0ALICE' }, 'U0ALICE', T0 + MINUTE_MS);
const missed = apply(assigned, { type: 'breach', kind: 'response', charge: CHARGE }, SYSTEM_ACTOR, T0 + 40 * MINUTE_MS);
const breach = missed.breaches!.response!;

const notice = (request: Request, canRecover: boolean) =>
  breachNotice({
    request,
    kind: 'response',
    breach,
    providerName: 'IT',
    customerName: 'Finance',
    lateBy: 10 * MINUTE_MS,
    canWaive: false,
    canRecover,
  });
const toAssignee = (request: Request) =>
  breachToAssignee({ request, kind: 'response', lateBy: 10 * MINUTE_MS, dueAt: breach.dueAt, providerName: 'IT' });

function withinLimits(m: { blocks: Blocks }): void {
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  for (const t of [...sectionTexts(m.blocks), ...contextTexts(m.blocks)]) expect(t.length).toBeLessThanOrEqual(3000);
  for (const b of buttons(m.blocks)) {
    expect(b.text.text.length).toBeLessThanOrEqual(75);
    expect((b.value ?? '').length).toBeLessThanOrEqual(2000);
  }
}

describe('the recovery steps in the breach DMs', () => {
  it("offer the provider's side all four steps, each naming the request and the missed target", () => {
    const m = notice(missed, true);
    const steps = buttons(m.blocks).filter((b) => STEPS.includes(b.action_id ?? ''));
    expect(steps.map((b) => b.text.text)).toEqual([
      'Apologise',
      'Explain what happened',
      'Report progress',
      'Write down the cause',
    ]);
    for (const b of steps) expect(JSON.parse(b.value ?? '')).toEqual({ id: missed.id, kind: 'response' });
    withinLimits(m);
  });

  it("give the customer's heads none of them", () => {
    const json = JSON.stringify(notice(missed, false).blocks);
    for (const id of STEPS) expect(json).not.toContain(id);
  });

  it("give the assignee the four steps beside the card's Resolve and Ask, and only the steps once resolved", () => {
    const live = buttons(toAssignee(missed).blocks).map((b) => b.action_id);
    expect(live).toEqual([IDS.requestAction.resolve, IDS.requestAction.pause, ...STEPS]);
    const resolved = apply(
      missed,
      { type: 'resolve', note: 'Rebooted', cause: { category: 'staffing' } },
      'U0ALICE',
      T0 + 50 * MINUTE_MS,
    );
    expect(buttons(toAssignee(resolved).blocks).map((b) => b.action_id)).toEqual(STEPS);
    withinLimits(toAssignee(missed));
  });

  it('show which steps are done, by whom and when, once any is', () => {
    expect(allText(notice(missed, true))).not.toMatch(/Apologised by/);
    const at = T0 + 45 * MINUTE_MS;
    let done = apply(missed, { type: 'recover', step: 'apologised', note: 'Sorry' }, 'U0ALICE', at);
    done = apply(
      done,
      { type: 'recover', step: 'cause', note: '', cause: { category: 'handoff' } },
      'U0HEADIT',
      at + MINUTE_MS,
    );
    for (const m of [notice(done, true), toAssignee(done)]) {
      const line = contextTexts(m.blocks).find((t) => t.includes('Apologised'));
      expect(line).toContain(`:white_check_mark: Apologised by <@U0ALICE> <!date^${Math.floor(at / 1000)}^`);
      expect(line).toContain('Cause written down by <@U0HEADIT>');
      expect(line).not.toContain('Explained');
    }
  });

  it("put the four steps under each of a provider head's batch lines, the Waive button on a customer head's", () => {
    const item = (canWaive: boolean, canRecover: boolean, id = missed.id): BatchedBreach => ({
      request: { ...missed, id },
      kind: 'response',
      breach,
      providerName: 'IT',
      customerName: 'Finance',
      lateBy: 10 * MINUTE_MS,
      canWaive,
      canRecover,
    });
    const actionsOf = (blocks: Blocks) =>
      known(blocks).flatMap((b) =>
        b.type === 'actions' ? [b.elements.map((e) => (e as { action_id?: string; value?: string }).action_id)] : [],
      );
    const steps = [IDS.recoverApologise, IDS.recoverExplain, IDS.recoverProgress, IDS.recoverCause];
    // A lone line gets the four buttons, as the single-breach DM does; so does each line of several.
    expect(actionsOf(breachBatch([item(false, true)]).blocks)).toEqual([steps]);
    const provider = breachBatch([item(false, true), item(true, false, 'FIN-2'), item(false, true, 'IT-3')]);
    expect(actionsOf(provider.blocks)).toEqual([steps, steps]);
    expect(JSON.stringify(provider.blocks)).toContain(JSON.stringify(JSON.stringify({ id: 'IT-3', kind: 'response' })));
    // A head who may waive the line gets the Waive button there instead.
    const customer = breachBatch([item(true, true)]);
    expect(JSON.stringify(customer.blocks)).toContain(IDS.waivePenalty);
    expect(actionsOf(customer.blocks)).toEqual([]);
    expect(actionsOf(breachBatch([item(false, false)]).blocks)).toEqual([]);
    // Two blocks a line: fewer lines fit in Slack's 50 blocks, the rest are counted.
    for (const n of [22, 23, 300]) {
      const many = breachBatch(Array.from({ length: n }, (_, i) => item(false, true, `IT-${i + 1}`)));
      expect(many.blocks.length).toBeLessThanOrEqual(50);
      if (n > 23) expect(JSON.stringify(many.blocks)).toContain(`…and ${n - 23} more missed targets`);
      for (const b of known(many.blocks)) if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(25);
    }
  });
});

describe('the recovery forms', () => {
  const meta = JSON.stringify({ id: 'IT-1', kind: 'response', step: 'explained' });

  it('ask for an explanation or for progress, in at most a note, to the requester, escaped', () => {
    for (const step of ['explained', 'progress'] as const) {
      const view = recoveryTextModal({ step, requestId: 'IT-<!here>', requester: 'U0REQ', metadata: meta });
      expect(view.callback_id).toBe(IDS.recoverModal);
      expect(view.private_metadata).toBe(meta);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      const input = inputById(view.blocks, IDS.recoverTextBlock).element as PlainTextInput;
      expect(input.max_length).toBe(NOTE_MAX);
      expect(input.initial_value).toBeUndefined();
      const intro = sectionTexts(view.blocks).join('\n');
      expect(intro).toContain('<@U0REQ>');
      expect(intro).not.toContain('<!here>');
      expect(intro).toContain('IT-&lt;!here&gt;');
    }
  });

  it('ask for the cause with every category, preset with the one written before', () => {
    const view = recoveryCauseModal({
      requestId: 'IT-1',
      metadata: '{}',
      current: { category: 'tooling', text: 'The VPN <!channel> broke' },
    });
    expect(view.callback_id).toBe(IDS.recoverCauseModal);
    const select = inputById(view.blocks, IDS.recoverCauseBlock).element as StaticSelect;
    expect(select.options?.map((o) => o.value)).toEqual([...CAUSE_CATEGORIES]);
    expect(select.initial_option?.value).toBe('tooling');
    const note = inputById(view.blocks, IDS.recoverCauseTextBlock);
    expect(note.optional).toBe(true);
    expect((note.element as PlainTextInput).initial_value).toBe('The VPN <!channel> broke'); // plain text field
    expect(
      (
        inputById(recoveryCauseModal({ requestId: 'IT-1', metadata: '{}' }).blocks, IDS.recoverCauseBlock)
          .element as StaticSelect
      ).initial_option,
    ).toBeUndefined();
  });

  it('read the cause picked and its note, and no category when none (or an unknown one) was picked', () => {
    const values = (category: string | undefined, text: string) => ({
      [IDS.recoverCauseBlock]: { [IDS.value]: { selected_option: category ? { value: category } : null } },
      [IDS.recoverCauseTextBlock]: { [IDS.value]: { value: text } },
    });
    expect(readRecoveryCauseView(values('handoff', '  lost between teams  '))).toEqual({
      category: 'handoff',
      text: 'lost between teams',
    });
    expect(readRecoveryCauseView(values('aliens', ''))).toEqual({ text: '' });
    expect(readRecoveryCauseView(values(undefined, 'x'))).toEqual({ text: 'x' });
  });

  it('say once a step is recorded what was done and what is still to do', () => {
    const done = apply(missed, { type: 'recover', step: 'explained', note: 'It was the VPN' }, 'U0BOB', T0);
    const text = allText({ blocks: recoveryRecordedModal(done, 'explained').blocks });
    expect(text).toContain('Sent to <@U0REQ>');
    expect(text).toContain('Still to do: apologise, report progress, write down the cause.');
    expect(text).toContain('Explained by <@U0BOB>');
  });
});
