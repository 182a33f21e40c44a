/**
 * Waiting on the requester with the agreement's rules (functions/domain/waiting.ts, and their place
 * in watch.ts and decide): the written rules, the instants of the reminder and of the resume or
 * close in the provider's working time across a weekend and a holiday, each once per pause, and the
 * time a request waited. Instants are hand-checked on a New York calendar in November 2026 (EST,
 * UTC-5) whose Thanksgiving (Thursday 26th) is a holiday.
 */
import type { AgreementVersion, WaitingTerms } from '../../../functions/domain/agreement';
import { AgreementTermsSpec, specOfTerms, termsFromSpec } from '../../../functions/domain/agreement-spec';
import { describeWaiting } from '../../../functions/domain/agreement-text';
import { compileCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  fileRequest,
  type Request,
  type RequestAction,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide } from '../../../functions/domain/request-actions';
import { nextWaitAt, pendingWaits, waitedAt } from '../../../functions/domain/waiting';
import { findingsAt, nextWatch } from '../../../functions/domain/watch';
import { AGENT, AGREEMENT, IT, REQUESTER } from './histories';

const at = (iso: string) => Date.parse(iso);
/** IT's week: Monday to Friday 09:00-17:00 (Friday with a lunch hour), Thanksgiving off. */
const cal = compileCalendar({
  timezone: 'America/New_York',
  hours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-12:00,13:00-17:00',
  },
  holidays: { dates: ['2026-11-26'] },
});
/** Wednesday 25 November 2026, 09:00 and 15:00 EST: filed, then asked a question. */
const WED_0900 = at('2026-11-25T14:00:00Z');
const WED_1500 = at('2026-11-25T20:00:00Z');
/** Wednesday 15:00 + 4 working hours: 2h on Wednesday, Thanksgiving off, 2h on Friday -> Friday 11:00. */
const FRI_1100 = at('2026-11-27T16:00:00Z');
/** + 8 working hours: 2h Wednesday, Friday 09:00-12:00 and 13:00-16:00 -> Friday 16:00. */
const FRI_1600 = at('2026-11-27T21:00:00Z');
/** + 12 working hours: 2h Wednesday, 7h Friday, the weekend off, 3h Monday -> Monday 30th 12:00. */
const MON_1200 = at('2026-11-30T17:00:00Z');

function file(waiting: WaitingTerms): Request {
  const agreement: AgreementVersion = { ...AGREEMENT, waiting };
  const r = fileRequest({
    id: 'IT-8',
    number: 8,
    agreement,
    customer: 'finance',
    priority: 'P3',
    title: 'New monitor',
    description: '',
    requester: REQUESTER,
    at: WED_0900,
    calendar: cal,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

function act(request: Request, action: RequestAction, actor: string, when: number) {
  return decide(request, action, {
    actor,
    at: when,
    calendar: cal,
    rights: actor === SYSTEM_ACTOR ? SYSTEM_RIGHTS : { provider: actor === AGENT, requester: actor === REQUESTER },
    provider: IT,
  });
}

function accepted(request: Request, action: RequestAction, actor: string, when: number): Request {
  const r = act(request, action, actor, when);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value.request;
}

/** Filed Wednesday 09:00, asked a question Wednesday 15:00. */
const paused = (waiting: WaitingTerms) =>
  accepted(file(waiting), { type: 'pause', note: 'Which desk is it for?' }, AGENT, WED_1500);

describe('the written waiting rules', () => {
  it('read into the terms and write back the same', () => {
    const written = { ...specOfTerms(AGREEMENT), waiting: { remind_after: '1h30m', resume_after: '4h' } };
    const terms = termsFromSpec(AgreementTermsSpec.parse(written));
    expect(terms.waiting).toEqual({ remindAfter: 90 * MINUTE_MS, resumeAfter: 4 * HOUR_MS });
    expect(specOfTerms(terms)).toEqual(written);
  });

  it('say what they do in a line', () => {
    expect(describeWaiting({ remindAfter: 4 * HOUR_MS, closeAfter: 24 * HOUR_MS })).toBe(
      'remind the requester after 4h; close the request after 24h without an answer',
    );
  });

  it('are copied onto a request at filing; an agreement without them copies nothing', () => {
    expect(file({ remindAfter: HOUR_MS }).waitRules).toEqual({ remindAfter: HOUR_MS });
    expect(file(undefined as unknown as WaitingTerms).waitRules).toBeUndefined();
  });
});

describe('the instants of a pause, in working time', () => {
  it('remind after the holiday and resume on Friday afternoon', () => {
    const r = paused({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    expect(r.waitingSince).toBe(WED_1500);
    expect(pendingWaits(r, cal)).toEqual([
      { rule: 'remind', at: FRI_1100 },
      { rule: 'resume', at: FRI_1600 },
    ]);
    expect(r.nextWaitAt).toBe(FRI_1100);
    expect(nextWatch(r)).toBe(FRI_1100);
  });

  it('close after the weekend', () => {
    const r = paused({ closeAfter: 12 * HOUR_MS });
    expect(pendingWaits(r, cal)).toEqual([{ rule: 'close', at: MON_1200 }]);
    expect(nextWatch(r)).toBe(MON_1200);
  });

  it('nothing is found a minute before the reminder; the reminder once it has come', () => {
    const r = paused({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    expect(findingsAt(r, cal, FRI_1100 - MINUTE_MS)).toEqual([]);
    expect(findingsAt(r, cal, FRI_1100)).toEqual([{ type: 'unanswered', rule: 'remind', dueAt: FRI_1100, lateBy: 0 }]);
  });
});

describe('applying the rules, once per pause', () => {
  it('a reminder once, then the resume at its true instant; the clock runs from there', () => {
    let r = paused({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    const scan = FRI_1100 + 5 * MINUTE_MS;
    const reminded = act(r, { type: 'unanswered', rule: 'remind' }, SYSTEM_ACTOR, scan);
    if (!reminded.ok) throw new Error(reminded.error);
    expect(reminded.value.event).toMatchObject({ type: 'unanswered', rule: 'remind', stepAt: FRI_1100 });
    r = reminded.value.request;
    expect(r.nextWaitAt).toBe(FRI_1600);
    // A second scan finds nothing more until the resume, and the same reminder is refused.
    expect(findingsAt(r, cal, scan + MINUTE_MS)).toEqual([]);
    expect(act(r, { type: 'unanswered', rule: 'remind' }, SYSTEM_ACTOR, scan + MINUTE_MS).ok).toBe(false);
    // Not before its instant.
    expect(act(r, { type: 'unanswered', rule: 'resume' }, SYSTEM_ACTOR, FRI_1600 - MINUTE_MS).ok).toBe(false);
    r = accepted(r, { type: 'unanswered', rule: 'resume' }, SYSTEM_ACTOR, FRI_1600);
    expect(r.status).toBe('acknowledged');
    expect(r.clocks.resolution.state).toBe('running');
    expect(r.clocks.resolution.runningSince).toBe(FRI_1600);
    expect(r.nextWaitAt).toBeUndefined();
    expect(r.waitingSince).toBeUndefined();
    expect(r.waited).toEqual({ ms: 8 * HOUR_MS, pauses: 1 });
    expect(act(r, { type: 'unanswered', rule: 'resume' }, SYSTEM_ACTOR, FRI_1600 + HOUR_MS).ok).toBe(false);
  });

  it('a scan that comes Monday resumes at Friday 16:00 and does not send the moot reminder', () => {
    const r = paused({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    const monday = at('2026-11-30T15:00:00Z');
    expect(findingsAt(r, cal, monday)).toEqual([
      { type: 'unanswered', rule: 'resume', dueAt: FRI_1600, lateBy: monday - FRI_1600 },
    ]);
    const resumed = accepted(r, { type: 'unanswered', rule: 'resume' }, SYSTEM_ACTOR, FRI_1600);
    expect(resumed.updatedAt).toBe(FRI_1600);
    expect(findingsAt(resumed, cal, monday)).toEqual([]);
  });

  it('close: the request closes with its resolution clock stopped', () => {
    const r = accepted(
      paused({ closeAfter: 12 * HOUR_MS }),
      { type: 'unanswered', rule: 'close' },
      SYSTEM_ACTOR,
      MON_1200,
    );
    expect(r.status).toBe('closed');
    expect(r.closedAt).toBe(MON_1200);
    expect(r.clocks.resolution.state).toBe('paused');
    expect(r.waited).toEqual({ ms: 12 * HOUR_MS, pauses: 1 });
    expect(nextWatch(r)).toBeNull();
  });

  it('the requester answering first ends the wait: no rule is left, and the time waited counts', () => {
    const r = paused({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    const answered = accepted(r, { type: 'comment', note: 'Desk 4.12' }, REQUESTER, FRI_1100 - HOUR_MS);
    expect(answered.status).toBe('acknowledged');
    expect(answered.nextWaitAt).toBeUndefined();
    expect(findingsAt(answered, cal, MON_1200)).toEqual([]);
    expect(answered.waited).toEqual({ ms: 3 * HOUR_MS, pauses: 1 });
  });

  it('each pause has its own reminder, and the waits add up', () => {
    let r = paused({ remindAfter: 4 * HOUR_MS });
    r = accepted(r, { type: 'unanswered', rule: 'remind' }, SYSTEM_ACTOR, FRI_1100);
    r = accepted(r, { type: 'resume' }, AGENT, FRI_1600); // 8h waited
    const mon0900 = at('2026-11-30T14:00:00Z');
    r = accepted(r, { type: 'pause', note: 'And the model?' }, AGENT, mon0900);
    expect(r.remindedAt).toBeUndefined();
    expect(pendingWaits(r, cal)).toEqual([{ rule: 'remind', at: mon0900 + 4 * HOUR_MS }]);
    expect(waitedAt(r, cal, mon0900 + HOUR_MS)).toEqual({ ms: 9 * HOUR_MS, pauses: 2 });
    expect(nextWaitAt(r, cal)).toBe(mon0900 + 4 * HOUR_MS);
  });
});

describe('waiting on a third party', () => {
  const onVendor = (waiting: WaitingTerms) =>
    accepted(file(waiting), { type: 'pause', note: 'The vendor ships Friday.', thirdParty: true }, AGENT, WED_1500);

  it('keeps the resolution clock running by default, and no waiting rule applies to it', () => {
    const r = onVendor({ remindAfter: 4 * HOUR_MS, resumeAfter: 8 * HOUR_MS });
    expect(r.status).toBe('waiting_on_third_party');
    expect(r.clocks.response.state).toBe('met');
    expect(r.clocks.resolution.state).toBe('running');
    expect(pendingWaits(r, cal)).toEqual([]);
    expect(findingsAt(r, cal, MON_1200).filter((f) => f.type === 'unanswered')).toEqual([]);
    expect(r.waited).toBeUndefined();
  });

  it('pauses the clock when the agreement says so; the provider resumes it, the requester cannot', () => {
    const r = onVendor({ thirdPartyPausesClock: true });
    expect(r.clocks.resolution.state).toBe('paused');
    const refused = act(r, { type: 'resume' }, REQUESTER, FRI_1100);
    expect(refused).toEqual({
      ok: false,
      error:
        'IT-8 is waiting on a third party; IT resumes it when they hear back. To add something, use `/sla reply IT-8 your message`.',
    });
    const resumed = accepted(r, { type: 'resume' }, AGENT, FRI_1100);
    expect(resumed.status).toBe('acknowledged');
    expect(resumed.clocks.resolution.state).toBe('running');
  });

  it('is written as third_party_pauses_clock and read back the same', () => {
    const written = { ...specOfTerms(AGREEMENT), waiting: { third_party_pauses_clock: true } };
    const terms = termsFromSpec(AgreementTermsSpec.parse(written));
    expect(terms.waiting).toEqual({ thirdPartyPausesClock: true });
    expect(specOfTerms(terms)).toEqual(written);
    expect(describeWaiting({ remindAfter: HOUR_MS, thirdPartyPausesClock: true })).toBe(
      'remind the requester after 1h without an answer; waiting on a third party pauses the clock',
    );
  });
});
