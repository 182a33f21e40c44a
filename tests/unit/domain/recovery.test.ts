/**
 * Service recovery in the domain: Kept's drafted apology, the recovery steps, and the recovery
 * credit — within its working-time window on the provider's calendar (a weekend does not count),
 * never more than once per breach. IT works 09:00-17:00 on weekdays in New York.
 */
import type { AgreementVersion } from '../../../functions/domain/agreement';
import { sameTerms, specOfTerms } from '../../../functions/domain/agreement-spec';
import { type Calendar, compileCalendar } from '../../../functions/domain/calendar';
import type { Department } from '../../../functions/domain/department';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import { validateImport } from '../../../functions/domain/import-file';
import { draftApology } from '../../../functions/domain/recovery';
import {
  fileRequest,
  type Request,
  type RequestAction,
  rightsOf,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide, recoveryCredits } from '../../../functions/domain/request-actions';
import { contribution } from '../../../functions/domain/stats';
import { opsForSales } from '../../support/company';
import { department } from '../../support/departments';

const WEEKDAYS_9_TO_5 = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};
const cal: Calendar = compileCalendar({ timezone: 'America/New_York', hours: WEEKDAYS_9_TO_5 });
const at = (iso: string) => Date.parse(iso);

const HEAD = 'U0ITHEAD';
const AGENT = 'U0ITAGENT';
const REQUESTER = 'U0FINREQ';
const IT: Department = department('it', 'IT', [HEAD], { members: [AGENT] });
const FINANCE: Department = department('finance', 'Finance', ['U0FINHEAD'], { members: [REQUESTER] });

const AGREEMENT: AgreementVersion = {
  id: 'it-for-finance',
  version: 1,
  provider: 'it',
  customer: 'finance',
  service: 'Laptops',
  targets: { P1: { response: HOUR_MS, resolution: 4 * HOUR_MS } },
  penalty: { unit: 'points', perBreach: 50, tiers: [] },
  atRisk: 0.8,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'import',
  recoveryCredit: { share: 0.5, within: 4 * HOUR_MS },
};

// Friday 20 November 2026, 15:00 in New York (20:00Z): the P1 resolution is due Monday 11:00.
const FRI_3PM = at('2026-11-20T20:00:00Z');

function act(request: Request, action: RequestAction, actor: string, when: number) {
  const rights = actor === 'kept' ? SYSTEM_RIGHTS : rightsOf(request, IT, actor, FINANCE);
  return decide(request, action, { actor, at: when, calendar: cal, rights, provider: IT });
}
function ok(request: Request, action: RequestAction, actor: string, when: number): Request {
  const r = act(request, action, actor, when);
  if (!r.ok) throw new Error(r.error);
  return r.value.request;
}

/** Filed Friday 15:00, response met at once, resolution missed Monday 11:00 and recorded; still live. */
function breachedLive(): Request {
  const filed = fileRequest({
    id: 'IT-7',
    number: 7,
    agreement: AGREEMENT,
    customer: 'finance',
    priority: 'P1',
    title: 'Laptop for Dana',
    description: '',
    requester: REQUESTER,
    at: FRI_3PM,
    calendar: cal,
  });
  if (!filed.ok) throw new Error(filed.error);
  const r = ok(filed.value.request, { type: 'acknowledge' }, AGENT, FRI_3PM + MINUTE_MS);
  const charge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };
  return ok(r, { type: 'breach', kind: 'resolution', charge }, 'kept', at('2026-11-23T16:05:00Z'));
}

/** The same, then resolved at `resolvedAt`. */
function breachedAndResolved(resolvedAt: number): Request {
  const r = breachedLive();
  return ok(r, { type: 'resolve', note: 'New laptop handed over', cause: { category: 'staffing' } }, AGENT, resolvedAt);
}

describe('the drafted apology', () => {
  it('names the request, the promise missed and by how much, warm and without blame', () => {
    const text = draftApology({
      request: { id: 'IT-7', title: 'Laptop for Dana' },
      kind: 'resolution',
      lateBy: 2 * HOUR_MS + 5 * MINUTE_MS,
      providerName: 'IT',
    });
    expect(text).toBe(
      `I'm sorry. We promised to have IT-7 "Laptop for Dana" solved within the time we agreed, and we were 2 hours 5 minutes late. That is on us at IT, not on you. Here is where it stands and what we do next: `,
    );
    expect(
      draftApology({ request: { id: 'IT-8', title: 'VPN' }, kind: 'response', lateBy: 0, providerName: 'IT' }),
    ).toContain('We promised to get back to you on IT-8 "VPN" within the time we agreed, and we missed it.');
  });
});

describe('recovery steps', () => {
  it('are recorded with who and when, only after a miss, and only by the provider', () => {
    const r = breachedAndResolved(at('2026-11-23T17:00:00Z'));
    const when = at('2026-11-23T17:30:00Z');
    const done = act(r, { type: 'recover', step: 'apologised', note: 'Sorry, Dana.' }, HEAD, when);
    expect(done.ok && done.value.request.recovery?.steps?.apologised).toEqual({ by: HEAD, at: when });
    expect(done.ok && done.value.event).toMatchObject({
      type: 'recover',
      recovery: 'apologised',
      note: 'Sorry, Dana.',
    });
    const cause = act(
      r,
      { type: 'recover', step: 'cause', note: 'Two off sick', cause: { category: 'staffing' } },
      AGENT,
      when,
    );
    expect(cause.ok && cause.value.request.cause).toEqual({ category: 'staffing', text: 'Two off sick' });
    expect(act(r, { type: 'recover', step: 'apologised', note: ' ' }, HEAD, when)).toMatchObject({ ok: false });
    expect(act(r, { type: 'recover', step: 'apologised', note: 'Sorry' }, REQUESTER, when)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/only people in IT/i),
    });
  });
});

describe('the cause written down as a recovery step', () => {
  const causes = (r: Request) =>
    Object.fromEntries(Object.entries(contribution(r)).filter(([k]) => /^(a?cause)\|/.test(k)));
  const when = at('2026-11-23T16:30:00Z');

  it('lets the resolve go without asking again, keeping it; counted once', () => {
    const live = breachedLive();
    expect(act(live, { type: 'resolve', note: 'Done' }, AGENT, when)).toMatchObject({ ok: false });
    const written = ok(
      live,
      { type: 'recover', step: 'cause', note: 'Nobody covered the queue', cause: { category: 'staffing' } },
      HEAD,
      when,
    );
    expect(causes(written)).toEqual({ 'cause|staffing': 1, 'acause|it-for-finance|staffing': 1 });
    const resolved = ok(written, { type: 'resolve', note: 'Done' }, AGENT, when + MINUTE_MS);
    expect(resolved.cause).toEqual({ category: 'staffing', text: 'Nobody covered the queue' });
    expect(causes(resolved)).toEqual({ 'cause|staffing': 1, 'acause|it-for-finance|staffing': 1 });
  });

  it('is replaced, not added to, by a resolve with another cause or a later step', () => {
    const written = ok(
      breachedLive(),
      { type: 'recover', step: 'cause', note: '', cause: { category: 'staffing' } },
      HEAD,
      when,
    );
    const resolved = ok(
      written,
      { type: 'resolve', note: 'Done', cause: { category: 'handoff' } },
      AGENT,
      when + MINUTE_MS,
    );
    expect(causes(resolved)).toEqual({ 'cause|handoff': 1, 'acause|it-for-finance|handoff': 1 });
    const later = ok(
      resolved,
      { type: 'recover', step: 'cause', note: 'It was the tooling after all', cause: { category: 'tooling' } },
      HEAD,
      when + 2 * MINUTE_MS,
    );
    expect(causes(later)).toEqual({ 'cause|tooling': 1, 'acause|it-for-finance|tooling': 1 });
  });

  it('asks again at the resolve when a target is missed after the cause was written down', () => {
    const filed = fileRequest({
      id: 'IT-9',
      number: 9,
      agreement: AGREEMENT,
      customer: 'finance',
      priority: 'P1',
      title: 'Printer',
      description: '',
      requester: REQUESTER,
      at: FRI_3PM,
      calendar: cal,
    });
    if (!filed.ok) throw new Error(filed.error);
    const charge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };
    // The response (due Friday 16:00 in New York) is missed; the cause is written down; then the resolution too.
    let r = ok(filed.value.request, { type: 'breach', kind: 'response', charge }, 'kept', at('2026-11-20T21:05:00Z'));
    r = ok(
      r,
      { type: 'recover', step: 'cause', note: '', cause: { category: 'staffing' } },
      HEAD,
      at('2026-11-20T21:10:00Z'),
    );
    r = ok(r, { type: 'acknowledge' }, AGENT, at('2026-11-20T21:15:00Z'));
    r = ok(r, { type: 'breach', kind: 'resolution', charge: { ...charge, n: 2 } }, 'kept', at('2026-11-23T16:05:00Z'));
    expect(act(r, { type: 'resolve', note: 'Done' }, AGENT, at('2026-11-23T16:30:00Z'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('pick a cause'),
    });
  });

  it('is refused on a cancelled request, and without a category', () => {
    const live = breachedLive();
    const cancelled = { ...live, status: 'cancelled' as const };
    const cause = {
      type: 'recover' as const,
      step: 'cause' as const,
      note: '',
      cause: { category: 'staffing' as const },
    };
    expect(act(cancelled, cause, HEAD, when)).toMatchObject({ ok: false });
    expect(act(live, { type: 'recover', step: 'cause', note: 'x' }, HEAD, when)).toMatchObject({ ok: false });
  });
});

describe('the recovery credit', () => {
  // Missed Monday 11:00 New York; 4 working hours later is Monday 15:00.
  const MISSED_PLUS_3H = at('2026-11-23T19:00:00Z'); // Monday 14:00
  const MISSED_PLUS_5H = at('2026-11-23T21:00:00Z'); // Monday 16:00

  it('gives back the share of the penalty when confirmed within the working window', () => {
    const r = breachedAndResolved(at('2026-11-23T18:00:00Z'));
    const confirmed = act(r, { type: 'recovered', recovered: true }, REQUESTER, MISSED_PLUS_3H);
    if (!confirmed.ok) throw new Error(confirmed.error);
    expect(confirmed.value.request.recovery?.credits).toEqual([
      { kind: 'resolution', cycle: 1, amount: 25, unit: 'points', month: '2026-11', at: MISSED_PLUS_3H },
    ]);
    expect(confirmed.value.event).toMatchObject({ recovered: true, credited: -25, unit: 'points' });
  });

  it('gives nothing back outside the window, or when the answer is no', () => {
    const r = breachedAndResolved(at('2026-11-23T18:00:00Z'));
    const late = act(r, { type: 'recovered', recovered: true }, REQUESTER, MISSED_PLUS_5H);
    expect(late.ok && late.value.request.recovery).toEqual({
      confirmed: { recovered: true, by: REQUESTER, at: MISSED_PLUS_5H },
    });
    const no = act(r, { type: 'recovered', recovered: false }, REQUESTER, MISSED_PLUS_3H);
    expect(no.ok && no.value.request.recovery?.credits).toBeUndefined();
  });

  it('counts working time only: a weekend inside the window does not use it up', () => {
    // Missed Friday 16:00 (filed Friday 12:00, due after 4 working hours); confirmed Monday 10:00:
    // 1 + 1 = 2 working hours later, 66 hours by the wall clock.
    const friNoon = at('2026-11-20T17:00:00Z');
    const filed = fileRequest({
      id: 'IT-9',
      number: 9,
      agreement: AGREEMENT,
      customer: 'finance',
      priority: 'P1',
      title: 'Printer',
      description: '',
      requester: REQUESTER,
      at: friNoon,
      calendar: cal,
    });
    if (!filed.ok) throw new Error(filed.error);
    let r = ok(filed.value.request, { type: 'acknowledge' }, AGENT, friNoon + MINUTE_MS);
    const charge = { amount: 50, unit: 'points', n: 1, multiplier: 1, month: '2026-11' };
    r = ok(r, { type: 'breach', kind: 'resolution', charge }, 'kept', at('2026-11-20T21:30:00Z'));
    expect(r.breaches?.resolution?.dueAt).toBe(at('2026-11-20T21:00:00Z'));
    r = ok(r, { type: 'resolve', note: 'Fixed', cause: { category: 'tooling' } }, AGENT, at('2026-11-23T14:30:00Z'));
    const monday10 = at('2026-11-23T15:00:00Z');
    expect(recoveryCredits(r, cal, monday10)).toHaveLength(1);
    // Tuesday 10:00 is 9 working hours after the miss: too late.
    expect(recoveryCredits(r, cal, at('2026-11-24T15:00:00Z'))).toEqual([]);
  });

  it('is given once per breach: a second answer is refused and a credited request earns no more', () => {
    const r = breachedAndResolved(at('2026-11-23T18:00:00Z'));
    const once = ok(r, { type: 'recovered', recovered: true }, REQUESTER, MISSED_PLUS_3H);
    const twice = act(once, { type: 'recovered', recovered: true }, REQUESTER, MISSED_PLUS_3H + MINUTE_MS);
    expect(twice).toMatchObject({ ok: false, error: expect.stringMatching(/already told Kept/) });
    expect(recoveryCredits(once, cal, MISSED_PLUS_3H)).toEqual([]);
  });

  it('skips a waived breach, and a request without the term', () => {
    const r = breachedAndResolved(at('2026-11-23T18:00:00Z'));
    const waived: Request = {
      ...r,
      breaches: { resolution: { ...r.breaches!.resolution!, waived: { by: 'U0FINHEAD', at: 1, reason: 'x' } } },
    };
    expect(recoveryCredits(waived, cal, MISSED_PLUS_3H)).toEqual([]);
    const { recoveryCredit: _t, ...without } = r;
    expect(recoveryCredits(without, cal, MISSED_PLUS_3H)).toEqual([]);
  });
});

describe('recovery_credit in the import file', () => {
  it('is read into the terms, and each bad field is named by its path', () => {
    const company = opsForSales();
    (company.agreements[0] as Record<string, unknown>).recovery_credit = { share: 0.5, within: '4h' };
    const good = validateImport(company, { departments: [], agreements: [] } as never);
    expect(good.ok).toBe(true);
    (company.agreements[0] as Record<string, unknown>).recovery_credit = { share: 1.5, within: 'soon', extra: 1 };
    const bad = validateImport(company, { departments: [], agreements: [] } as never);
    expect(bad.ok ? [] : bad.error).toEqual([
      {
        path: ['agreements', 0, 'recovery_credit', 'share'],
        message: '1.5 is more than 1; a credit gives back at most the whole penalty',
      },
      {
        path: ['agreements', 0, 'recovery_credit', 'within'],
        message: '"soon" is not a duration; use forms like 30m, 4h, 1h30m',
      },
      {
        path: ['agreements', 0, 'recovery_credit'],
        message: '"extra" is not a recovery_credit field; use share, within',
      },
    ]);
  });

  it('round-trips through the written form, so a re-import changes nothing', () => {
    const terms = { ...AGREEMENT, recoveryCredit: { share: 0.5, within: 4 * HOUR_MS } };
    expect(specOfTerms(terms).recovery_credit).toEqual({ share: 0.5, within: '4h' });
    expect(sameTerms(terms, { ...terms, recoveryCredit: { share: 0.25, within: 4 * HOUR_MS } })).toBe(false);
  });
});
