/**
 * A `Request`: one piece of work a person asks of another department under an agreement.
 * It carries its two target clocks (response and resolution, see clock.ts) and moves through
 * a small state machine. Who may do what, and what each action does to the clocks, is decided
 * here and nowhere else; the Slack listeners and the store only carry the result.
 * Pure domain code: instants are epoch milliseconds.
 */
import type { Priority } from './agreement';
import type { AgreementVersion } from './agreement';
import type { Calendar } from './calendar';
import { DAY_MS } from './calendar-spec';
import { clockAt, meetClock, pauseClock, reopenClock, resumeClock, startClock, type ClockView, type TargetClock, type TargetKind } from './clock';
import { isHead, isMember, type Department } from './department';
import { DateTime } from 'luxon';
import type { Result } from './duration';

export const REQUEST_STATUSES = ['open', 'acknowledged', 'waiting_on_requester', 'resolved', 'reopened', 'closed', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses in which nothing more happens to the clocks. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['closed', 'cancelled'];

export const TITLE_MAX = 150;
export const DESCRIPTION_MAX = 3000;
export const NOTE_MAX = 1000;
export const BETTER_MAX = 1000;
/** A resolved request may be reopened by its requester for this long after it was resolved. */
export const REOPEN_WINDOW_MS = 7 * DAY_MS;

export const STATUS_LABEL: Record<RequestStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  waiting_on_requester: 'Waiting on requester',
  resolved: 'Resolved',
  reopened: 'Reopened',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** The message a request was filed from (message shortcut). */
export interface RequestSource {
  channel: string;
  ts: string;
  permalink: string;
}

export interface Rating {
  /** 1 (poor) to 5 (excellent). */
  score: number;
  /** "What would have made this better?" (optional). */
  better?: string;
  at: number;
  by: string;
}

/** Who records what nobody clicked: at-risk warnings and breaches found by the scan. */
export const SYSTEM_ACTOR = 'kept';

export const CAUSE_CATEGORIES = ['staffing', 'handoff', 'tooling', 'unclear_request', 'dependency', 'other'] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];
export const CAUSE_LABEL: Record<CauseCategory, string> = {
  staffing: 'Staffing',
  handoff: 'Handoff',
  tooling: 'Tooling',
  unclear_request: 'Unclear request',
  dependency: 'Dependency',
  other: 'Other',
};

/** Why a target was missed, written by the provider when resolving a breached request. */
export interface Cause {
  category: CauseCategory;
  text?: string;
}

/** What a breach costs, worked out from the pinned agreement version and the month's ledger. */
export interface BreachCharge {
  amount: number;
  unit: string;
  /** This breach's number within the agreement's calendar month (1-based). */
  n: number;
  multiplier: number;
  /** `YYYY-MM` of the due instant in the provider's time zone. */
  month: string;
}

export interface Breach extends BreachCharge {
  /** The missed due instant: a breach found late is still recorded here. */
  dueAt: number;
  detectedAt: number;
  waived?: { by: string; at: number; reason: string };
}

/** When (in the provider's time zone) a request was filed: its report bucket. */
export interface Filed {
  /** The local date, `2026-11-25`: the day whose report counters the request counts in. */
  day: string;
  /** ISO week, `2026-W48` (the weekly trend). */
  week: string;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
}

export interface Request {
  /** `IT-42`: the provider's prefix and its next number. */
  id: string;
  number: number;
  provider: string;
  customer: string;
  agreementId: string;
  /** The agreement version the request was filed under; its terms apply for the request's whole life. */
  agreementVersion: number;
  service: string;
  priority: Priority;
  title: string;
  description: string;
  source?: RequestSource;
  requester: string;
  assignee?: string;
  status: RequestStatus;
  /** While waiting on the requester: the status a resume returns to. */
  resumeTo?: RequestStatus;
  createdAt: number;
  updatedAt: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  cancelledAt?: number;
  resolution?: string;
  rating?: Rating;
  clocks: Record<TargetKind, TargetClock>;
  /** Goes up by one with every change (optimistic concurrency); the filing is rev 1. */
  rev: number;
  filed: Filed;
  /** Targets whose at-risk warning went out, and when. */
  warned?: Partial<Record<TargetKind, number>>;
  /** Missed targets, recorded once each by the scan, with their penalty. */
  breaches?: Partial<Record<TargetKind, Breach>>;
  cause?: Cause;
}

export const ACTION_TYPES = ['acknowledge', 'assign', 'pause', 'resume', 'resolve', 'close', 'reopen', 'cancel', 'comment', 'rate', 'warn', 'breach', 'waive'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type RequestAction =
  | { type: 'acknowledge'; note?: string }
  | { type: 'assign'; assignee: string }
  | { type: 'pause'; note?: string }
  | { type: 'resume'; note?: string }
  | { type: 'resolve'; note: string; cause?: Cause }
  | { type: 'close'; note?: string }
  | { type: 'reopen'; note?: string }
  | { type: 'cancel'; note?: string }
  | { type: 'comment'; note: string }
  | { type: 'rate'; score: number; better?: string }
  | { type: 'warn'; kind: TargetKind }
  | { type: 'breach'; kind: TargetKind; charge: BreachCharge }
  | { type: 'waive'; kind: TargetKind; reason: string };

/** One line of a request's history. `seq` is the request's `rev` after the change. */
export interface RequestEvent {
  seq: number;
  type: ActionType | 'filed';
  actor: string;
  at: number;
  from: RequestStatus | null;
  to: RequestStatus;
  note?: string;
  assignee?: string;
  score?: number;
  /** warn, breach, waive: which target. */
  kind?: TargetKind;
  /** breach: what it cost; waive: what was given back. */
  amount?: number;
  unit?: string;
  cause?: Cause;
}

/** What `user` is to a request: someone who works it (provider), the person who filed it, both, or neither. */
export interface Rights {
  provider: boolean;
  requester: boolean;
  /** A head of the customer department (may waive a penalty). */
  customerHead?: boolean;
  /** Kept itself (the scan). */
  system?: boolean;
}

export function rightsOf(request: Pick<Request, 'requester'>, provider: Department | undefined, user: string, customer?: Department): Rights {
  return {
    provider: provider !== undefined && isMember(provider, user),
    requester: request.requester === user,
    customerHead: customer !== undefined && isHead(customer, user),
    system: false,
  };
}

export const SYSTEM_RIGHTS: Rights = { provider: false, requester: false, customerHead: false, system: true };

// ---------------------------------------------------------------------------------------------
// IDs

const REQUEST_ID = /^([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})$/;

export const requestId = (prefix: string, n: number): string => `${prefix}-${n}`;

/** `it-42` -> `IT-42`; undefined for anything that is not a request ID. */
export function parseRequestId(text: string): string | undefined {
  const m = REQUEST_ID.exec(text.trim());
  if (!m) return undefined;
  return `${m[1]!.toUpperCase()}-${Number(m[2])}`;
}

// ---------------------------------------------------------------------------------------------
// Filing

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Characters as a person counts them (👍🏽 and 🇩🇪 are one each). */
export function characters(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export interface RequestText {
  title: string;
  description: string;
}

/** Problems with a request's text, keyed by field; empty when it can be filed. */
export function checkRequestText(text: RequestText): Partial<Record<keyof RequestText, string>> {
  const problems: Partial<Record<keyof RequestText, string>> = {};
  const title = text.title.trim();
  if (title.length === 0) problems.title = 'Give the request a title: one line that says what you need.';
  else if (characters(title) > TITLE_MAX) problems.title = `The title is ${characters(title)} characters; keep it to ${TITLE_MAX} and put the rest in the description.`;
  const description = characters(text.description.trim());
  if (description > DESCRIPTION_MAX) problems.description = `The description is ${description} characters; keep it to ${DESCRIPTION_MAX} (attach longer material in the thread).`;
  return problems;
}

export const isoWeekOf = (local: DateTime): string => `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;

/** The local date, ISO week, weekday and hour of `at` in `zone`. */
export function filedBucket(at: number, zone: string): Filed {
  const local = DateTime.fromMillis(at, { zone });
  return { day: local.toISODate()!, week: isoWeekOf(local), weekday: local.weekday, hour: local.hour };
}

/** `YYYY-MM` of `at` in `zone`: the calendar month a breach's penalty counts in. */
export function monthOf(at: number, zone: string): string {
  return DateTime.fromMillis(at, { zone }).toFormat('yyyy-MM');
}

export interface FileInput {
  id: string;
  number: number;
  agreement: AgreementVersion;
  customer: string;
  priority: Priority;
  title: string;
  description: string;
  source?: RequestSource;
  requester: string;
  at: number;
  calendar: Calendar;
}

/** A new request with both clocks started at `at`, or why it cannot be filed. */
export function fileRequest(input: FileInput): Result<{ request: Request; event: RequestEvent }> {
  const target = input.agreement.targets[input.priority];
  if (!target) return { ok: false, error: `The agreement "${input.agreement.service}" has no ${input.priority} target; pick another priority.` };
  const problems = checkRequestText(input);
  const first = problems.title ?? problems.description;
  if (first) return { ok: false, error: first };
  const clocks = {} as Record<TargetKind, TargetClock>;
  for (const kind of ['response', 'resolution'] as const) {
    const started = startClock(input.calendar, { kind, target: target[kind], at: input.at, threshold: input.agreement.atRisk });
    if (!started.ok) return { ok: false, error: started.error.message };
    clocks[kind] = started.value;
  }
  const request: Request = {
    id: input.id,
    number: input.number,
    provider: input.agreement.provider,
    customer: input.customer,
    agreementId: input.agreement.id,
    agreementVersion: input.agreement.version,
    service: input.agreement.service,
    priority: input.priority,
    title: input.title.trim(),
    description: input.description.trim(),
    ...(input.source ? { source: input.source } : {}),
    requester: input.requester,
    status: 'open',
    createdAt: input.at,
    updatedAt: input.at,
    clocks,
    rev: 1,
    filed: filedBucket(input.at, input.calendar.zone),
  };
  return { ok: true, value: { request, event: { seq: 1, type: 'filed', actor: input.requester, at: input.at, from: null, to: 'open' } } };
}

// ---------------------------------------------------------------------------------------------
// Working a request

type Who = 'provider' | 'requester' | 'either' | 'customerHead' | 'system';

interface Rule {
  who: Who;
  /** The statuses the action may start from. */
  from: readonly RequestStatus[];
  /** Verb for refusals: "cannot <verb> IT-42". */
  verb: string;
}

const WORKING: readonly RequestStatus[] = ['open', 'acknowledged', 'reopened'];
const LIVE: readonly RequestStatus[] = ['open', 'acknowledged', 'waiting_on_requester', 'reopened'];

export const RULES: Record<ActionType, Rule> = {
  acknowledge: { who: 'provider', from: ['open'], verb: 'acknowledge' },
  assign: { who: 'provider', from: [...LIVE, 'resolved'], verb: 'assign' },
  pause: { who: 'provider', from: WORKING, verb: 'wait on the requester for' },
  resume: { who: 'either', from: ['waiting_on_requester'], verb: 'resume' },
  resolve: { who: 'provider', from: LIVE, verb: 'resolve' },
  close: { who: 'requester', from: ['resolved'], verb: 'close' },
  reopen: { who: 'requester', from: ['resolved'], verb: 'reopen' },
  cancel: { who: 'requester', from: LIVE, verb: 'cancel' },
  comment: { who: 'either', from: [...LIVE, 'resolved'], verb: 'add to' },
  rate: { who: 'requester', from: ['resolved', 'closed'], verb: 'rate' },
  // A late resolve, or a cancel after the due time, still leaves a breach for the scan to record.
  warn: { who: 'system', from: LIVE, verb: 'warn about' },
  breach: { who: 'system', from: REQUEST_STATUSES, verb: 'record a breach of' },
  waive: { who: 'customerHead', from: REQUEST_STATUSES, verb: 'waive the penalty of' },
};

export interface DecideContext {
  actor: string;
  at: number;
  calendar: Calendar;
  rights: Rights;
  /** The provider department (for its name in refusals, and to check an assignee). */
  provider: Department;
}

function whoMay(rule: Rule, request: Request, provider: Department): string {
  if (rule.who === 'provider') return `only people in ${provider.name} can ${rule.verb} ${request.id}`;
  if (rule.who === 'requester') return `only the person who filed ${request.id} can ${rule.verb} it`;
  if (rule.who === 'customerHead') return `only a head of the department that filed ${request.id} can waive its penalties`;
  if (rule.who === 'system') return `only Kept itself can ${rule.verb} ${request.id}`;
  return `only ${provider.name} and the person who filed ${request.id} can ${rule.verb} it`;
}

function allowed(rule: Rule, rights: Rights): boolean {
  switch (rule.who) {
    case 'provider':
      return rights.provider;
    case 'requester':
      return rights.requester;
    case 'customerHead':
      return rights.customerHead === true;
    case 'system':
      return rights.system === true;
    default:
      return rights.provider || rights.requester;
  }
}

/** The targets missed by instant `at` (a stopped clock that was late, or a running one past due). */
export function missedTargets(request: Request, calendar: Calendar, at: number): TargetKind[] {
  return (['response', 'resolution'] as const).filter((k) => request.breaches?.[k] !== undefined || clockAt(calendar, request.clocks[k], at).breachedAt !== null);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A status as it reads inside a sentence ("it is waiting on the requester"). */
const STATUS_PHRASE: Record<RequestStatus, string> = {
  open: 'open',
  acknowledged: 'acknowledged',
  waiting_on_requester: 'waiting on the requester',
  resolved: 'resolved',
  reopened: 'reopened',
  closed: 'closed',
  cancelled: 'cancelled',
};

/** Why an action does not fit the request's status, in the words a user would use. */
function wrongState(request: Request, type: ActionType): string {
  const id = request.id;
  const now = STATUS_PHRASE[request.status];
  switch (request.status) {
    case 'closed':
      return `${id} is closed; file a new request if something is still wrong.`;
    case 'cancelled':
      return `${id} was cancelled; file a new request if you still need this.`;
    default:
      break;
  }
  switch (type) {
    case 'acknowledge':
      return request.status === 'acknowledged' ? `${id} is already acknowledged.` : `${id} is already past acknowledging: it is ${now}.`;
    case 'pause':
      return request.status === 'waiting_on_requester' ? `${id} is already waiting on the requester.` : `${id} is ${now}; only work in progress can wait on the requester.`;
    case 'resume':
      return `${id} is not waiting on the requester: it is ${now}.`;
    case 'resolve':
      return `${id} is already resolved; the requester can close or reopen it.`;
    case 'close':
      return `${id} is ${now}; a request is closed once it is resolved.`;
    case 'reopen':
      return `${id} is ${now}, not resolved, so there is nothing to reopen.`;
    case 'cancel':
      return `${id} is already resolved; close it, or reopen it if it is not solved.`;
    case 'rate':
      return `${id} is not resolved yet; you can rate it once it is.`;
    default:
      return `${id} is ${now}.`;
  }
}

function must<T>(r: Result<T, { message: string }>): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/**
 * Applies `action` by `ctx.actor` at `ctx.at`: the changed request and its history line, or a
 * one-line refusal naming who may do it or why the status does not allow it.
 */
export function decide(request: Request, action: RequestAction, ctx: DecideContext): Result<{ request: Request; event: RequestEvent }> {
  const rule = RULES[action.type];
  if (!allowed(rule, ctx.rights)) return { ok: false, error: `${capitalise(whoMay(rule, request, ctx.provider))}.` };
  if (!rule.from.includes(request.status)) return { ok: false, error: wrongState(request, action.type) };
  // A clock never runs backwards: a change stamped before the last one (clock skew between
  // machines) is taken as happening at the last one.
  const at = Math.max(ctx.at, request.updatedAt);
  const cal = ctx.calendar;
  const { response, resolution } = request.clocks;
  let next: Request = { ...request, updatedAt: at, rev: request.rev + 1 };
  const event: RequestEvent = { seq: next.rev, type: action.type, actor: ctx.actor, at, from: request.status, to: request.status };

  switch (action.type) {
    case 'acknowledge':
      next = { ...next, status: 'acknowledged', acknowledgedAt: at, clocks: { response: must(meetClock(cal, response, at)), resolution } };
      if (!next.assignee) next.assignee = ctx.actor;
      break;
    case 'assign':
      if (!isMember(ctx.provider, action.assignee)) return { ok: false, error: `<@${action.assignee}> is not in ${ctx.provider.name}; ${request.id} can only be assigned to someone there.` };
      if (request.assignee === action.assignee) return { ok: false, error: `${request.id} is already assigned to <@${action.assignee}>.` };
      next = { ...next, assignee: action.assignee };
      event.assignee = action.assignee;
      break;
    case 'pause': {
      // Asking the requester for something is an answer: it meets the response target too.
      const r = response.state === 'met' ? response : must(meetClock(cal, response, at));
      next = { ...next, status: 'waiting_on_requester', resumeTo: request.status === 'open' ? 'acknowledged' : request.status, clocks: { response: r, resolution: must(pauseClock(cal, resolution, at)) } };
      if (request.status === 'open') next.acknowledgedAt = at;
      break;
    }
    case 'resume':
      next = resumed(next, cal, at);
      break;
    case 'resolve': {
      const note = action.note.trim();
      if (note.length === 0) return { ok: false, error: `Say in a line how ${request.id} was solved: the requester reads it.` };
      const missed = missedTargets(request, cal, at);
      if (missed.length > 0 && !action.cause) {
        return { ok: false, error: `${request.id} missed its ${missed.join(' and ')} target, so say why: pick a cause (${CAUSE_CATEGORIES.map((c) => CAUSE_LABEL[c].toLowerCase()).join(', ')}).` };
      }
      if (action.cause) {
        if (!(CAUSE_CATEGORIES as readonly string[]).includes(action.cause.category)) return { ok: false, error: `"${action.cause.category}" is not a cause; pick one of ${CAUSE_CATEGORIES.join(', ')}.` };
        const text = action.cause.text?.trim();
        if (text && characters(text) > NOTE_MAX) return { ok: false, error: `Keep the cause of ${request.id} to ${NOTE_MAX} characters.` };
        next.cause = { category: action.cause.category, ...(text ? { text } : {}) };
        event.cause = next.cause;
      }
      const r = response.state === 'met' ? response : must(meetClock(cal, response, at));
      next = { ...next, status: 'resolved', resumeTo: undefined, resolvedAt: at, resolution: note, clocks: { response: r, resolution: must(meetClock(cal, resolution, at)) } };
      if (request.status === 'open') next.acknowledgedAt = at;
      if (!next.assignee) next.assignee = ctx.actor;
      break;
    }
    case 'close':
      next = { ...next, status: 'closed', closedAt: at };
      break;
    case 'reopen': {
      const since = at - (request.resolvedAt ?? at);
      if (since > REOPEN_WINDOW_MS) return { ok: false, error: `${request.id} was resolved more than 7 days ago; file a new request and mention ${request.id} in it.` };
      next = { ...next, status: 'reopened', resolvedAt: undefined, clocks: { response, resolution: must(reopenClock(cal, resolution, at)) } };
      break;
    }
    case 'cancel': {
      const stop = (c: TargetClock) => (c.state === 'running' ? must(pauseClock(cal, c, at)) : c);
      next = { ...next, status: 'cancelled', resumeTo: undefined, cancelledAt: at, clocks: { response: stop(response), resolution: stop(resolution) } };
      break;
    }
    case 'comment': {
      const note = action.note.trim();
      if (note.length === 0) return { ok: false, error: `Write what you want to add to ${request.id}.` };
      // The requester answering while the provider waits on them starts the clock again.
      if (request.status === 'waiting_on_requester' && ctx.rights.requester) next = resumed(next, cal, at);
      break;
    }
    case 'warn': {
      if (request.breaches?.[action.kind]) return { ok: false, error: `${request.id}'s ${action.kind} target is already missed; there is nothing to warn about.` };
      if (request.warned?.[action.kind] !== undefined) return { ok: false, error: `${request.id}'s ${action.kind} target was already warned about.` };
      if (clockAt(cal, request.clocks[action.kind], at).status !== 'at_risk') return { ok: false, error: `${request.id}'s ${action.kind} target is not at risk.` };
      next = { ...next, warned: { ...request.warned, [action.kind]: at } };
      event.kind = action.kind;
      break;
    }
    case 'breach': {
      if (request.breaches?.[action.kind]) return { ok: false, error: `${request.id}'s ${action.kind} breach is already recorded.` };
      const missedAt = clockAt(cal, request.clocks[action.kind], at).breachedAt;
      if (missedAt === null) return { ok: false, error: `${request.id}'s ${action.kind} target is not missed.` };
      next = { ...next, breaches: { ...request.breaches, [action.kind]: { ...action.charge, dueAt: missedAt, detectedAt: at } } };
      Object.assign(event, { kind: action.kind, amount: action.charge.amount, unit: action.charge.unit });
      break;
    }
    case 'waive': {
      const breach = request.breaches?.[action.kind];
      if (!breach) return { ok: false, error: `${request.id} has no ${action.kind} breach to waive.` };
      if (breach.waived) return { ok: false, error: `The ${action.kind} penalty of ${request.id} was already waived.` };
      const reason = action.reason.trim();
      if (reason.length === 0) return { ok: false, error: `Say why the ${action.kind} penalty of ${request.id} is waived: the ledger keeps it.` };
      if (characters(reason) > 500) return { ok: false, error: `Keep the reason for waiving ${request.id}'s penalty to 500 characters.` };
      next = { ...next, breaches: { ...request.breaches, [action.kind]: { ...breach, waived: { by: ctx.actor, at, reason } } } };
      Object.assign(event, { kind: action.kind, amount: breach.amount, unit: breach.unit, note: reason });
      break;
    }
    case 'rate':
      if (request.rating) return { ok: false, error: `You already rated ${request.id}: ${request.rating.score} out of 5. Thank you!` };
      if (!Number.isInteger(action.score) || action.score < 1 || action.score > 5) return { ok: false, error: `Rate ${request.id} with a whole number from 1 to 5.` };
      next = { ...next, rating: { score: action.score, ...(action.better?.trim() ? { better: action.better.trim() } : {}), at, by: ctx.actor } };
      event.score = action.score;
      break;
  }
  const note = 'note' in action ? action.note?.trim() : action.type === 'rate' ? action.better?.trim() : action.type === 'waive' ? action.reason.trim() : undefined;
  if (note) {
    if (characters(note) > NOTE_MAX) return { ok: false, error: `Keep the note on ${request.id} to ${NOTE_MAX} characters; it is ${characters(note)}.` };
    event.note = note;
  }
  event.to = next.status;
  return { ok: true, value: { request: dropUndefined(next), event } };
}

function resumed(request: Request, cal: Calendar, at: number): Request {
  return {
    ...request,
    status: request.resumeTo ?? 'acknowledged',
    resumeTo: undefined,
    clocks: { response: request.clocks.response, resolution: must(resumeClock(cal, request.clocks.resolution, at)) },
  };
}

function dropUndefined(r: Request): Request {
  const out = { ...r } as Record<string, unknown>;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as Request;
}

/** The actions that fit a request's status (the card shows their buttons). */
export function actionsFor(status: RequestStatus): ActionType[] {
  return ACTION_TYPES.filter((t) => RULES[t].from.includes(status));
}

// ---------------------------------------------------------------------------------------------
// Reading the clocks

export interface RequestClocks {
  response: ClockView;
  resolution: ClockView;
}

/** Both clocks at `at`; never before the request's last change (a machine clock running behind must not show a met target as running). */
export function clocksAt(request: Request, calendar: Calendar, at: number): RequestClocks {
  const t = Math.max(at, request.updatedAt);
  return { response: clockAt(calendar, request.clocks.response, t), resolution: clockAt(calendar, request.clocks.resolution, t) };
}

/** Whether the request is still being worked (its clocks can still breach). */
export const isLive = (r: Pick<Request, 'status'>): boolean => (LIVE as readonly string[]).includes(r.status);

/**
 * Working time until the next target of a live request falls due (negative once breached),
 * and whether that target is at risk or breached; null when no clock is running.
 * The queue is sorted by this.
 */
export function nextDue(request: Request, calendar: Calendar, at: number): { kind: TargetKind; remaining: number; due: number | null; status: ClockView['status'] } | null {
  if (!isLive(request)) return null;
  const views = clocksAt(request, calendar, at);
  let best: { kind: TargetKind; remaining: number; due: number | null; status: ClockView['status'] } | null = null;
  for (const kind of ['response', 'resolution'] as const) {
    const v = views[kind];
    if (v.state !== 'running') continue;
    if (!best || v.remaining < best.remaining) best = { kind, remaining: v.remaining, due: v.due, status: v.status };
  }
  return best;
}
