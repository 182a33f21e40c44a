/**
 * Escalation ladders (functions/domain/escalation.ts, and their place in watch.ts and decide):
 * the written steps, the instant each step of a request falls due in the provider's working time,
 * once per target cycle, and the at-risk warning a ladder replaces. Instants are hand-checked on
 * New York calendars in November 2026 (EST, UTC-5).
 */
import type { AgreementVersion, EscalationStep } from '../../../functions/domain/agreement';
import { AgreementTermsSpec, specOfTerms, termsFromSpec } from '../../../functions/domain/agreement-spec';
import { describeStep } from '../../../functions/domain/agreement-text';
import { type Calendar, compileCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import { nextStepAt, pendingSteps } from '../../../functions/domain/escalation';
import {
  fileRequest,
  type Request,
  type RequestAction,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide } from '../../../functions/domain/request-actions';
import { findingsAt, nextWatch } from '../../../functions/domain/watch';
import { AGENT, AGREEMENT, cal, IT, REQUESTER } from './histories';

const at = (iso: string) => Date.parse(iso);
/** Friday 20 November 2026, 16:30 EST: half an hour before IT's Friday ends. */
const FRI_1630 = at('2026-11-20T21:30:00Z');
const ROUND_THE_CLOCK: Calendar = compileCalendar({ timezone: 'America/New_York' });

function file(ladder: EscalationStep[], when = FRI_1630, calendar = cal): Request {
  const agreement: AgreementVersion = { ...AGREEMENT, escalation: ladder };
  const r = fileRequest({
    id: 'IT-7',
    number: 7,
    agreement,
    customer: 'finance',
    priority: 'P2',
    title: 'Laptop',
    description: '',
    requester: REQUESTER,
    at: when,
    calendar,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

function act(request: Request, action: RequestAction, actor: string, when: number, calendar = cal) {
  return decide(request, action, {
    actor,
    at: when,
    calendar,
    rights: actor === SYSTEM_ACTOR ? SYSTEM_RIGHTS : { provider: true, requester: actor === REQUESTER },
    provider: IT,
  });
}

function accepted(request: Request, action: RequestAction, actor: string, when: number, calendar = cal): Request {
  const r = act(request, action, actor, when, calendar);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value.request;
}

describe('the written ladder', () => {
  it('reads into the terms and writes back the same', () => {
    const written = {
      ...specOfTerms(AGREEMENT),
      escalation: [
        { at: 0.5, notify: 'assignee' },
        { at: 0.9, target: 'resolution', notify: 'customer_heads' },
        { unacknowledged_for: '1h30m', notify: 'provider_heads' },
      ],
    };
    const terms = termsFromSpec(AgreementTermsSpec.parse(written));
    expect(terms.escalation).toEqual([
      { at: 0.5, notify: 'assignee' },
      { at: 0.9, target: 'resolution', notify: 'customer_heads' },
      { unacknowledgedFor: 90 * MINUTE_MS, notify: 'provider_heads' },
    ]);
    expect(specOfTerms(terms)).toEqual(written);
  });

  it('reads back in words where the terms are shown', () => {
    expect(describeStep({ unacknowledgedFor: HOUR_MS, notify: 'provider_heads' })).toBe(
      "unacknowledged for 1h: tell the provider's heads",
    );
    expect(describeStep({ at: 0.5, notify: 'assignee' })).toBe(
      '50% of each target used: tell the assignee (the channel while nobody is)',
    );
    expect(describeStep({ at: 0.9, target: 'resolution', notify: 'customer_heads' })).toBe(
      "90% of the resolution target used: tell the customer's heads",
    );
  });

  it('leaves an agreement without a ladder as it was', () => {
    expect(termsFromSpec(AgreementTermsSpec.parse(specOfTerms(AGREEMENT))).escalation).toBeUndefined();
    expect(file([]).ladder).toBeUndefined();
  });
});

describe('when a step falls due', () => {
  const unacknowledged: EscalationStep[] = [{ unacknowledgedFor: HOUR_MS, notify: 'provider_heads' }];

  it('counts working time: over the weekend on a business-hours calendar, the same evening round the clock', () => {
    // Mon-Fri 9-17: 30 minutes on Friday, 30 on Monday -> Monday 09:30 EST.
    expect(nextStepAt(file(unacknowledged), cal)).toBe(at('2026-11-23T14:30:00Z'));
    // 24x7: one hour later, Friday 17:30 EST.
    const always = file(unacknowledged, FRI_1630, ROUND_THE_CLOCK);
    expect(nextStepAt(always, ROUND_THE_CLOCK)).toBe(at('2026-11-20T22:30:00Z'));
    expect(file(unacknowledged).nextStepAt).toBe(at('2026-11-23T14:30:00Z'));
  });

  it('the scan wakes at the step, finds it then and not before, and sends it once', () => {
    const r = file(unacknowledged);
    const due = at('2026-11-23T14:30:00Z');
    expect(nextWatch(r)).toBe(due);
    expect(findingsAt(r, cal, due - 1)).toEqual([]);
    const late = due + 10 * MINUTE_MS;
    expect(findingsAt(r, cal, late)).toEqual([
      { type: 'escalate', step: 0, kind: 'response', dueAt: due, lateBy: 10 * MINUTE_MS },
    ]);
    const sent = act(r, { type: 'escalate', step: 0, kind: 'response' }, SYSTEM_ACTOR, late);
    if (!sent.ok) throw new Error(sent.error);
    expect(sent.value.event).toMatchObject({ type: 'escalate', step: 0, kind: 'response', stepAt: due });
    expect(sent.value.request.escalated).toEqual({ '0': due });
    expect(findingsAt(sent.value.request, cal, late + HOUR_MS)).toEqual([]);
    expect(nextWatch(sent.value.request)).toBe(sent.value.request.clocks.response.dueAt! + 1);
    // The same step again (a second scan that read the request before): refused.
    const again = act(sent.value.request, { type: 'escalate', step: 0, kind: 'response' }, SYSTEM_ACTOR, late);
    expect(again.ok).toBe(false);
  });

  it('a step not due yet is refused', () => {
    const r = act(file(unacknowledged), { type: 'escalate', step: 0, kind: 'response' }, SYSTEM_ACTOR, FRI_1630);
    expect(r.ok ? '' : r.error).toBe("IT-7's escalation step 1 is not due yet.");
  });

  it('an acknowledged request leaves its unacknowledged step behind', () => {
    const acked = accepted(file(unacknowledged), { type: 'acknowledge' }, AGENT, FRI_1630 + 10 * MINUTE_MS);
    expect(pendingSteps(acked, cal)).toEqual([]);
    expect(acked.nextStepAt).toBeUndefined();
  });

  it('a share of a target without `target` fires for each target, on its own', () => {
    const r = file([{ at: 0.5, notify: 'assignee' }], at('2026-11-16T14:00:00Z')); // Monday 09:00 EST
    // P2: response 4h (half: 11:00), resolution 16h (half: Monday 17:00 = the end of the day).
    expect(pendingSteps(r, cal).map((s) => [s.key, s.at])).toEqual([
      ['0:response', at('2026-11-16T16:00:00Z')],
      ['0:resolution', at('2026-11-16T22:00:00Z')],
    ]);
  });

  it('replaces the one at-risk warning', () => {
    const r = file([{ at: 0.5, target: 'resolution', notify: 'channel' }], at('2026-11-16T14:00:00Z'));
    // The response is at risk at 12:00 EST (75%) but no warning comes: the ladder speaks instead.
    expect(findingsAt(r, cal, at('2026-11-16T17:30:00Z'))).toEqual([]);
    expect(nextWatch(r)).toBe(r.clocks.response.dueAt! + 1);
  });

  it('a reopened request starts its resolution steps again', () => {
    const monday = at('2026-11-16T14:00:00Z');
    let r = file([{ at: 0.1, target: 'resolution', notify: 'assignee' }], monday);
    const due = pendingSteps(r, cal)[0]!.at;
    r = accepted(r, { type: 'escalate', step: 0, kind: 'resolution' }, SYSTEM_ACTOR, due);
    r = accepted(r, { type: 'resolve', note: 'Done.' }, AGENT, due + HOUR_MS);
    expect(pendingSteps(r, cal)).toEqual([]);
    r = accepted(r, { type: 'reopen' }, REQUESTER, due + 2 * HOUR_MS);
    expect(r.escalated).toBeUndefined();
    expect(pendingSteps(r, cal).map((s) => s.key)).toEqual(['0:resolution']);
  });
});

describe('steps across holidays, dates with their own hours and daylight saving', () => {
  const unacknowledged: EscalationStep[] = [{ unacknowledgedFor: HOUR_MS, notify: 'provider_heads' }];
  const hours = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };

  it('skips a holiday: 30 minutes on Friday, none on the holiday Monday, 30 on Tuesday', () => {
    const holiday = compileCalendar({ timezone: 'America/New_York', hours, holidays: { dates: ['2026-11-23'] } });
    expect(nextStepAt(file(unacknowledged, FRI_1630, holiday), holiday)).toBe(at('2026-11-24T14:30:00Z'));
  });

  it("counts a date's own hours: a 15-minute Monday leaves 15 minutes for Tuesday", () => {
    const short = compileCalendar({ timezone: 'America/New_York', hours, overrides: { '2026-11-23': '09:00-09:15' } });
    expect(nextStepAt(file(unacknowledged, FRI_1630, short), short)).toBe(at('2026-11-24T14:15:00Z'));
  });

  it('falls due at the same local working time across both daylight-saving changes', () => {
    const business = compileCalendar({ timezone: 'America/New_York', hours });
    // Friday 30 October 16:30 EDT; clocks go back on Sunday: Monday 2 November 09:30 EST.
    expect(nextStepAt(file(unacknowledged, at('2026-10-30T20:30:00Z'), business), business)).toBe(
      at('2026-11-02T14:30:00Z'),
    );
    // Friday 6 March 16:30 EST; clocks go forward on Sunday: Monday 9 March 09:30 EDT.
    expect(nextStepAt(file(unacknowledged, at('2026-03-06T21:30:00Z'), business), business)).toBe(
      at('2026-03-09T13:30:00Z'),
    );
  });

  it('round the clock, counts the repeated hour of the autumn change as the hour it is', () => {
    // 00:30 EDT on 1 November plus two hours of working time is 01:30 EST, the second 01:30 that night.
    const twoHours: EscalationStep[] = [{ unacknowledgedFor: 2 * HOUR_MS, notify: 'provider_heads' }];
    const filed = file(twoHours, at('2026-11-01T04:30:00Z'), ROUND_THE_CLOCK);
    expect(nextStepAt(filed, ROUND_THE_CLOCK)).toBe(at('2026-11-01T06:30:00Z'));
  });
});
