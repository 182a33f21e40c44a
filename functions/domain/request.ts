/**
 * A `Request`: one piece of work a person asks of another department under an agreement.
 * It carries its two target clocks (response and resolution, see target-clock.ts) and moves through
 * a small state machine (request-actions.ts decides each move). Here: its shape, its ID, filing
 * it, and reading its clocks; its statuses, text limits and text check are in request-fields.ts.
 * Pure domain code: instants are epoch milliseconds.
 */
import { DateTime } from 'luxon';
import type { AgreementVersion, EscalationStep, Priority, WaitingTerms } from './agreement';
import type { Calendar } from './calendar';
import { type Department, isHead, isMember } from './department';
import { DAY_MS } from './duration';
import { nextStepAt } from './escalation';
import {
  type Cause,
  checkRequestText,
  type FileLink,
  LIVE_STATUSES,
  type RequestSource,
  type RequestStatus,
} from './request-fields';
import type { Result } from './result';
import { type ClockView, clockAt, startClock, type TargetClock, type TargetKind } from './target-clock';
import type { Waited, WaitingRule } from './waiting';
import { isoWeekOf } from './weeks';

// What a form or message needs of a request, and nothing else (request-fields.ts, issue #22).
export * from './request-fields';

/** A resolved request may be reopened by its requester for this long after it was resolved. */
export const REOPEN_WINDOW_MS = 7 * DAY_MS;
/**
 * A resolved request that its requester neither confirms nor reopens closes itself when the reopen
 * window ends (the scan does it, as Kept): resolved requests do not pile up in "My requests".
 */
export const AUTO_CLOSE_MS = REOPEN_WINDOW_MS;
/**
 * The requester may rate a resolved request until this long after its resolve: the instant the
 * reopen window ends and the scan closes it. Closing it early does not end the rating sooner.
 */
export const RATING_WINDOW_MS = AUTO_CLOSE_MS;

export interface Rating {
  /** 1 (poor) to 5 (excellent). */
  score: number;
  /** "What would have made this better?" (optional). */
  better?: string;
  at: number;
  by: string;
}

/**
 * The steps of service recovery after a miss (docs/breaches.md "Recovery"), each recorded on the
 * request with who and when: an apology to the requester, an explanation, a fix or word on progress,
 * and the cause written down.
 */
export const RECOVERY_STEPS = ['apologised', 'explained', 'progress', 'cause'] as const;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];
export const RECOVERY_STEP_LABEL: Record<RecoveryStep, string> = {
  apologised: 'Apologised',
  explained: 'Explained what happened',
  progress: 'Fixed it or reported progress',
  cause: 'Wrote down the cause',
};

/** A share of a breach's penalty given back when the requester confirms recovery in time (agreement term). */
export interface RecoveryCreditTerms {
  /** 0 < share <= 1 of the breach's penalty. */
  share: number;
  /** Working ms after the breach (its missed due instant, on the provider's calendar). */
  within: number;
}

/** One breach's recovery credit: what was given back, for which target and cycle. */
export interface RecoveryCredit {
  kind: TargetKind;
  cycle: number;
  amount: number;
  unit: string;
  /** The breach's penalty month (the ledger's). */
  month: string;
  at: number;
}

/** What was done to recover the service after a miss, and what the requester said of it. */
export interface Recovery {
  /** Each step the provider recorded: who did it last and when (the history keeps every one). */
  steps?: Partial<Record<RecoveryStep, { by: string; at: number }>>;
  /** The requester's one answer to "was the service recovered?". */
  confirmed?: { recovered: boolean; by: string; at: number };
  /** Credits given back when they confirmed in time: one per breach, never more. */
  credits?: RecoveryCredit[];
}

/** A penalty charge: what one breach costs, worked out from the pinned agreement version and the month's ledger. */
export interface PenaltyCharge {
  amount: number;
  unit: string;
  /** This breach's number within the agreement's calendar month (1-based). */
  n: number;
  multiplier: number;
  /** `YYYY-MM` of the due instant in the provider's time zone. */
  month: string;
}

export interface Breach extends PenaltyCharge {
  /** The missed due instant: a breach found late is still recorded here. */
  dueAt: number;
  detectedAt: number;
  waived?: { by: string; at: number; reason: string };
}

/**
 * A resolution cycle that a reopen ended (docs/clock.md "Reopen: a new cycle"): when its clock
 * started and was met, and its missed resolution target with its penalty, kept as recorded.
 */
export interface Cycle {
  /** 1 for the cycle from the filing, 2 for the one after the first reopen, … */
  n: number;
  startedAt: number;
  /** When it was resolved (the resolution clock met). */
  metAt: number;
  /** The reopen that ended it. */
  endedAt: number;
  /** Its missed resolution target (the response target has one cycle, the request's first). */
  breach?: Breach;
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
  /** While waiting (on the requester or a third party): the status a resume returns to. */
  resumeTo?: RequestStatus;
  createdAt: number;
  updatedAt: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  cancelledAt?: number;
  /** The solver's "resolution note": how the request was solved, for the requester. */
  resolutionNote?: string;
  /** The rating of the latest resolve (asked again after a reopen). */
  rating?: Rating;
  /** Ratings of earlier resolves, oldest first: a reopen moves `rating` here; reports count them all. */
  earlierRatings?: Rating[];
  clocks: Record<TargetKind, TargetClock>;
  /** Goes up by one with every change (optimistic concurrency); the filing is rev 1. */
  rev: number;
  filed: Filed;
  /** Targets whose at-risk warning went out, and when. */
  warned?: Partial<Record<TargetKind, number>>;
  /** The agreement's escalation ladder, copied at filing (and at a transfer) like the targets. */
  ladder?: EscalationStep[];
  /** Ladder steps that fired, by key (escalation.ts `stepKey`): the instant each fell due. */
  escalated?: Record<string, number>;
  /** When the next ladder step falls due (worked out with the calendar at each change; the scan's index reads it). */
  nextStepAt?: number;
  /** The last daily reminder of a breached target still running (overdue.ts), when it went out. */
  overdueRemindedAt?: number;
  /** When the next daily reminder falls due (worked out with the calendar at each change, like `nextStepAt`). */
  nextReminderAt?: number;
  /** The agreement's rules for waiting on the requester, copied at filing (and at a transfer) like the ladder. */
  waitRules?: WaitingTerms;
  /** While waiting on the requester: when the current pause began (its rules count from here). */
  waitingSince?: number;
  /** The instant the current pause's reminder fell due, once it was sent. */
  remindedAt?: number;
  /** When the next waiting rule applies (worked out with the calendar at each change; the scan's index reads it). */
  nextWaitAt?: number;
  /** How long the request waited on its requester, over the pauses that ended (and how many pauses, the current one included). */
  waited?: Waited;
  /** Missed targets of the current cycle (and the response target), recorded once each by the scan, with their penalty. */
  breaches?: Partial<Record<TargetKind, Breach>>;
  /** Earlier resolution cycles, oldest first, each ended by a reopen: the request is in cycle `cycles.length + 1`. */
  cycles?: Cycle[];
  cause?: Cause;
  /** Once the priority changed: the priority it was filed with and its due instants then (kept, shown struck through). */
  original?: OriginalTerms;
  /** Service recovery after a miss: the steps taken and the requester's answer. */
  recovery?: Recovery;
  /** The agreement's recovery credit, copied at filing like the other terms. */
  recoveryCredit?: RecoveryCreditTerms;
  /** Each hand-over to another department, oldest first: what the earlier provider owned, frozen at the transfer. */
  transfers?: Transfer[];
}

/** How a target ended for a provider that handed the request over: met, missed, or closed by the transfer. */
export type TransferOutcome = 'met' | 'breached' | 'transferred';

/**
 * One hand-over (`/sla transfer`): who, from which department to which, why, and the earlier
 * provider's share frozen at that instant (its agreement, priority, report bucket, how each target
 * ended, its recorded breaches with their charges). The earlier provider's report counters are
 * worked out from this share, which never changes again.
 */
export interface Transfer {
  at: number;
  by: string;
  reason: string;
  from: string;
  to: string;
  agreementId: string;
  agreementVersion: number;
  service: string;
  priority: Priority;
  /** The earlier provider's report bucket (when it received the request). */
  filed: Filed;
  assignee?: string;
  outcome: Record<TargetKind, TransferOutcome>;
  /** Working ms each target met while the earlier provider owned the request took (its report times; kept since December 2026). */
  took?: Partial<Record<TargetKind, number>>;
  /** Breaches recorded while the earlier provider owned the request: charged to its agreement. */
  breaches?: Partial<Record<TargetKind, Breach>>;
  /** Its earlier resolution cycles (reopens while it owned the request), with their breaches. */
  cycles?: Cycle[];
}

/** The priority a request was filed with and the due instant of each target under it, before any change. */
export interface OriginalTerms {
  priority: Priority;
  due: Record<TargetKind, number | null>;
}

/** The longest reason for a priority change. */
export const REASON_MAX = 500;

export const ACTION_TYPES = [
  'acknowledge',
  'assign',
  'pause',
  'resume',
  'resolve',
  'close',
  'reopen',
  'cancel',
  'comment',
  'rate',
  'warn',
  'escalate',
  'remind',
  'unanswered',
  'breach',
  'waive',
  'priority',
  'transfer',
  'unassign',
  'recover',
  'recovered',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export type RequestAction =
  | { type: 'acknowledge'; note?: string }
  | { type: 'assign'; assignee: string }
  /** Waiting on the requester, or with `thirdParty` on someone outside both departments (a vendor). */
  | { type: 'pause'; note?: string; thirdParty?: boolean }
  | { type: 'resume'; note?: string }
  | { type: 'resolve'; note: string; cause?: Cause }
  | { type: 'close'; note?: string }
  | { type: 'reopen'; note?: string }
  | { type: 'cancel'; note?: string }
  | {
      type: 'comment';
      note: string;
      /** Which side said it; by default the requester's when the actor filed it, else the provider's. */
      side?: Side;
      /** A provider's internal note: kept in the history, never shown to the requester. */
      internal?: boolean;
      /** Files shared with the message: links only, Kept keeps no content. */
      files?: FileLink[];
      /** The Slack message it was said in (a reply in the card's or a DM's thread). */
      via?: { channel: string; ts: string };
    }
  | { type: 'rate'; score: number; better?: string }
  | { type: 'warn'; kind: TargetKind }
  /** A step of the agreement's escalation ladder (its index), for the target it watches. */
  | { type: 'escalate'; step: number; kind: TargetKind }
  /** The daily reminder while the `kind` target is breached and the request still open (overdue.ts). */
  | { type: 'remind'; kind: TargetKind }
  /** A waiting rule of the agreement, applied by Kept when the requester has not answered (waiting.ts). */
  | { type: 'unanswered'; rule: WaitingRule }
  | { type: 'breach'; kind: TargetKind; charge: PenaltyCharge }
  /** `cycle`: an earlier cycle's resolution breach (docs/clock.md); the current cycle's when left out. */
  | { type: 'waive'; kind: TargetKind; reason: string; cycle?: number }
  /** By the provider: changes the priority; by the requester: asks the provider to (history only). */
  | { type: 'priority'; priority: Priority; reason: string }
  /** By the provider: hands the request over to department `to` (the service resolves its agreement). */
  | { type: 'transfer'; to: string; reason: string }
  /** By Kept: the assignee left Slack (their account was deactivated); the request waits for someone to take it. */
  | { type: 'unassign' }
  /** By the provider after a miss: one recovery step; apologies, explanations and progress reach the requester. */
  | { type: 'recover'; step: RecoveryStep; note: string; cause?: Cause }
  /** By the requester, once, after a miss and the resolve: whether the service was recovered. */
  | { type: 'recovered'; recovered: boolean };

/** The two sides of a request's conversation: the department that works it, and the person who filed it. */
export type Side = 'provider' | 'requester';

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
  /** assign: who had the request before (told that it moved). */
  previousAssignee?: string;
  score?: number;
  /** warn, remind, breach, waive: which target. */
  kind?: TargetKind;
  /** escalate: the ladder step's index and the instant it fell due. */
  step?: number;
  stepAt?: number;
  /** unanswered: the waiting rule applied (its instant in `stepAt`). */
  rule?: WaitingRule;
  /** breach, waive: the resolution cycle the breach belongs to, when it is not the first. */
  cycle?: number;
  /** breach: what it cost; waive: what was given back. */
  amount?: number;
  unit?: string;
  cause?: Cause;
  /** comment: who said it (the conversation), whether it is internal, its files and where it was said. */
  side?: Side;
  internal?: boolean;
  files?: FileLink[];
  via?: { channel: string; ts: string };
  /** priority: the new priority (asked for, when `asked`), and the one before. */
  priority?: Priority;
  previousPriority?: Priority;
  /** priority: the requester asked for the change; the provider decides. */
  asked?: boolean;
  /** recover: which step; recovered: the requester's answer. */
  recovery?: RecoveryStep;
  recovered?: boolean;
  /** recovered: the penalty credited back (a negative amount, like a waiver's), when any. */
  credited?: number;
  /** transfer: the department it left and the one it went to (ids, and their names then). */
  transfer?: TransferMove;
}

/** A transfer's history detail: the departments' ids and their names at the time. */
export interface TransferMove {
  from: string;
  to: string;
  fromName: string;
  toName: string;
}

/** Whether a history line may be shown to someone who does not work the request (internal notes are not). */
export const seenByRequester = (event: Pick<RequestEvent, 'internal'>): boolean => event.internal !== true;

/** What `user` is to a request: someone who works it (provider), the person who filed it, both, or neither. */
export interface Rights {
  provider: boolean;
  requester: boolean;
  /** A head of the customer department (may waive a penalty). */
  customerHead?: boolean;
  /** Kept itself (the scan). */
  system?: boolean;
}

export function rightsOf(
  request: Pick<Request, 'requester'>,
  provider: Department | undefined,
  user: string,
  customer?: Department,
): Rights {
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

/** The local date, ISO week, weekday and hour of `at` in `zone`. */
export function filedBucket(at: number, zone: string): Filed {
  const local = DateTime.fromMillis(at, { zone });
  return { day: local.toISODate()!, week: isoWeekOf(local), weekday: local.weekday, hour: local.hour };
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
  if (!target)
    return {
      ok: false,
      error: `The agreement "${input.agreement.service}" has no ${input.priority} target; pick another priority.`,
    };
  const problems = checkRequestText(input);
  const first = problems.title ?? problems.description;
  if (first) return { ok: false, error: first };
  const clocks = {} as Record<TargetKind, TargetClock>;
  for (const kind of ['response', 'resolution'] as const) {
    const started = startClock(input.calendar, {
      kind,
      target: target[kind],
      at: input.at,
      threshold: input.agreement.atRisk,
    });
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
  if (input.agreement.escalation?.length) {
    request.ladder = input.agreement.escalation;
    const next = nextStepAt(request, input.calendar);
    if (next !== undefined) request.nextStepAt = next;
  }
  if (input.agreement.waiting) request.waitRules = input.agreement.waiting;
  if (input.agreement.recoveryCredit) request.recoveryCredit = input.agreement.recoveryCredit;
  return {
    ok: true,
    value: { request, event: { seq: 1, type: 'filed', actor: input.requester, at: input.at, from: null, to: 'open' } },
  };
}

// ---------------------------------------------------------------------------------------------
// Cycles

/** The resolution cycle the request is in: 1 until its first reopen. */
export const cycleOf = (r: Pick<Request, 'cycles'>): number => (r.cycles?.length ?? 0) + 1;

/** Every breach recorded on the request while its current provider has it: the current ones, then each earlier cycle's. */
export function allBreaches(
  r: Pick<Request, 'breaches' | 'cycles'>,
): { kind: TargetKind; cycle: number; breach: Breach }[] {
  const current = cycleOf(r);
  const out: { kind: TargetKind; cycle: number; breach: Breach }[] = [];
  for (const c of r.cycles ?? []) if (c.breach) out.push({ kind: 'resolution', cycle: c.n, breach: c.breach });
  for (const kind of ['response', 'resolution'] as const) {
    const breach = r.breaches?.[kind];
    // The response target has one cycle, the first.
    if (breach) out.push({ kind, cycle: kind === 'response' ? 1 : current, breach });
  }
  return out;
}

/** The breach of target `kind` in `cycle` (the current one when left out), if recorded. */
export function breachOf(
  r: Pick<Request, 'breaches' | 'cycles'>,
  kind: TargetKind,
  cycle?: number,
): Breach | undefined {
  if (cycle === undefined || cycle === cycleOf(r) || kind === 'response') return r.breaches?.[kind];
  return kind === 'resolution' ? r.cycles?.find((c) => c.n === cycle)?.breach : undefined;
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
  return {
    response: clockAt(calendar, request.clocks.response, t),
    resolution: clockAt(calendar, request.clocks.resolution, t),
  };
}

/** Whether the request is still being worked (its clocks can still breach). */
export const isLive = (r: Pick<Request, 'status'>): boolean => (LIVE_STATUSES as readonly string[]).includes(r.status);

/**
 * Working time until the next target of a live request falls due (negative once breached),
 * and whether that target is at risk or breached; null when no clock is running.
 * The queue is sorted by this.
 */
export function nextDue(
  request: Request,
  calendar: Calendar,
  at: number,
): { kind: TargetKind; remaining: number; due: number | null; status: ClockView['status'] } | null {
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
