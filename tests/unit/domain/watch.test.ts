/**
 * What the scan looks for (functions/domain/watch.ts: nextWatch, findingsAt) and what Kept and a
 * customer head may record on a request (decide: warn, breach, waive; a resolve that needs a
 * cause). Hand-checked instants are on a Mon-Fri 09:00-17:00 New York calendar in November 2026
 * (EST, UTC-5: 09:00 = 14:00Z), under an agreement at risk at 75%:
 *
 *   filed Mon 16 Nov 09:00 EST, P2 (response 4h, resolution 16h)
 *   response:   at risk Mon 12:00 EST (17:00Z), due Mon 13:00 EST (18:00Z)
 *   resolution: at risk Tue 13:00 EST (Tue 18:00Z), due Tue 17:00 EST (Tue 22:00Z)
 *
 * The last part is a property over random histories: the scan's contract with the store's
 * check index.
 */
import fc from 'fast-check';
import type { AgreementVersion, Priority } from '../../../functions/domain/agreement';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  AUTO_CLOSE_MS,
  type CAUSE_CATEGORIES,
  fileRequest,
  type PenaltyCharge,
  type Request,
  type RequestAction,
  type Rights,
  rightsOf,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide, missedTargets } from '../../../functions/domain/request-actions';
import { type Finding, findingsAt, nextWatch, TARGET_KINDS } from '../../../functions/domain/watch';
import { AGENT, AGREEMENT, cal, FIN_HEAD, FINANCE, HEAD, history, IT, play, REQUESTER, sideOf } from './histories';

/** The target a finding is about (a close is about the whole request). */
const kindOf = (f: Finding) => ('kind' in f ? f.kind : f.type);

const at = (iso: string) => Date.parse(iso);
const MON = at('2026-11-16T14:00:00Z');
const RESPONSE_AT_RISK = at('2026-11-16T17:00:00Z');
const RESPONSE_DUE = at('2026-11-16T18:00:00Z');
const RESOLUTION_AT_RISK = at('2026-11-17T18:00:00Z');
const RESOLUTION_DUE = at('2026-11-17T22:00:00Z');
// Tuesday 10:00 EST: the response is missed (9h of working time used of 4h).
const TUE = at('2026-11-17T15:00:00Z');
// Wednesday 18 November 12:00 EST: both targets missed.
const WED = at('2026-11-18T17:00:00Z');

function file(over: { at?: number; priority?: Priority; agreement?: AgreementVersion } = {}): Request {
  const r = fileRequest({
    id: 'IT-9',
    number: 9,
    agreement: over.agreement ?? AGREEMENT,
    customer: 'finance',
    priority: over.priority ?? 'P2',
    title: 'Laptop',
    description: '',
    requester: REQUESTER,
    at: over.at ?? MON,
    calendar: cal,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

const rightsFor = (request: Request, actor: string): Rights =>
  actor === SYSTEM_ACTOR ? SYSTEM_RIGHTS : rightsOf(request, IT, actor, FINANCE);
const attempt = (request: Request, action: RequestAction, actor: string, when: number) =>
  decide(request, action, { actor, at: when, calendar: cal, rights: rightsFor(request, actor), provider: IT });

function act(request: Request, action: RequestAction, actor: string, when: number): Request {
  const r = attempt(request, action, actor, when);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value.request;
}

/** The one-line refusal (naming the request, unless `unnamed`); fails the test if accepted. */
function refusal(request: Request, action: RequestAction, actor: string, when: number, unnamed = false): string {
  const r = attempt(request, action, actor, when);
  if (r.ok) throw new Error(`accepted ${action.type}, expected a refusal`);
  expect(r.error).not.toContain('\n');
  if (!unnamed) expect(r.error).toContain('IT-9');
  return r.error;
}

const CHARGE: PenaltyCharge = { amount: 50, unit: 'points', n: 2, multiplier: 1.5, month: '2026-11' };
const recordBreach = (r: Request, kind: 'response' | 'resolution', when: number) =>
  act(r, { type: 'breach', kind, charge: CHARGE }, SYSTEM_ACTOR, when);
const warn = (r: Request, kind: 'response' | 'resolution', when: number) =>
  act(r, { type: 'warn', kind }, SYSTEM_ACTOR, when);

it('the fixture instants are the ones worked out by hand', () => {
  const r = file();
  expect(r.clocks.response).toMatchObject({ atRiskAt: RESPONSE_AT_RISK, dueAt: RESPONSE_DUE });
  expect(r.clocks.resolution).toMatchObject({ atRiskAt: RESOLUTION_AT_RISK, dueAt: RESOLUTION_DUE });
});

// ---------------------------------------------------------------------------------------------

describe('nextWatch', () => {
  it('a fresh request is watched at its response at-risk instant', () => {
    expect(nextWatch(file())).toBe(RESPONSE_AT_RISK);
  });

  it('once warned, at the due instant + 1 (a running target breaches strictly after its due instant)', () => {
    const warned = warn(file(), 'response', RESPONSE_AT_RISK + 10 * MINUTE_MS);
    expect(nextWatch(warned)).toBe(RESPONSE_DUE + 1);
  });

  it('once the response is met in time, the resolution: its at-risk instant, then its due instant + 1', () => {
    const acked = act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS);
    expect(nextWatch(acked)).toBe(RESOLUTION_AT_RISK);
    expect(nextWatch(warn(acked, 'resolution', RESOLUTION_AT_RISK + MINUTE_MS))).toBe(RESOLUTION_DUE + 1);
  });

  it('a paused resolution clock is not watched', () => {
    const waiting = act(file(), { type: 'pause', note: 'Which model?' }, AGENT, MON + HOUR_MS);
    expect(waiting.clocks.resolution.state).toBe('paused');
    expect(nextWatch(waiting)).toBeNull();
    expect(findingsAt(waiting, cal, at('2027-01-15T15:00:00Z'))).toEqual([]);
    // Resumed, it is watched again.
    expect(nextWatch(act(waiting, { type: 'resume' }, REQUESTER, MON + 2 * HOUR_MS))).not.toBeNull();
  });

  it('a target met late with no breach recorded is watched at its missed due instant, so a late scan still records it', () => {
    const lateAck = act(file(), { type: 'acknowledge' }, AGENT, TUE);
    expect(lateAck.clocks.response).toMatchObject({ state: 'met', breachedAt: RESPONSE_DUE });
    expect(nextWatch(lateAck)).toBe(RESPONSE_DUE);
    // Whenever the scan comes, it finds the breach at its true due instant: 5h of working time late.
    for (const scanAt of [TUE, TUE + HOUR_MS, RESOLUTION_AT_RISK - 1]) {
      expect(findingsAt(lateAck, cal, scanAt)).toEqual([
        { type: 'breach', kind: 'response', dueAt: RESPONSE_DUE, lateBy: 5 * HOUR_MS },
      ]);
    }
    // Weeks later too, with the resolution (still running) missed since.
    expect(
      findingsAt(lateAck, cal, at('2026-12-20T12:00:00Z')).map((f) => [
        kindOf(f),
        (f as Extract<Finding, { type: 'breach' }>).dueAt,
      ]),
    ).toEqual([
      ['response', RESPONSE_DUE],
      ['resolution', RESOLUTION_DUE],
    ]);
  });

  it('a target missed before a cancel is watched at its missed due instant; one cancelled in time is not', () => {
    const lateCancel = act(file(), { type: 'cancel' }, REQUESTER, TUE);
    expect(nextWatch(lateCancel)).toBe(RESPONSE_DUE);
    expect(findingsAt(lateCancel, cal, TUE + HOUR_MS)).toEqual([
      { type: 'breach', kind: 'response', dueAt: RESPONSE_DUE, lateBy: 5 * HOUR_MS },
    ]);
    expect(nextWatch(act(file(), { type: 'cancel' }, REQUESTER, MON + HOUR_MS))).toBeNull();
  });

  it('resolved in time: watched only for the end of its reopen window; closed or cancelled: nothing left to watch', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + 2 * HOUR_MS);
    expect(nextWatch(resolved)).toBe(MON + 2 * HOUR_MS + AUTO_CLOSE_MS);
    expect(nextWatch(act(resolved, { type: 'close' }, REQUESTER, MON + 3 * HOUR_MS))).toBeNull();
    expect(nextWatch(act(file(), { type: 'cancel' }, REQUESTER, MON + HOUR_MS))).toBeNull();
  });

  it('a resolved request closes itself when its reopen window ends, after any breach, and not before', () => {
    const resolvedAt = MON + 2 * HOUR_MS;
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, resolvedAt);
    expect(findingsAt(resolved, cal, resolvedAt + AUTO_CLOSE_MS - 1)).toEqual([]);
    expect(findingsAt(resolved, cal, resolvedAt + AUTO_CLOSE_MS + 5 * MINUTE_MS)).toEqual([
      { type: 'close', at: resolvedAt + AUTO_CLOSE_MS },
    ]);
    // Kept may close it only then; its requester any time.
    const early = decide(
      resolved,
      { type: 'close' },
      {
        actor: SYSTEM_ACTOR,
        at: resolvedAt + AUTO_CLOSE_MS - MINUTE_MS,
        calendar: cal,
        rights: SYSTEM_RIGHTS,
        provider: IT,
      },
    );
    expect(early).toEqual({
      ok: false,
      error: `${resolved.id} was resolved less than 7 days ago; it closes itself after 7 unless its requester closes or reopens it.`,
    });
    const closed = decide(
      resolved,
      { type: 'close' },
      { actor: SYSTEM_ACTOR, at: resolvedAt + AUTO_CLOSE_MS, calendar: cal, rights: SYSTEM_RIGHTS, provider: IT },
    );
    expect(closed.ok && closed.value.request.status).toBe('closed');
    expect(closed.ok && nextWatch(closed.value.request)).toBeNull();
    // Resolved late with the breach not yet recorded: the breach comes first, then the close.
    const late = act(file(), { type: 'resolve', note: 'Done.', cause: { category: 'staffing' } }, AGENT, WED);
    expect(findingsAt(late, cal, WED + AUTO_CLOSE_MS).map((f) => f.type)).toEqual(['breach', 'breach', 'close']);
  });

  it('a target whose breach is recorded is no longer watched; the other one still is', () => {
    const lateAck = act(file(), { type: 'acknowledge' }, AGENT, TUE);
    const responseRecorded = recordBreach(lateAck, 'response', TUE + MINUTE_MS);
    expect(nextWatch(responseRecorded)).toBe(RESOLUTION_AT_RISK);
    const lateResolve = act(
      responseRecorded,
      { type: 'resolve', note: 'Done.', cause: { category: 'staffing' } },
      AGENT,
      WED,
    );
    expect(nextWatch(lateResolve)).toBe(RESOLUTION_DUE);
    expect(nextWatch(recordBreach(lateResolve, 'resolution', WED + MINUTE_MS))).toBe(WED + AUTO_CLOSE_MS); // then only the reopen window
    // A breach recorded while the response still runs past due: not watched any more either.
    expect(nextWatch(recordBreach(file(), 'response', TUE))).toBe(RESOLUTION_AT_RISK);
  });

  it('a reopened resolution is watched again, and its new cycle is warned about afresh', () => {
    // Resolved Mon 11:00 EST, reopened Mon 12:00 EST: a new cycle, 12h to its at-risk point = Mon 5h + Tue 7h.
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + 2 * HOUR_MS);
    const reopened = act(resolved, { type: 'reopen' }, REQUESTER, MON + 3 * HOUR_MS);
    expect(nextWatch(reopened)).toBe(at('2026-11-17T21:00:00Z'));

    const warnedThenResolved = act(
      warn(act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS), 'resolution', RESOLUTION_AT_RISK),
      { type: 'resolve', note: 'Done.' },
      AGENT,
      RESOLUTION_AT_RISK + HOUR_MS,
    );
    const reopenedAfterWarning = act(
      warnedThenResolved,
      { type: 'reopen' },
      REQUESTER,
      RESOLUTION_AT_RISK + 2 * HOUR_MS,
    );
    // The first cycle's warning is not the new cycle's: it gets its own at its own at-risk point.
    expect(reopenedAfterWarning.warned?.resolution).toBeUndefined();
    expect(nextWatch(reopenedAfterWarning)).toBe(reopenedAfterWarning.clocks.resolution.atRiskAt);
  });
});

// ---------------------------------------------------------------------------------------------

describe('findingsAt', () => {
  it('a scan long after the due instants records each breach at its true due instant, not the scan time, and how late it was', () => {
    // Wed 25 Nov 12:00 EST: Mon-Thu 8h each, Friday 7h (lunch), Mon-Tue 8h each, Wednesday 3h = 58h used.
    const scanAt = at('2026-11-25T17:00:00Z');
    const filed = file();
    const findings = findingsAt(filed, cal, scanAt);
    expect(findings).toEqual([
      { type: 'breach', kind: 'response', dueAt: RESPONSE_DUE, lateBy: 54 * HOUR_MS },
      { type: 'breach', kind: 'resolution', dueAt: RESOLUTION_DUE, lateBy: 42 * HOUR_MS },
    ]);
    // What the scan then records.
    const recorded = recordBreach(filed, 'response', scanAt);
    expect(recorded.breaches?.response).toEqual({ ...CHARGE, dueAt: RESPONSE_DUE, detectedAt: scanAt });
    expect(findingsAt(recorded, cal, scanAt)).toEqual([findings[1]]);
  });

  it('warns of a target only while it is at risk and not warned about yet', () => {
    const filed = file();
    expect(findingsAt(filed, cal, RESPONSE_AT_RISK - 1)).toEqual([]);
    expect(findingsAt(filed, cal, RESPONSE_AT_RISK)).toEqual([
      { type: 'warn', kind: 'response', remaining: HOUR_MS, due: RESPONSE_DUE },
    ]);
    expect(findingsAt(filed, cal, RESPONSE_DUE)).toEqual([
      { type: 'warn', kind: 'response', remaining: 0, due: RESPONSE_DUE },
    ]);
    const warned = warn(filed, 'response', RESPONSE_AT_RISK + MINUTE_MS);
    expect(findingsAt(warned, cal, RESPONSE_AT_RISK + 30 * MINUTE_MS)).toEqual([]);
    expect(findingsAt(warned, cal, RESPONSE_DUE)).toEqual([]);
    // One millisecond later it is missed.
    expect(findingsAt(warned, cal, RESPONSE_DUE + 1)).toEqual([
      { type: 'breach', kind: 'response', dueAt: RESPONSE_DUE, lateBy: 1 },
    ]);
    // A paused clock is not at risk, whatever its fraction.
    const waiting = act(
      act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS),
      { type: 'pause' },
      AGENT,
      RESOLUTION_AT_RISK + HOUR_MS,
    );
    expect(findingsAt(waiting, cal, RESOLUTION_AT_RISK + 2 * HOUR_MS)).toEqual([]);
  });

  it('lists breaches before warnings', () => {
    // P1 filed Mon 09:00 EST: response 30m due 09:30 EST; resolution 4h at risk at 3h (12:00 EST).
    const p1 = file({ priority: 'P1' });
    expect(findingsAt(p1, cal, at('2026-11-16T17:30:00Z')).map((f) => [f.type, kindOf(f)])).toEqual([
      ['breach', 'response'],
      ['warn', 'resolution'],
    ]);
    // Built by hand so the resolution falls due first (an agreement would not allow it): a breach
    // of the resolution still comes before the warning about the response.
    const odd: AgreementVersion = { ...AGREEMENT, targets: { P3: { response: 8 * HOUR_MS, resolution: 2 * HOUR_MS } } };
    const oddFiled = file({ agreement: odd, priority: 'P3' });
    expect(findingsAt(oddFiled, cal, MON + 7 * HOUR_MS).map((f) => [f.type, kindOf(f)])).toEqual([
      ['breach', 'resolution'],
      ['warn', 'response'],
    ]);
    // Two breaches come in the order of their due instants.
    expect(
      findingsAt(oddFiled, cal, WED).map((f) => [f.type, kindOf(f), (f as Extract<Finding, { type: 'breach' }>).dueAt]),
    ).toEqual([
      ['breach', 'resolution', MON + 2 * HOUR_MS],
      ['breach', 'response', MON + 8 * HOUR_MS],
    ]);
  });

  it('reads an instant before the last change as the last change', () => {
    const lateAck = act(file(), { type: 'acknowledge' }, AGENT, TUE);
    expect(findingsAt(lateAck, cal, MON)).toEqual(findingsAt(lateAck, cal, TUE));
    expect(findingsAt(lateAck, cal, MON)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('decide: breach (Kept only)', () => {
  it('records the charge at the missed due instant, found when the scan came; nothing else changes', () => {
    const filed = file();
    const r = attempt(filed, { type: 'breach', kind: 'response', charge: CHARGE }, SYSTEM_ACTOR, WED);
    if (!r.ok) throw new Error(r.error);
    const { request, event } = r.value;
    expect(request.breaches).toEqual({ response: { ...CHARGE, dueAt: RESPONSE_DUE, detectedAt: WED } });
    expect(request).toMatchObject({ status: 'open', rev: filed.rev + 1, updatedAt: WED, clocks: filed.clocks });
    expect(event).toEqual({
      seq: 2,
      type: 'breach',
      actor: SYSTEM_ACTOR,
      at: WED,
      from: 'open',
      to: 'open',
      kind: 'response',
      amount: 50,
      unit: 'points',
    });
  });

  it('is refused when the target is not missed', () => {
    expect(refusal(file(), { type: 'breach', kind: 'response', charge: CHARGE }, SYSTEM_ACTOR, RESPONSE_DUE)).toContain(
      'not missed',
    );
    // Met in time: never missed.
    const acked = act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS);
    expect(refusal(acked, { type: 'breach', kind: 'response', charge: CHARGE }, SYSTEM_ACTOR, WED)).toContain(
      'not missed',
    );
  });

  it('is refused once already recorded', () => {
    const recorded = recordBreach(file(), 'response', TUE);
    expect(refusal(recorded, { type: 'breach', kind: 'response', charge: CHARGE }, SYSTEM_ACTOR, WED)).toContain(
      'already recorded',
    );
    // The other target is its own breach.
    expect(recordBreach(recorded, 'resolution', WED).breaches).toMatchObject({
      response: { dueAt: RESPONSE_DUE },
      resolution: { dueAt: RESOLUTION_DUE },
    });
  });

  it('is recorded whatever the status: a closed request whose response was met late', () => {
    const closed = act(
      act(file(), { type: 'resolve', note: 'Done.', cause: { category: 'dependency' } }, AGENT, TUE),
      { type: 'close' },
      REQUESTER,
      TUE + HOUR_MS,
    );
    expect(recordBreach(closed, 'response', TUE + 2 * HOUR_MS)).toMatchObject({
      status: 'closed',
      breaches: { response: { dueAt: RESPONSE_DUE } },
    });
  });

  it('is refused to people, heads included', () => {
    for (const who of [AGENT, HEAD, REQUESTER, FIN_HEAD]) {
      expect(refusal(file(), { type: 'breach', kind: 'response', charge: CHARGE }, who, WED)).toBe(
        'Only Kept itself can record a breach of IT-9.',
      );
    }
  });
});

describe('decide: warn (Kept only)', () => {
  it('remembers when the at-risk warning went out', () => {
    const filed = file();
    const r = attempt(filed, { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, RESPONSE_AT_RISK + MINUTE_MS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.request).toMatchObject({
      warned: { response: RESPONSE_AT_RISK + MINUTE_MS },
      status: 'open',
      rev: 2,
      clocks: filed.clocks,
    });
    expect(r.value.event).toEqual({
      seq: 2,
      type: 'warn',
      actor: SYSTEM_ACTOR,
      at: RESPONSE_AT_RISK + MINUTE_MS,
      from: 'open',
      to: 'open',
      kind: 'response',
    });
  });

  it('is refused when the target is not at risk: early, already missed, paused, met', () => {
    expect(refusal(file(), { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, RESPONSE_AT_RISK - 1)).toContain(
      'not at risk',
    );
    expect(refusal(file(), { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, RESPONSE_DUE + 1)).toContain(
      'not at risk',
    );
    const waiting = act(
      act(file(), { type: 'acknowledge' }, AGENT, MON + HOUR_MS),
      { type: 'pause' },
      AGENT,
      RESOLUTION_AT_RISK + HOUR_MS,
    );
    expect(
      refusal(waiting, { type: 'warn', kind: 'resolution' }, SYSTEM_ACTOR, RESOLUTION_AT_RISK + 2 * HOUR_MS),
    ).toContain('not at risk');
    const acked = act(file(), { type: 'acknowledge' }, AGENT, RESPONSE_AT_RISK + MINUTE_MS);
    expect(
      refusal(acked, { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, RESPONSE_AT_RISK + 2 * MINUTE_MS),
    ).toContain('not at risk');
  });

  it('is refused twice, and after the breach is recorded', () => {
    const warned = warn(file(), 'response', RESPONSE_AT_RISK);
    expect(refusal(warned, { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, RESPONSE_AT_RISK + MINUTE_MS)).toContain(
      'already warned',
    );
    // The other target is warned about on its own.
    const acked = act(warned, { type: 'acknowledge' }, AGENT, RESPONSE_AT_RISK + MINUTE_MS);
    expect(warn(acked, 'resolution', RESOLUTION_AT_RISK).warned).toEqual({
      response: RESPONSE_AT_RISK,
      resolution: RESOLUTION_AT_RISK,
    });
    // A target whose breach is recorded is not warned about any more.
    expect(
      refusal(recordBreach(file(), 'response', TUE), { type: 'warn', kind: 'response' }, SYSTEM_ACTOR, TUE),
    ).toContain('IT-9');
  });

  it('is refused to people, and from statuses where nothing is worked', () => {
    expect(refusal(file(), { type: 'warn', kind: 'response' }, AGENT, RESPONSE_AT_RISK)).toBe(
      'Only Kept itself can warn about IT-9.',
    );
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS);
    expect(refusal(resolved, { type: 'warn', kind: 'resolution' }, SYSTEM_ACTOR, RESOLUTION_AT_RISK)).not.toMatch(
      /only/i,
    );
  });
});

describe('decide: waive (a head of the customer department only)', () => {
  const breached = () => recordBreach(recordBreach(file(), 'response', WED), 'resolution', WED);
  const REASON = 'The supplier was late; agreed with IT.';

  it('marks the penalty waived, by whom, when and why; the history line carries what was given back', () => {
    const before = breached();
    const r = attempt(before, { type: 'waive', kind: 'response', reason: `  ${REASON}  ` }, FIN_HEAD, WED + HOUR_MS);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.request.breaches).toEqual({
      response: { ...before.breaches!.response!, waived: { by: FIN_HEAD, at: WED + HOUR_MS, reason: REASON } },
      resolution: before.breaches!.resolution,
    });
    expect(r.value.request).toMatchObject({ status: 'open', rev: before.rev + 1 });
    expect(r.value.event).toEqual({
      seq: before.rev + 1,
      type: 'waive',
      actor: FIN_HEAD,
      at: WED + HOUR_MS,
      from: 'open',
      to: 'open',
      kind: 'response',
      amount: 50,
      unit: 'points',
      note: REASON,
    });
  });

  it('is refused to anyone but a head of the customer department: the provider and its head, the requester, Kept', () => {
    for (const who of [AGENT, HEAD, REQUESTER, SYSTEM_ACTOR]) {
      expect(refusal(breached(), { type: 'waive', kind: 'response', reason: REASON }, who, WED + HOUR_MS)).toMatch(
        /^Only a head of the department that filed IT-9 can/,
      );
    }
    // Nor to a customer head when the customer department is not known.
    const r = decide(
      breached(),
      { type: 'waive', kind: 'response', reason: REASON },
      { actor: FIN_HEAD, at: WED + HOUR_MS, calendar: cal, rights: rightsOf(breached(), IT, FIN_HEAD), provider: IT },
    );
    expect(r.ok).toBe(false);
  });

  it('is refused without a reason, or with one over 500 characters', () => {
    for (const reason of ['', '   ', '\n\t'])
      expect(refusal(breached(), { type: 'waive', kind: 'response', reason }, FIN_HEAD, WED + HOUR_MS)).toContain(
        'Say why',
      );
    // (This refusal, unlike the others, does not name the request.)
    expect(
      refusal(breached(), { type: 'waive', kind: 'response', reason: 'r'.repeat(501) }, FIN_HEAD, WED + HOUR_MS, true),
    ).toContain('500');
    expect(
      attempt(breached(), { type: 'waive', kind: 'response', reason: 'r'.repeat(500) }, FIN_HEAD, WED + HOUR_MS).ok,
    ).toBe(true);
  });

  it('is refused twice, and when there is no breach to waive', () => {
    const waived = act(breached(), { type: 'waive', kind: 'response', reason: REASON }, FIN_HEAD, WED + HOUR_MS);
    expect(
      refusal(waived, { type: 'waive', kind: 'response', reason: 'Again.' }, FIN_HEAD, WED + 2 * HOUR_MS),
    ).toContain('already waived');
    expect(
      act(waived, { type: 'waive', kind: 'resolution', reason: REASON }, FIN_HEAD, WED + 2 * HOUR_MS).breaches
        ?.resolution?.waived,
    ).toBeDefined();
    expect(refusal(file(), { type: 'waive', kind: 'response', reason: REASON }, FIN_HEAD, WED)).toContain(
      'no response breach',
    );
  });

  it('is allowed whatever the status: a cancelled request', () => {
    const cancelled = recordBreach(act(file(), { type: 'cancel' }, REQUESTER, TUE), 'response', TUE + MINUTE_MS);
    expect(
      act(cancelled, { type: 'waive', kind: 'response', reason: REASON }, FIN_HEAD, TUE + HOUR_MS).breaches?.response
        ?.waived?.by,
    ).toBe(FIN_HEAD);
  });
});

describe('decide: resolving a request that missed a target', () => {
  it('is refused without a cause, naming the target and the causes to pick from', () => {
    const recorded = recordBreach(act(file(), { type: 'acknowledge' }, AGENT, TUE), 'response', TUE + MINUTE_MS);
    const error = refusal(recorded, { type: 'resolve', note: 'Done.' }, AGENT, TUE + HOUR_MS);
    expect(error).toContain('missed its response target');
    expect(error).toContain('staffing, handoff, tooling, unclear request, dependency, other');
  });

  it('is refused without a cause even before the scan recorded the miss; both targets are named', () => {
    expect(missedTargets(file(), cal, WED)).toEqual(['response', 'resolution']);
    expect(refusal(file(), { type: 'resolve', note: 'Done.' }, AGENT, WED)).toContain(
      'missed its response and resolution target',
    );
    expect(refusal(file(), { type: 'resolve', note: 'Done.' }, AGENT, TUE)).toContain('missed its response target');
  });

  it('is accepted with a cause, which is kept on the request and its history line', () => {
    const recorded = recordBreach(file(), 'response', TUE);
    const r = attempt(
      recorded,
      { type: 'resolve', note: 'Done.', cause: { category: 'unclear_request', text: '  Two laptops or one?  ' } },
      AGENT,
      TUE + HOUR_MS,
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.value.request).toMatchObject({
      status: 'resolved',
      cause: { category: 'unclear_request', text: 'Two laptops or one?' },
    });
    expect(r.value.event).toMatchObject({
      type: 'resolve',
      cause: { category: 'unclear_request', text: 'Two laptops or one?' },
    });
    // Without text the cause is just its category.
    expect(
      act(recorded, { type: 'resolve', note: 'Done.', cause: { category: 'other', text: '   ' } }, AGENT, TUE + HOUR_MS)
        .cause,
    ).toEqual({ category: 'other' });
  });

  it('refuses a cause that is not one of the categories, or text over 1000 characters', () => {
    const recorded = recordBreach(file(), 'response', TUE);
    const bogus = { category: 'weather' } as unknown as { category: (typeof CAUSE_CATEGORIES)[number] };
    // (This refusal, unlike the others, does not name the request.)
    expect(refusal(recorded, { type: 'resolve', note: 'Done.', cause: bogus }, AGENT, TUE + HOUR_MS, true)).toContain(
      '"weather" is not a cause',
    );
    expect(
      refusal(
        recorded,
        { type: 'resolve', note: 'Done.', cause: { category: 'tooling', text: 't'.repeat(1001) } },
        AGENT,
        TUE + HOUR_MS,
      ),
    ).toContain('1000');
  });

  it('needs no cause when nothing was missed', () => {
    const resolved = act(file(), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS);
    expect(resolved.status).toBe('resolved');
    expect(resolved.cause).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

describe("the scan's contract with the check index, over random histories", () => {
  it('woken at nextWatch it finds something; it never finds anything earlier; what it finds is always accepted, and then the next wake-up is later', () => {
    let findings = 0;
    fc.assert(
      fc.property(history, (h) => {
        play(h, ({ after, now }) => {
          // The calendar of whoever has the request now (it may have been transferred).
          const { calendar: cal, department: provider } = sideOf(after);
          const w = nextWatch(after);
          const u = after.updatedAt;
          if (w !== null)
            check(
              findingsAt(after, cal, Math.max(w, u)).length > 0,
              `nothing found at the watch instant ${new Date(w).toISOString()}`,
            );
          const probes = [
            u,
            now,
            u + HOUR_MS,
            u + 2 * 24 * HOUR_MS,
            u + 30 * 24 * HOUR_MS,
            ...(w === null ? [] : [w - 1, w, w + 1]),
          ].filter((t) => t >= u);
          for (const t of probes) {
            const found = findingsAt(after, cal, t);
            if (found.length === 0) continue;
            findings += found.length;
            check(
              w !== null && w <= t,
              `found ${found.map((f) => `${f.type} ${kindOf(f)}`).join(', ')} at ${new Date(t).toISOString()} but watching ${w === null ? 'nothing' : new Date(w).toISOString()}`,
            );
            // Recorded one after the other at t, as the scan does: each is accepted.
            let r = after;
            for (const f of found) {
              check(f.type !== 'breach' || (f.lateBy >= 0 && f.dueAt < t), `odd breach finding ${JSON.stringify(f)}`);
              const action: RequestAction =
                f.type === 'breach'
                  ? { type: 'breach', kind: f.kind, charge: CHARGE }
                  : f.type === 'warn'
                    ? { type: 'warn', kind: f.kind }
                    : f.type === 'remind'
                      ? { type: 'remind', kind: f.kind }
                      : f.type === 'escalate'
                        ? { type: 'escalate', step: f.step, kind: f.kind }
                        : f.type === 'unanswered'
                          ? { type: 'unanswered', rule: f.rule }
                          : { type: 'close' };
              const d = decide(r, action, {
                actor: SYSTEM_ACTOR,
                at: t,
                calendar: cal,
                rights: SYSTEM_RIGHTS,
                provider,
              });
              if (!d.ok)
                throw new Error(
                  `the scan's ${f.type} of ${kindOf(f)} at ${new Date(t).toISOString()} refused: ${d.error}`,
                );
              if (f.type === 'breach')
                check(
                  d.value.request.breaches?.[f.kind]?.dueAt === f.dueAt,
                  'recorded at another due instant than found',
                );
              r = d.value.request;
            }
            check(findingsAt(r, cal, t).length === 0, 'something left to record after recording everything');
            const next = nextWatch(r);
            check(
              next === null || next > t,
              `after recording everything at ${new Date(t).toISOString()} the next watch is ${new Date(next!).toISOString()}`,
            );
          }
          for (const kind of TARGET_KINDS) {
            if (after.breaches?.[kind])
              check(
                after.breaches[kind]!.dueAt === after.clocks[kind].breachedAt || after.clocks[kind].breachedAt === null,
                `${kind} breach at ${after.breaches[kind]!.dueAt}, clock missed ${after.clocks[kind].breachedAt}`,
              );
          }
        });
      }),
      { numRuns: 300 },
    );
    expect(findings).toBeGreaterThan(500);
  });
});
