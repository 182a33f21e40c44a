import type { ActionsBlock, KnownBlock, StaticSelect, UsersSelect } from '@slack/types';
import type { AgreementVersion, Priority } from '../../../../functions/domain/agreement';
import { compileCalendar } from '../../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../../functions/domain/duration';
import { buildReport } from '../../../../functions/domain/report';
import {
  clocksAt,
  fileRequest,
  nextDue,
  type PenaltyCharge,
  type Request,
  type RequestAction,
  type RequestEvent,
  type Rights,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../../functions/domain/request';
import { decide } from '../../../../functions/domain/request-actions';
import type { Counters } from '../../../../functions/domain/stats';
import { IDS } from '../../../../functions/slack/ids';
import { historyLine } from '../../../../functions/slack/views/history';
import {
  filedConfirmation,
  RATE_ACTION_PATTERN,
  rateActionId,
  requesterUpdate,
} from '../../../../functions/slack/views/request-dms';
import { type ListItem, requestList, requestsHomeView } from '../../../../functions/slack/views/request-lists';
import {
  newRequestModal,
  rateCommentModal,
  readNewRequestView,
  resolveModal,
  type ServiceChoice,
} from '../../../../functions/slack/views/request-modals';
import { requestCard, requestDetails } from '../../../../functions/slack/views/requests';
import { department } from '../../../support/departments';
import {
  actionsBlocks,
  allText,
  type Blocks,
  buttons,
  contextTexts,
  elements,
  inputById,
  inputs,
  sectionTexts,
} from './blocks';
import { agreement as P1_AGREEMENT } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Fixtures: a 24x7 UTC calendar, so working time is wall-clock time.

const calendar = compileCalendar({ timezone: 'UTC' });
const it_ = department('it', 'IT', ['U0HEADIT'], { members: ['U0ALICE', 'U0BOB'], calendar: { timezone: 'UTC' } });
const T0 = Date.UTC(2026, 10, 25, 14, 30); // Wed 25 Nov 2026, 14:30 UTC
const REQUESTER = 'U0REQ';

/** The shared P1 agreement (./fixtures.ts) with a P2 as well. */
const agreement = (extra: Partial<AgreementVersion> = {}): AgreementVersion => ({
  ...P1_AGREEMENT,
  targets: { ...P1_AGREEMENT.targets, P2: { response: 2 * HOUR_MS, resolution: 16 * HOUR_MS } },
  ...extra,
});

interface Filed {
  request: Request;
  events: RequestEvent[];
}

function file(
  extra: {
    title?: string;
    description?: string;
    priority?: Priority;
    number?: number;
    at?: number;
    source?: Request['source'];
  } = {},
): Filed {
  const n = extra.number ?? 42;
  const filed = fileRequest({
    id: `IT-${n}`,
    number: n,
    agreement: agreement(),
    customer: 'finance',
    priority: extra.priority ?? 'P1',
    title: extra.title ?? 'Laptop will not boot',
    description: extra.description ?? 'It shows a blinking folder.',
    ...(extra.source ? { source: extra.source } : {}),
    requester: REQUESTER,
    at: extra.at ?? T0,
    calendar,
  });
  if (!filed.ok) throw new Error(filed.error);
  return { request: filed.value.request, events: [filed.value.event] };
}

const PROVIDER: Rights = { provider: true, requester: false };
const REQUESTER_RIGHTS: Rights = { provider: false, requester: true };

function act(f: Filed, action: RequestAction, at: number, actor = 'U0ALICE'): Filed {
  const rights = actor === REQUESTER ? REQUESTER_RIGHTS : PROVIDER;
  const out = decide(f.request, action, { actor, at, calendar, rights, provider: it_ });
  if (!out.ok) throw new Error(out.error);
  return { request: out.value.request, events: [...f.events, out.value.event] };
}

const HEAD_FINANCE = 'U0HEADFIN';
const CUSTOMER_HEAD: Rights = { provider: false, requester: false, customerHead: true };
const CHARGE: PenaltyCharge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };

/** A change by someone with explicit rights: Kept's scan, or a head of the customer. */
function actWith(f: Filed, action: RequestAction, at: number, actor: string, rights: Rights): Filed {
  const out = decide(f.request, action, { actor, at, calendar, rights, provider: it_ });
  if (!out.ok) throw new Error(out.error);
  return { request: out.value.request, events: [...f.events, out.value.event] };
}

/** The scan recording a missed target (the clock must be past due at `at`). */
const breach = (f: Filed, kind: 'response' | 'resolution', at: number, charge: Partial<PenaltyCharge> = {}) =>
  actWith(f, { type: 'breach', kind, charge: { ...CHARGE, ...charge } }, at, SYSTEM_ACTOR, SYSTEM_RIGHTS);
const waive = (f: Filed, kind: 'response' | 'resolution', reason: string, at: number) =>
  actWith(f, { type: 'waive', kind, reason }, at, HEAD_FINANCE, CUSTOMER_HEAD);
const dateOf = (ms: number) => `<!date^${Math.floor(ms / 1000)}^`;

const card = (f: Filed, at: number, names: { provider?: string; customer?: string } = {}) =>
  requestCard({
    request: f.request,
    clocks: clocksAt(f.request, calendar, at),
    at,
    providerName: names.provider ?? 'IT',
    customerName: names.customer ?? 'Finance',
  });

const item = (f: Filed, at: number): ListItem => ({ request: f.request, next: nextDue(f.request, calendar, at) });

// Block helpers (./blocks.ts)
const buttonLabels = (blocks: Blocks) => buttons(blocks).map((b) => b.text.text);
/** The card's "More actions" menu: each option's label and the button (action_id) it stands for. */
const moreMenu = (blocks: Blocks) =>
  (
    elements(blocks).find((e) => 'action_id' in e && e.action_id === IDS.requestAction.more) as
      | { options: { text: { text: string }; value: string }[] }
      | undefined
  )?.options.map((o) => [o.text.text, o.value]) ?? [];

/** Every section and context text within Slack's 3000-character limit. */
function expectWithinTextLimits(blocks: Blocks): void {
  for (const t of [...sectionTexts(blocks), ...contextTexts(blocks)]) expect(t.length).toBeLessThanOrEqual(3000);
}

// ---------------------------------------------------------------------------------------------

describe('requestCard', () => {
  it('shows who filed it, for whom, the service, priority, status and that nobody is on it yet', () => {
    const m = card(file(), T0 + 5 * MINUTE_MS);
    const text = allText(m);
    expect(text).toContain('*IT-42 · Laptop will not boot*');
    expect(text).toContain('<@U0REQ>');
    expect(text).toContain('Finance');
    expect(text).toContain('Laptops and accounts');
    expect(text).toContain('P1');
    expect(text).toContain(':new: Open');
    expect(text).toContain('nobody yet');
    expect(text).toContain('It shows a blinking folder.');
    expect(m.text).toContain('IT-42');
  });

  it('gives an open request Acknowledge (primary), Resolve, Waiting on requester, Assign and Cancel, but no Reopen', () => {
    const { blocks } = card(file(), T0);
    const labels = [...buttonLabels(blocks), ...moreMenu(blocks).map(([label]) => label)];
    expect(labels).toEqual(
      expect.arrayContaining(['Acknowledge', 'Resolve', 'Waiting on requester', 'Assign to me', 'Cancel request…']),
    );
    expect(labels).not.toContain('Reopen');
    expect(labels).not.toContain('Confirm solved');
    expect(labels).not.toContain('Resume');
    const ack = buttons(blocks).find((b) => b.text.text === 'Acknowledge')!;
    expect(ack.action_id).toBe(IDS.requestAction.acknowledge);
    expect(ack.style).toBe('primary');
    expect(buttons(blocks).find((b) => b.text.text === 'Resolve')).toBeUndefined(); // in the menu
    const picker = elements(blocks).find((e): e is UsersSelect => e.type === 'users_select')!;
    expect(picker.action_id).toBe(IDS.requestAction.assign);
    expect(picker.placeholder?.text).toBe('Assign to…');
    expect(picker.initial_user).toBeUndefined();
  });

  it('shows one primary action and Assign to me, the rest in a More actions menu', () => {
    const { blocks } = card(file(), T0);
    for (const b of buttons(blocks)) expect(b.value).toBe('IT-42');
    expect(buttonLabels(blocks)).toEqual(['Acknowledge', 'Assign to me']);
    expect(buttons(blocks)[0]!.style).toBe('primary');
    expect(moreMenu(blocks)).toEqual([
      ['Resolve', IDS.requestAction.resolve],
      ['Waiting on requester', IDS.requestAction.pause],
      ['Change priority', IDS.requestAction.priority],
      ['Transfer', IDS.requestAction.transfer],
      ['Cancel request…', IDS.requestAction.cancel],
      ['Why this due time?', IDS.requestAction.explain],
    ]);
    const ids = elements(blocks).map((e) => ('action_id' in e ? e.action_id : ''));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(25);
  });

  it('drops Acknowledge once acknowledged, makes Resolve primary and preselects the assignee', () => {
    const f = act(file(), { type: 'acknowledge' }, T0 + 10 * MINUTE_MS);
    const { blocks } = card(f, T0 + 10 * MINUTE_MS);
    expect(buttonLabels(blocks)).not.toContain('Acknowledge');
    expect(buttons(blocks).find((b) => b.text.text === 'Resolve')!.style).toBe('primary');
    expect(elements(blocks).find((e): e is UsersSelect => e.type === 'users_select')!.initial_user).toBe('U0ALICE');
    expect(allText({ blocks })).toContain(':eyes: Acknowledged');
  });

  it('offers Resume, not Waiting on requester, while waiting on the requester, and says the clock is paused', () => {
    const f = act(file(), { type: 'pause', note: 'Which floor?' }, T0 + 10 * MINUTE_MS);
    const { blocks } = card(f, T0 + HOUR_MS);
    const labels = [...buttonLabels(blocks), ...moreMenu(blocks).map(([label]) => label)];
    expect(labels).toContain('Resume');
    expect(labels).not.toContain('Waiting on requester');
    expect(allText({ blocks })).toContain('paused — waiting on the requester');
  });

  it('offers Confirm solved and Reopen once resolved, and shows how it was solved', () => {
    const f = act(file(), { type: 'resolve', note: 'Replaced the SSD' }, T0 + 20 * MINUTE_MS);
    const { blocks } = card(f, T0 + HOUR_MS);
    const labels = [...buttonLabels(blocks), ...moreMenu(blocks).map(([label]) => label)];
    expect(labels).toEqual(expect.arrayContaining(['Confirm solved', 'Reopen']));
    expect(labels).not.toContain('Resolve');
    expect(labels).not.toContain('Acknowledge');
    expect(labels).not.toContain('Cancel request…');
    expect(buttons(blocks).find((b) => b.text.text === 'Confirm solved')!.action_id).toBe(IDS.requestAction.close);
    expect(allText({ blocks })).toContain('Replaced the SSD');
  });

  it('keeps only "Why this due time?" once closed or cancelled', () => {
    const onlyExplain = (blocks: KnownBlock[]) =>
      actionsBlocks(blocks).flatMap((b) => b.elements.map((e) => (e as { action_id?: string }).action_id));
    const closed = act(
      act(file(), { type: 'resolve', note: 'done' }, T0 + 20 * MINUTE_MS),
      { type: 'close' },
      T0 + 2 * HOUR_MS,
      REQUESTER,
    );
    expect(onlyExplain(card(closed, T0 + 2 * HOUR_MS).blocks)).toEqual([IDS.requestAction.explain]);
    expect(allText(card(closed, T0 + 2 * HOUR_MS))).toContain(':lock: Closed');
    const cancelled = act(file(), { type: 'cancel' }, T0 + 10 * MINUTE_MS, REQUESTER);
    const m = card(cancelled, T0 + HOUR_MS);
    expect(onlyExplain(m.blocks)).toEqual([IDS.requestAction.explain]);
    expect(allText(m)).not.toContain('waiting on the requester');
  });

  it('shows each target with its due time as a Slack date token and the working time left', () => {
    const m = card(file(), T0 + 5 * MINUTE_MS);
    const lines = allText(m).split('\n');
    const response = lines.find((l) => l.includes('*Response*'))!;
    const resolution = lines.find((l) => l.includes('*Resolution*'))!;
    const due = Math.floor((T0 + 30 * MINUTE_MS) / 1000);
    expect(response).toContain(`<!date^${due}^{date_short_pretty} {time}|2026-11-25 15:00 UTC>`);
    expect(response).toContain('25m of working time left');
    expect(resolution).toContain('3h 55m of working time left');
    expect(response).not.toMatch(/:warning:|:red_circle:/);
  });

  it('marks a target at risk with :warning: and a breached one with :red_circle: and how far overdue', () => {
    const atRisk = allText(card(file(), T0 + 25 * MINUTE_MS))
      .split('\n')
      .find((l) => l.includes('*Response*'))!;
    expect(atRisk).toMatch(/^:warning: /);
    expect(atRisk).toContain('5m of working time left');
    const breached = allText(card(file(), T0 + 65 * MINUTE_MS)).split('\n');
    const response = breached.find((l) => l.includes('*Response*'))!;
    expect(response).toMatch(/^:red_circle: /);
    expect(response).toContain('overdue by 35m of working time');
    expect(breached.find((l) => l.includes('*Resolution*'))).toContain('2h 55m of working time left');
  });

  it('says when a target was met, and that it was late when it was', () => {
    const onTime = act(file(), { type: 'acknowledge' }, T0 + 10 * MINUTE_MS);
    const line = allText(card(onTime, T0 + HOUR_MS))
      .split('\n')
      .find((l) => l.includes('*Response*'))!;
    expect(line).toContain(`met <!date^${Math.floor((T0 + 10 * MINUTE_MS) / 1000)}^`);
    expect(line).not.toContain('late');
    const late = act(file(), { type: 'acknowledge' }, T0 + 40 * MINUTE_MS);
    expect(
      allText(card(late, T0 + HOUR_MS))
        .split('\n')
        .find((l) => l.includes('*Response*')),
    ).toContain(', late');
  });

  it('links the message a request was filed from, and names the agreement version', () => {
    const f = file({
      source: {
        channel: 'C0GENERAL',
        ts: '1700000000.000100',
        permalink: 'https://acme.slack.com/archives/C0GENERAL/p1700000000000100',
      },
    });
    const text = allText(card(f, T0));
    expect(text).toContain('<https://acme.slack.com/archives/C0GENERAL/p1700000000000100|From this message>');
    expect(text).toContain('under agreement `it-for-finance-laptops` v3');
    expect(text).toContain(`as of <!date^${Math.floor(T0 / 1000)}^`);
  });

  it('never renders user text as a live mention or link', () => {
    const f = file({
      title: '<!channel> *x*',
      description: 'ping <!here> and <@U0EVIL> or <https://evil.example|click> & more',
    });
    const m = card(f, T0, { provider: '<!everyone> IT', customer: '<!subteam^S0X> Finance' });
    const text = allText(m);
    for (const live of ['<!channel>', '<!here>', '<@U0EVIL>', '<https://evil', '<!subteam^S0X>'])
      expect(text).not.toContain(live);
    expect(text).toContain('&lt;!channel&gt; *x*');
    expect(text).toContain('&amp; more');
  });

  it('clips a long description so the section stays within 3000 characters', () => {
    const f = file({
      description: '&'.repeat(3000),
      source: { channel: 'C0G', ts: '1.2', permalink: 'https://acme.slack.com/archives/C0G/p12' },
    });
    const { blocks } = card(f, T0);
    expectWithinTextLimits(blocks);
    const description = sectionTexts(blocks).find((t) => t.startsWith('*Description*'))!;
    expect(description).toContain('…');
    expect(description).toContain('|From this message>');
    expect(description).not.toMatch(/&[a-z]{0,3}…/);
    expect(blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('requestCard with missed targets', () => {
  const responseLine = (m: { text?: string; blocks: Blocks }) =>
    allText(m)
      .split('\n')
      .find((l) => l.includes('*Response*'))!;
  const resolutionLine = (m: { text?: string; blocks: Blocks }) =>
    allText(m)
      .split('\n')
      .find((l) => l.includes('*Resolution*'))!;

  it('shows a recorded breach instead of the clock: when it was due, never what it cost', () => {
    const f = breach(file(), 'response', T0 + 40 * MINUTE_MS);
    const m = card(f, T0 + 65 * MINUTE_MS);
    const line = responseLine(m);
    expect(line).toBe(
      `:red_circle: *Response* · missed — was due ${dateOf(T0 + 30 * MINUTE_MS)}{date_short_pretty} {time}|2026-11-25 15:00 UTC>`,
    );
    expect(line).not.toContain('overdue');
    expect(resolutionLine(m)).toContain('2h 55m of working time left');
  });

  it('keeps showing the breach after the target is met late, without its amount', () => {
    const f = act(
      breach(file(), 'response', T0 + 40 * MINUTE_MS, { amount: 1250, unit: 'EUR' }),
      { type: 'acknowledge' },
      T0 + 45 * MINUTE_MS,
    );
    const line = responseLine(card(f, T0 + HOUR_MS));
    expect(line).toMatch(/^:red_circle: \*Response\* · missed — was due <!date\^/);
    expect(line).not.toMatch(/penalty|€|1,250/);
    expect(line).not.toContain('met');
  });

  it('says who waived a penalty, without the amount; a breach at the monthly cap reads like any other', () => {
    const waived = waive(
      breach(file(), 'response', T0 + 40 * MINUTE_MS),
      'response',
      'Our fault: <!channel> the brief was unclear',
      T0 + 50 * MINUTE_MS,
    );
    const line = responseLine(card(waived, T0 + HOUR_MS));
    expect(line).toMatch(/ · penalty waived by <@U0HEADFIN>$/);
    expect(line).not.toContain('points');
    expect(allText(card(waived, T0 + HOUR_MS))).not.toContain('<!channel>');
    const capped = breach(file(), 'response', T0 + 40 * MINUTE_MS, { amount: 0, n: 11 });
    expect(responseLine(card(capped, T0 + HOUR_MS))).toMatch(/missed — was due <!date\^[^>]+>$/);
  });

  it('offers the recovery steps in the menu after a miss, also once resolved, and never before one or once cancelled', () => {
    const steps = [
      ['Apologise…', IDS.recoverApologise],
      ['Explain what happened…', IDS.recoverExplain],
      ['Report progress…', IDS.recoverProgress],
      ['Write down the cause…', IDS.recoverCause],
    ];
    expect(moreMenu(card(file(), T0).blocks)).not.toEqual(expect.arrayContaining([steps[0]]));
    const missed = breach(file(), 'response', T0 + 40 * MINUTE_MS);
    const menu = moreMenu(card(missed, T0 + HOUR_MS).blocks);
    expect(menu).toEqual(expect.arrayContaining(steps));
    expect(menu.at(-1)).toEqual(['Why this due time?', IDS.requestAction.explain]);
    const resolved = act(missed, { type: 'resolve', note: 'Done', cause: { category: 'staffing' } }, T0 + HOUR_MS);
    expect(moreMenu(card(resolved, T0 + HOUR_MS).blocks)).toEqual(expect.arrayContaining(steps));
    const cancelled = act(missed, { type: 'cancel' }, T0 + HOUR_MS, REQUESTER);
    expect(moreMenu(card(cancelled, T0 + HOUR_MS).blocks)).not.toEqual(expect.arrayContaining([steps[0]]));
  });

  it('shows both breaches', () => {
    const f = breach(breach(file(), 'response', T0 + 5 * HOUR_MS), 'resolution', T0 + 5 * HOUR_MS, { n: 2 });
    const m = card(f, T0 + 5 * HOUR_MS);
    expect(responseLine(m)).toContain('missed — was due');
    expect(resolutionLine(m)).toContain(`missed — was due ${dateOf(T0 + 4 * HOUR_MS)}`);
  });

  it('shows the cause once resolved or closed, escaped, and not while the request is reopened', () => {
    const missed = breach(file(), 'response', T0 + 40 * MINUTE_MS);
    const resolved = act(
      missed,
      {
        type: 'resolve',
        note: 'Replaced the SSD',
        cause: { category: 'unclear_request', text: 'Asked <!here> for the asset tag & waited' },
      },
      T0 + HOUR_MS,
    );
    const text = allText(card(resolved, T0 + HOUR_MS));
    expect(text).toContain('*Cause:* Unclear request — Asked &lt;!here&gt; for the asset tag &amp; waited');
    expect(text).not.toContain('<!here>');
    const closed = act(resolved, { type: 'close' }, T0 + 2 * HOUR_MS, REQUESTER);
    expect(allText(card(closed, T0 + 2 * HOUR_MS))).toContain('*Cause:* Unclear request');
    const reopened = act(resolved, { type: 'reopen' }, T0 + 2 * HOUR_MS, REQUESTER);
    expect(allText(card(reopened, T0 + 2 * HOUR_MS))).not.toContain('*Cause:*');
    const noText = act(missed, { type: 'resolve', note: 'done', cause: { category: 'staffing' } }, T0 + HOUR_MS);
    expect(sectionTexts(card(noText, T0 + HOUR_MS).blocks)).toContain('*Cause:* Staffing');
  });

  it('adds no buttons for what only Kept or the customer can do', () => {
    const f = breach(file(), 'response', T0 + 40 * MINUTE_MS);
    const { blocks } = card(f, T0 + HOUR_MS);
    const labels = [...buttonLabels(blocks), ...moreMenu(blocks).map(([label]) => label)];
    expect(labels).toEqual(expect.arrayContaining(['Acknowledge', 'Resolve']));
    expect(buttons(card(f, T0 + HOUR_MS).blocks).map((b) => b.action_id)).not.toContain(IDS.waivePenalty);
  });

  it('requestDetails shows the breach, the cause and the history of warnings, breaches and waivers', () => {
    const warned = actWith(
      file(),
      { type: 'warn', kind: 'response' },
      T0 + 25 * MINUTE_MS,
      SYSTEM_ACTOR,
      SYSTEM_RIGHTS,
    );
    const missed = breach(warned, 'response', T0 + 40 * MINUTE_MS);
    const waived = waive(missed, 'response', 'goodwill', T0 + 45 * MINUTE_MS);
    const resolved = act(
      waived,
      { type: 'resolve', note: 'done', cause: { category: 'handoff', text: 'night shift missed it' } },
      T0 + HOUR_MS,
    );
    const m = requestDetails({
      request: resolved.request,
      clocks: clocksAt(resolved.request, calendar, T0 + HOUR_MS),
      at: T0 + HOUR_MS,
      providerName: 'IT',
      customerName: 'Finance',
      history: resolved.events,
    });
    const text = allText(m);
    expect(text).toContain(' · penalty waived by <@U0HEADFIN>');
    expect(text).not.toContain('points');
    expect(text).toContain('*Cause:* Handoff — night shift missed it');
    expect(text).toContain(":warning: IT-42's response target is at risk — <!date^");
    expect(text).toContain(':red_circle: IT-42 missed its response target — <!date^');
    expect(text).toContain(':handshake: <@U0HEADFIN> waived the response penalty of IT-42: “goodwill”');
    expect(text).toContain(
      ':white_check_mark: <@U0ALICE> resolved IT-42: “done” — cause: Handoff: “night shift missed it”',
    );
    expect(text).not.toMatch(/<@kept>|\bkept\b/);
    expect(actionsBlocks(m.blocks)).toHaveLength(0);
  });
});

describe('historyLine', () => {
  const f = act(
    act(file(), { type: 'acknowledge' }, T0 + MINUTE_MS),
    { type: 'pause', note: 'Which <!channel> floor?' },
    T0 + 2 * MINUTE_MS,
  );

  it('says who did what, with the time as a date token', () => {
    expect(historyLine(f.events[0]!, 'IT-42')).toMatch(/^:inbox_tray: <@U0REQ> filed IT-42 — <!date\^/);
    expect(historyLine(f.events[1]!, 'IT-42')).toMatch(/^:eyes: <@U0ALICE> acknowledged IT-42 — <!date\^/);
  });

  it('quotes and escapes notes', () => {
    const line = historyLine(f.events[2]!, 'IT-42');
    expect(line).toContain(':hourglass: <@U0ALICE> is waiting on the requester: “Which &lt;!channel&gt; floor?”');
    expect(line).not.toContain('<!channel>');
  });

  it('names the assignee, the rating and the comment', () => {
    const base = { actor: 'U0ALICE', at: T0, to: 'acknowledged' as const };
    expect(historyLine({ ...base, type: 'assign', assignee: 'U0BOB' }, 'IT-42')).toContain(
      ':bust_in_silhouette: <@U0ALICE> assigned IT-42 to <@U0BOB>',
    );
    expect(historyLine({ ...base, type: 'comment', note: 'on the 3rd floor' }, 'IT-42')).toContain(
      ':speech_balloon: <@U0ALICE>: “on the 3rd floor”',
    );
    expect(
      historyLine({ ...base, actor: REQUESTER, type: 'rate', score: 4, note: 'faster', to: 'closed' }, 'IT-42'),
    ).toContain(':star: <@U0REQ> rated IT-42 4/5 — “faster”');
    expect(historyLine({ ...base, type: 'resolve', note: 'done', to: 'resolved' }, 'IT-42')).toContain(
      ':white_check_mark: <@U0ALICE> resolved IT-42: “done”',
    );
    expect(historyLine({ ...base, type: 'reopen', to: 'reopened' }, 'IT-42')).toContain(':arrows_counterclockwise:');
    expect(historyLine({ ...base, type: 'close', to: 'closed' }, 'IT-42')).toContain(':lock:');
    expect(historyLine({ ...base, type: 'cancel', to: 'cancelled' }, 'IT-42')).toContain(':x:');
  });

  it('says when Kept warned about a target, without mentioning Kept as a user', () => {
    const warned = actWith(
      file(),
      { type: 'warn', kind: 'response' },
      T0 + 25 * MINUTE_MS,
      SYSTEM_ACTOR,
      SYSTEM_RIGHTS,
    );
    const event = warned.events.at(-1)!;
    expect(event.actor).toBe(SYSTEM_ACTOR);
    expect(historyLine(event, 'IT-42')).toBe(
      `:warning: IT-42's response target is at risk — ${dateOf(T0 + 25 * MINUTE_MS)}{date_short_pretty} {time}|2026-11-25 14:55 UTC>`,
    );
  });

  it('says which target was missed, never what it cost (the thread is read by the whole channel)', () => {
    const missed = breach(file(), 'resolution', T0 + 5 * HOUR_MS, { amount: 100, multiplier: 2, n: 3 });
    const event = missed.events.at(-1)!;
    expect(event).toMatchObject({ amount: 100, unit: 'points' }); // the history keeps it; the line does not say it
    const line = historyLine(event, 'IT-42');
    expect(line).toMatch(/^:red_circle: IT-42 missed its resolution target — <!date\^/);
    expect(line).not.toMatch(/penalty|points|100|<@|kept/);
  });

  it('names who waived a penalty and why, escaped, without the amount', () => {
    const waived = waive(
      breach(file(), 'response', T0 + 40 * MINUTE_MS),
      'response',
      'Our <!channel> mistake',
      T0 + HOUR_MS,
    );
    const line = historyLine(waived.events.at(-1)!, 'IT-42');
    expect(line).toMatch(
      /^:handshake: <@U0HEADFIN> waived the response penalty of IT-42: “Our &lt;!channel&gt; mistake” — <!date\^/,
    );
    expect(line).not.toContain('<!channel>');
  });

  it('adds the cause to a late resolve, escaped; an unknown category is shown as given', () => {
    const base = { type: 'resolve' as const, actor: 'U0ALICE', at: T0, to: 'resolved' as const, note: 'done' };
    expect(
      historyLine({ ...base, cause: { category: 'dependency', text: 'Vendor <!here> was down' } }, 'IT-42'),
    ).toContain(
      ':white_check_mark: <@U0ALICE> resolved IT-42: “done” — cause: Dependency: “Vendor &lt;!here&gt; was down” — <!date^',
    );
    expect(historyLine({ ...base, cause: { category: 'tooling' } }, 'IT-42')).toMatch(
      /resolved IT-42: “done” — cause: Tooling — <!date\^/,
    );
    expect(historyLine({ ...base, cause: { category: '<weird>' } }, 'IT-42')).toContain('cause: &lt;weird&gt;');
    expect(historyLine(base, 'IT-42')).not.toContain('cause');
  });

  it('writes Kept, not a mention, for anything else the scan did', () => {
    expect(historyLine({ type: 'comment', actor: SYSTEM_ACTOR, at: T0, to: 'open', note: 'x' }, 'IT-42')).toMatch(
      /^:speech_balloon: Kept: “x”/,
    );
  });
});

describe('filedConfirmation', () => {
  const f = file();
  const confirm = (timezone: string, cardLink?: string) =>
    filedConfirmation({
      request: f.request,
      clocks: clocksAt(f.request, calendar, T0),
      timezone,
      ...(cardLink ? { cardLink } : {}),
      providerName: 'IT',
      channel: 'C0ITQ',
    });

  it("shows due times in the requester's own time zone: Berlin and New York see different local times", () => {
    const berlin = allText(confirm('Europe/Berlin'));
    const newYork = allText(confirm('America/New_York'));
    // Response due at 15:00 UTC, resolution at 18:30 UTC.
    expect(berlin).toContain('Wed 25 Nov, 16:00 CET');
    expect(berlin).toContain('Wed 25 Nov, 19:30 CET');
    expect(newYork).toContain('Wed 25 Nov, 10:00 EST');
    expect(newYork).toContain('Wed 25 Nov, 13:30 EST');
    expect(berlin).not.toContain('10:00 EST');
    expect(newYork).not.toContain('16:00 CET');
  });

  it('names the request, the provider, the working time left and what happens next', () => {
    const text = allText(confirm('Europe/Berlin'));
    expect(text).toContain('Filed *IT-42* with IT: *Laptop will not boot*');
    expect(text).toContain('30m of working time left');
    expect(text).toContain('4h of working time left');
    expect(text).toMatch(/DM when IT acknowledges it, when IT needs your input and when it is resolved/);
  });

  it('links the card when Slack gave its permalink, else names the channel', () => {
    expect(allText(confirm('UTC', 'https://acme.slack.com/archives/C0ITQ/p1'))).toContain(
      'See <https://acme.slack.com/archives/C0ITQ/p1|the card> in <#C0ITQ>',
    );
    expect(allText(confirm('UTC'))).toContain('See the card in <#C0ITQ>');
  });
});

describe('requesterUpdate', () => {
  const f = file();

  it('tells the requester when their request is acknowledged or needs their input', () => {
    const ack = requesterUpdate({
      event: { type: 'acknowledge', actor: 'U0ALICE', at: T0 },
      request: f.request,
      providerName: 'IT',
    })!;
    expect(allText(ack)).toContain(':eyes: IT is on IT-42');
    const pause = requesterUpdate({
      event: { type: 'pause', actor: 'U0ALICE', at: T0, note: 'Which <!here> floor?' },
      request: f.request,
      providerName: 'IT',
    })!;
    const text = allText(pause);
    expect(text).toContain('IT needs your input on IT-42');
    expect(text).toContain('“Which &lt;!here&gt; floor?”');
    expect(text).toContain('`/sla resume IT-42 your answer`');
    expect(text).toContain('paused until then');
    expect(text).not.toContain('<!here>');
  });

  it('asks for a rating with five buttons whose values parse back, plus Confirm solved and Reopen', () => {
    const m = requesterUpdate({
      event: { type: 'resolve', actor: 'U0ALICE', at: T0, note: 'Replaced the SSD' },
      request: f.request,
      providerName: 'IT',
    })!;
    expect(allText(m)).toContain('Replaced the SSD');
    expect(allText(m)).toContain('How did IT do?');
    const rating = buttons(m.blocks).filter((b) => RATE_ACTION_PATTERN.test(b.action_id ?? ''));
    expect(rating).toHaveLength(5);
    expect(rating.map((b) => JSON.parse(b.value!))).toEqual([1, 2, 3, 4, 5].map((score) => ({ id: 'IT-42', score })));
    expect(rating.map((b) => b.action_id)).toEqual([1, 2, 3, 4, 5].map(rateActionId));
    for (const block of actionsBlocks(m.blocks)) {
      const ids = block.elements.map((e) => ('action_id' in e ? e.action_id : ''));
      expect(new Set(ids).size).toBe(ids.length);
    }
    const close = buttons(m.blocks).find((b) => b.action_id === IDS.requestAction.close)!;
    const reopen = buttons(m.blocks).find((b) => b.action_id === IDS.requestAction.reopen)!;
    expect([close.text.text, close.value, reopen.text.text, reopen.value]).toEqual([
      'Confirm solved',
      'IT-42',
      'Reopen',
      'IT-42',
    ]);
  });

  it('offers Say thanks to a colleague who resolved it, never to the requester themselves or to Kept', () => {
    const resolvedBy = (actor: string) =>
      buttons(
        requesterUpdate({ event: { type: 'resolve', actor, at: T0 }, request: f.request, providerName: 'IT' })!.blocks,
      ).filter((b) => b.action_id === IDS.sayThanks);
    expect(resolvedBy('U0ALICE').map((b) => [b.text.text, b.value])).toEqual([['Say thanks', 'IT-42']]);
    expect(resolvedBy(f.request.requester)).toEqual([]);
    expect(resolvedBy(SYSTEM_ACTOR)).toEqual([]);
  });

  it('the rating pattern matches only the rating buttons', () => {
    expect(RATE_ACTION_PATTERN.test('request_rate_0')).toBe(false);
    expect(RATE_ACTION_PATTERN.test('request_rate_6')).toBe(false);
    expect(RATE_ACTION_PATTERN.test(IDS.requestAction.rate)).toBe(false);
    expect(RATE_ACTION_PATTERN.test(IDS.requestAction.reopen)).toBe(false);
  });

  it('says nothing for changes the requester need not hear of', () => {
    for (const type of ['assign', 'comment', 'close', 'reopen', 'cancel', 'rate', 'resume', 'filed'] as const) {
      expect(requesterUpdate({ event: { type, actor: 'U0ALICE', at: T0 }, request: f.request })).toBeUndefined();
    }
  });
});

describe('requestDetails', () => {
  it('shows the card without buttons and the last 10 lines of history', () => {
    let f = file();
    for (let i = 1; i <= 12; i++) f = act(f, { type: 'comment', note: `note ${i}` }, T0 + i * MINUTE_MS);
    const m = requestDetails({
      request: f.request,
      clocks: clocksAt(f.request, calendar, T0 + HOUR_MS),
      at: T0 + HOUR_MS,
      providerName: 'IT',
      customerName: 'Finance',
      history: f.events,
    });
    expect(actionsBlocks(m.blocks)).toHaveLength(0);
    const text = allText(m);
    expect(text).toContain('*IT-42 · Laptop will not boot*');
    expect(text).toContain('“note 12”');
    expect(text).toContain('“note 3”');
    expect(text).not.toContain('“note 2”');
    expect(text).not.toContain('filed IT-42');
    expect(m.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe('requestList', () => {
  it('shows one line per request with its next due target, and marks at-risk and breached ones', () => {
    const calm = file({ number: 1, priority: 'P2' });
    const risky = file({ number: 2, title: 'Risky' });
    const late = file({ number: 3, title: 'Late', at: T0 - HOUR_MS });
    const m = requestList({
      title: 'Your requests',
      items: [item(calm, T0 + 25 * MINUTE_MS), item(risky, T0 + 25 * MINUTE_MS), item(late, T0 + 25 * MINUTE_MS)],
      empty: 'none',
      at: T0,
    });
    const lines = allText(m).split('\n');
    const calmLine = lines.find((l) => l.includes('`IT-1`'))!;
    expect(calmLine).toMatch(
      /^`IT-1` \*Laptop will not boot\* · P2 · Open · response due <!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+> \(1h 35m left\)$/,
    );
    expect(lines.find((l) => l.includes('`IT-2`'))).toMatch(/^:warning: /);
    const lateLine = lines.find((l) => l.includes('`IT-3`'))!;
    expect(lateLine).toMatch(/^:red_circle: /);
    expect(lateLine).toContain('(overdue by 55m)');
  });

  it('shows at most 40 requests, then how many more, within 50 blocks and 3000 characters a section', () => {
    const items = Array.from({ length: 100 }, (_, i) =>
      item(file({ number: i + 1, title: `${'&'.repeat(140)} ${i}` }), T0),
    );
    const m = requestList({ title: 'Your queue', items, empty: 'none', at: T0 });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expectWithinTextLimits(m.blocks);
    const text = allText(m);
    expect(text).toContain('`IT-40`');
    expect(text).not.toContain('`IT-41`');
    expect(text).toContain('and 60 more');
  });

  it('says the empty text when there is nothing', () => {
    const m = requestList({ title: 'Your requests', items: [], empty: 'You have not filed any requests.', at: T0 });
    expect(allText(m)).toContain('You have not filed any requests.');
  });
});

describe('requestsHomeView', () => {
  it('welcomes with empty states that say how to file and where new requests appear', () => {
    const view = requestsHomeView({
      mine: [],
      queues: [{ department: { id: 'it', name: 'IT', channel: 'C0ITQ' }, items: [] }],
      at: T0,
    });
    expect(view.type).toBe('home');
    const text = allText(view);
    expect(view.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Kept' } });
    expect(text).toContain('You have no requests. File one with `/sla new` or the “File as request” message shortcut.');
    expect(text).toContain('Nothing waiting for IT. New requests appear here and in <#C0ITQ>.');
    expect(text).toContain('`/sla help`');
  });

  it("welcomes someone new with the help's short list and one New request button, the Home's own", () => {
    const view = requestsHomeView({ mine: [], queues: [], at: T0 });
    expect(allText(view)).toContain('*Welcome to Kept*');
    expect(allText(view)).toContain('*Working a request*');
    const buttons = view.blocks.flatMap((b) =>
      b.type === 'actions' ? (b as { elements: Array<{ action_id?: string }> }).elements.map((e) => e.action_id) : [],
    );
    expect(buttons).toEqual([IDS.homeNewRequest]);
  });

  it('lists my live requests first, then closed ones', () => {
    const closed = act(
      act(file({ number: 1, title: 'Old one' }), { type: 'resolve', note: 'x' }, T0),
      { type: 'close' },
      T0 + MINUTE_MS,
      REQUESTER,
    );
    const live = file({ number: 2, title: 'Live one' });
    const text = allText(
      requestsHomeView({ mine: [item(closed, T0 + HOUR_MS), item(live, T0 + HOUR_MS)], queues: [], at: T0 + HOUR_MS }),
    );
    expect(text.indexOf('Live one')).toBeGreaterThan(-1);
    expect(text.indexOf('Live one')).toBeLessThan(text.indexOf('Old one'));
    expect(text).toContain('`IT-1` *Old one* · P1 · Closed · closed <!date^');
  });

  it('sorts each queue by time to breach: breached first, then least time left', () => {
    const at = T0 + 25 * MINUTE_MS;
    const slow = file({ number: 1, title: 'Slow', priority: 'P2' });
    const breached = file({ number: 2, title: 'Breached', at: T0 - HOUR_MS });
    const soon = file({ number: 3, title: 'Soon' });
    const view = requestsHomeView({
      mine: [],
      queues: [
        { department: { id: 'it', name: 'IT & Co' }, items: [item(slow, at), item(breached, at), item(soon, at)] },
      ],
      at,
    });
    const text = allText(view);
    expect(text).toContain('*Queue — IT &amp; Co*');
    const order = ['Breached', 'Soon', 'Slow'].map((t) => text.indexOf(`*${t}*`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(-1);
    expect(text).toMatch(/:warning: `IT-3` \*Soon\*/);
  });

  it('shows a head each headed department this month in one line, escaped, at most ten', () => {
    const report = (name: string, counters: Counters) =>
      buildReport({
        department: { id: 'd', name },
        from: '2026-11-01',
        to: '2026-11-30',
        label: 'November 2026',
        days: [{ day: '2026-11-02', counters }],
        better: [],
        agreementNames: {},
      });
    const busy = report('R&D <lab>', {
      filed: 3,
      met: 2,
      breached: 1,
      live: 0,
      'penalty|points': 50,
      'waived|points': 20,
      'penalty|EUR': 10,
    });
    const quiet = report('Legal', {});
    const text = allText(
      requestsHomeView({
        mine: [],
        queues: [],
        at: T0,
        headed: [busy, quiet, ...Array.from({ length: 10 }, () => quiet)],
      }),
    );
    expect(text).toContain('*Your departments this month*');
    expect(text).toContain(
      '*R&amp;D &lt;lab&gt;* · November 2026: *66.7%* kept (2 met, 1 missed) · 0 open · 30 points owed · €10.00 owed',
    );
    expect(text).toContain('*Legal* · November 2026: nothing filed yet.');
    expect(text).toContain('and 2 more departments');
    expect(text.match(/\*Legal\*/g)).toHaveLength(9);
    expect(allText(requestsHomeView({ mine: [], queues: [], at: T0 }))).not.toContain('Your departments');
  });

  it('offers a head the proposals to answer with Accept and Decline, and caps every section', () => {
    const many = Array.from({ length: 30 }, (_, i) => item(file({ number: i + 1 }), T0));
    const proposals = Array.from({ length: 7 }, (_, i) => ({ id: `a${i}`, version: 2, title: `IT → Finance · S${i}` }));
    const view = requestsHomeView({
      mine: many,
      queues: [{ department: { id: 'it', name: 'IT' }, items: many }],
      needs: { assigned: many, waiting: many, proposals, breaches: many },
      at: T0,
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expectWithinTextLimits(view.blocks);
    const text = allText(view);
    expect(text).toContain('*IT → Finance · S0* · version 2');
    expect(text).toContain('and 2 more — `/sla agreements` shows them all.');
    expect(text).toContain('and 25 more — `/sla list queue` shows them all.');
    const buttons = view.blocks.flatMap((b) => (b.type === 'actions' ? (b as ActionsBlock).elements : []));
    expect(buttons).toContainEqual(
      expect.objectContaining({ action_id: 'agreement_decline', value: JSON.stringify({ id: 'a0', version: 2 }) }),
    );
  });

  it('stays within 100 blocks with many requests and queues', () => {
    const mine = Array.from({ length: 100 }, (_, i) => item(file({ number: i + 1, title: `${'<'.repeat(140)}` }), T0));
    const queues = Array.from({ length: 12 }, (_, q) => ({
      department: { id: `d${q}`, name: `Dept ${q}` },
      items: Array.from({ length: 60 }, (_, i) => item(file({ number: i + 1 }), T0)),
    }));
    const view = requestsHomeView({ mine, queues, at: T0 });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expectWithinTextLimits(view.blocks);
    const text = allText(view);
    expect(text).toContain('and 75 more');
    expect(text).toContain('`/sla help`');
  });
});

// ---------------------------------------------------------------------------------------------
// Modals

describe('newRequestModal', () => {
  const it3 = agreement();
  const desks = agreement({
    id: 'facilities-for-all-desks',
    provider: 'facilities',
    service: 'Desks',
    targets: { P3: { response: 8 * HOUR_MS, resolution: 40 * HOUR_MS } },
  });
  const printers = agreement({ id: 'it-for-finance-printers', service: 'Printers' });
  const choices: ServiceChoice[] = [
    { agreement: it3, providerName: 'IT' },
    { agreement: desks, providerName: 'Facilities' },
    { agreement: printers, providerName: 'IT' },
  ];
  const serviceSelect = (view: ReturnType<typeof newRequestModal>) =>
    inputById(view.blocks, IDS.requestServiceBlock).element as StaticSelect;
  const priorityOptions = (view: ReturnType<typeof newRequestModal>) =>
    ((inputById(view.blocks, IDS.requestPriorityBlock).element as StaticSelect).options ?? []).map((o) => o.text.text);

  it('is the new-request modal with our ids, and keeps the metadata it is given', () => {
    const view = newRequestModal({ choices, metadata: '{"provider":"it"}' });
    expect(view.callback_id).toBe(IDS.newRequestModal);
    expect(view.private_metadata).toBe('{"provider":"it"}');
    expect(view.title.text).toBe('New request');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text).toBe('File request');
    expect(view.close?.text).toBe('Cancel');
    expect(inputs(view.blocks).map((b) => b.block_id)).toEqual([
      IDS.requestServiceBlock,
      IDS.requestPriorityBlock,
      IDS.requestTitleBlock,
      IDS.requestDescriptionBlock,
    ]);
    const service = inputById(view.blocks, IDS.requestServiceBlock);
    expect(service.dispatch_action).toBe(true);
    expect((service.element as StaticSelect).action_id).toBe(IDS.requestServiceSelect);
    const title = inputById(view.blocks, IDS.requestTitleBlock).element;
    expect(title).toMatchObject({ type: 'plain_text_input', action_id: IDS.value, max_length: 150 });
    const description = inputById(view.blocks, IDS.requestDescriptionBlock);
    expect(description.optional).toBe(true);
    expect(description.element).toMatchObject({ multiline: true, action_id: IDS.value, max_length: 3000 });
  });

  it('groups services by provider when there is more than one provider', () => {
    const select = serviceSelect(newRequestModal({ choices, metadata: '' }));
    expect(select.options).toBeUndefined();
    expect(select.option_groups?.map((g) => [g.label.text, g.options.map((o) => o.text.text)])).toEqual([
      ['IT', ['Laptops and accounts', 'Printers']],
      ['Facilities', ['Desks']],
    ]);
    const single = serviceSelect(newRequestModal({ choices: [choices[0]!, choices[2]!], metadata: '' }));
    expect(single.option_groups).toBeUndefined();
    expect(single.options?.map((o) => o.value)).toEqual(['it-for-finance-laptops', 'it-for-finance-printers']);
  });

  it("keeps within Slack's option_groups limits: 100 groups of 100 options, labels of 75 characters", () => {
    const many: ServiceChoice[] = Array.from({ length: 102 }, (_, d) =>
      Array.from({ length: d < 2 ? 101 : 1 }, (_, n) => ({
        agreement: agreement({ id: `d${d}-s${n}`, provider: `d${d}`, service: `Service ${n}` }),
        providerName: `${d === 0 ? 'L'.repeat(90) : 'Department'} ${d}`,
      })),
    ).flat();
    const select = serviceSelect(newRequestModal({ choices: many, selected: 'd1-s100', metadata: '' }));
    expect(select.option_groups).toHaveLength(100);
    expect(select.option_groups?.[0]?.options).toHaveLength(100);
    expect(select.option_groups?.[0]?.label.text.length).toBeLessThanOrEqual(75);
    for (const g of select.option_groups ?? []) expect(g.options.length).toBeLessThanOrEqual(100);
    // A service Slack could not show is not offered as the initial pick either.
    expect(select.initial_option).toBeUndefined();
    const flat = serviceSelect(
      newRequestModal({ choices: many.filter((c) => c.agreement.provider === 'd1'), metadata: '' }),
    );
    expect(flat.options).toHaveLength(100);
  });

  it("lists only the selected agreement's priorities, labelled with its targets", () => {
    const first = newRequestModal({ choices, metadata: '' });
    expect(serviceSelect(first).initial_option?.value).toBe('it-for-finance-laptops');
    expect(priorityOptions(first)).toEqual([
      'P1 — answer in 30m, solve in 4h working time',
      'P2 — answer in 2h, solve in 16h working time',
    ]);
    const picked = newRequestModal({ choices, selected: desks.id, metadata: '' });
    expect(serviceSelect(picked).initial_option).toEqual({
      text: { type: 'plain_text', text: 'Desks' },
      value: desks.id,
    });
    expect(priorityOptions(picked)).toEqual(['P3 — answer in 8h, solve in 40h working time']);
  });

  it('keeps the priority only when the selected agreement has it', () => {
    const kept = newRequestModal({ choices, initial: { priority: 'P2' }, metadata: '' });
    expect((inputById(kept.blocks, IDS.requestPriorityBlock).element as StaticSelect).initial_option?.value).toBe('P2');
    const dropped = newRequestModal({ choices, selected: desks.id, initial: { priority: 'P2' }, metadata: '' });
    expect(
      (inputById(dropped.blocks, IDS.requestPriorityBlock).element as StaticSelect).initial_option,
    ).toBeUndefined();
  });

  it('starts from the given text, clipped to the limits, and links the source message', () => {
    const view = newRequestModal({
      choices,
      initial: { title: 'Printer jams', description: 'x'.repeat(5000) },
      source: { channel: 'C0G', ts: '1.2', permalink: 'https://acme.slack.com/archives/C0G/p12' },
      metadata: '',
    });
    expect(inputById(view.blocks, IDS.requestTitleBlock).element).toMatchObject({ initial_value: 'Printer jams' });
    const description = inputById(view.blocks, IDS.requestDescriptionBlock).element as { initial_value?: string };
    expect(description.initial_value?.length).toBe(3000);
    expect(contextTexts(view.blocks)).toContain('Filed from <https://acme.slack.com/archives/C0G/p12|this message>');
  });

  it('clips long service names and priority labels to 75 characters', () => {
    const long = agreement({
      id: 'long',
      service: 'S'.repeat(200),
      targets: { P4: { response: 100_000 * HOUR_MS - MINUTE_MS, resolution: 100_000 * HOUR_MS - MINUTE_MS } },
    });
    const view = newRequestModal({ choices: [{ agreement: long, providerName: 'IT' }], metadata: '' });
    expect(serviceSelect(view).options![0]!.text.text.length).toBeLessThanOrEqual(75);
    for (const label of priorityOptions(view)) expect(label.length).toBeLessThanOrEqual(75);
  });
});

describe('readNewRequestView', () => {
  it('reads back what the modal asked for', () => {
    expect(
      readNewRequestView({
        [IDS.requestServiceBlock]: {
          [IDS.requestServiceSelect]: { selected_option: { value: 'it-for-finance-laptops' } },
        },
        [IDS.requestPriorityBlock]: { [IDS.value]: { selected_option: { value: 'P2' } } },
        [IDS.requestTitleBlock]: { [IDS.value]: { value: '  Printer jams ' } },
        [IDS.requestDescriptionBlock]: { [IDS.value]: { value: null } },
      }),
    ).toEqual({ agreementId: 'it-for-finance-laptops', priority: 'P2', title: 'Printer jams', description: '' });
  });

  it('leaves out what was not picked', () => {
    expect(readNewRequestView({ [IDS.requestPriorityBlock]: { [IDS.value]: { selected_option: null } } })).toEqual({
      title: '',
      description: '',
    });
  });
});

describe('resolveModal and rateCommentModal', () => {
  it('asks for a required resolution note and remembers the request', () => {
    const view = resolveModal('FACILITIES-1234');
    expect(view.callback_id).toBe(IDS.resolveModal);
    expect(view.private_metadata).toBe('FACILITIES-1234');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text).toBe('Resolve');
    const note = inputById(view.blocks, IDS.resolveNoteBlock);
    expect(note.optional).toBeUndefined();
    expect(note.element).toMatchObject({
      type: 'plain_text_input',
      action_id: IDS.value,
      multiline: true,
      max_length: 1000,
    });
    expect(resolveModal('IT-42').title.text).toBe('Resolve IT-42');
  });

  it('asks only for the comment once the score is recorded, and carries back what the submission needs', () => {
    const metadata = JSON.stringify({ id: 'IT-42', score: 4, channel: 'D0REQ', ts: '1.2' });
    const view = rateCommentModal({ requestId: 'IT-42', score: 4, providerName: '<!channel> IT', metadata });
    expect(view.callback_id).toBe(IDS.rateModal);
    expect(view.private_metadata).toBe(metadata);
    expect(view.submit?.text).toBe('Send');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(inputs(view.blocks).map((b) => b.block_id)).toEqual([IDS.rateBetterBlock]);
    const better = inputById(view.blocks, IDS.rateBetterBlock);
    expect(better.optional).toBeUndefined();
    expect(better.label.text).toBe('What would have made this better?');
    expect(better.element).toMatchObject({ action_id: IDS.value, multiline: true, max_length: 1000 });
    expect(allText(view)).toContain('You rated IT-42 4/5');
    expect(allText(view)).not.toContain('<!channel>');
  });
});
