import type { PlainTextInput, StaticSelect } from '@slack/types';
import { HOUR_MS, MINUTE_MS } from '../../../../functions/domain/duration';
import {
  type Breach,
  CAUSE_CATEGORIES,
  type PenaltyCharge,
  type Request,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../../functions/domain/request';
import { decide, missedTargets } from '../../../../functions/domain/request-actions';
import { IDS } from '../../../../functions/slack/ids';
import {
  type BatchedBreach,
  type BreachNoticeInput,
  breachBatch,
  breachNotice,
  chargeText,
  MAX_BATCHED_BREACHES,
  monthName,
  waiveModal,
} from '../../../../functions/slack/views/breaches';
import { readResolveView, resolveModal } from '../../../../functions/slack/views/request-modals';
import {
  atRiskWarning,
  escalationNotice,
  MAX_DUTY_MENTIONS,
  onDutyMentions,
} from '../../../../functions/slack/views/warnings';
import {
  actionsBlocks,
  allText,
  type Blocks,
  buttons,
  contextTexts,
  inputById,
  inputs,
  known,
  sectionTexts,
} from './blocks';
import { calendar, file, it_, T0 } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Fixtures (./fixtures.ts): a 24x7 UTC calendar, so working time is wall-clock time.

const CARD = 'https://acme.slack.com/archives/C0ITQ/p1700000000000100';

const CHARGE: PenaltyCharge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };

/** The request with its response breach recorded by the scan at `at`, the way the domain does it. */
function breached(
  request: Request,
  at: number,
  charge: Partial<PenaltyCharge> = {},
): { request: Request; breach: Breach } {
  const out = decide(
    request,
    { type: 'breach', kind: 'response', charge: { ...CHARGE, ...charge } },
    { actor: SYSTEM_ACTOR, at, calendar, rights: SYSTEM_RIGHTS, provider: it_ },
  );
  if (!out.ok) throw new Error(out.error);
  return { request: out.value.request, breach: out.value.request.breaches!.response! };
}

const base = breached(file(), T0 + 40 * MINUTE_MS);
const notice = (extra: Partial<BreachNoticeInput> = {}) =>
  breachNotice({
    request: base.request,
    kind: 'response',
    breach: base.breach,
    providerName: 'IT',
    customerName: 'Finance',
    lateBy: 10 * MINUTE_MS,
    cardLink: CARD,
    canWaive: false,
    ...extra,
  });

// Block helpers
const token = (ms: number) => `<!date^${Math.floor(ms / 1000)}^`;

function expectWithinLimits(m: { blocks: Blocks }): void {
  expect(m.blocks.length).toBeLessThanOrEqual(50);
  for (const t of [...sectionTexts(m.blocks), ...contextTexts(m.blocks)]) expect(t.length).toBeLessThanOrEqual(3000);
}

// ---------------------------------------------------------------------------------------------

describe('breachNotice', () => {
  it('names the request, the missed target, who filed it, the priority and the service', () => {
    const m = notice();
    const text = allText(m);
    expect(sectionTexts(m.blocks)[0]).toBe(
      ':red_circle: *IT-42 missed its response target*\n*Laptop will not boot*\nFiled by <@U0REQ> (Finance) · P1 · Laptops and accounts, provided by IT',
    );
    expect(m.text).toBe(':red_circle: IT-42 missed its response target: Laptop will not boot. Penalty: 50 points.');
    expect(text).toContain(`<${CARD}|the card>`);
    expectWithinLimits(m);
  });

  it('says when it was due, when it was found and how late, and what it costs', () => {
    const text = allText(notice());
    expect(text).toContain(`Due ${token(T0 + 30 * MINUTE_MS)}`);
    expect(text).toContain(`found ${token(T0 + 40 * MINUTE_MS)}`);
    expect(text).toContain('10m of working time late.');
    expect(text).toContain('*Penalty:* 50 points (1st breach of November 2026)');
    const now = allText(notice({ lateBy: 0 }));
    expect(now).toContain(`found just now (${token(T0 + 40 * MINUTE_MS)}`);
    expect(now).toMatch(/found just now \(<!date\^\d+\^[^>]+>\)\./);
    expect(now).not.toContain('of working time late');
    expect(allText(notice({ lateBy: 2 * HOUR_MS + 5 * MINUTE_MS }))).toContain('2h 5m of working time late');
  });

  it('shows a tier multiplier, money, and that the monthly cap is reached', () => {
    const tiered = breached(file(), T0 + 40 * MINUTE_MS, {
      amount: 200,
      unit: 'EUR',
      n: 3,
      multiplier: 2,
      month: '2026-12',
    });
    expect(allText(notice(tiered))).toContain('*Penalty:* €200.00 (3rd breach of December 2026, ×2)');
    const capped = breached(file(), T0 + 40 * MINUTE_MS, { amount: 0, n: 12 });
    expect(allText(notice(capped))).toContain(
      '*Penalty:* 0 points (12th breach of November 2026 — the monthly cap is reached)',
    );
    // A first breach that costs nothing (no penalty agreed) is not "the cap".
    expect(chargeText({ ...CHARGE, amount: 0 })).toBe('0 points (1st breach of November 2026)');
    expect(chargeText({ ...CHARGE, n: 22, multiplier: 3, amount: 150 })).toBe(
      '150 points (22nd breach of November 2026, ×3)',
    );
    expect(monthName('2026-01')).toBe('January 2026');
    expect(monthName('<odd>')).toBe('&lt;odd&gt;');
  });

  it('lists the four recovery steps', () => {
    const checklist = sectionTexts(notice().blocks).find((t) => t.startsWith('*What IT does now*'))!;
    const bullets = checklist.split('\n').slice(1);
    expect(bullets).toHaveLength(4);
    expect(bullets.every((b) => b.startsWith('• '))).toBe(true);
    expect(bullets[0]).toMatch(/^• Apologise to <@U0REQ>/);
    expect(bullets[1]).toMatch(/^• Go over the problem with them/);
    expect(bullets[2]).toContain('within 20 minutes');
    expect(bullets[3]).toMatch(/^• Write down what happened, so the cause can be fixed/);
  });

  it("gives only the customer's heads the Waive penalty button, with the request and target in its value", () => {
    expect(actionsBlocks(notice().blocks)).toHaveLength(0);
    const m = notice({ canWaive: true });
    const [waive, ...rest] = buttons(m.blocks);
    expect(rest).toHaveLength(0);
    expect(waive!.action_id).toBe(IDS.waivePenalty);
    expect(waive!.text.text).toBe('Waive penalty');
    expect(JSON.parse(waive!.value!)).toEqual({ id: 'IT-42', kind: 'response' });
    expect(allText(m)).toContain('As a head of Finance you may waive it');
  });

  it('offers no Waive button when there is nothing to give back or it is already waived', () => {
    const free = breached(file(), T0 + 40 * MINUTE_MS, { amount: 0, n: 12 });
    expect(actionsBlocks(notice({ ...free, canWaive: true }).blocks)).toHaveLength(0);
    const waived = decide(
      base.request,
      { type: 'waive', kind: 'response', reason: 'Our <!channel> fault' },
      {
        actor: 'U0HEADFIN',
        at: T0 + HOUR_MS,
        calendar,
        rights: { provider: false, requester: false, customerHead: true },
        provider: it_,
      },
    );
    if (!waived.ok) throw new Error(waived.error);
    const m = notice({
      request: waived.value.request,
      breach: waived.value.request.breaches!.response!,
      canWaive: true,
    });
    expect(actionsBlocks(m.blocks)).toHaveLength(0);
    expect(allText(m)).toContain(`:handshake: Waived by <@U0HEADFIN> ${token(T0 + HOUR_MS)}`);
    expect(allText(m)).toContain('“Our &lt;!channel&gt; fault”');
    expect(m.text).toContain('(waived)');
  });

  it('never renders user text as a live mention or link, and leaves out an unsafe card link', () => {
    const evil = breached(file('<!channel> *urgent* & <https://evil.example|click>'), T0 + 40 * MINUTE_MS);
    const m = notice({
      ...evil,
      providerName: '<!everyone> IT',
      customerName: '<!subteam^S0X> Finance',
      cardLink: 'javascript:alert(1)',
    });
    const text = allText(m);
    for (const live of ['<!channel>', '<!everyone>', '<!subteam^S0X>', '<https://evil', 'javascript:'])
      expect(text).not.toContain(live);
    expect(text).toContain('&lt;!channel&gt; *urgent* &amp;');
    expect(text).not.toContain('the card');
    expectWithinLimits(m);
  });
});

describe('escalationNotice', () => {
  const request = file();
  const base = {
    request,
    step: 1,
    kind: 'response' as const,
    remaining: 20 * MINUTE_MS,
    due: T0 + HOUR_MS,
    providerName: 'IT',
    cardLink: CARD,
  };
  const buttons = (m: ReturnType<typeof escalationNotice>) =>
    m.blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements.map((e) => (e as { action_id: string }).action_id) : [],
    );

  it("names the request, the share used and the time left, with the card's actions for the provider's side", () => {
    const m = escalationNotice({ ...base, share: 0.5, lateBy: 0, audience: 'provider_heads' });
    const text = allText(m);
    expect(text).toContain(
      'IT-42 has used 50% of its response target: 20m of working time left for the response target',
    );
    expect(text).toContain('Step 2 of the escalation ladder');
    expect(text).not.toContain('later than');
    expect(buttons(m)).toEqual([IDS.requestAction.acknowledge, IDS.requestAction.assignMe]);
  });

  it('a late step says how late, sorry; the customer side gets no buttons to act for the provider', () => {
    const m = escalationNotice({
      ...base,
      unacknowledgedFor: HOUR_MS,
      lateBy: 25 * MINUTE_MS,
      audience: 'customer_heads',
    });
    const text = allText(m);
    expect(text).toContain('IT-42 has waited 1h of working time without anyone acknowledging it');
    expect(text).toContain('Sorry, this reaches you 25m later than the agreement sets');
    expect(text).toContain('Your agreement with IT asks Kept to tell you at this step');
    expect(buttons(m)).toEqual([]);
  });
});

describe('atRiskWarning', () => {
  const request = file();

  it('tells the assignee how much working time is left and when it is due', () => {
    const m = atRiskWarning({
      request,
      kind: 'resolution',
      remaining: 55 * MINUTE_MS,
      due: T0 + 4 * HOUR_MS,
      providerName: 'IT',
      cardLink: CARD,
      toAssignee: true,
    });
    const text = allText(m);
    expect(sectionTexts(m.blocks)[0]).toBe(
      `:warning: IT-42's resolution target is at risk: 55m of working time left, due ${token(T0 + 4 * HOUR_MS)}{date_short_pretty} {time}|2026-11-25 18:30 UTC>.\n*Laptop will not boot*`,
    );
    expect(text).toContain(`You are assigned. See <${CARD}|the card>.`);
    expect(text).not.toContain('Nobody is assigned');
    expect(text).toContain("Working time on IT's calendar.");
    expect(m.text).toContain("IT-42's resolution target is at risk");
  });

  it('asks the channel to pick it up when nobody is assigned', () => {
    const m = atRiskWarning({
      request,
      kind: 'response',
      remaining: 5 * MINUTE_MS,
      due: T0 + 30 * MINUTE_MS,
      providerName: 'IT',
      cardLink: CARD,
      toAssignee: false,
    });
    const text = allText(m);
    expect(text).toContain("IT-42's response target is at risk: 5m of working time left");
    expect(text).toContain(`Nobody is assigned — *Assign to me* on <${CARD}|the card>.`);
    expect(text).not.toContain('You are assigned');
    // Posted as a thread line, the text alone says it all.
    expect(m.text).toBe(
      `:warning: IT-42's response target is at risk: 5m of working time left, due ${token(T0 + 30 * MINUTE_MS)}{date_short_pretty} {time}|2026-11-25 15:00 UTC>. *Laptop will not boot*\nNobody is assigned — *Assign to me* on <${CARD}|the card>.`,
    );
    const noLink = allText(
      atRiskWarning({
        request,
        kind: 'response',
        remaining: 5 * MINUTE_MS,
        due: null,
        providerName: 'IT',
        toAssignee: false,
      }),
    );
    expect(noLink).toContain('Nobody is assigned — *Assign to me* on the card.');
    expect(noLink).toContain('5m of working time left.');
    expect(noLink).not.toContain(', due');
  });

  it('names the assignee when the channel is told about an assigned request, and escapes user text', () => {
    const assigned = { ...file('<!here> printer'), assignee: 'U0BOB' };
    const m = atRiskWarning({
      request: assigned,
      kind: 'response',
      remaining: 30 * 1000,
      due: T0,
      providerName: '<!channel>s',
      toAssignee: false,
    });
    const text = allText(m);
    expect(text).toContain('<@U0BOB> is assigned');
    expect(text).toContain('under 1m of working time left');
    expect(text).toContain('&lt;!here&gt; printer');
    expect(text).not.toMatch(/<!here>|<!channel>/);
  });

  it("mentions the department's people on duty when nobody is assigned, so someone hears of it", () => {
    const m = atRiskWarning({
      request,
      kind: 'response',
      remaining: 5 * MINUTE_MS,
      due: T0 + 30 * MINUTE_MS,
      providerName: 'IT',
      toAssignee: false,
      onDuty: { usergroup: 'S0ITTEAM1', members: ['U0ANA'], heads: ['U0HEAD'] },
    });
    expect(m.text).toMatch(
      /\n<!subteam\^S0ITTEAM1>: nobody has taken it yet\. Could one of you take it\? Press \*Assign to me\* on the card\.$/,
    );
    expect(m.text).not.toContain('<@U0ANA>');
  });
});

describe('onDutyMentions', () => {
  const people = (n: number) => Array.from({ length: n }, (_, i) => `U0P${String(i).padStart(4, '0')}`);

  it('mentions the user group when the department has one, else its members', () => {
    expect(onDutyMentions({ usergroup: 'S0HRTEAM1', members: ['U0ANA'], heads: ['U0HEAD'] })).toBe(
      '<!subteam^S0HRTEAM1>',
    );
    expect(onDutyMentions({ members: ['U0ANA', 'U0BEN'], heads: ['U0HEAD'] })).toBe('<@U0ANA>, <@U0BEN>');
  });

  it('mentions the heads of a department that lists no members', () => {
    expect(onDutyMentions({ members: [], heads: ['U0HEAD'] })).toBe('<@U0HEAD>');
  });

  it(`names at most ${MAX_DUTY_MENTIONS} people, then says how many more`, () => {
    expect(MAX_DUTY_MENTIONS).toBe(10);
    const text = onDutyMentions({ members: people(13), heads: ['U0HEAD'] });
    expect(text.match(/<@/g)).toHaveLength(10);
    expect(text).toMatch(/<@U0P0009> and 3 more$/);
    expect(onDutyMentions({ members: people(10), heads: [] })).not.toContain('more');
  });
});

describe('waiveModal', () => {
  it('asks why, in at most 500 characters, and remembers the request and target', () => {
    const view = waiveModal({ requestId: 'IT-42', kind: 'resolution', amount: 1250, unit: 'EUR' });
    expect(view.callback_id).toBe(IDS.waiveModal);
    expect(JSON.parse(view.private_metadata!)).toEqual({ id: 'IT-42', kind: 'resolution' });
    expect(view.title.text).toBe('Waive penalty');
    expect(view.submit?.text).toBe('Waive');
    expect(view.close?.text).toBe('Cancel');
    const reason = inputById(view.blocks, IDS.waiveReasonBlock);
    expect(reason.optional).toBeUndefined();
    expect(reason.label.text).toBe('Why is it waived? The ledger keeps this.');
    expect(reason.element).toMatchObject({
      type: 'plain_text_input',
      action_id: IDS.value,
      multiline: true,
      max_length: 500,
    });
    expect(sectionTexts(view.blocks)[0]).toBe(
      'Waiving the resolution penalty of IT-42 gives back *€1,250.00*. The breach itself stays on record.',
    );
    expect(allText(waiveModal({ requestId: 'IT-42', kind: 'response', amount: 1, unit: 'points' }))).toContain(
      '*1 point*',
    );
  });
});

describe('resolveModal', () => {
  it('asks only for the note when no target was missed', () => {
    const view = resolveModal('IT-42');
    expect(inputs(view.blocks).map((b) => b.block_id)).toEqual([IDS.resolveNoteBlock]);
    expect(allText(view)).not.toContain('missed');
    expect(resolveModal('IT-42', []).blocks).toEqual(view.blocks);
  });

  it('asks for the cause (required) and what happened (optional) when a target was missed', () => {
    const view = resolveModal('IT-42', ['response']);
    expect(view.callback_id).toBe(IDS.resolveModal);
    expect(view.private_metadata).toBe('IT-42');
    expect(known(view.blocks).map((b) => b.type)).toEqual(['input', 'section', 'input', 'input']);
    expect(sectionTexts(view.blocks)).toEqual([
      ':red_circle: IT-42 missed its response target. Causes get fixed only when they are written down every time.',
    ]);
    const cause = inputById(view.blocks, IDS.resolveCauseBlock);
    expect(cause.optional).toBeUndefined();
    const select = cause.element as StaticSelect;
    expect(select.type).toBe('static_select');
    expect(select.action_id).toBe(IDS.value);
    expect(select.options?.map((o) => o.value)).toEqual([...CAUSE_CATEGORIES]);
    expect(select.options?.map((o) => o.text.text)).toEqual([
      'Staffing',
      'Handoff',
      'Tooling',
      'Unclear request',
      'Dependency',
      'Other',
    ]);
    const what = inputById(view.blocks, IDS.resolveCauseTextBlock);
    expect(what.optional).toBe(true);
    expect(what.label.text).toBe('What happened?');
    expect(what.element as PlainTextInput).toMatchObject({
      type: 'plain_text_input',
      action_id: IDS.value,
      multiline: true,
      max_length: 1000,
    });
  });

  it('names both targets when both were missed, as the domain reports them', () => {
    const late = file();
    const missed = missedTargets(late, calendar, T0 + 5 * HOUR_MS);
    expect(missed).toEqual(['response', 'resolution']);
    expect(sectionTexts(resolveModal('IT-42', missed).blocks)[0]).toContain(
      'IT-42 missed its response and resolution targets.',
    );
    expect(sectionTexts(resolveModal('IT-42', ['resolution', 'response']).blocks)[0]).toContain(
      'response and resolution targets',
    );
  });
});

describe('readResolveView', () => {
  it('reads the note and the cause, trimmed', () => {
    expect(
      readResolveView({
        [IDS.resolveNoteBlock]: { [IDS.value]: { value: ' Replaced the SSD ' } },
        [IDS.resolveCauseBlock]: { [IDS.value]: { selected_option: { value: 'handoff' } } },
        [IDS.resolveCauseTextBlock]: { [IDS.value]: { value: ' night shift missed it ' } },
      }),
    ).toEqual({ note: 'Replaced the SSD', cause: { category: 'handoff', text: 'night shift missed it' } });
  });

  it('leaves out an empty cause text, and the cause when none (or an unknown one) was picked', () => {
    expect(
      readResolveView({
        [IDS.resolveNoteBlock]: { [IDS.value]: { value: 'done' } },
        [IDS.resolveCauseBlock]: { [IDS.value]: { selected_option: { value: 'staffing' } } },
        [IDS.resolveCauseTextBlock]: { [IDS.value]: { value: '   ' } },
      }),
    ).toEqual({ note: 'done', cause: { category: 'staffing' } });
    expect(readResolveView({ [IDS.resolveNoteBlock]: { [IDS.value]: { value: 'done' } } })).toEqual({ note: 'done' });
    expect(readResolveView({ [IDS.resolveCauseBlock]: { [IDS.value]: { selected_option: null } } })).toEqual({
      note: '',
    });
    expect(
      readResolveView({ [IDS.resolveCauseBlock]: { [IDS.value]: { selected_option: { value: 'aliens' } } } }),
    ).toEqual({ note: '' });
  });
});

describe("the heads' batch of one scan's breaches", () => {
  const item = (n: number, canWaive = true): BatchedBreach => ({
    request: { ...base.request, id: `IT-${n}` },
    kind: 'response',
    breach: base.breach,
    providerName: 'IT',
    customerName: 'Finance',
    lateBy: 10 * MINUTE_MS,
    canWaive,
  });

  it('lists each miss with its penalty, and a Waive button only where this head may waive', () => {
    const both = breachBatch([item(1), item(2)]);
    expect(both.text).toBe(':red_circle: 2 targets missed: IT-1, IT-2.');
    expect(allText(both)).toMatch(/2 targets were missed/);
    expect(JSON.stringify(both.blocks).split(IDS.waivePenalty)).toHaveLength(3);
    expect(JSON.stringify(breachBatch([item(1, false)]).blocks)).not.toContain(IDS.waivePenalty);
  });

  it("stays within Slack's 50 blocks however many targets one scan finds, and counts the rest", () => {
    for (const n of [1, MAX_BATCHED_BREACHES, MAX_BATCHED_BREACHES + 1, 300]) {
      const message = breachBatch(Array.from({ length: n }, (_, i) => item(i + 1)));
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      const more = n - MAX_BATCHED_BREACHES;
      if (more > 0) expect(allText(message)).toContain(`…and ${more} more missed target`);
    }
  });
});
