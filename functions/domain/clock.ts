/**
 * The SLA clock: business-time arithmetic on a compiled `Calendar`, and the target clock of one
 * request and one target. Instants are epoch milliseconds (`number`); durations are milliseconds
 * of working time. Pure functions only. Semantics in docs/clock.md.
 */
import { type Calendar, HORIZON_DAYS, NoWorkingTimeError } from './calendar';
import type { Result } from './duration';

function checkInstant(name: string, t: number): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite epoch-millisecond instant, not ${t}`);
}

/**
 * The instant at which `duration` of working time has elapsed since `start`: the earliest instant
 * `t >= start` with `businessTimeBetween(calendar, start, t) >= duration`. So a start outside working
 * hours begins counting at the next working moment, and a target that runs out exactly at a close
 * is due at that close. A zero duration is due at `start` itself.
 * Throws `NoWorkingTimeError` if the calendar has too little working time in the next ~10 years.
 */
export function addBusinessTime(calendar: Calendar, start: number, duration: number): number {
  checkInstant('start', start);
  if (!Number.isFinite(duration) || duration < 0)
    throw new RangeError(`duration must be a non-negative number of ms, not ${duration}`);
  if (duration === 0) return start;
  if (calendar.alwaysOpen) return start + duration;
  let remaining = duration;
  const first = calendar.bucketIndex(start);
  const last = first + HORIZON_DAYS;
  for (let k = first; k <= last; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1]!;
      if (e <= start) continue;
      const s = Math.max(iv[i]!, start);
      const available = e - s;
      if (remaining <= available) return s + remaining;
      remaining -= available;
    }
  }
  throw new NoWorkingTimeError(
    `the calendar has less working time than the target within ${HORIZON_DAYS} days of the start`,
  );
}

/** Working time in [a, b). Negative when b is before a: `businessTimeBetween(c, b, a) === -businessTimeBetween(c, a, b)`. */
export function businessTimeBetween(calendar: Calendar, a: number, b: number): number {
  checkInstant('a', a);
  checkInstant('b', b);
  if (b < a) return -businessTimeBetween(calendar, b, a);
  if (calendar.alwaysOpen) return b - a;
  let total = 0;
  const last = calendar.bucketIndex(b);
  for (let k = calendar.bucketIndex(a); k <= last; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e > s) total += e - s;
    }
  }
  return total;
}

/** Whether instant t is working time (interval ends are open: a close instant is not working). */
export function isWorkingTime(calendar: Calendar, t: number): boolean {
  checkInstant('t', t);
  if (calendar.alwaysOpen) return true;
  const iv = calendar.bucket(calendar.bucketIndex(t));
  for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= t && t < iv[i + 1]!) return true;
  return false;
}

/** The first working instant at or after t. Throws `NoWorkingTimeError` past the horizon. */
export function nextWorkingTime(calendar: Calendar, t: number): number {
  checkInstant('t', t);
  if (calendar.alwaysOpen) return t;
  const first = calendar.bucketIndex(t);
  for (let k = first; k <= first + HORIZON_DAYS; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) if (iv[i + 1]! > t) return Math.max(iv[i]!, t);
  }
  throw new NoWorkingTimeError(`the calendar has no working time within ${HORIZON_DAYS} days`);
}

// ---------------------------------------------------------------------------------------------
// Target clock

export type TargetKind = 'response' | 'resolution';
export type ClockState = 'running' | 'paused' | 'met';
export type ClockStatus = 'running' | 'paused' | 'met' | 'at_risk' | 'breached';
export type ClockEventType = 'start' | 'pause' | 'resume' | 'meet' | 'reopen';
export interface ClockEvent {
  readonly type: ClockEventType;
  readonly at: number;
}

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
      : addBusinessTime(calendar, at, Math.max(0, base.target - used));
  const risk = riskMs(base);
  const atRiskAt = used >= risk ? at : addBusinessTime(calendar, at, risk - used);
  return shaped({ ...base, state: 'running', runningSince: at, dueAt, atRiskAt });
}

export interface StartOptions {
  kind: TargetKind;
  /** The target in ms of working time (see parseDuration). */
  target: number;
  /** When the request was filed. */
  at: number;
  /** At-risk threshold, default 0.75. */
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
  const usedBefore = clock.usedBefore + businessTimeBetween(calendar, clock.runningSince!, at);
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
 * Reopens a met resolution clock: it runs again from `at` with the time already used (never reset).
 * A breach stays a breach. Reopening a clock that is not met changes nothing; response clocks are
 * not reopened.
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
      { ...clock, metAt: null, lastEventAt: at, events: [...clock.events, { type: 'reopen', at }] },
      at,
    ),
  };
}

const APPLY: Record<Exclude<ClockEventType, 'start'>, typeof pauseClock> = {
  pause: pauseClock,
  resume: resumeClock,
  meet: meetClock,
  reopen: reopenClock,
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
  if (!start.ok) throw new Error(start.error.message);
  let c = start.value;
  for (const e of clock.events) {
    if (e.type === 'start') continue;
    if (e.at > t) break;
    const next = APPLY[e.type](calendar, c, e.at);
    if (!next.ok) throw new Error(next.error.message);
    c = next.value;
  }
  return c;
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
      if (t > c.dueAt!) return 'breached';
      return t >= c.atRiskAt! ? 'at_risk' : 'running';
  }
}

/** Everything about the clock at instant t (t before the start reads as the start). */
export function clockAt(calendar: Calendar, clock: TargetClock, t: number): ClockView {
  const at = Math.max(t, clock.startedAt);
  const c = clockAsOf(calendar, clock, at);
  const elapsed =
    c.state === 'running' ? c.usedBefore + businessTimeBetween(calendar, c.runningSince!, at) : c.usedBefore;
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
  return addBusinessTime(calendar, Math.max(t, clock.lastEventAt), clock.target - clock.usedBefore);
}
