/**
 * Random histories of one request for the property tests of watch.ts and stats.ts: filed at any
 * minute of 2026 on a Mon-Fri working-hours calendar in New York, then people working it (the
 * actions their role and the status allow), the scan recording what it finds (as checkRequest in
 * functions/jobs/breaches.ts does: the first finding, a breach charged like penaltyFor would), Kept
 * trying warn and breach on either target whatever the clocks say, priorities changed (or asked
 * for) on the way, and heads waiving (sometimes
 * without a reason, sometimes the provider's head, who may not). Steps are minutes to days apart,
 * now and then stamped a little before the previous one (clock skew). Refusals are part of it.
 */
import fc from 'fast-check';
import type { AgreementVersion } from '../../../functions/domain/agreement';
import { type Calendar, compileCalendar } from '../../../functions/domain/calendar';
import type { Department } from '../../../functions/domain/department';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  ACTION_TYPES,
  type ActionType,
  CAUSE_CATEGORIES,
  fileRequest,
  type PenaltyCharge,
  type Request,
  type RequestAction,
  type RequestEvent,
  type Rights,
  rightsOf,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { actionsFor, decide, RULES } from '../../../functions/domain/request-actions';
import type { TargetKind } from '../../../functions/domain/target-clock';
import { findingsAt, nextWatch } from '../../../functions/domain/watch';
import { monthOf } from '../../../functions/domain/weeks';
import { department } from '../../support/departments';

export const cal = compileCalendar({
  timezone: 'America/New_York',
  hours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-12:00,13:00-17:00',
  },
});

export const HEAD = 'U0ITHEAD';
export const AGENT = 'U0ITAGENT';
export const OTHER = 'U0ITOTHER';
export const REQUESTER = 'U0FINREQ';
export const FIN_HEAD = 'U0FINHEAD';
export const IT = department('it', 'IT', [HEAD], { members: [AGENT, OTHER] });
export const FINANCE = department('finance', 'Finance', [FIN_HEAD], { members: [REQUESTER] });

/** Where transfers go: People Operations in London, with an agreement covering Finance (P1 and P2 only). */
export const HR_HEAD = 'U0HRHEAD';
export const HR_AGENT = 'U0HRAGENT';
export const HR = department('people-ops', 'People Operations', [HR_HEAD], { members: [HR_AGENT] });
export const hrCal = compileCalendar({
  timezone: 'Europe/London',
  hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: '08:00-16:00', thu: '08:00-16:00', fri: '08:00-16:00' },
});

export const AGREEMENT: AgreementVersion = {
  id: 'it-for-finance',
  version: 1,
  provider: 'it',
  customer: 'finance',
  service: 'Laptops',
  targets: {
    P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS },
    P2: { response: 4 * HOUR_MS, resolution: 16 * HOUR_MS },
    P3: { response: 8 * HOUR_MS, resolution: 40 * HOUR_MS },
  },
  penalty: { unit: 'points', perBreach: 10, tiers: [{ fromBreach: 3, multiplier: 1.5 }], monthlyCap: 500 },
  atRisk: 0.75,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'import',
};

export const HR_AGREEMENT: AgreementVersion = {
  ...AGREEMENT,
  id: 'hr-for-finance',
  provider: 'people-ops',
  service: 'Payroll questions',
  targets: {
    P1: { response: HOUR_MS, resolution: 8 * HOUR_MS },
    P2: { response: 2 * HOUR_MS, resolution: 24 * HOUR_MS },
  },
  penalty: { unit: 'EUR', perBreach: 25, tiers: [] },
};

/** The side that works the request now: its department, calendar and agreement. */
export function sideOf(request: Pick<Request, 'provider'>): {
  department: Department;
  calendar: Calendar;
  agreement: AgreementVersion;
} {
  return request.provider === HR.id
    ? { department: HR, calendar: hrCal, agreement: HR_AGREEMENT }
    : { department: IT, calendar: cal, agreement: AGREEMENT };
}

/** IT's people as the generated steps name them, stood in for by People Operations' while it has the request (IT's OTHER stays: not a member there). */
function personAt(request: Pick<Request, 'provider'>, person: string): string {
  if (request.provider !== HR.id) return person;
  return person === HEAD ? HR_HEAD : person === AGENT ? HR_AGENT : person;
}

/** What people do (not Kept's warn and breach, nor a customer head's waive). */
export const USER_ACTIONS: readonly ActionType[] = ACTION_TYPES.filter((t) =>
  ['provider', 'requester', 'either'].includes(RULES[t].who),
);

const KIND = fc.constantFrom<TargetKind>('response', 'resolution');

/** A charge as the scan works one out: whole cents (0 once the monthly cap is reached), one unit or another, the month's breach number and its multiplier. */
const chargeSeed = fc.record({
  cents: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
  ),
  unit: fc.constantFrom('points', 'EUR'),
  n: fc.integer({ min: 1, max: 30 }),
  multiplier: fc.constantFrom(1, 1.5, 2),
});
type ChargeSeed = typeof chargeSeed extends fc.Arbitrary<infer T> ? T : never;

const gap = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 8 * 60 }) },
  { weight: 3, arbitrary: fc.integer({ min: 8 * 60, max: 4 * 24 * 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }) },
);

export type Step =
  | { by: 'user'; gap: number; pick: number; detail: number; provider: string }
  /** The scan: at `now`, or woken exactly at the request's next watch instant (if later). */
  | { by: 'scan'; gap: number; atWatch: boolean; charge: ChargeSeed }
  | { by: 'system'; gap: number; action: 'warn' | 'breach'; kind: TargetKind; charge: ChargeSeed }
  /** `cycle`: the resolution cycle whose breach to waive (the current one when undefined). */
  | { by: 'head'; gap: number; kind: TargetKind; reason: string; customerHead: boolean; cycle: number | undefined };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      by: fc.constant('user' as const),
      gap,
      pick: fc.nat({ max: 11 }),
      detail: fc.nat({ max: 7 }),
      provider: fc.constantFrom(HEAD, AGENT, OTHER),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ by: fc.constant('scan' as const), gap, atWatch: fc.boolean(), charge: chargeSeed }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      by: fc.constant('system' as const),
      gap,
      action: fc.constantFrom('warn' as const, 'breach' as const),
      kind: KIND,
      charge: chargeSeed,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      by: fc.constant('head' as const),
      gap,
      kind: KIND,
      reason: fc.constantFrom('Supplier delay, agreed.', '  ', ''),
      customerHead: fc.boolean(),
      cycle: fc.constantFrom(undefined, undefined, 1, 2),
    }),
  },
);

export const history = fc.record({
  // Any minute of 2026 (nights and weekends included).
  start: fc
    .integer({
      min: Date.parse('2026-01-01T00:00:00Z') / MINUTE_MS,
      max: Date.parse('2026-12-31T00:00:00Z') / MINUTE_MS,
    })
    .map((m) => m * MINUTE_MS),
  priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const),
  steps: fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }),
});
export type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

const toCharge = (seed: ChargeSeed, dueAt: number, zone: string): PenaltyCharge => ({
  amount: seed.cents / 100,
  unit: seed.unit,
  n: seed.n,
  multiplier: seed.multiplier,
  month: monthOf(dueAt, zone),
});

/** A user action that fits the status (cancel and close less often), its actor, and a payload. */
function userMove(request: Request, s: Extract<Step, { by: 'user' }>): { action: RequestAction; actor: string } {
  const fits = actionsFor(request.status).filter((t) => USER_ACTIONS.includes(t));
  const rare: ActionType[] = fits.filter((t) => t === 'cancel' || t === 'close');
  const common = fits.filter((t) => !rare.includes(t));
  const type =
    fits.length === 0
      ? USER_ACTIONS[s.pick % USER_ACTIONS.length]!
      : s.pick === 10 && fits.includes('transfer')
        ? 'transfer'
        : (s.pick === 11 && rare.length > 0) || common.length === 0
          ? (rare.length > 0 ? rare : fits)[s.detail % (rare.length || fits.length)]!
          : common[s.pick % common.length]!;
  const who = RULES[type].who;
  const actor =
    who === 'requester' || (who === 'either' && s.detail % 2 === 0) ? REQUESTER : personAt(request, s.provider);
  switch (type) {
    case 'assign':
      return { actor, action: { type, assignee: personAt(request, [AGENT, OTHER, HEAD][s.detail % 3]!) } };
    case 'resolve':
      // A cause only sometimes: a resolve without one is refused once a target was missed.
      return {
        actor,
        action: {
          type,
          note: 'Done.',
          ...(s.detail >= 2 ? { cause: { category: CAUSE_CATEGORIES[s.detail % CAUSE_CATEGORIES.length]! } } : {}),
        },
      };
    case 'comment':
      return { actor, action: { type, note: 'Any news?' } };
    case 'priority':
      // By the provider a change (sometimes to the priority it has, refused); by the requester a request for one.
      return { actor, action: { type, priority: (['P1', 'P2', 'P3'] as const)[s.detail % 3]!, reason: 'Changed.' } };
    case 'transfer': {
      // To the other department, now and then to the one it is with (refused) or without a reason (refused).
      const other = request.provider === HR.id ? IT.id : HR.id;
      return {
        actor,
        action: {
          type,
          to: s.detail === 0 ? request.provider : other,
          reason: s.detail === 1 ? ' ' : 'Belongs there.',
        },
      };
    }
    case 'rate':
      return { actor, action: { type, score: 1 + (s.detail % 5), ...(s.detail % 2 ? { better: 'Sooner.' } : {}) } };
    default:
      return { actor, action: { type } as RequestAction };
  }
}

export interface Played {
  step: Step;
  now: number;
  before: Request;
  /** What was tried (undefined: the scan found nothing to record). */
  action?: RequestAction;
  actor?: string;
  rights?: Rights;
  /** The accepted change, or the refusal. */
  outcome?: { ok: true; request: Request; event: RequestEvent } | { ok: false; error: string };
  /** The request after the step (the same object when nothing was accepted). */
  after: Request;
}

/** The request as filed at the history's start. */
export function fileOf(h: History): { request: Request; event: RequestEvent } {
  const filed = fileRequest({
    id: 'IT-1',
    number: 1,
    agreement: AGREEMENT,
    customer: 'finance',
    priority: h.priority,
    title: 'Laptop',
    description: '',
    requester: REQUESTER,
    at: h.start,
    calendar: cal,
  });
  if (!filed.ok) throw new Error(filed.error);
  return filed.value;
}

/** Plays the history step by step; `each` sees every step, accepted or not. Returns the final request. */
export function play(h: History, each: (p: Played) => void): Request {
  let request = fileOf(h).request;
  let now = h.start;
  for (const s of h.steps) {
    now += s.gap * MINUTE_MS;
    let action: RequestAction | undefined;
    let actor: string;
    let rights: Rights;
    switch (s.by) {
      case 'user': {
        const move = userMove(request, s);
        action = move.action;
        actor = move.actor;
        rights = rightsOf(request, sideOf(request).department, actor, FINANCE);
        break;
      }
      case 'scan': {
        const watch = nextWatch(request);
        if (s.atWatch && watch !== null) now = Math.max(now, watch);
        const [finding] = findingsAt(request, sideOf(request).calendar, now);
        if (finding)
          action =
            finding.type === 'breach'
              ? {
                  type: 'breach',
                  kind: finding.kind,
                  charge: toCharge(s.charge, finding.dueAt, sideOf(request).calendar.zone),
                }
              : finding.type === 'warn'
                ? { type: 'warn', kind: finding.kind }
                : { type: 'close' };
        actor = SYSTEM_ACTOR;
        rights = SYSTEM_RIGHTS;
        break;
      }
      case 'system':
        action =
          s.action === 'warn'
            ? { type: 'warn', kind: s.kind }
            : { type: 'breach', kind: s.kind, charge: toCharge(s.charge, now, sideOf(request).calendar.zone) };
        actor = SYSTEM_ACTOR;
        rights = SYSTEM_RIGHTS;
        break;
      case 'head':
        action = {
          type: 'waive',
          kind: s.kind,
          reason: s.reason,
          ...(s.cycle === undefined ? {} : { cycle: s.cycle }),
        };
        actor = s.customerHead ? FIN_HEAD : personAt(request, HEAD);
        rights = rightsOf(request, sideOf(request).department, actor, FINANCE);
        break;
    }
    const before = request;
    if (!action) {
      each({ step: s, now, before, after: request });
      continue;
    }
    const side = sideOf(request);
    const to = action.type === 'transfer' ? sideOf({ provider: action.to }) : undefined;
    const r = decide(request, action, {
      actor,
      at: now,
      calendar: side.calendar,
      rights,
      provider: side.department,
      targets: side.agreement.targets,
      ...(to ? { destination: to } : {}),
    });
    if (r.ok) request = r.value.request;
    each({
      step: s,
      now,
      before,
      action,
      actor,
      rights,
      outcome: r.ok ? { ok: true, ...r.value } : { ok: false, error: r.error },
      after: request,
    });
  }
  return request;
}
