/**
 * The target clock of one request and one target (response or resolution): a small state machine
 * (running, paused, met) over working time, with its due and at-risk instants. Instants are epoch
 * milliseconds; durations are working milliseconds. Pure functions only. Semantics in docs/clock.md.
 */
import type { Calendar } from './calendar';
import type { Result } from './result';
import { addWorkingTime, workingTimeBetween } from './working-time';

export type TargetKind = 'response' | 'resolution';
export type ClockState = 'running' | 'paused' | 'met';
export type ClockStatus = 'running' | 'paused' | 'met' | 'at_risk' | 'breached';
/**
 * `cycle`: a reopen that starts a new cycle (the target afresh from that instant, docs/clock.md
 * "Reopen"). `reopen`: a reopen recorded before cycles existed, which carried on with the time
 * already used; kept so the history of those requests still replays as it happened.
 */
export type ClockEventType = 'start' | 'pause' | 'resume' | 'meet' | 'reopen' | 'cycle';
export interface ClockEvent {
  readonly type: ClockEventType;
  readonly at: number;
}

/** The share of a target after which its clock is at risk, when the agreement does not say. */
export const DEFAULT_AT_RISK = 0.75;

/**
 * One request's clock for one target. A plain, immutable, JSON-serialisable value; every change
 * returns a new clock. The calendar is passed to each function rather than stored.
 */
export interface TargetClock {
  readonly kind: TargetKind;
  /** The target, in ms of working time. */
  readonly target: number;
  /** Fraction of the target at which the clock is at risk (0 < threshold <= 1). */
  readonly threshold: number;
  readonly state: ClockState;
  readonly startedAt: number;
  readonly lastEventAt: number;
  /** Working time used in running spans that have ended (by a pause or by being met). */
  readonly usedBefore: number;
  /** Start of the current running span, when running. */
  readonly runningSince: number | null;
  /** Due instant while running (fixed for the whole running span); the last one once paused or met. */
  readonly dueAt: number | null;
  /** First instant of the current running span at which the clock is at risk. */
  readonly atRiskAt: number | null;
  /** The due instant that was missed, once the clock is known to have run past it. */
  readonly breachedAt: number | null;
  readonly metAt: number | null;
  /** Every event that changed the clock, oldest first (for looking at the clock as of earlier instants). */
  readonly events: readonly ClockEvent[];
}

export interface ClockError {
  readonly code: 'invalid' | 'out_of_order' | 'met' | 'not_reopenable';
  readonly message: string;
}

export interface ClockView {
  readonly at: number;
  readonly status: ClockStatus;
  readonly state: ClockState;
  /** Working time used so far. */
  readonly elapsed: number;
  /** target - elapsed; negative once more than the target has been used. */
  readonly remaining: number;
  /** elapsed / target. */
  readonly fraction: number;
  /** The due instant while running (also when already past). Null while paused; when met, the due instant that applied then (null if met while paused). */
  readonly due: number | null;
  readonly metAt: number | null;
  /** Met after the due instant. False until met. */
  readonly metLate: boolean;
  /** The missed due instant, if the clock has run past its due instant by `at`. */
  readonly breachedAt: number | null;
}

/**
 * A clock change that cannot fail did: the caller had already checked that the change may happen
 * (or is replaying changes the clock once accepted). A bug in Kept, never a user's mistake.
 */
export class ClockInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClockInvariantError';
  }
}

/** The changed clock of a change known to be valid; throws `ClockInvariantError` when it was refused after all. */
export function unwrapClock(result: Result<TargetClock, ClockError>): TargetClock {
  if (!result.ok) throw new ClockInvariantError(result.error.message);
  return result.value;
}

const fail = (code: ClockError['code'], message: string): Result<TargetClock, ClockError> => ({
  ok: false,
  error: { code, message },
});

function riskMs(clock: Pick<TargetClock, 'target' | 'threshold'>): number {
  return Math.ceil(clock.threshold * clock.target);
}

/** Every clock object gets the same shape (property order), which keeps property reads fast. */
function shaped(c: TargetClock): TargetClock {
  return {
    kind: c.kind,
    target: c.target,
    threshold: c.threshold,
    state: c.state,
    startedAt: c.startedAt,
    lastEventAt: c.lastEventAt,
    usedBefore: c.usedBefore,
    runningSince: c.runningSince,
    dueAt: c.dueAt,
    atRiskAt: c.atRiskAt,
    breachedAt: c.breachedAt,
    metAt: c.metAt,
    events: c.events,
  };
}

/** A clock starting to run at `at` (computes its due instant and at-risk instant). */
function running(
  calendar: Calendar,
  base: Omit<TargetClock, 'state' | 'runningSince' | 'atRiskAt'>,
  at: number,
): TargetClock {
  const used = base.usedBefore;
  // Once the whole target is used, the due instant is the one at which it ran out, and stays put.
  const dueAt =
    used >= base.target && base.dueAt !== null
      ? base.dueAt
      : addWorkingTime(calendar, at, Math.max(0, base.target - used));
  const risk = riskMs(base);
  const atRiskAt = used >= risk ? at : addWorkingTime(calendar, at, risk - used);
  return shaped({ ...base, state: 'running', runningSince: at, dueAt, atRiskAt });
}

export interface StartOptions {
  kind: TargetKind;
  /** The target in ms of working time (see parseDuration). */
  target: number;
  /** When the request was filed. */
  at: number;
  /** At-risk threshold, default DEFAULT_AT_RISK. */
  threshold?: number;
}

/** Starts a clock at filing time. */
export function startClock(calendar: Calendar, options: StartOptions): Result<TargetClock, ClockError> {
  const { kind, target, at } = options;
  const threshold = options.threshold ?? DEFAULT_AT_RISK;
  if (kind !== 'response' && kind !== 'resolution')
    return fail('invalid', `a target is "response" or "resolution", not ${JSON.stringify(kind)}`);
  if (!Number.isInteger(target) || target <= 0)
    return fail('invalid', `a target must be a positive whole number of ms, not ${target}`);
  if (!(threshold > 0 && threshold <= 1))
    return fail('invalid', `the at-risk threshold must be above 0 and at most 1, not ${threshold}`);
  if (!Number.isFinite(at)) return fail('invalid', `the start must be an instant, not ${at}`);
  return {
    ok: true,
    value: running(
      calendar,
      {
        kind,
        target,
        threshold,
        startedAt: at,
        lastEventAt: at,
        usedBefore: 0,
        dueAt: null,
        breachedAt: null,
        metAt: null,
        events: [{ type: 'start', at }],
      },
      at,
    ),
  };
}

function checkOrder(clock: TargetClock, at: number, what: string): Result<TargetClock, ClockError> | undefined {
  if (!Number.isFinite(at)) return fail('invalid', `the ${what} must be an instant, not ${at}`);
  if (at < clock.lastEventAt) {
    return fail(
      'out_of_order',
      `cannot ${what} at ${new Date(at).toISOString()}: the clock's last change was later, at ${new Date(clock.lastEventAt).toISOString()}`,
    );
  }
  return undefined;
}

/** Used time and breach at instant `at` of a running clock (at >= runningSince). */
function stopRunning(
  calendar: Calendar,
  clock: TargetClock,
  at: number,
): { usedBefore: number; breachedAt: number | null } {
  const usedBefore = clock.usedBefore + workingTimeBetween(calendar, clock.runningSince!, at);
  const breachedAt = clock.breachedAt ?? (at > clock.dueAt! ? clock.dueAt : null);
  return { usedBefore, breachedAt };
}

/** Pauses a running clock (waiting on the requester). Pausing a paused clock changes nothing. */
export function pauseClock(calendar: Calendar, clock: TargetClock, at: number): Result<TargetClock, ClockError> {
  const bad = checkOrder(clock, at, 'pause');
  if (bad) return bad;
  if (clock.state === 'met') return fail('met', 'cannot pause: the target is already met (reopen it first)');
  if (clock.state === 'paused') return { ok: true, value: clock };
  const stopped = stopRunning(calendar, clock, at);
  return {
    ok: true,
    value: shaped({
      ...clock,
      ...stopped,
      state: 'paused',
      runningSince: null,
      atRiskAt: null,
      lastEventAt: at,
      events: [...clock.events, { type: 'pause', at }],
    }),
  };
}

/** Resumes a paused clock with the time already used. Resuming a running clock changes nothing. */
export function resumeClock(calendar: Calendar, clock: TargetClock, at: number): Result<TargetClock, ClockError> {
  const bad = checkOrder(clock, at, 'resume');
  if (bad) return bad;
  if (clock.state === 'met') return fail('met', 'cannot resume: the target is already met (reopen it instead)');
  if (clock.state === 'running') return { ok: true, value: clock };
  return {
    ok: true,
    value: running(calendar, { ...clock, lastEventAt: at, events: [...clock.events, { type: 'resume', at }] }, at),
  };
}

/** Marks the target met (from running or paused). Meeting a met clock changes nothing. */
export function meetClock(calendar: Calendar, clock: TargetClock, at: number): Result<TargetClock, ClockError> {
  const bad = checkOrder(clock, at, 'meet');
  if (bad) return bad;
  if (clock.state === 'met') return { ok: true, value: clock };
  const stopped =
    clock.state === 'running'
      ? stopRunning(calendar, clock, at)
      : { usedBefore: clock.usedBefore, breachedAt: clock.breachedAt };
  return {
    ok: true,
    value: shaped({
      ...clock,
      ...stopped,
      state: 'met',
      metAt: at,
      runningSince: null,
      atRiskAt: null,
      lastEventAt: at,
      events: [...clock.events, { type: 'meet', at }],
    }),
  };
}

/**
 * Reopens a met resolution clock: a new cycle starts at `at` with the whole target afresh (nothing
 * used, no breach: the earlier cycle's miss is the request's to keep, see request-actions.ts).
 * Reopening a clock that is not met changes nothing; response clocks are not reopened.
 */
export function reopenClock(calendar: Calendar, clock: TargetClock, at: number): Result<TargetClock, ClockError> {
  const bad = checkOrder(clock, at, 'reopen');
  if (bad) return bad;
  if (clock.kind !== 'resolution')
    return fail('not_reopenable', 'only a resolution target is reopened; a response, once given, stays given');
  if (clock.state !== 'met') return { ok: true, value: clock };
  return {
    ok: true,
    value: running(
      calendar,
      {
        ...clock,
        usedBefore: 0,
        dueAt: null,
        breachedAt: null,
        metAt: null,
        lastEventAt: at,
        events: [...clock.events, { type: 'cycle', at }],
      },
      at,
    ),
  };
}

/** A reopen as recorded before cycles: it ran on from `at` with the time already used (replay only). */
function continueClock(calendar: Calendar, clock: TargetClock, at: number): Result<TargetClock, ClockError> {
  const bad = checkOrder(clock, at, 'reopen');
  if (bad) return bad;
  if (clock.state !== 'met') return { ok: true, value: clock };
  return {
    ok: true,
    value: running(
      calendar,
      { ...clock, metAt: null, lastEventAt: at, events: [...clock.events, { type: 'reopen', at }] },
      at,
    ),
  };
}

/** When the clock's current cycle started: its last reopen, else its start. */
export function cycleStartedAt(clock: Pick<TargetClock, 'startedAt' | 'events'>): number {
  for (let i = clock.events.length - 1; i >= 0; i--) if (clock.events[i]!.type === 'cycle') return clock.events[i]!.at;
  return clock.startedAt;
}

const APPLY: Record<Exclude<ClockEventType, 'start'>, typeof pauseClock> = {
  pause: pauseClock,
  resume: resumeClock,
  meet: meetClock,
  reopen: continueClock,
  cycle: reopenClock,
};

/** The clock as it stood at instant t (t before the last change: rebuilt from the events up to t). */
export function clockAsOf(calendar: Calendar, clock: TargetClock, t: number): TargetClock {
  if (t >= clock.lastEventAt) return clock;
  const start = startClock(calendar, {
    kind: clock.kind,
    target: clock.target,
    threshold: clock.threshold,
    at: clock.startedAt,
  });
  let c = unwrapClock(start);
  for (const e of clock.events) {
    if (e.type === 'start') continue;
    if (e.at > t) break;
    c = unwrapClock(APPLY[e.type](calendar, c, e.at));
  }
  return c;
}

/**
 * The clock as if it had run under `target` from its start: the same pauses, resumes, meets and
 * reopens replayed with the new target (a priority change; docs/clock.md). A target missed by `at`
 * under the old target stays missed at its instant, even when the new target is longer; a new
 * target that would have been missed earlier shows that earlier instant (met late, or running past
 * its due instant) for the scan to record. `recorded`: the instant of a breach already recorded,
 * which stays the clock's miss.
 */
export function retargetClock(
  calendar: Calendar,
  clock: TargetClock,
  target: number,
  at: number,
  recorded?: number,
): TargetClock {
  const missed = recorded ?? clockAt(calendar, clock, Math.max(at, clock.lastEventAt)).breachedAt;
  let c = unwrapClock(
    startClock(calendar, { kind: clock.kind, target, threshold: clock.threshold, at: clock.startedAt }),
  );
  for (const e of clock.events) if (e.type !== 'start') c = unwrapClock(APPLY[e.type](calendar, c, e.at));
  // A breach already recorded keeps its instant (its penalty is charged for that month).
  const breachedAt =
    recorded !== undefined ? recorded : missed === null ? c.breachedAt : Math.min(missed, c.breachedAt ?? missed);
  return shaped({ ...c, breachedAt });
}

/**
 * Status at instant t, in precedence order:
 * met (met at or before t) > breached (t after the due instant while running, or a breach already
 * recorded) > paused > at_risk (fraction used >= threshold) > running.
 * O(1) for t at or after the clock's last change.
 */
export function statusAt(calendar: Calendar, clock: TargetClock, t: number): ClockStatus {
  const c = t >= clock.lastEventAt ? clock : clockAsOf(calendar, clock, t);
  switch (c.state) {
    case 'met':
      return 'met';
    case 'paused':
      return c.breachedAt !== null ? 'breached' : 'paused';
    case 'running':
      if (t < c.runningSince!) return 'running'; // before the clock started
      // A miss stays a miss, even when a new priority moved the due instant later (retargetClock).
      if (t > c.dueAt! || c.breachedAt !== null) return 'breached';
      return t >= c.atRiskAt! ? 'at_risk' : 'running';
  }
}

/** Everything about the clock at instant t (t before the start reads as the start). */
export function clockAt(calendar: Calendar, clock: TargetClock, t: number): ClockView {
  const at = Math.max(t, clock.startedAt);
  const c = clockAsOf(calendar, clock, at);
  const elapsed =
    c.state === 'running' ? c.usedBefore + workingTimeBetween(calendar, c.runningSince!, at) : c.usedBefore;
  const breachedAt = c.breachedAt ?? (c.state === 'running' && at > c.dueAt! ? c.dueAt : null);
  return {
    at,
    status: statusAt(calendar, c, at),
    state: c.state,
    elapsed,
    remaining: c.target - elapsed,
    fraction: elapsed / c.target,
    due: c.state === 'paused' ? null : c.dueAt,
    metAt: c.metAt,
    metLate: c.state === 'met' && c.breachedAt !== null,
    breachedAt,
  };
}

/** The instant the target would fall due if a paused clock were resumed at `t` (for a running clock: its due instant). */
export function dueIfResumedAt(calendar: Calendar, clock: TargetClock, t: number): number | null {
  if (clock.state === 'met') return null;
  if (clock.state === 'running') return clock.dueAt;
  if (clock.usedBefore >= clock.target && clock.dueAt !== null) return clock.dueAt;
  return addWorkingTime(calendar, Math.max(t, clock.lastEventAt), clock.target - clock.usedBefore);
}
