/**
 * Working a request: who may do what from which status (`RULES`), and what each action does to
 * the request and its clocks (`decide`). The one place these rules live; the Slack listeners, the
 * scan and the store only carry the result. Pure domain code.
 */
import type { Calendar } from './calendar';
import { type Department, isMember } from './department';
import type { Result } from './duration';
import {
  ACTION_TYPES,
  type ActionType,
  AUTO_CLOSE_MS,
  CAUSE_CATEGORIES,
  CAUSE_LABEL,
  characters,
  LIVE_STATUSES,
  NOTE_MAX,
  REOPEN_WINDOW_MS,
  REQUEST_STATUSES,
  type Request,
  type RequestAction,
  type RequestEvent,
  type RequestStatus,
  type Rights,
} from './request';
import {
  clockAt,
  meetClock,
  pauseClock,
  reopenClock,
  resumeClock,
  type TargetClock,
  type TargetKind,
  unwrapClock,
} from './target-clock';

// ---------------------------------------------------------------------------------------------
// Working a request

type Who = 'provider' | 'requester' | 'either' | 'customerHead' | 'system' | 'requesterOrSystem';

interface Rule {
  who: Who;
  /** The statuses the action may start from. */
  from: readonly RequestStatus[];
  /** Verb for refusals: "cannot <verb> IT-42". */
  verb: string;
}

const WORKING: readonly RequestStatus[] = ['open', 'acknowledged', 'reopened'];
const LIVE = LIVE_STATUSES;

export const RULES: Record<ActionType, Rule> = {
  acknowledge: { who: 'provider', from: ['open'], verb: 'acknowledge' },
  assign: { who: 'provider', from: [...LIVE, 'resolved'], verb: 'assign' },
  pause: { who: 'provider', from: WORKING, verb: 'wait on the requester for' },
  resume: { who: 'either', from: ['waiting_on_requester'], verb: 'resume' },
  resolve: { who: 'provider', from: LIVE, verb: 'resolve' },
  // Kept closes a resolved request itself once the reopen window is over (AUTO_CLOSE_MS).
  close: { who: 'requesterOrSystem', from: ['resolved'], verb: 'close' },
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
  if (rule.who === 'requester' || rule.who === 'requesterOrSystem')
    return `only the person who filed ${request.id} can ${rule.verb} it`;
  if (rule.who === 'customerHead')
    return `only a head of the department that filed ${request.id} can waive its penalties`;
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
    case 'requesterOrSystem':
      return rights.requester || rights.system === true;
    default:
      return rights.provider || rights.requester;
  }
}

/** The targets missed by instant `at` (a stopped clock that was late, or a running one past due). */
export function missedTargets(request: Request, calendar: Calendar, at: number): TargetKind[] {
  return (['response', 'resolution'] as const).filter(
    (k) => request.breaches?.[k] !== undefined || clockAt(calendar, request.clocks[k], at).breachedAt !== null,
  );
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
      return request.status === 'acknowledged'
        ? `${id} is already acknowledged.`
        : `${id} is already past acknowledging: it is ${now}.`;
    case 'pause':
      return request.status === 'waiting_on_requester'
        ? `${id} is already waiting on the requester.`
        : `${id} is ${now}; only work in progress can wait on the requester.`;
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

/**
 * Applies `action` by `ctx.actor` at `ctx.at`: the changed request and its history line, or a
 * one-line refusal naming who may do it or why the status does not allow it.
 */
export function decide(
  request: Request,
  action: RequestAction,
  ctx: DecideContext,
): Result<{ request: Request; event: RequestEvent }> {
  const rule = RULES[action.type];
  if (!allowed(rule, ctx.rights)) return { ok: false, error: `${capitalise(whoMay(rule, request, ctx.provider))}.` };
  if (!rule.from.includes(request.status)) return { ok: false, error: wrongState(request, action.type) };
  // A clock never runs backwards: a change stamped before the last one (clock skew between
  // machines) is taken as happening at the last one.
  const at = Math.max(ctx.at, request.updatedAt);
  const cal = ctx.calendar;
  const { response, resolution } = request.clocks;
  let next: Request = { ...request, updatedAt: at, rev: request.rev + 1 };
  const event: RequestEvent = {
    seq: next.rev,
    type: action.type,
    actor: ctx.actor,
    at,
    from: request.status,
    to: request.status,
  };

  switch (action.type) {
    case 'acknowledge':
      next = {
        ...next,
        status: 'acknowledged',
        acknowledgedAt: at,
        clocks: { response: unwrapClock(meetClock(cal, response, at)), resolution },
      };
      if (!next.assignee) next.assignee = ctx.actor;
      break;
    case 'assign':
      if (!isMember(ctx.provider, action.assignee))
        return {
          ok: false,
          error: `<@${action.assignee}> is not in ${ctx.provider.name}; ${request.id} can only be assigned to someone there.`,
        };
      if (request.assignee === action.assignee)
        return { ok: false, error: `${request.id} is already assigned to <@${action.assignee}>.` };
      next = { ...next, assignee: action.assignee };
      event.assignee = action.assignee;
      break;
    case 'pause': {
      // Asking the requester for something is an answer: it meets the response target too.
      const r = response.state === 'met' ? response : unwrapClock(meetClock(cal, response, at));
      next = {
        ...next,
        status: 'waiting_on_requester',
        resumeTo: request.status === 'open' ? 'acknowledged' : request.status,
        clocks: { response: r, resolution: unwrapClock(pauseClock(cal, resolution, at)) },
      };
      if (request.status === 'open') next.acknowledgedAt = at;
      break;
    }
    case 'resume':
      next = resumed(next, cal, at);
      break;
    case 'resolve': {
      const note = action.note.trim();
      if (note.length === 0)
        return { ok: false, error: `Say in a line how ${request.id} was solved: the requester reads it.` };
      const missed = missedTargets(request, cal, at);
      if (missed.length > 0 && !action.cause) {
        return {
          ok: false,
          error: `${request.id} missed its ${missed.join(' and ')} target, so say why: pick a cause (${CAUSE_CATEGORIES.map((c) => CAUSE_LABEL[c].toLowerCase()).join(', ')}).`,
        };
      }
      if (action.cause) {
        if (!(CAUSE_CATEGORIES as readonly string[]).includes(action.cause.category))
          return {
            ok: false,
            error: `"${action.cause.category}" is not a cause; pick one of ${CAUSE_CATEGORIES.join(', ')}.`,
          };
        const text = action.cause.text?.trim();
        if (text && characters(text) > NOTE_MAX)
          return { ok: false, error: `Keep the cause of ${request.id} to ${NOTE_MAX} characters.` };
        next.cause = { category: action.cause.category, ...(text ? { text } : {}) };
        event.cause = next.cause;
      }
      const r = response.state === 'met' ? response : unwrapClock(meetClock(cal, response, at));
      next = {
        ...next,
        status: 'resolved',
        resumeTo: undefined,
        resolvedAt: at,
        resolution: note,
        clocks: { response: r, resolution: unwrapClock(meetClock(cal, resolution, at)) },
      };
      if (request.status === 'open') next.acknowledgedAt = at;
      if (!next.assignee) next.assignee = ctx.actor;
      break;
    }
    case 'close':
      if (!ctx.rights.requester && at - (request.resolvedAt ?? at) < AUTO_CLOSE_MS)
        return {
          ok: false,
          error: `${request.id} was resolved less than 7 days ago; it closes itself after 7 unless its requester closes or reopens it.`,
        };
      next = { ...next, status: 'closed', closedAt: at };
      break;
    case 'reopen': {
      const since = at - (request.resolvedAt ?? at);
      if (since > REOPEN_WINDOW_MS)
        return {
          ok: false,
          error: `${request.id} was resolved more than 7 days ago; file a new request and mention ${request.id} in it.`,
        };
      next = {
        ...next,
        status: 'reopened',
        resolvedAt: undefined,
        clocks: { response, resolution: unwrapClock(reopenClock(cal, resolution, at)) },
      };
      break;
    }
    case 'cancel': {
      const stop = (c: TargetClock) => (c.state === 'running' ? unwrapClock(pauseClock(cal, c, at)) : c);
      next = {
        ...next,
        status: 'cancelled',
        resumeTo: undefined,
        cancelledAt: at,
        clocks: { response: stop(response), resolution: stop(resolution) },
      };
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
      if (request.breaches?.[action.kind])
        return {
          ok: false,
          error: `${request.id}'s ${action.kind} target is already missed; there is nothing to warn about.`,
        };
      if (request.warned?.[action.kind] !== undefined)
        return { ok: false, error: `${request.id}'s ${action.kind} target was already warned about.` };
      if (clockAt(cal, request.clocks[action.kind], at).status !== 'at_risk')
        return { ok: false, error: `${request.id}'s ${action.kind} target is not at risk.` };
      next = { ...next, warned: { ...request.warned, [action.kind]: at } };
      event.kind = action.kind;
      break;
    }
    case 'breach': {
      if (request.breaches?.[action.kind])
        return { ok: false, error: `${request.id}'s ${action.kind} breach is already recorded.` };
      const missedAt = clockAt(cal, request.clocks[action.kind], at).breachedAt;
      if (missedAt === null) return { ok: false, error: `${request.id}'s ${action.kind} target is not missed.` };
      next = {
        ...next,
        breaches: { ...request.breaches, [action.kind]: { ...action.charge, dueAt: missedAt, detectedAt: at } },
      };
      Object.assign(event, { kind: action.kind, amount: action.charge.amount, unit: action.charge.unit });
      break;
    }
    case 'waive': {
      const breach = request.breaches?.[action.kind];
      if (!breach) return { ok: false, error: `${request.id} has no ${action.kind} breach to waive.` };
      if (breach.waived) return { ok: false, error: `The ${action.kind} penalty of ${request.id} was already waived.` };
      const reason = action.reason.trim();
      if (reason.length === 0)
        return {
          ok: false,
          error: `Say why the ${action.kind} penalty of ${request.id} is waived: the ledger keeps it.`,
        };
      if (characters(reason) > 500)
        return { ok: false, error: `Keep the reason for waiving ${request.id}'s penalty to 500 characters.` };
      next = {
        ...next,
        breaches: { ...request.breaches, [action.kind]: { ...breach, waived: { by: ctx.actor, at, reason } } },
      };
      Object.assign(event, { kind: action.kind, amount: breach.amount, unit: breach.unit, note: reason });
      break;
    }
    case 'rate':
      if (request.rating)
        return { ok: false, error: `You already rated ${request.id}: ${request.rating.score} out of 5. Thank you!` };
      if (!Number.isInteger(action.score) || action.score < 1 || action.score > 5)
        return { ok: false, error: `Rate ${request.id} with a whole number from 1 to 5.` };
      next = {
        ...next,
        rating: {
          score: action.score,
          ...(action.better?.trim() ? { better: action.better.trim() } : {}),
          at,
          by: ctx.actor,
        },
      };
      event.score = action.score;
      break;
  }
  const note =
    'note' in action
      ? action.note?.trim()
      : action.type === 'rate'
        ? action.better?.trim()
        : action.type === 'waive'
          ? action.reason.trim()
          : undefined;
  if (note) {
    if (characters(note) > NOTE_MAX)
      return {
        ok: false,
        error: `Keep the note on ${request.id} to ${NOTE_MAX} characters; it is ${characters(note)}.`,
      };
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
    clocks: {
      response: request.clocks.response,
      resolution: unwrapClock(resumeClock(cal, request.clocks.resolution, at)),
    },
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
