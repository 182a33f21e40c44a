/**
 * The request state machine (functions/domain/request.ts) as a user meets it: filing, who may do
 * what from which status, what each action does to the two target clocks, and the request's
 * revision and history line. Instants are hand-checked against a Mon-Fri 09:00-17:00 New York
 * calendar in November 2026 (EST, UTC-5: 09:00 = 14:00Z, 17:00 = 22:00Z).
 */
import type { AgreementVersion, Priority } from '../../../functions/domain/agreement';
import { type Calendar, compileCalendar } from '../../../functions/domain/calendar';
import type { Department } from '../../../functions/domain/department';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  ACTION_TYPES,
  type ActionType,
  AUTO_CLOSE_MS,
  checkRequestText,
  clocksAt,
  cycleOf,
  fileRequest,
  nextDue,
  parseRequestId,
  REOPEN_WINDOW_MS,
  REQUEST_STATUSES,
  type Request,
  type RequestAction,
  type RequestEvent,
  type RequestStatus,
  type Rights,
  rightsOf,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { actionsFor, decide, RULES } from '../../../functions/domain/request-actions';
import { clockAt } from '../../../functions/domain/target-clock';
import { department } from '../../support/departments';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null | undefined) => (t === null || t === undefined ? t : new Date(t).toISOString());

const WEEKDAYS_9_TO_5 = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};
const cal: Calendar = compileCalendar({ timezone: 'America/New_York', hours: WEEKDAYS_9_TO_5 });
const always: Calendar = compileCalendar({ timezone: 'UTC' });

const HEAD = 'U0ITHEAD';
const AGENT = 'U0ITAGENT';
const OTHER = 'U0ITOTHER';
const REQUESTER = 'U0FINREQ';
const STRANGER = 'U0STRANGER';
const FIN_HEAD = 'U0FINHEAD';
const IT: Department = department('it', 'IT', [HEAD], { members: [AGENT, OTHER] });
/** The customer department: its head may waive a penalty. */
const FINANCE: Department = department('finance', 'Finance', [FIN_HEAD], { members: [REQUESTER] });

const AGREEMENT: AgreementVersion = {
  id: 'it-for-finance',
  version: 3,
  provider: 'it',
  customer: 'finance',
  service: 'Laptops',
  targets: {
    P1: { response: HOUR_MS, resolution: 4 * HOUR_MS },
    P2: { response: 4 * HOUR_MS, resolution: 16 * HOUR_MS },
  },
  penalty: { unit: 'points', perBreach: 10, tiers: [] },
  atRisk: 0.8,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'import',
};

/** Where a transfer goes: People Operations (HR), with an agreement covering Finance. */
const HR: Department = department('people-ops', 'People Operations', ['U0HRHEAD'], { members: ['U0HRMEM'] });
const HR_AGREEMENT: AgreementVersion = {
  ...AGREEMENT,
  id: 'hr-for-finance',
  version: 1,
  provider: 'people-ops',
  service: 'Payroll questions',
  targets: { P2: { response: 2 * HOUR_MS, resolution: 8 * HOUR_MS } },
};

// Monday 16 November 2026, 09:00 in New York.
const MON = at('2026-11-16T14:00:00Z');

function file(
  over: {
    at?: number;
    priority?: Priority;
    requester?: string;
    agreement?: AgreementVersion;
    calendar?: Calendar;
  } = {},
): Request {
  const r = fileRequest({
    id: 'IT-42',
    number: 42,
    agreement: over.agreement ?? AGREEMENT,
    customer: 'finance',
    priority: over.priority ?? 'P2',
    title: 'New laptop for Dana',
    description: 'Dana starts on Monday.',
    requester: over.requester ?? REQUESTER,
    at: over.at ?? MON,
    calendar: over.calendar ?? cal,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

interface ActOptions {
  calendar?: Calendar;
  provider?: Department;
  /** Instead of the rights `actor` has as a person (Kept itself: SYSTEM_RIGHTS). */
  rights?: Rights;
}

function attempt(request: Request, action: RequestAction, actor: string, when: number, opts: ActOptions = {}) {
  const provider = opts.provider ?? IT;
  return decide(request, action, {
    actor,
    at: when,
    calendar: opts.calendar ?? cal,
    rights: opts.rights ?? rightsOf(request, provider, actor, FINANCE),
    provider,
    targets: AGREEMENT.targets,
    destination: { department: HR, agreement: HR_AGREEMENT, calendar: always },
  });
}

/** The accepted change; fails the test with the refusal otherwise. */
function act(
  request: Request,
  action: RequestAction,
  actor: string,
  when: number,
  opts: ActOptions = {},
): { request: Request; event: RequestEvent } {
  const r = attempt(request, action, actor, when, opts);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value;
}

/** The refusal; fails the test if the action was accepted. */
function refusal(request: Request, action: RequestAction, actor: string, when: number, opts: ActOptions = {}): string {
  const r = attempt(request, action, actor, when, opts);
  if (r.ok) throw new Error(`accepted ${action.type} from ${request.status}, expected a refusal`);
  return r.error;
}

// ---------------------------------------------------------------------------------------------

describe('filing', () => {
  it('gives the request its ID and starts both clocks at filing time with the priority targets and the at-risk threshold', () => {
    const r = fileRequest({
      id: 'IT-42',
      number: 42,
      agreement: AGREEMENT,
      customer: 'finance',
      priority: 'P2',
      title: '  New laptop for Dana  ',
      description: ' Dana starts on Monday. ',
      source: { channel: 'C0FIN', ts: '1.2', permalink: 'https://x.slack.com/archives/C0FIN/p12' },
      requester: REQUESTER,
      at: MON,
      calendar: cal,
    });
    if (!r.ok) throw new Error(r.error);
    const { request, event } = r.value;
    expect(request).toMatchObject({
      id: 'IT-42',
      number: 42,
      provider: 'it',
      customer: 'finance',
      agreementId: 'it-for-finance',
      agreementVersion: 3,
      service: 'Laptops',
      priority: 'P2',
      title: 'New laptop for Dana',
      description: 'Dana starts on Monday.',
      source: { channel: 'C0FIN', ts: '1.2', permalink: 'https://x.slack.com/archives/C0FIN/p12' },
      requester: REQUESTER,
      status: 'open',
      createdAt: MON,
      updatedAt: MON,
      rev: 1,
      // The report bucket, in the calendar's zone: Monday 16 November (ISO week 47), 09:00.
      filed: { day: '2026-11-16', week: '2026-W47', weekday: 1, hour: 9 },
    });
    expect(request.assignee).toBeUndefined();
    expect(request.warned ?? request.breaches ?? request.cause).toBeUndefined();
    expect(request.clocks.response).toMatchObject({
      kind: 'response',
      target: 4 * HOUR_MS,
      threshold: 0.8,
      state: 'running',
      startedAt: MON,
      runningSince: MON,
      usedBefore: 0,
    });
    expect(request.clocks.resolution).toMatchObject({
      kind: 'resolution',
      target: 16 * HOUR_MS,
      threshold: 0.8,
      state: 'running',
      startedAt: MON,
      runningSince: MON,
      usedBefore: 0,
    });
    // Response 4h: Mon 13:00 EST. Resolution 16h: all of Monday and Tuesday.
    expect(iso(request.clocks.response.dueAt)).toBe('2026-11-16T18:00:00.000Z');
    expect(iso(request.clocks.resolution.dueAt)).toBe('2026-11-17T22:00:00.000Z');
    // At risk at 80%: 3h12m into Monday; 12h48m = Monday + 4h48m of Tuesday.
    expect(iso(request.clocks.response.atRiskAt)).toBe('2026-11-16T17:12:00.000Z');
    expect(iso(request.clocks.resolution.atRiskAt)).toBe('2026-11-17T18:48:00.000Z');
    expect(event).toEqual({ seq: 1, type: 'filed', actor: REQUESTER, at: MON, from: null, to: 'open' });
  });

  it('uses the targets of the priority asked for', () => {
    const p1 = file({ priority: 'P1' });
    expect(p1.clocks.response.target).toBe(HOUR_MS);
    expect(p1.clocks.resolution.target).toBe(4 * HOUR_MS);
    expect(iso(p1.clocks.response.dueAt)).toBe('2026-11-16T15:00:00.000Z');
  });

  it('refuses a priority the agreement has no target for, naming it', () => {
    const r = fileRequest({
      id: 'IT-1',
      number: 1,
      agreement: AGREEMENT,
      customer: 'finance',
      priority: 'P4',
      title: 'x',
      description: '',
      requester: REQUESTER,
      at: MON,
      calendar: cal,
    });
    expect(r).toEqual({ ok: false, error: expect.stringContaining('P4') });
    expect(r.ok || r.error).toContain('Laptops');
  });

  const withText = (title: string, description = '') =>
    fileRequest({
      id: 'IT-1',
      number: 1,
      agreement: AGREEMENT,
      customer: 'finance',
      priority: 'P2',
      title,
      description,
      requester: REQUESTER,
      at: MON,
      calendar: cal,
    });

  it('refuses an empty or blank title', () => {
    expect(withText('')).toEqual({ ok: false, error: expect.stringContaining('title') });
    expect(withText('   \n ')).toEqual({ ok: false, error: expect.stringContaining('title') });
  });

  it('counts the title in characters: 150 is fine, 151 is refused with the limit named', () => {
    expect(withText('a'.repeat(150)).ok).toBe(true);
    const r = withText('a'.repeat(151));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('150') });
    expect(r.ok || r.error).toContain('151 characters');
    // 150 emoji are 300 UTF-16 code units but 150 characters.
    const emoji = '😀'.repeat(150);
    expect(emoji.length).toBe(300);
    expect(withText(emoji).ok).toBe(true);
    expect(checkRequestText({ title: emoji, description: '' })).toEqual({});
    expect(withText('😀'.repeat(151))).toEqual({ ok: false, error: expect.stringContaining('151 characters') });
  });

  it('refuses a description over 3000 characters with the limit named', () => {
    expect(withText('ok', 'd'.repeat(3000)).ok).toBe(true);
    const r = withText('ok', 'd'.repeat(3001));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('3000') });
    expect(r.ok || r.error).toContain('description');
    expect(checkRequestText({ title: 'ok', description: 'd'.repeat(3001) })).toEqual({
      description: expect.stringContaining('3001'),
    });
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * A request filed Mon 09:00 EST and brought into `status`, its first answer at `first` and each
 * step an hour after the one before; every step taken by AGENT or the requester. A late first
 * answer resolves with `cause`.
 */
function broughtTo(
  status: RequestStatus,
  first: number,
  { requester = REQUESTER, cause }: { requester?: string; cause?: { category: 'staffing' } } = {},
): Request {
  const filed = file({ requester });
  const h = (n: number) => first + n * HOUR_MS;
  const ack = () => act(filed, { type: 'acknowledge' }, AGENT, h(0)).request;
  const resolved = () =>
    act(ack(), { type: 'resolve', note: 'Laptop delivered.', ...(cause ? { cause } : {}) }, AGENT, h(1)).request;
  switch (status) {
    case 'open':
      return filed;
    case 'acknowledged':
      return ack();
    case 'waiting_on_requester':
      return act(ack(), { type: 'pause', note: 'Which model?' }, AGENT, h(1)).request;
    case 'waiting_on_third_party':
      return act(ack(), { type: 'pause', note: 'The vendor ships Friday.', thirdParty: true }, AGENT, h(1)).request;
    case 'resolved':
      return resolved();
    case 'reopened':
      return act(resolved(), { type: 'reopen', note: 'The charger is missing.' }, requester, h(2)).request;
    case 'closed':
      return act(resolved(), { type: 'close' }, requester, h(2)).request;
    case 'cancelled':
      return act(filed, { type: 'cancel' }, requester, h(0)).request;
  }
}

/** A request brought into `status` on Monday, answered an hour after filing, in time. */
const inStatus = (status: RequestStatus, requester = REQUESTER): Request =>
  broughtTo(status, MON + HOUR_MS, { requester });

/** A valid payload for each user action (the assignee is a member nobody has assigned yet). */
const PAYLOAD: Record<
  Exclude<ActionType, 'warn' | 'escalate' | 'remind' | 'unanswered' | 'breach' | 'waive' | 'unassign'>,
  RequestAction
> = {
  acknowledge: { type: 'acknowledge' },
  assign: { type: 'assign', assignee: OTHER },
  pause: { type: 'pause', note: 'Which model?' },
  resume: { type: 'resume' },
  resolve: { type: 'resolve', note: 'Done.' },
  close: { type: 'close' },
  reopen: { type: 'reopen' },
  cancel: { type: 'cancel' },
  comment: { type: 'comment', note: 'Any news?' },
  rate: { type: 'rate', score: 4 },
  priority: { type: 'priority', priority: 'P1', reason: 'The whole floor is down.' },
  transfer: { type: 'transfer', to: 'people-ops', reason: 'Payroll belongs to HR.' },
  recover: { type: 'recover', step: 'apologised', note: 'Sorry we were late with this.' },
  recovered: { type: 'recovered', recovered: true },
};

// Tuesday 17 November 2026, 10:00 in New York: the response target (due Mon 13:00 EST) is missed.
const TUE_LATE = at('2026-11-17T15:00:00Z');

/** Like inStatus, but the request is first answered on Tuesday: its response target was missed. */
const lateInStatus = (status: RequestStatus): Request =>
  broughtTo(status, TUE_LATE, { cause: { category: 'staffing' } });

const CHARGE = { amount: 10, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };

type Role = 'provider only' | 'requester only' | 'both' | 'neither' | 'customer head' | 'system';
const ROLES: readonly Role[] = ['provider only', 'requester only', 'both', 'neither', 'customer head', 'system'];

// For "both" the requester is also in IT (a department filing with itself, or an IT member filing).
const IT_WITH_REQUESTER = department('it', 'IT', [HEAD], { members: [AGENT, OTHER, REQUESTER] });

function caseFor(role: Role): { actor: string; provider: Department; rights?: Rights } {
  switch (role) {
    case 'provider only':
      return { actor: AGENT, provider: IT };
    case 'requester only':
      return { actor: REQUESTER, provider: IT };
    case 'both':
      return { actor: REQUESTER, provider: IT_WITH_REQUESTER };
    case 'neither':
      return { actor: STRANGER, provider: IT };
    case 'customer head':
      return { actor: FIN_HEAD, provider: IT };
    case 'system':
      return { actor: SYSTEM_ACTOR, provider: IT, rights: SYSTEM_RIGHTS };
  }
}

const roleFits = (type: ActionType, role: Role): boolean => {
  const provider = role === 'provider only' || role === 'both';
  const requester = role === 'requester only' || role === 'both';
  switch (RULES[type].who) {
    case 'provider':
      return provider;
    case 'requester':
      return requester;
    case 'either':
      return provider || requester;
    case 'customerHead':
      return role === 'customer head';
    case 'system':
      return role === 'system';
    case 'requesterOrSystem':
      return requester || role === 'system';
  }
};

const WHO_MAY: Record<(typeof RULES)[ActionType]['who'], string> = {
  provider: 'only people in IT can',
  requester: 'only the person who filed IT-42 can',
  either: 'only IT and the person who filed IT-42 can',
  customerHead: 'only a head of the department that filed IT-42 can',
  system: 'only Kept itself can',
  requesterOrSystem: 'only the person who filed IT-42 can',
};

const STATUS_CACHE = new Map(REQUEST_STATUSES.map((s) => [s, inStatus(s)]));
const LATE_CACHE = new Map(REQUEST_STATUSES.map((s) => [s, lateInStatus(s)]));
/** Late requests whose response breach Kept recorded an hour after their last change (Tuesday 11:00 EST at the earliest). */
const BREACHED_CACHE = new Map(
  REQUEST_STATUSES.map((s) => {
    const late = LATE_CACHE.get(s)!;
    const r = attempt(
      late,
      { type: 'breach', kind: 'response', charge: CHARGE },
      SYSTEM_ACTOR,
      Math.max(late.updatedAt, TUE_LATE) + HOUR_MS,
      { rights: SYSTEM_RIGHTS },
    );
    if (!r.ok) throw new Error(`breach of a late ${s} request refused: ${r.error}`);
    return [s, r.value.request] as const;
  }),
);

/**
 * The request, payload and instant that make `type` from `status` go through when the role and the
 * status fit: user actions on the plain requests an hour after their last change; a warning while
 * the running target is at risk; a breach on a request whose response was missed; a waiver of a
 * recorded breach.
 */
function cellFor(type: ActionType, status: RequestStatus): { request: Request; action: RequestAction; when: number } {
  switch (type) {
    case 'warn': {
      const request = STATUS_CACHE.get(status)!;
      const kind = request.clocks.response.state === 'running' ? 'response' : 'resolution';
      const clock = request.clocks[kind];
      return {
        request,
        action: { type, kind },
        when: clock.state === 'running' ? clock.atRiskAt! + MINUTE_MS : request.updatedAt + HOUR_MS,
      };
    }
    case 'escalate': {
      // A ladder step at half the resolution target, sent once the due instant has come.
      const request: Request = {
        ...STATUS_CACHE.get(status)!,
        ladder: [{ at: 0.5, target: 'resolution', notify: 'assignee' }],
      };
      const clock = request.clocks.resolution;
      return {
        request,
        action: { type, step: 0, kind: 'resolution' },
        when: clock.state === 'running' ? clock.dueAt! : request.updatedAt + HOUR_MS,
      };
    }
    case 'unanswered': {
      // A reminder after an hour of waiting, applied once it has come.
      const request: Request = { ...STATUS_CACHE.get(status)!, waitRules: { remindAfter: HOUR_MS } };
      return { request, action: { type, rule: 'remind' }, when: request.updatedAt + 2 * HOUR_MS };
    }
    case 'breach': {
      const request = LATE_CACHE.get(status)!;
      return {
        request,
        action: { type, kind: 'response', charge: CHARGE },
        when: Math.max(request.updatedAt, TUE_LATE) + HOUR_MS,
      };
    }
    case 'remind': {
      // The daily reminder of the breached response, at the start of the next working day.
      const request = BREACHED_CACHE.get(status)!;
      return {
        request,
        action: { type, kind: 'response' },
        when: request.nextReminderAt ?? request.updatedAt + HOUR_MS,
      };
    }
    case 'unassign': {
      // The assignee left Slack: Kept takes them off the request.
      const request: Request = { ...STATUS_CACHE.get(status)!, assignee: AGENT };
      return { request, action: { type }, when: request.updatedAt + HOUR_MS };
    }
    case 'recover':
    case 'recovered': {
      // Recovery follows a miss: the breached request.
      const request = BREACHED_CACHE.get(status)!;
      return { request, action: PAYLOAD[type], when: request.updatedAt + HOUR_MS };
    }
    case 'waive': {
      const request = BREACHED_CACHE.get(status)!;
      return {
        request,
        action: { type, kind: 'response', reason: 'Agreed with IT: the supplier was late.' },
        when: request.updatedAt + HOUR_MS,
      };
    }
    default: {
      const request = STATUS_CACHE.get(status)!;
      // Acting one hour after the last change: inside the reopen window.
      return { request, action: PAYLOAD[type], when: request.updatedAt + HOUR_MS };
    }
  }
}

/**
 * Cells the rules let through that can never be accepted: while waiting on the requester the
 * response is met and the resolution paused, so no target is at risk to warn about; a wait on a
 * third party is the provider's to end, not the requester's (`roles`: only for these).
 */
const NEVER: Partial<
  Record<ActionType, { statuses: readonly RequestStatus[]; roles?: readonly Role[]; error: string }>
> = {
  warn: { statuses: ['waiting_on_requester'], error: 'not at risk' },
  escalate: { statuses: ['waiting_on_requester'], error: 'no resolution escalation step' },
  // Acknowledged (late), reopened or waiting on a third party, the breached response is met: nothing overdue.
  remind: { statuses: ['acknowledged', 'reopened', 'waiting_on_third_party'], error: 'not overdue' },
  resume: { statuses: ['waiting_on_third_party'], roles: ['requester only'], error: 'waiting on a third party' },
};

const MATRIX = ACTION_TYPES.flatMap((type) =>
  REQUEST_STATUSES.flatMap((status) => ROLES.map((role) => [type, status, role] as const)),
);

describe('who may do what, from which status', () => {
  it('has every action, status and role in the table (21 x 8 x 6)', () => {
    expect(MATRIX).toHaveLength(ACTION_TYPES.length * REQUEST_STATUSES.length * ROLES.length);
    expect(MATRIX).toHaveLength(1008);
  });

  it('the fixtures are what the table needs', () => {
    for (const status of REQUEST_STATUSES) {
      expect([
        STATUS_CACHE.get(status)!.status,
        LATE_CACHE.get(status)!.status,
        BREACHED_CACHE.get(status)!.status,
      ]).toEqual([status, status, status]);
      expect(BREACHED_CACHE.get(status)!.breaches?.response).toMatchObject({ dueAt: at('2026-11-16T18:00:00Z') });
    }
  });

  it.each(MATRIX)('%s from %s by %s: allowed exactly when RULES says so', (type, status, role) => {
    const { request, action, when } = cellFor(type, status);
    expect(request.status).toBe(status);
    const { actor, provider, rights } = caseFor(role);
    const fits = roleFits(type, role) && RULES[type].from.includes(status);
    const rule = NEVER[type];
    const never = rule?.statuses.includes(status) === true && (!rule.roles || rule.roles.includes(role));
    // Kept closes a resolved request only once its reopen window is over.
    const at = type === 'close' && role === 'system' ? (request.resolvedAt ?? when) + AUTO_CLOSE_MS : when;
    const r = attempt(request, action, actor, at, { provider, ...(rights ? { rights } : {}) });
    if (fits && !never) {
      if (!r.ok) throw new Error(`expected ${type} to be accepted, refused: ${r.error}`);
      expect(r.value.request.rev).toBe(request.rev + 1);
      expect(r.value.event).toMatchObject({ type, actor, from: status, seq: request.rev + 1 });
      return;
    }
    if (r.ok) throw new Error(`expected ${type} from ${status} by ${role} to be refused`);
    expect(r.error).not.toContain('\n');
    expect(r.error.length).toBeGreaterThan(0);
    expect(r.error).toContain('IT-42');
    if (!roleFits(type, role)) expect(r.error.toLowerCase()).toContain(WHO_MAY[RULES[type].who].toLowerCase());
    else expect(r.error).not.toMatch(/\bonly (people|the person|IT and|a head|Kept)\b/i);
    if (fits) expect(r.error).toContain(NEVER[type]!.error);
  });

  it('names who may in plain words', () => {
    const open = STATUS_CACHE.get('open')!;
    expect(refusal(open, { type: 'acknowledge' }, REQUESTER, MON + HOUR_MS)).toBe(
      'Only people in IT can acknowledge IT-42.',
    );
    const resolved = STATUS_CACHE.get('resolved')!;
    expect(refusal(resolved, { type: 'close' }, AGENT, resolved.updatedAt + HOUR_MS)).toBe(
      'Only the person who filed IT-42 can close it.',
    );
    const waiting = STATUS_CACHE.get('waiting_on_requester')!;
    expect(refusal(waiting, { type: 'resume' }, STRANGER, waiting.updatedAt + HOUR_MS)).toBe(
      'Only IT and the person who filed IT-42 can resume it.',
    );
    expect(refusal(open, { type: 'warn', kind: 'response' }, HEAD, MON + 3.5 * HOUR_MS)).toBe(
      'Only Kept itself can warn about IT-42.',
    );
    expect(refusal(open, { type: 'breach', kind: 'response', charge: CHARGE }, AGENT, TUE_LATE)).toBe(
      'Only Kept itself can record a breach of IT-42.',
    );
    const breached = BREACHED_CACHE.get('open')!;
    expect(
      refusal(breached, { type: 'waive', kind: 'response', reason: 'Fine.' }, HEAD, breached.updatedAt + HOUR_MS),
    ).toBe('Only a head of the department that filed IT-42 can waive its penalties.');
    // Kept itself cannot do what people do.
    expect(refusal(open, { type: 'acknowledge' }, SYSTEM_ACTOR, MON + HOUR_MS, { rights: SYSTEM_RIGHTS })).toBe(
      'Only people in IT can acknowledge IT-42.',
    );
  });

  it('rightsOf: a head of the customer department may waive; nobody clicking is Kept itself', () => {
    const open = STATUS_CACHE.get('open')!;
    expect(rightsOf(open, IT, FIN_HEAD, FINANCE)).toEqual({
      provider: false,
      requester: false,
      customerHead: true,
      system: false,
    });
    // Without the customer department nobody is its head; the customer's plain members are not.
    expect(rightsOf(open, IT, FIN_HEAD)).toMatchObject({ customerHead: false, system: false });
    expect(rightsOf(open, IT, REQUESTER, FINANCE)).toEqual({
      provider: false,
      requester: true,
      customerHead: false,
      system: false,
    });
    // The provider's head is no head of the customer.
    expect(rightsOf(open, IT, HEAD, FINANCE)).toEqual({
      provider: true,
      requester: false,
      customerHead: false,
      system: false,
    });
    expect(SYSTEM_RIGHTS).toEqual({ provider: false, requester: false, customerHead: false, system: true });
  });

  it('lists exactly the actions RULES allows from each status (the card draws buttons only for the user actions among them)', () => {
    for (const status of REQUEST_STATUSES) {
      expect(actionsFor(status)).toEqual(ACTION_TYPES.filter((t) => RULES[t].from.includes(status)));
    }
    // Kept records a breach, and a customer head waives it, whatever the status; recovery goes on after the close.
    expect(actionsFor('closed')).toEqual(['rate', 'breach', 'waive', 'recover', 'recovered']);
    expect(actionsFor('cancelled')).toEqual(['breach', 'waive']);
    // Warnings only while the request is being worked.
    expect(REQUEST_STATUSES.filter((s) => actionsFor(s).includes('warn'))).toEqual([
      'open',
      'acknowledged',
      'waiting_on_requester',
      'waiting_on_third_party',
      'reopened',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('what actions do to the clocks', () => {
  it('acknowledging in time meets the response target, not late, and leaves resolution running', () => {
    const filed = file();
    const { request } = act(filed, { type: 'acknowledge' }, AGENT, MON + HOUR_MS);
    expect(request).toMatchObject({ status: 'acknowledged', acknowledgedAt: MON + HOUR_MS, assignee: AGENT });
    expect(request.clocks.response).toMatchObject({
      state: 'met',
      metAt: MON + HOUR_MS,
      usedBefore: HOUR_MS,
      breachedAt: null,
    });
    expect(request.clocks.resolution).toBe(filed.clocks.resolution);
    const views = clocksAt(request, cal, at('2026-12-01T00:00:00Z'));
    expect(views.response).toMatchObject({ status: 'met', metLate: false, breachedAt: null, elapsed: HOUR_MS });
  });

  it('acknowledging after the response was due meets it late', () => {
    // Due Mon 13:00 EST; acknowledged Tue 10:00 EST (all of Monday, 8h, and 1h of Tuesday used).
    const { request } = act(file(), { type: 'acknowledge' }, AGENT, at('2026-11-17T15:00:00Z'));
    const view = clocksAt(request, cal, at('2026-11-17T16:00:00Z')).response;
    expect(view).toMatchObject({
      status: 'met',
      metLate: true,
      breachedAt: at('2026-11-16T18:00:00Z'),
      elapsed: 9 * HOUR_MS,
      remaining: -5 * HOUR_MS,
    });
  });

  it('acknowledging assigns the acknowledger when nobody is assigned, and keeps an assignee already chosen', () => {
    expect(act(file(), { type: 'acknowledge' }, HEAD, MON + HOUR_MS).request.assignee).toBe(HEAD);
    const assigned = act(file(), { type: 'assign', assignee: OTHER }, HEAD, MON + HOUR_MS).request;
    expect(act(assigned, { type: 'acknowledge' }, AGENT, MON + 2 * HOUR_MS).request.assignee).toBe(OTHER);
  });

  it('waiting on the requester from open meets the response and pauses the resolution', () => {
    const { request, event } = act(file(), { type: 'pause', note: 'Which model?' }, AGENT, MON + 2 * HOUR_MS);
    expect(request).toMatchObject({
      status: 'waiting_on_requester',
      resumeTo: 'acknowledged',
      acknowledgedAt: MON + 2 * HOUR_MS,
    });
    expect(request.clocks.response).toMatchObject({ state: 'met', metAt: MON + 2 * HOUR_MS });
    expect(request.clocks.resolution).toMatchObject({ state: 'paused', usedBefore: 2 * HOUR_MS, runningSince: null });
    expect(event).toMatchObject({ type: 'pause', from: 'open', to: 'waiting_on_requester', note: 'Which model?' });
  });

  it('the resolution time left does not move while waiting, across a weekend and the working days after it', () => {
    // Filed Fri 20 Nov 09:00 EST, waiting from 11:00 EST: 14h of 16h left.
    const fri = at('2026-11-20T14:00:00Z');
    const filed = file({ at: fri });
    const waiting = act(filed, { type: 'pause' }, AGENT, fri + 2 * HOUR_MS).request;
    for (const t of [
      '2026-11-20T16:00:00Z',
      '2026-11-20T21:00:00Z',
      '2026-11-21T12:00:00Z',
      '2026-11-23T20:00:00Z',
      '2026-11-25T20:00:00Z',
    ]) {
      expect(clocksAt(waiting, cal, at(t)).resolution).toMatchObject({
        status: 'paused',
        state: 'paused',
        remaining: 14 * HOUR_MS,
        due: null,
      });
    }
    expect(nextDue(waiting, cal, at('2026-11-23T20:00:00Z'))).toBeNull();
    // Without the wait, Friday and 6h of Monday would have been used: 2h left on Monday 15:00 EST.
    expect(clocksAt(filed, cal, at('2026-11-23T20:00:00Z')).resolution).toMatchObject({
      remaining: 2 * HOUR_MS,
      status: 'at_risk',
    });
  });

  it('resuming returns to acknowledged (for a request waited on from open) and keeps the time used', () => {
    const fri = at('2026-11-20T14:00:00Z');
    const waiting = act(file({ at: fri }), { type: 'pause' }, AGENT, fri + 2 * HOUR_MS).request;
    // Resumed Mon 23 Nov 09:00 EST: 14h left = Monday 8h + Tuesday 6h.
    const { request, event } = act(waiting, { type: 'resume' }, AGENT, at('2026-11-23T14:00:00Z'));
    expect(request.status).toBe('acknowledged');
    expect(request.resumeTo).toBeUndefined();
    expect(request.clocks.resolution).toMatchObject({ state: 'running', usedBefore: 2 * HOUR_MS });
    expect(iso(request.clocks.resolution.dueAt)).toBe('2026-11-24T20:00:00.000Z');
    expect(clocksAt(request, cal, at('2026-11-23T15:00:00Z')).resolution).toMatchObject({
      elapsed: 3 * HOUR_MS,
      remaining: 13 * HOUR_MS,
    });
    expect(event).toMatchObject({ from: 'waiting_on_requester', to: 'acknowledged' });
  });

  it('resuming a reopened request that was waited on returns it to reopened', () => {
    // Resolved Mon 13:00 EST (4h), reopened Tue 09:00 (a new cycle), waiting from Tue 10:00 (1h used), resumed Wed 09:00.
    const resolved = act(
      act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request,
      { type: 'resolve', note: 'Done.' },
      AGENT,
      MON + 4 * HOUR_MS,
    ).request;
    const reopened = act(resolved, { type: 'reopen' }, REQUESTER, at('2026-11-17T14:00:00Z')).request;
    const waiting = act(reopened, { type: 'pause' }, AGENT, at('2026-11-17T15:00:00Z')).request;
    expect(waiting).toMatchObject({ status: 'waiting_on_requester', resumeTo: 'reopened' });
    // The requester may resume too.
    const { request } = act(waiting, { type: 'resume' }, REQUESTER, at('2026-11-18T14:00:00Z'));
    expect(request.status).toBe('reopened');
    expect(request.clocks.resolution).toMatchObject({ state: 'running', usedBefore: HOUR_MS });
    // 15h left: Wednesday 8h + Thursday 7h.
    expect(iso(request.clocks.resolution.dueAt)).toBe('2026-11-19T21:00:00.000Z');
  });

  it('resolving meets both targets, and counts as the answer when nobody acknowledged', () => {
    const { request, event } = act(file(), { type: 'resolve', note: '  Laptop delivered.  ' }, AGENT, MON + HOUR_MS);
    expect(request).toMatchObject({
      status: 'resolved',
      resolvedAt: MON + HOUR_MS,
      acknowledgedAt: MON + HOUR_MS,
      resolutionNote: 'Laptop delivered.',
      assignee: AGENT,
    });
    expect(request.clocks.response).toMatchObject({ state: 'met', metAt: MON + HOUR_MS });
    expect(request.clocks.resolution).toMatchObject({ state: 'met', metAt: MON + HOUR_MS, usedBefore: HOUR_MS });
    expect(event).toMatchObject({ type: 'resolve', from: 'open', to: 'resolved', note: 'Laptop delivered.' });
    expect(nextDue(request, cal, MON + 2 * HOUR_MS)).toBeNull();
  });

  it('refuses to resolve without saying how', () => {
    expect(refusal(file(), { type: 'resolve', note: '   ' }, AGENT, MON + HOUR_MS)).toContain('IT-42');
  });

  it('reopening within 7 days starts a new cycle: the whole resolution target afresh from the reopen', () => {
    // Resolved Mon 13:00 EST with 4h used; reopened Wed 18 Nov 09:00 EST: 16h afresh = Wednesday + Thursday.
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + 4 * HOUR_MS).request;
    const { request, event } = act(
      resolved,
      { type: 'reopen', note: 'Still broken.' },
      REQUESTER,
      at('2026-11-18T14:00:00Z'),
    );
    expect(request.status).toBe('reopened');
    expect(request.resolvedAt).toBeUndefined();
    expect(request.clocks.response).toBe(resolved.clocks.response);
    expect(request.clocks.resolution).toMatchObject({ state: 'running', usedBefore: 0, metAt: null });
    expect(iso(request.clocks.resolution.dueAt)).toBe('2026-11-19T22:00:00.000Z');
    expect(clocksAt(request, cal, at('2026-11-18T15:00:00Z')).resolution).toMatchObject({
      elapsed: HOUR_MS,
      remaining: 15 * HOUR_MS,
    });
    // The first cycle is kept: when it ran and when it was met; it missed nothing.
    expect(request.cycles).toEqual([
      { n: 1, startedAt: MON, metAt: MON + 4 * HOUR_MS, endedAt: at('2026-11-18T14:00:00Z') },
    ]);
    expect(cycleOf(request)).toBe(2);
    expect(event).toMatchObject({ type: 'reopen', from: 'resolved', to: 'reopened', note: 'Still broken.' });
    // A second resolve meets the new cycle with its own time counted.
    const again = act(request, { type: 'resolve', note: 'Charger sent.' }, AGENT, at('2026-11-18T16:00:00Z')).request;
    expect(again.clocks.resolution).toMatchObject({ state: 'met', usedBefore: 2 * HOUR_MS });
  });

  it('reopening is allowed up to exactly 7 days after resolving and refused after', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + 4 * HOUR_MS).request;
    expect(REOPEN_WINDOW_MS).toBe(7 * 24 * HOUR_MS);
    expect(attempt(resolved, { type: 'reopen' }, REQUESTER, resolved.resolvedAt! + REOPEN_WINDOW_MS).ok).toBe(true);
    const late = refusal(resolved, { type: 'reopen' }, REQUESTER, resolved.resolvedAt! + REOPEN_WINDOW_MS + 1);
    expect(late).toContain('IT-42');
    expect(late).toContain('7 days');
    expect(late).not.toContain('\n');
    // Closing is still possible after the window.
    expect(attempt(resolved, { type: 'close' }, REQUESTER, resolved.resolvedAt! + 30 * REOPEN_WINDOW_MS).ok).toBe(true);
  });

  it('cancelling stops the running clocks: nothing breaches later', () => {
    const { request, event } = act(
      file(),
      { type: 'cancel', note: 'Found one in the cupboard.' },
      REQUESTER,
      MON + HOUR_MS,
    );
    expect(request).toMatchObject({ status: 'cancelled', cancelledAt: MON + HOUR_MS });
    expect(request.clocks.response.state).not.toBe('running');
    expect(request.clocks.resolution.state).not.toBe('running');
    const muchLater = clocksAt(request, cal, at('2027-06-01T00:00:00Z'));
    for (const view of [muchLater.response, muchLater.resolution]) {
      expect(view.status).not.toBe('breached');
      expect(view.breachedAt).toBeNull();
      expect(view.elapsed).toBe(HOUR_MS);
    }
    expect(nextDue(request, cal, at('2027-06-01T00:00:00Z'))).toBeNull();
    expect(event).toMatchObject({ from: 'open', to: 'cancelled' });
  });

  it('cancelling while waiting on the requester keeps the met response and the paused resolution', () => {
    const waiting = act(file(), { type: 'pause' }, AGENT, MON + HOUR_MS).request;
    const { request } = act(waiting, { type: 'cancel' }, REQUESTER, MON + 2 * HOUR_MS);
    expect(request.resumeTo).toBeUndefined();
    expect(request.clocks.response).toBe(waiting.clocks.response);
    expect(request.clocks.resolution).toBe(waiting.clocks.resolution);
  });

  it('a comment from the requester while waiting resumes the clock; a comment from the provider does not', () => {
    const waiting = act(file(), { type: 'pause', note: 'Which model?' }, AGENT, MON + 2 * HOUR_MS).request;
    const fromProvider = act(waiting, { type: 'comment', note: 'Reminder: which model?' }, AGENT, MON + 3 * HOUR_MS);
    expect(fromProvider.request.status).toBe('waiting_on_requester');
    expect(fromProvider.request.clocks.resolution.state).toBe('paused');
    expect(fromProvider.event).toMatchObject({
      type: 'comment',
      from: 'waiting_on_requester',
      to: 'waiting_on_requester',
    });

    const fromRequester = act(
      fromProvider.request,
      { type: 'comment', note: 'The 14-inch one.' },
      REQUESTER,
      at('2026-11-17T14:00:00Z'),
    );
    expect(fromRequester.request.status).toBe('acknowledged');
    expect(fromRequester.request.resumeTo).toBeUndefined();
    expect(fromRequester.request.clocks.resolution).toMatchObject({
      state: 'running',
      usedBefore: 2 * HOUR_MS,
      runningSince: at('2026-11-17T14:00:00Z'),
    });
    expect(fromRequester.event).toMatchObject({
      type: 'comment',
      from: 'waiting_on_requester',
      to: 'acknowledged',
      note: 'The 14-inch one.',
    });
  });

  it('refuses an empty comment', () => {
    expect(attempt(file(), { type: 'comment', note: '  ' }, REQUESTER, MON + HOUR_MS).ok).toBe(false);
  });

  it('rates once only, with a whole number from 1 to 5', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS).request;
    for (const score of [0, 6, -1, 3.5, Number.NaN]) {
      expect(refusal(resolved, { type: 'rate', score }, REQUESTER, MON + 2 * HOUR_MS)).toContain('1 to 5');
    }
    expect(refusal(resolved, { type: 'rate', score: 5 }, AGENT, MON + 2 * HOUR_MS)).toContain('the person who filed');
    const { request, event } = act(
      resolved,
      { type: 'rate', score: 5, better: '  Faster delivery.  ' },
      REQUESTER,
      MON + 2 * HOUR_MS,
    );
    expect(request.rating).toEqual({ score: 5, better: 'Faster delivery.', at: MON + 2 * HOUR_MS, by: REQUESTER });
    expect(request.status).toBe('resolved');
    expect(event).toMatchObject({ type: 'rate', score: 5, note: 'Faster delivery.', from: 'resolved', to: 'resolved' });
    const twice = refusal(request, { type: 'rate', score: 1 }, REQUESTER, MON + 3 * HOUR_MS);
    expect(twice).toContain('already rated IT-42');
    // A closed request keeps its rating, and cannot be rated again either.
    const closed = act(request, { type: 'close' }, REQUESTER, MON + 3 * HOUR_MS).request;
    expect(attempt(closed, { type: 'rate', score: 2 }, REQUESTER, MON + 4 * HOUR_MS).ok).toBe(false);
    // A closed request that was never rated can be.
    const closedUnrated = act(resolved, { type: 'close' }, REQUESTER, MON + 3 * HOUR_MS).request;
    expect(act(closedUnrated, { type: 'rate', score: 1 }, REQUESTER, MON + 4 * HOUR_MS).request.rating?.score).toBe(1);
  });

  it('takes the score in one click, then one comment on that score from the same person', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS).request;
    const rated = act(resolved, { type: 'rate', score: 4 }, REQUESTER, MON + 2 * HOUR_MS).request;
    expect(rated.rating).toEqual({ score: 4, at: MON + 2 * HOUR_MS, by: REQUESTER });
    // A second click on the score (no comment) is refused: the rating counts once.
    expect(refusal(rated, { type: 'rate', score: 4 }, REQUESTER, MON + 2 * HOUR_MS)).toContain('already rated');
    // Another score, or someone else, cannot come in through the comment.
    expect(refusal(rated, { type: 'rate', score: 1, better: 'x' }, REQUESTER, MON + 3 * HOUR_MS)).toContain(
      'already rated',
    );
    expect(attempt(rated, { type: 'rate', score: 4, better: 'x' }, AGENT, MON + 3 * HOUR_MS).ok).toBe(false);
    const { request, event } = act(
      rated,
      { type: 'rate', score: 4, better: ' A loan laptop ' },
      REQUESTER,
      MON + 3 * HOUR_MS,
    );
    expect(request.rating).toEqual({ score: 4, better: 'A loan laptop', at: MON + 2 * HOUR_MS, by: REQUESTER });
    expect(event).toMatchObject({ type: 'rate', score: 4, note: 'A loan laptop' });
    // One comment only.
    expect(refusal(request, { type: 'rate', score: 4, better: 'more' }, REQUESTER, MON + 4 * HOUR_MS)).toContain(
      'already rated',
    );
  });

  it('takes a score until 7 days after the resolve, the instant it closes itself; a comment on a score given in time after', () => {
    const at = MON + HOUR_MS;
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, at).request;
    const lastMoment = at + 7 * DAY_MS - 1;
    expect(act(resolved, { type: 'rate', score: 3 }, REQUESTER, lastMoment).request.rating?.score).toBe(3);
    expect(refusal(resolved, { type: 'rate', score: 3 }, REQUESTER, at + 7 * DAY_MS)).toContain(
      'Its rating closed 7 days after it was resolved',
    );
    // Closed early by the requester: the 7 days still count from the resolve.
    const closed = act(resolved, { type: 'close' }, REQUESTER, at + DAY_MS).request;
    expect(act(closed, { type: 'rate', score: 2 }, REQUESTER, lastMoment).request.rating?.score).toBe(2);
    expect(attempt(closed, { type: 'rate', score: 2 }, REQUESTER, at + 8 * DAY_MS).ok).toBe(false);
    // The comment belongs to a score given in time: it may follow later.
    const rated = act(resolved, { type: 'rate', score: 2 }, REQUESTER, at + DAY_MS).request;
    const commented = act(rated, { type: 'rate', score: 2, better: 'Sooner.' }, REQUESTER, at + 9 * DAY_MS).request;
    expect(commented.rating?.better).toBe('Sooner.');
  });

  it('keeps the rating among the earlier ones on a reopen, and asks again after the next resolve', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS).request;
    const rated = act(resolved, { type: 'rate', score: 4 }, REQUESTER, MON + 2 * HOUR_MS).request;
    const reopened = act(rated, { type: 'reopen' }, REQUESTER, MON + 3 * HOUR_MS).request;
    expect(reopened.rating).toBeUndefined();
    expect(reopened.earlierRatings).toEqual([{ score: 4, at: MON + 2 * HOUR_MS, by: REQUESTER }]);
    expect(refusal(reopened, { type: 'rate', score: 5 }, REQUESTER, MON + 4 * HOUR_MS)).toContain('not resolved yet');
    const again = act(reopened, { type: 'resolve', note: 'Really done.' }, AGENT, MON + 5 * HOUR_MS).request;
    const twice = act(again, { type: 'rate', score: 5 }, REQUESTER, MON + 6 * HOUR_MS).request;
    expect(twice.rating).toMatchObject({ score: 5 });
    expect(twice.earlierRatings).toHaveLength(1);
  });

  it('assigns only to people in the department, and not to the current assignee', () => {
    const acked = act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request;
    const outsider = refusal(acked, { type: 'assign', assignee: STRANGER }, HEAD, MON + 2 * HOUR_MS);
    expect(outsider).toContain('not in IT');
    expect(outsider).toContain(STRANGER);
    expect(refusal(acked, { type: 'assign', assignee: AGENT }, HEAD, MON + 2 * HOUR_MS)).toContain('already assigned');
    const { request, event } = act(acked, { type: 'assign', assignee: OTHER }, HEAD, MON + 2 * HOUR_MS);
    expect(request.assignee).toBe(OTHER);
    expect(request.status).toBe('acknowledged');
    expect(request.clocks).toBe(acked.clocks);
    expect(event).toMatchObject({
      type: 'assign',
      assignee: OTHER,
      actor: HEAD,
      from: 'acknowledged',
      to: 'acknowledged',
    });
  });

  it('refuses a note over 1000 characters, naming the limit', () => {
    expect(refusal(file(), { type: 'comment', note: 'n'.repeat(1001) }, REQUESTER, MON + HOUR_MS)).toContain('1000');
    expect(attempt(file(), { type: 'comment', note: 'n'.repeat(1000) }, REQUESTER, MON + HOUR_MS).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('clock skew', () => {
  it('an action stamped before the last change is taken as happening at the last change: no throw, clocks never go back', () => {
    const acked = act(file(), { type: 'acknowledge' }, AGENT, MON + 2 * HOUR_MS).request;
    const { request, event } = act(acked, { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS);
    expect(event.at).toBe(MON + 2 * HOUR_MS);
    expect(request.updatedAt).toBe(MON + 2 * HOUR_MS);
    expect(request.resolvedAt).toBe(MON + 2 * HOUR_MS);
    expect(request.clocks.resolution).toMatchObject({
      state: 'met',
      metAt: MON + 2 * HOUR_MS,
      usedBefore: 2 * HOUR_MS,
    });
    expect(request.clocks.response).toBe(acked.clocks.response);
  });

  it('an action stamped before the filing counts from the filing', () => {
    const { request } = act(file(), { type: 'pause' }, AGENT, MON - 3 * HOUR_MS);
    expect(request.updatedAt).toBe(MON);
    expect(request.clocks.response).toMatchObject({ state: 'met', metAt: MON, usedBefore: 0 });
    expect(request.clocks.resolution).toMatchObject({ state: 'paused', usedBefore: 0 });
    // ...and a resume stamped even earlier still works.
    expect(act(request, { type: 'resume' }, REQUESTER, MON - 5 * HOUR_MS).request.clocks.resolution.state).toBe(
      'running',
    );
  });
});

describe('revision and history', () => {
  it('goes up by exactly one per accepted action, with the history line numbered by the new revision', () => {
    let r = file();
    const steps: [RequestAction, string, RequestStatus, RequestStatus][] = [
      [{ type: 'acknowledge' }, AGENT, 'open', 'acknowledged'],
      [{ type: 'assign', assignee: OTHER }, HEAD, 'acknowledged', 'acknowledged'],
      [{ type: 'pause', note: 'Which model?' }, OTHER, 'acknowledged', 'waiting_on_requester'],
      [{ type: 'comment', note: 'The small one.' }, REQUESTER, 'waiting_on_requester', 'acknowledged'],
      [{ type: 'resolve', note: 'Done.' }, OTHER, 'acknowledged', 'resolved'],
      [{ type: 'reopen' }, REQUESTER, 'resolved', 'reopened'],
      [{ type: 'comment', note: 'Checking.' }, AGENT, 'reopened', 'reopened'],
      [{ type: 'resolve', note: 'Charger sent.' }, OTHER, 'reopened', 'resolved'],
      [{ type: 'close' }, REQUESTER, 'resolved', 'closed'],
      [{ type: 'rate', score: 4 }, REQUESTER, 'closed', 'closed'],
    ];
    let when = MON;
    for (const [action, actor, from, to] of steps) {
      when += 30 * MINUTE_MS;
      // A refused action in between changes nothing.
      expect(attempt(r, { type: 'cancel' }, STRANGER, when).ok).toBe(false);
      const before = r.rev;
      const { request, event } = act(r, action, actor, when);
      expect(request.rev).toBe(before + 1);
      expect(event).toMatchObject({ seq: request.rev, type: action.type, actor, at: when, from, to });
      expect(request.status).toBe(to);
      expect(request.updatedAt).toBe(when);
      r = request;
    }
    expect(r.rev).toBe(1 + steps.length);
  });

  it('does not change the request it was given', () => {
    const filed = file();
    const copy = JSON.parse(JSON.stringify(filed)) as Request;
    act(filed, { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS);
    expect(filed).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------

describe('parseRequestId', () => {
  it.each([
    ['it-42', 'IT-42'],
    [' IT-007 ', 'IT-7'],
    ['People2-3', 'PEOPLE2-3'],
    ['IT42', undefined],
    ['42', undefined],
    ['IT-', undefined],
    ['', undefined],
    ['-42', undefined],
    ['IT-4-2', undefined],
    ['IT 42', undefined],
  ])('%j -> %j', (text, expected) => {
    expect(parseRequestId(text)).toBe(expected);
  });
});

describe('nextDue', () => {
  it('picks the running target with the least time left', () => {
    const filed = file();
    expect(nextDue(filed, cal, MON + HOUR_MS)).toEqual({
      kind: 'response',
      remaining: 3 * HOUR_MS,
      due: at('2026-11-16T18:00:00Z'),
      status: 'running',
    });
    expect(nextDue(filed, cal, MON + 3.5 * HOUR_MS)).toMatchObject({ kind: 'response', status: 'at_risk' });
    // Past the response due instant: negative time left, breached.
    expect(nextDue(filed, cal, MON + 5 * HOUR_MS)).toMatchObject({
      kind: 'response',
      remaining: -HOUR_MS,
      status: 'breached',
    });
    const acked = act(filed, { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request;
    expect(nextDue(acked, cal, MON + 2 * HOUR_MS)).toEqual({
      kind: 'resolution',
      remaining: 14 * HOUR_MS,
      due: at('2026-11-17T22:00:00Z'),
      status: 'running',
    });
  });

  it('picks the resolution when it has less time left than a running response', () => {
    // Not a valid agreement (resolution shorter than response), built by hand to tell the two apart.
    const odd: AgreementVersion = { ...AGREEMENT, targets: { P3: { response: 8 * HOUR_MS, resolution: 2 * HOUR_MS } } };
    const filed = file({ agreement: odd, priority: 'P3' });
    expect(nextDue(filed, cal, MON + HOUR_MS)).toMatchObject({ kind: 'resolution', remaining: HOUR_MS });
  });

  it('is null once no target can fall due', () => {
    const acked = act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request;
    const resolved = act(acked, { type: 'resolve', note: 'Done.' }, AGENT, MON + 2 * HOUR_MS).request;
    const closed = act(resolved, { type: 'close' }, REQUESTER, MON + 3 * HOUR_MS).request;
    const cancelled = act(acked, { type: 'cancel' }, REQUESTER, MON + 3 * HOUR_MS).request;
    for (const r of [resolved, closed, cancelled]) expect(nextDue(r, cal, at('2027-01-01T00:00:00Z'))).toBeNull();
    const reopened = act(resolved, { type: 'reopen' }, REQUESTER, MON + 3 * HOUR_MS).request;
    expect(nextDue(reopened, cal, MON + 4 * HOUR_MS)).toMatchObject({ kind: 'resolution' });
  });

  it('works the same on a 24x7 calendar', () => {
    const filed = file({ calendar: always });
    expect(iso(filed.clocks.resolution.dueAt)).toBe(iso(MON + 16 * HOUR_MS));
    expect(nextDue(filed, always, MON + HOUR_MS)).toEqual({
      kind: 'response',
      remaining: 3 * HOUR_MS,
      due: MON + 4 * HOUR_MS,
      status: 'running',
    });
    expect(clockAt(always, filed.clocks.resolution, MON + 10 * HOUR_MS)).toMatchObject({ elapsed: 10 * HOUR_MS });
  });
});

// ---------------------------------------------------------------------------------------------

describe('reopen cycles', () => {
  // P2: resolution 16h, due Tue 17 Nov 17:00 EST (22:00Z). The scan records its miss Wed 09:00 EST.
  const SYSTEM = { rights: SYSTEM_RIGHTS };
  const CYCLE_1_DUE = at('2026-11-17T22:00:00Z');
  const acknowledged = act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request;
  const missed = act(
    acknowledged,
    { type: 'breach', kind: 'resolution', charge: CHARGE },
    SYSTEM_ACTOR,
    at('2026-11-18T14:00:00Z'),
    SYSTEM,
  ).request;
  const lateResolve = act(
    missed,
    { type: 'resolve', note: 'Laptop sent.', cause: { category: 'staffing' } },
    AGENT,
    at('2026-11-18T15:00:00Z'),
  ).request;
  // Reopened Thu 19 Nov 09:00 EST: 16h afresh = Thursday + Friday, due Fri 20 Nov 17:00 EST.
  const REOPEN = at('2026-11-19T14:00:00Z');
  const CYCLE_2_DUE = at('2026-11-20T22:00:00Z');
  const reopened = act(lateResolve, { type: 'reopen', note: 'No charger.' }, REQUESTER, REOPEN).request;
  const CHARGE_2 = { ...CHARGE, n: 2, amount: 15, multiplier: 1.5 };
  const missedAgain = act(
    reopened,
    { type: 'breach', kind: 'resolution', charge: CHARGE_2 },
    SYSTEM_ACTOR,
    at('2026-11-23T14:00:00Z'),
    SYSTEM,
  );

  it('keeps the first cycle and its recorded breach as they were, and starts the second with the full target', () => {
    expect(cycleOf(reopened)).toBe(2);
    expect(reopened.cycles).toEqual([
      {
        n: 1,
        startedAt: MON,
        metAt: at('2026-11-18T15:00:00Z'),
        endedAt: REOPEN,
        breach: { ...CHARGE, dueAt: CYCLE_1_DUE, detectedAt: at('2026-11-18T14:00:00Z') },
      },
    ]);
    expect(reopened.breaches).toBeUndefined();
    expect(reopened.clocks.resolution).toMatchObject({ state: 'running', usedBefore: 0, dueAt: CYCLE_2_DUE });
    expect(clockAt(cal, reopened.clocks.resolution, at('2026-11-20T21:00:00Z')).status).toBe('at_risk');
    // The response target is not reopened: a response once given stays given.
    expect(reopened.clocks.response).toBe(lateResolve.clocks.response);
  });

  it('records a breach of the second cycle as a new breach, at its own due instant, with its own charge', () => {
    expect(missedAgain.request.breaches?.resolution).toEqual({
      ...CHARGE_2,
      dueAt: CYCLE_2_DUE,
      detectedAt: at('2026-11-23T14:00:00Z'),
    });
    expect(missedAgain.request.cycles?.[0]?.breach?.dueAt).toBe(CYCLE_1_DUE);
    expect(missedAgain.event).toMatchObject({ type: 'breach', kind: 'resolution', cycle: 2, amount: 15 });
    // Once per cycle: the scan coming again finds it recorded.
    expect(
      refusal(
        missedAgain.request,
        { type: 'breach', kind: 'resolution', charge: CHARGE_2 },
        SYSTEM_ACTOR,
        at('2026-11-23T15:00:00Z'),
        SYSTEM,
      ),
    ).toBe("IT-42's resolution breach is already recorded.");
  });

  it('asks the cause again when the second cycle is resolved late', () => {
    expect(
      refusal(missedAgain.request, { type: 'resolve', note: 'Done.' }, AGENT, at('2026-11-23T16:00:00Z')),
    ).toContain('missed its resolution target');
  });

  it("waives the current cycle's penalty by default and an earlier cycle's when named, each once", () => {
    const now = at('2026-11-24T14:00:00Z');
    const current = act(
      missedAgain.request,
      { type: 'waive', kind: 'resolution', reason: 'Our mistake.' },
      FIN_HEAD,
      now,
    );
    expect(current.request.breaches?.resolution?.waived).toEqual({ by: FIN_HEAD, at: now, reason: 'Our mistake.' });
    expect(current.request.cycles?.[0]?.breach?.waived).toBeUndefined();
    expect(current.event).toMatchObject({ type: 'waive', kind: 'resolution', cycle: 2, amount: 15 });

    const first = act(
      current.request,
      { type: 'waive', kind: 'resolution', reason: 'Agreed at the review.', cycle: 1 },
      FIN_HEAD,
      now + HOUR_MS,
    );
    expect(first.request.cycles?.[0]?.breach?.waived).toMatchObject({ reason: 'Agreed at the review.' });
    expect(first.event).toMatchObject({ type: 'waive', kind: 'resolution', amount: 10 });
    expect(first.event.cycle).toBeUndefined();
    expect(
      refusal(
        first.request,
        { type: 'waive', kind: 'resolution', reason: 'Again.', cycle: 1 },
        FIN_HEAD,
        now + 2 * HOUR_MS,
      ),
    ).toBe('The resolution (cycle 1) penalty of IT-42 was already waived.');
    expect(
      refusal(first.request, { type: 'waive', kind: 'resolution', reason: 'Why not.', cycle: 3 }, FIN_HEAD, now),
    ).toBe('IT-42 has no resolution (cycle 3) breach to waive.');
  });

  it('waits for a late resolve to be recorded before reopening, so that miss is never lost', () => {
    const unrecorded = act(
      acknowledged,
      { type: 'resolve', note: 'Laptop sent.', cause: { category: 'staffing' } },
      AGENT,
      at('2026-11-18T15:00:00Z'),
    ).request;
    expect(refusal(unrecorded, { type: 'reopen' }, REQUESTER, REOPEN)).toBe(
      'IT-42 was resolved after its resolution target and Kept is still recording that; try reopening it again in a few minutes.',
    );
    const recorded = act(
      unrecorded,
      { type: 'breach', kind: 'resolution', charge: CHARGE },
      SYSTEM_ACTOR,
      REOPEN,
      SYSTEM,
    ).request;
    expect(act(recorded, { type: 'reopen' }, REQUESTER, REOPEN + MINUTE_MS).request.cycles?.[0]?.breach?.dueAt).toBe(
      CYCLE_1_DUE,
    );
  });

  it('a third cycle keeps both earlier ones, numbered', () => {
    const resolvedAgain = act(
      missedAgain.request,
      { type: 'resolve', note: 'Charger sent.', cause: { category: 'dependency' } },
      AGENT,
      at('2026-11-23T16:00:00Z'),
    ).request;
    const third = act(resolvedAgain, { type: 'reopen' }, REQUESTER, at('2026-11-24T14:00:00Z')).request;
    expect(cycleOf(third)).toBe(3);
    expect(third.cycles?.map((c) => [c.n, c.breach?.dueAt])).toEqual([
      [1, CYCLE_1_DUE],
      [2, CYCLE_2_DUE],
    ]);
  });
});
