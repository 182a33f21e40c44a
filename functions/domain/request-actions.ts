/**
 * Working a request: who may do what from which status (`RULES`), and what each action does to
 * the request and its clocks (`decide`). The one place these rules live; the Slack listeners, the
 * scan and the store only carry the result. Pure domain code.
 */
import { type AgreementVersion, PRIORITIES, type Targets } from './agreement';
import type { Calendar } from './calendar';
import { type Department, isMember } from './department';
import { DAY_MS } from './duration';
import { forgetSteps, nextStepAt, pendingSteps } from './escalation';
import { nextReminderAt, overdueTargets } from './overdue';
import {
  ACTION_TYPES,
  type ActionType,
  AUTO_CLOSE_MS,
  allBreaches,
  breachOf,
  CAUSE_CATEGORIES,
  CAUSE_LABEL,
  type Cause,
  type Cycle,
  characters,
  cycleOf,
  FILES_MAX,
  filedBucket,
  LIVE_STATUSES,
  NOTE_MAX,
  RATING_WINDOW_MS,
  REASON_MAX,
  RECOVERY_STEPS,
  REOPEN_WINDOW_MS,
  REQUEST_STATUSES,
  type RecoveryCredit,
  type Request,
  type RequestAction,
  type RequestEvent,
  type RequestStatus,
  type Rights,
  type Side,
  type Transfer,
  type TransferOutcome,
  WAIVE_REASON_MAX,
} from './request';
import type { Result } from './result';
import {
  clockAt,
  cycleStartedAt,
  meetClock,
  pauseClock,
  reopenClock,
  resumeClock,
  retargetClock,
  startClock,
  type TargetClock,
  type TargetKind,
  unwrapClock,
} from './target-clock';
import { nextWaitAt, pendingWaits, waitingChanges } from './waiting';
import { workingTimeBetween } from './working-time';

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
  pause: { who: 'provider', from: WORKING, verb: 'pause' },
  // From a third party's wait, only the provider (the effect refuses the requester).
  resume: { who: 'either', from: ['waiting_on_requester', 'waiting_on_third_party'], verb: 'resume' },
  resolve: { who: 'provider', from: LIVE, verb: 'resolve' },
  // Kept closes a resolved request itself once the reopen window is over (AUTO_CLOSE_MS).
  close: { who: 'requesterOrSystem', from: ['resolved'], verb: 'close' },
  reopen: { who: 'requester', from: ['resolved'], verb: 'reopen' },
  cancel: { who: 'requester', from: LIVE, verb: 'cancel' },
  comment: { who: 'either', from: [...LIVE, 'resolved'], verb: 'add to' },
  rate: { who: 'requester', from: ['resolved', 'closed'], verb: 'rate' },
  // A late resolve, or a cancel after the due time, still leaves a breach for the scan to record.
  warn: { who: 'system', from: LIVE, verb: 'warn about' },
  escalate: { who: 'system', from: LIVE, verb: 'escalate' },
  // Once a working day while a breached target's clock still runs (overdue.ts).
  remind: { who: 'system', from: [...WORKING, 'waiting_on_third_party'], verb: 'send a reminder about' },
  // The agreement's waiting rules: Kept reminds the requester, then resumes or closes (waiting.ts).
  unanswered: { who: 'system', from: ['waiting_on_requester'], verb: 'follow up on' },
  breach: { who: 'system', from: REQUEST_STATUSES, verb: 'record a breach of' },
  waive: { who: 'customerHead', from: REQUEST_STATUSES, verb: 'waive the penalty of' },
  // The provider changes it; the requester asks for a change (a history line the provider reads).
  priority: { who: 'either', from: LIVE, verb: 'change the priority of' },
  // Handed over to the department that should have had it; its clocks start again there.
  transfer: { who: 'provider', from: LIVE, verb: 'transfer' },
  // Kept, when the assignee left Slack: their requests go back to the queue.
  unassign: { who: 'system', from: [...LIVE, 'resolved'], verb: 'unassign' },
  // Service recovery after a miss (docs/breaches.md): the provider's steps, then the requester's answer.
  recover: { who: 'provider', from: [...LIVE, 'resolved', 'closed'], verb: 'record recovery on' },
  recovered: { who: 'requester', from: ['resolved', 'closed'], verb: 'confirm recovery of' },
};

export interface DecideContext {
  actor: string;
  at: number;
  calendar: Calendar;
  rights: Rights;
  /** The provider department (for its name in refusals, and to check an assignee). */
  provider: Department;
  /** The targets of the agreement version the request was filed under (a priority change needs them). */
  targets?: Targets;
  /** A transfer: the department it goes to, its agreement covering the customer, and its calendar. */
  destination?: { department: Department; agreement: AgreementVersion; calendar: Calendar };
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
  waiting_on_third_party: 'waiting on a third party',
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
      return request.status === 'waiting_on_requester' || request.status === 'waiting_on_third_party'
        ? `${id} is already ${now}; resume it first.`
        : `${id} is ${now}; only work in progress can wait.`;
    case 'resume':
      return `${id} is not waiting on the requester or a third party: it is ${now}.`;
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
    case 'recovered':
      return `${id} is not resolved yet; Kept asks you once it is.`;
    default:
      return `${id} is ${now}.`;
  }
}

type ActionOf<K extends ActionType> = Extract<RequestAction, { type: K }>;

/** What one action does: the request fields it changes, and the details it adds to the history line. */
interface Effect {
  changes: Partial<Request>;
  event?: Partial<RequestEvent>;
}

/** One action's effect on a request whose status and actor `decide` has already checked, or a one-line refusal. */
type EffectOf<K extends ActionType> = (request: Request, action: ActionOf<K>, ctx: DecideContext) => Result<Effect>;

const refuse = (error: string): Result<Effect> => ({ ok: false, error });
const effect = (changes: Partial<Request>, event?: Partial<RequestEvent>): Result<Effect> => ({
  ok: true,
  value: event ? { changes, event } : { changes },
});

const AUTO_CLOSE_DAYS = AUTO_CLOSE_MS / DAY_MS;
const REOPEN_WINDOW_DAYS = REOPEN_WINDOW_MS / DAY_MS;
const RATING_WINDOW_DAYS = RATING_WINDOW_MS / DAY_MS;

/**
 * Whether a score may still be given at `at`: until the rating window after the latest resolve
 * ends (the instant the scan closes it), also when the requester closed it earlier. A comment on a
 * score given in time may follow later.
 */
export function ratingOpen(request: Pick<Request, 'resolvedAt'>, at: number): boolean {
  return request.resolvedAt !== undefined && at < request.resolvedAt + RATING_WINDOW_MS;
}

/** Meets a clock unless it is met already (asking or solving is also an answer). */
function met(calendar: Calendar, clock: TargetClock, at: number): TargetClock {
  return clock.state === 'met' ? clock : unwrapClock(meetClock(calendar, clock, at));
}

/** Back to work after waiting on the requester: the status it had, and the resolution clock running again. */
function resumed(request: Request, calendar: Calendar, at: number): Partial<Request> {
  return {
    status: request.resumeTo ?? 'acknowledged',
    resumeTo: undefined,
    clocks: {
      response: request.clocks.response,
      resolution: unwrapClock(resumeClock(calendar, request.clocks.resolution, at)),
    },
  };
}

const acknowledge: EffectOf<'acknowledge'> = (request, _action, { calendar, at, actor }) =>
  effect({
    status: 'acknowledged',
    acknowledgedAt: at,
    clocks: {
      response: unwrapClock(meetClock(calendar, request.clocks.response, at)),
      resolution: request.clocks.resolution,
    },
    ...(request.assignee ? {} : { assignee: actor }),
  });

const assign: EffectOf<'assign'> = (request, { assignee }, { provider }) => {
  if (!isMember(provider, assignee))
    return refuse(`<@${assignee}> is not in ${provider.name}; ${request.id} can only be assigned to someone there.`);
  if (request.assignee === assignee) return refuse(`${request.id} is already assigned to <@${assignee}>.`);
  return effect({ assignee }, { assignee, ...(request.assignee ? { previousAssignee: request.assignee } : {}) });
};

const unassign: EffectOf<'unassign'> = (request) => {
  if (!request.assignee) return refuse(`${request.id} has nobody assigned.`);
  return effect({ assignee: undefined }, { previousAssignee: request.assignee });
};

// Asking the requester (or a third party) for something is an answer: it meets the response target
// too. Waiting on a third party stops the resolution clock only when the agreement says so.
const pause: EffectOf<'pause'> = (request, { thirdParty }, { calendar, at }) => {
  const stops = !thirdParty || request.waitRules?.thirdPartyPausesClock === true;
  return effect({
    status: thirdParty ? 'waiting_on_third_party' : 'waiting_on_requester',
    resumeTo: request.status === 'open' ? 'acknowledged' : request.status,
    clocks: {
      response: met(calendar, request.clocks.response, at),
      resolution: stops ? unwrapClock(pauseClock(calendar, request.clocks.resolution, at)) : request.clocks.resolution,
    },
    ...(request.status === 'open' ? { acknowledgedAt: at } : {}),
  });
};

const resume: EffectOf<'resume'> = (request, _action, { calendar, at, rights, provider }) => {
  if (request.status === 'waiting_on_third_party' && !rights.provider)
    return refuse(
      `${request.id} is waiting on a third party; ${provider.name} resumes it when they hear back. To add something, use \`/sla reply ${request.id} your message\`.`,
    );
  return effect(resumed(request, calendar, at));
};

/**
 * The cause a resolve records: needed once a target is missed, unless a recovery step wrote it down
 * after every miss was recorded (then a resolve without one keeps it, and one with a cause replaces
 * it; a reopened cycle's new miss asks again); checked whenever given.
 */
function causeOf(
  request: Request,
  action: ActionOf<'resolve'>,
  calendar: Calendar,
  at: number,
): Result<Cause | undefined> {
  const missed = missedTargets(request, calendar, at);
  const written = request.recovery?.steps?.cause;
  const covered =
    request.cause !== undefined &&
    written !== undefined &&
    missed.every((kind) => (request.breaches?.[kind]?.detectedAt ?? Number.POSITIVE_INFINITY) <= written.at);
  if (missed.length > 0 && !action.cause && !covered) {
    const causes = CAUSE_CATEGORIES.map((c) => CAUSE_LABEL[c].toLowerCase()).join(', ');
    return {
      ok: false,
      error: `${request.id} missed its ${missed.join(' and ')} target, so say why: pick a cause (${causes}).`,
    };
  }
  if (!action.cause) return { ok: true, value: undefined };
  const { category } = action.cause;
  if (!(CAUSE_CATEGORIES as readonly string[]).includes(category))
    return { ok: false, error: `"${category}" is not a cause; pick one of ${CAUSE_CATEGORIES.join(', ')}.` };
  const text = action.cause.text?.trim();
  if (text && characters(text) > NOTE_MAX)
    return { ok: false, error: `Keep the cause of ${request.id} to ${NOTE_MAX} characters.` };
  return { ok: true, value: { category, ...(text ? { text } : {}) } };
}

const resolve: EffectOf<'resolve'> = (request, action, { calendar, at, actor }) => {
  const note = action.note.trim();
  if (note.length === 0) return refuse(`Say in a line how ${request.id} was solved: the requester reads it.`);
  const cause = causeOf(request, action, calendar, at);
  if (!cause.ok) return cause;
  return effect(
    {
      ...(cause.value ? { cause: cause.value } : {}),
      status: 'resolved',
      resumeTo: undefined,
      resolvedAt: at,
      resolutionNote: note,
      clocks: {
        response: met(calendar, request.clocks.response, at),
        resolution: unwrapClock(meetClock(calendar, request.clocks.resolution, at)),
      },
      ...(request.status === 'open' ? { acknowledgedAt: at } : {}),
      ...(request.assignee ? {} : { assignee: actor }),
    },
    cause.value ? { cause: cause.value } : undefined,
  );
};

const close: EffectOf<'close'> = (request, _action, { rights, at }) => {
  if (!rights.requester && at - (request.resolvedAt ?? at) < AUTO_CLOSE_MS)
    return refuse(
      `${request.id} was resolved less than ${AUTO_CLOSE_DAYS} days ago; it closes itself after ${AUTO_CLOSE_DAYS} unless its requester closes or reopens it.`,
    );
  return effect({ status: 'closed', closedAt: at });
};

const reopen: EffectOf<'reopen'> = (request, _action, { calendar, at }) => {
  if (at - (request.resolvedAt ?? at) > REOPEN_WINDOW_MS)
    return refuse(
      `${request.id} was resolved more than ${REOPEN_WINDOW_DAYS} days ago; file a new request and mention ${request.id} in it.`,
    );
  const ended = endCycle(request, calendar, at);
  if (!ended.ok) return ended;
  return effect({
    status: 'reopened',
    resolvedAt: undefined,
    escalated: forgetSteps(request.escalated, 'resolution'),
    ...ratingKept(request),
    ...ended.value,
    clocks: {
      response: request.clocks.response,
      resolution: unwrapClock(reopenClock(calendar, request.clocks.resolution, at)),
    },
  });
};

/** A reopen keeps the rating given so far among the earlier ones: the next resolve asks again. */
function ratingKept(request: Request): Partial<Request> {
  if (!request.rating) return {};
  return { rating: undefined, earlierRatings: [...(request.earlierRatings ?? []), request.rating] };
}

/**
 * A reopen ends the resolution cycle (docs/clock.md "Reopen: a new cycle"): its miss, recorded
 * and charged, moves to `cycles` as it is, and the new cycle may warn and breach afresh. A miss
 * the scan has not recorded yet would be lost with the old clock, so the reopen waits for it.
 */
function endCycle(request: Request, calendar: Calendar, at: number): Result<Partial<Request>> {
  const clock = request.clocks.resolution;
  const breach = request.breaches?.resolution;
  if (!breach && clockAt(calendar, clock, at).breachedAt !== null)
    return {
      ok: false,
      error: `${request.id} was resolved after its resolution target and Kept is still recording that; try reopening it again in a few minutes.`,
    };
  const cycle: Cycle = {
    n: cycleOf(request),
    startedAt: cycleStartedAt(clock),
    metAt: clock.metAt ?? request.resolvedAt ?? at,
    endedAt: at,
    ...(breach ? { breach } : {}),
  };
  const { resolution: _b, ...breaches } = request.breaches ?? {};
  const { resolution: _w, ...warned } = request.warned ?? {};
  return {
    ok: true,
    value: {
      cycles: [...(request.cycles ?? []), cycle],
      breaches: Object.keys(breaches).length > 0 ? breaches : undefined,
      warned: Object.keys(warned).length > 0 ? warned : undefined,
    },
  };
}

const cancel: EffectOf<'cancel'> = (request, _action, { calendar, at }) => {
  const stop = (c: TargetClock) => (c.state === 'running' ? unwrapClock(pauseClock(calendar, c, at)) : c);
  return effect({
    status: 'cancelled',
    resumeTo: undefined,
    cancelledAt: at,
    clocks: { response: stop(request.clocks.response), resolution: stop(request.clocks.resolution) },
  });
};

const comment: EffectOf<'comment'> = (request, action, { calendar, at, rights, provider }) => {
  const files = (action.files ?? []).slice(0, FILES_MAX);
  if (action.note.trim().length === 0 && files.length === 0)
    return refuse(`Write what you want to add to ${request.id}.`);
  if (action.internal && !rights.provider)
    return refuse(
      `Only people in ${provider.name} can write internal notes on ${request.id}; to write to them, use \`/sla reply ${request.id} your message\`.`,
    );
  const side: Side = action.internal ? 'provider' : (action.side ?? (rights.requester ? 'requester' : 'provider'));
  if (side === 'provider' && !rights.provider)
    return refuse(`Only people in ${provider.name} can write for ${provider.name} on ${request.id}.`);
  if (side === 'requester' && !rights.requester)
    return refuse(`Only the person who filed ${request.id} can answer for its requester.`);
  const said: Partial<RequestEvent> = {
    side,
    ...(action.internal ? { internal: true } : {}),
    ...(files.length > 0 ? { files } : {}),
    ...(action.via ? { via: action.via } : {}),
  };
  // The requester answering while the provider waits on them starts the clock again.
  if (request.status === 'waiting_on_requester' && side === 'requester')
    return effect(resumed(request, calendar, at), said);
  return effect({}, said);
};

const rate: EffectOf<'rate'> = (request, { score, better }, { at, actor }) => {
  if (request.rating) {
    // The rating is one click; a comment may follow once, from the same person, about the same score.
    const comment = better?.trim();
    const { rating } = request;
    if (comment && !rating.better && rating.by === actor && rating.score === score)
      return effect({ rating: { ...rating, better: comment } }, { score });
    return refuse(`You already rated ${request.id}: ${rating.score} out of 5. Thank you!`);
  }
  if (!Number.isInteger(score) || score < 1 || score > 5)
    return refuse(`Rate ${request.id} with a whole number from 1 to 5.`);
  if (!ratingOpen(request, at))
    return refuse(
      `Thank you for coming back to ${request.id}. Its rating closed ${RATING_WINDOW_DAYS} days after it was resolved, so this score is not recorded; if something is still wrong, file a new request and mention ${request.id} in it.`,
    );
  return effect({ rating: { score, ...(better?.trim() ? { better: better.trim() } : {}), at, by: actor } }, { score });
};

const warn: EffectOf<'warn'> = (request, { kind }, { calendar, at }) => {
  if (request.breaches?.[kind])
    return refuse(`${request.id}'s ${kind} target is already missed; there is nothing to warn about.`);
  if (request.warned?.[kind] !== undefined) return refuse(`${request.id}'s ${kind} target was already warned about.`);
  if (clockAt(calendar, request.clocks[kind], at).status !== 'at_risk')
    return refuse(`${request.id}'s ${kind} target is not at risk.`);
  return effect({ warned: { ...request.warned, [kind]: at } }, { kind });
};

const escalate: EffectOf<'escalate'> = (request, { step, kind }, { calendar, at }) => {
  const due = pendingSteps(request, calendar).find((p) => p.index === step && p.kind === kind);
  if (!due) return refuse(`${request.id} has no ${kind} escalation step ${step + 1} left to send.`);
  if (due.at > at) return refuse(`${request.id}'s escalation step ${step + 1} is not due yet.`);
  return effect({ escalated: { ...request.escalated, [due.key]: due.at } }, { kind, step, stepAt: due.at });
};

const remind: EffectOf<'remind'> = (request, { kind }, { calendar, at }) => {
  if (!overdueTargets(request).includes(kind)) return refuse(`${request.id}'s ${kind} target is not overdue.`);
  const due = nextReminderAt(request, calendar);
  if (due === undefined || due > at) return refuse(`${request.id}'s next reminder is not due yet.`);
  return effect({ overdueRemindedAt: at }, { kind });
};

const unanswered: EffectOf<'unanswered'> = (request, { rule }, { calendar, at }) => {
  const due = pendingWaits(request, calendar).find((w) => w.rule === rule);
  if (!due) return refuse(`${request.id} has no waiting rule "${rule}" left to apply.`);
  if (due.at > at) return refuse(`${request.id}'s waiting rule "${rule}" is not due yet.`);
  const event = { rule, stepAt: due.at };
  if (rule === 'remind') return effect({ remindedAt: due.at }, event);
  if (rule === 'resume') return effect(resumed(request, calendar, at), event);
  return effect({ status: 'closed', resumeTo: undefined, closedAt: at }, event);
};

const breach: EffectOf<'breach'> = (request, { kind, charge }, { calendar, at }) => {
  if (request.breaches?.[kind]) return refuse(`${request.id}'s ${kind} breach is already recorded.`);
  const missedAt = clockAt(calendar, request.clocks[kind], at).breachedAt;
  if (missedAt === null) return refuse(`${request.id}'s ${kind} target is not missed.`);
  const cycle = kind === 'resolution' ? cycleOf(request) : 1;
  return effect(
    { breaches: { ...request.breaches, [kind]: { ...charge, dueAt: missedAt, detectedAt: at } } },
    { kind, amount: charge.amount, unit: charge.unit, ...(cycle > 1 ? { cycle } : {}) },
  );
};

const waive: EffectOf<'waive'> = (request, action, { at, actor }) => {
  const { kind } = action;
  const current = cycleOf(request);
  const cycle = kind === 'response' ? 1 : (action.cycle ?? current);
  const earlier = kind === 'resolution' && cycle !== current;
  const which = earlier ? `${kind} (cycle ${cycle})` : kind;
  const missed = breachOf(request, kind, cycle);
  if (!missed) return refuse(`${request.id} has no ${which} breach to waive.`);
  if (missed.waived) return refuse(`The ${which} penalty of ${request.id} was already waived.`);
  const reason = action.reason.trim();
  if (reason.length === 0)
    return refuse(`Say why the ${which} penalty of ${request.id} is waived: the ledger keeps it.`);
  if (characters(reason) > WAIVE_REASON_MAX)
    return refuse(`Keep the reason for waiving ${request.id}'s penalty to ${WAIVE_REASON_MAX} characters.`);
  const waived = { ...missed, waived: { by: actor, at, reason } };
  const changes: Partial<Request> = earlier
    ? { cycles: (request.cycles ?? []).map((c) => (c.n === cycle ? { ...c, breach: waived } : c)) }
    : { breaches: { ...request.breaches, [kind]: waived } };
  return effect(changes, {
    kind,
    amount: missed.amount,
    unit: missed.unit,
    note: reason,
    ...(kind === 'resolution' && cycle > 1 ? { cycle } : {}),
  });
};

const priority: EffectOf<'priority'> = (request, action, { calendar, at, rights, targets }) => {
  const id = request.id;
  const reason = action.reason.trim();
  if (!(PRIORITIES as readonly string[]).includes(action.priority))
    return refuse(`"${action.priority}" is not a priority; use one of ${PRIORITIES.join(', ')}.`);
  if (reason.length === 0) return refuse(`Say why ${id} should be ${action.priority}: the history keeps it.`);
  if (characters(reason) > REASON_MAX) return refuse(`Keep the reason to ${REASON_MAX} characters.`);
  if (request.priority === action.priority) return refuse(`${id} is already ${action.priority}.`);
  const target = targets?.[action.priority];
  if (!target) {
    const offered = PRIORITIES.filter((p) => targets?.[p]).join(', ');
    return refuse(
      `The agreement of ${id} has no ${action.priority} target; pick one of ${offered || 'its priorities'}.`,
    );
  }
  const event = { priority: action.priority, previousPriority: request.priority };
  if (!rights.provider) return effect({}, { ...event, asked: true });
  return effect(
    {
      priority: action.priority,
      original: request.original ?? {
        priority: request.priority,
        due: { response: request.clocks.response.dueAt, resolution: request.clocks.resolution.dueAt },
      },
      clocks: {
        response: retargetClock(
          calendar,
          request.clocks.response,
          target.response,
          at,
          request.breaches?.response?.dueAt,
        ),
        resolution: retargetClock(
          calendar,
          request.clocks.resolution,
          target.resolution,
          at,
          request.breaches?.resolution?.dueAt,
        ),
      },
    },
    event,
  );
};

/**
 * A hand-over (docs/clock.md "Transfer"): the first provider's clocks stop for good at `at` — a
 * met target stays met, a missed one stays missed and charged to its agreement, any other is closed
 * as `transferred` — and are kept frozen on the transfer record; the new provider's clocks start at
 * `at` under its agreement's targets for the same priority, on its calendar. The request keeps its
 * ID and history, and is open again for the new provider (nobody assigned there yet).
 */
const transfer: EffectOf<'transfer'> = (request, action, { calendar, at, actor, provider, destination }) => {
  const id = request.id;
  const reason = action.reason.trim();
  if (reason.length === 0)
    return refuse(`Say why ${id} belongs elsewhere: the new department and the history read it.`);
  if (characters(reason) > REASON_MAX) return refuse(`Keep the reason to ${REASON_MAX} characters.`);
  if (!destination) return refuse(`Kept could not find where to send ${id}; name a department.`);
  const { department, agreement } = destination;
  if (department.id === request.provider) return refuse(`${id} is already with ${provider.name}.`);
  const target = agreement.targets[request.priority];
  if (!target) {
    const offered = PRIORITIES.filter((p) => agreement.targets[p]).join(', ');
    return refuse(
      `${department.name}'s agreement "${agreement.service}" has no ${request.priority} target (it has ${offered}); change the priority of ${id} first with \`/sla priority ${id} P1 reason\`.`,
    );
  }
  const missed = missedTargets(request, calendar, at);
  const unrecorded = missed.filter((k) => request.breaches?.[k] === undefined);
  if (unrecorded.length > 0)
    return refuse(
      `${id} has just missed its ${unrecorded.join(' and ')} target and Kept is recording it against ${provider.name}'s agreement; try the transfer again in a few minutes.`,
    );
  const outcomeOf = (k: TargetKind): TransferOutcome =>
    request.breaches?.[k] ? 'breached' : request.clocks[k].state === 'met' ? 'met' : 'transferred';
  const share: Transfer = {
    at,
    by: actor,
    reason,
    from: request.provider,
    to: department.id,
    agreementId: request.agreementId,
    agreementVersion: request.agreementVersion,
    service: request.service,
    priority: request.priority,
    filed: request.filed,
    ...(request.assignee ? { assignee: request.assignee } : {}),
    outcome: { response: outcomeOf('response'), resolution: outcomeOf('resolution') },
    ...tookOf(request),
    ...(request.breaches && Object.keys(request.breaches).length > 0 ? { breaches: request.breaches } : {}),
    ...(request.cycles?.length ? { cycles: request.cycles } : {}),
  };
  const start = (kind: TargetKind) =>
    unwrapClock(startClock(destination.calendar, { kind, target: target[kind], at, threshold: agreement.atRisk }));
  return effect(
    {
      provider: department.id,
      agreementId: agreement.id,
      agreementVersion: agreement.version,
      service: agreement.service,
      status: 'open',
      resumeTo: undefined,
      assignee: undefined,
      acknowledgedAt: undefined,
      warned: undefined,
      ladder: agreement.escalation?.length ? agreement.escalation : undefined,
      waitRules: agreement.waiting,
      escalated: undefined,
      breaches: undefined,
      cycles: undefined,
      original: undefined,
      cause: undefined,
      filed: filedBucket(at, destination.calendar.zone),
      clocks: { response: start('response'), resolution: start('resolution') },
      transfers: [...(request.transfers ?? []), share],
    },
    { transfer: { from: request.provider, to: department.id, fromName: provider.name, toName: department.name } },
  );
};

/**
 * One step of service recovery, recorded with who and when (the latest of each step on the request,
 * every one in the history). Only after a miss; the cause step writes the request's cause too.
 */
const recover: EffectOf<'recover'> = (request, action, { at, actor }) => {
  if (!(RECOVERY_STEPS as readonly string[]).includes(action.step))
    return refuse(`"${action.step}" is not a recovery step; use one of ${RECOVERY_STEPS.join(', ')}.`);
  if (allBreaches(request).length === 0)
    return refuse(`${request.id} has missed no target, so there is nothing to recover from.`);
  const note = action.note.trim();
  let cause: Cause | undefined;
  if (action.step === 'cause') {
    const category = action.cause?.category;
    if (!category || !(CAUSE_CATEGORIES as readonly string[]).includes(category))
      return refuse(`Pick the cause of the miss on ${request.id}: one of ${CAUSE_CATEGORIES.join(', ')}.`);
    cause = { category, ...(note ? { text: note } : {}) };
  } else if (note.length === 0) return refuse(`Write what you tell the requester of ${request.id}: they read it.`);
  const recovery = request.recovery ?? {};
  return effect(
    {
      recovery: { ...recovery, steps: { ...recovery.steps, [action.step]: { by: actor, at } } },
      ...(cause ? { cause } : {}),
    },
    { recovery: action.step, ...(cause ? { cause } : {}) },
  );
};

/**
 * The share of each breach's penalty given back when the requester confirms recovery at `at`: for
 * every breach still charged (not waived, above zero) whose missed due instant lies at most
 * `within` working time before `at` on the provider's calendar. Pure; a request without the term,
 * or already credited, gets none.
 */
export function recoveryCredits(request: Request, calendar: Calendar, at: number): RecoveryCredit[] {
  const terms = request.recoveryCredit;
  if (!terms || request.recovery?.credits?.length) return [];
  const out: RecoveryCredit[] = [];
  for (const { kind, cycle, breach } of allBreaches(request)) {
    if (breach.waived || breach.amount <= 0) continue;
    if (workingTimeBetween(calendar, breach.dueAt, at) > terms.within) continue;
    const amount = Math.round(breach.amount * terms.share * 100) / 100;
    if (amount > 0) out.push({ kind, cycle, amount, unit: breach.unit, month: breach.month, at });
  }
  return out;
}

/** The requester's one answer to "was the service recovered?", and the credit it earns in time. */
const recovered: EffectOf<'recovered'> = (request, action, { at, actor, calendar }) => {
  const confirmed = request.recovery?.confirmed;
  if (confirmed)
    return refuse(
      `You already told Kept whether ${request.id} was put right (${confirmed.recovered ? 'yes' : 'no'}); thank you, nothing more to do.`,
    );
  if (allBreaches(request).length === 0)
    return refuse(`${request.id} missed no target, so there is no recovery to confirm.`);
  const credits = action.recovered ? recoveryCredits(request, calendar, at) : [];
  const credited = credits.reduce((sum, c) => sum + c.amount, 0);
  return effect(
    {
      recovery: {
        ...request.recovery,
        confirmed: { recovered: action.recovered, by: actor, at },
        ...(credits.length > 0 ? { credits } : {}),
      },
    },
    {
      recovered: action.recovered,
      ...(credits.length > 0 ? { credited: -Math.round(credited * 100) / 100, unit: credits[0]!.unit } : {}),
    },
  );
};

/** The working time of each target met before a transfer, for the first provider's report times. */
function tookOf(request: Request): Pick<Transfer, 'took'> {
  const took: Partial<Record<TargetKind, number>> = {};
  for (const k of ['response', 'resolution'] as const)
    if (request.clocks[k].metAt !== null) took[k] = request.clocks[k].usedBefore;
  return Object.keys(took).length > 0 ? { took } : {};
}

/** What each action does to a request, once `decide` has checked who acts and from which status. */
const EFFECTS: { [K in ActionType]: EffectOf<K> } = {
  acknowledge,
  assign,
  pause,
  resume,
  resolve,
  close,
  reopen,
  cancel,
  comment,
  rate,
  warn,
  escalate,
  remind,
  unanswered,
  breach,
  waive,
  priority,
  transfer,
  unassign,
  recover,
  recovered,
};

/** The text an action writes on its history line: its note, a rating's "what would have made this better", a waiver's reason. */
function noteOf(action: RequestAction): string | undefined {
  if ('note' in action) return action.note?.trim();
  if (action.type === 'rate') return action.better?.trim();
  if (action.type === 'waive' || action.type === 'priority' || action.type === 'transfer') return action.reason.trim();
  return undefined;
}

/**
 * Whether someone with `rights` may do an action of `type` to `request` as it stands: the first
 * refusal `decide` would give (who may, then the status), without deciding anything. A gesture that
 * only offers a form (✅ on a card) asks this before offering it.
 */
export function mayAct(request: Request, type: ActionType, rights: Rights, provider: Department): Result<void> {
  const rule = RULES[type];
  if (!allowed(rule, rights)) return { ok: false, error: `${capitalise(whoMay(rule, request, provider))}.` };
  if (!rule.from.includes(request.status)) return { ok: false, error: wrongState(request, type) };
  return { ok: true, value: undefined };
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
  const may = mayAct(request, action.type, ctx.rights, ctx.provider);
  if (!may.ok) return may;
  // A clock never runs backwards: a change stamped before the last one (clock skew between
  // machines) is taken as happening at the last one.
  const at = Math.max(ctx.at, request.updatedAt);
  // The table holds one effect per action type; TypeScript cannot pair the two unions itself.
  const apply = EFFECTS[action.type] as EffectOf<ActionType>;
  const done = apply(request, action as ActionOf<ActionType>, { ...ctx, at });
  if (!done.ok) return done;
  const changed: Request = { ...request, updatedAt: at, rev: request.rev + 1, ...done.value.changes };
  // How long it waited on the requester: counted on the calendar of the provider it waited for.
  const next: Request = { ...changed, ...waitingChanges(request, changed, ctx.calendar, at) };
  // The ladder's and the waiting rules' next instants follow every change of the clocks (on the
  // new provider's calendar after a transfer).
  const calendar = action.type === 'transfer' && ctx.destination ? ctx.destination.calendar : ctx.calendar;
  next.nextStepAt = nextStepAt(next, calendar);
  next.nextWaitAt = nextWaitAt(next, calendar);
  // So does the daily reminder of a breached target.
  next.nextReminderAt = nextReminderAt(next, calendar);
  const event: RequestEvent = {
    seq: next.rev,
    type: action.type,
    actor: ctx.actor,
    at,
    from: request.status,
    to: next.status,
    ...done.value.event,
  };
  const note = noteOf(action);
  if (note && characters(note) > NOTE_MAX)
    return { ok: false, error: `Keep the note on ${request.id} to ${NOTE_MAX} characters; it is ${characters(note)}.` };
  if (note) event.note = note;
  return { ok: true, value: { request: dropUndefined(next), event } };
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
