/**
 * Changing a request's priority (request-actions.ts `priority`, target-clock.ts `retargetClock`):
 * due times counted again from the filing under the new targets, paused time still left out, a
 * miss never undone, a miss the new priority would have made earlier found by the next scan at its
 * true instant, the originals kept; the requester only asks. Mon-Fri 09:00-17:00 in New York,
 * November 2026 (EST: 09:00 = 14:00Z).
 */
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  type Request,
  type RequestAction,
  type RequestEvent,
  rightsOf,
  SYSTEM_ACTOR,
  SYSTEM_RIGHTS,
} from '../../../functions/domain/request';
import { decide } from '../../../functions/domain/request-actions';
import { clockAt, dueIfResumedAt } from '../../../functions/domain/target-clock';
import { findingsAt, nextWatch } from '../../../functions/domain/watch';
import { AGENT, AGREEMENT, cal, FINANCE, fileOf, IT, REQUESTER } from './histories';

const at = (iso: string) => Date.parse(iso);
// Monday 16 November 2026, 09:00 in New York. P2: answer in 4h, solve in 16h; P1: 30m and 4h.
const MON = at('2026-11-16T14:00:00Z');

const filed = (priority: 'P1' | 'P2' | 'P3' = 'P2'): Request =>
  fileOf({ start: MON, priority, steps: [] } as unknown as Parameters<typeof fileOf>[0]).request;

function attempt(request: Request, action: RequestAction, actor: string, when: number, system = false) {
  return decide(request, action, {
    actor,
    at: when,
    calendar: cal,
    rights: system ? SYSTEM_RIGHTS : rightsOf(request, IT, actor, FINANCE),
    provider: IT,
    targets: AGREEMENT.targets,
  });
}

function act(request: Request, action: RequestAction, actor: string, when: number, system = false) {
  const r = attempt(request, action, actor, when, system);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value;
}

const toP1 = (reason = 'The whole floor is offline.'): RequestAction => ({ type: 'priority', priority: 'P1', reason });

/** What the scan does now: records the first finding (breach or warning) until there is none. */
function scan(request: Request, now: number): Request {
  let r = request;
  for (let f = findingsAt(r, cal, now)[0]; f; f = findingsAt(r, cal, now)[0]) {
    const action: RequestAction =
      f.type === 'breach'
        ? {
            type: 'breach',
            kind: f.kind,
            charge: { amount: 10, unit: 'points', n: 1, multiplier: 1, month: '2026-11' },
          }
        : f.type === 'warn'
          ? { type: 'warn', kind: f.kind }
          : { type: 'close' };
    r = act(r, action, SYSTEM_ACTOR, now, true).request;
  }
  return r;
}

describe('changing the priority', () => {
  it('before any miss: due times are counted again from the filing, the originals are kept', () => {
    const request = filed('P2');
    const { request: changed, event } = act(request, toP1(), AGENT, MON + 10 * MINUTE_MS);
    expect(changed.priority).toBe('P1');
    // P1 from 09:00: answer by 09:30, solve by 13:00.
    expect(clockAt(cal, changed.clocks.response, MON + 10 * MINUTE_MS).due).toBe(MON + 30 * MINUTE_MS);
    expect(clockAt(cal, changed.clocks.resolution, MON + 10 * MINUTE_MS).due).toBe(MON + 4 * HOUR_MS);
    // The originals: P2 from 09:00, answer by 13:00, solve by Tuesday 17:00.
    expect(changed.original).toEqual({
      priority: 'P2',
      due: { response: MON + 4 * HOUR_MS, resolution: at('2026-11-17T22:00:00Z') },
    });
    expect(event).toMatchObject<Partial<RequestEvent>>({
      type: 'priority',
      actor: AGENT,
      priority: 'P1',
      previousPriority: 'P2',
      note: 'The whole floor is offline.',
      seq: request.rev + 1,
    });
    expect(event.asked).toBeUndefined();
  });

  it('a second change keeps the first originals', () => {
    const once = act(filed('P2'), toP1(), AGENT, MON + MINUTE_MS).request;
    const twice = act(
      once,
      { type: 'priority', priority: 'P3', reason: 'Not urgent after all.' },
      AGENT,
      MON + 2 * MINUTE_MS,
    ).request;
    expect(twice.priority).toBe('P3');
    expect(twice.original).toEqual(once.original);
  });

  it('a target the new priority would have missed earlier is breached at its true instant by the next scan', () => {
    const request = filed('P2');
    // At 10:00 the request becomes P1: its 30-minute answer was due at 09:30.
    const now = MON + HOUR_MS;
    const changed = act(request, toP1(), AGENT, now).request;
    expect(nextWatch(changed)).toBeLessThanOrEqual(now);
    const scanned = scan(changed, now + MINUTE_MS);
    expect(scanned.breaches?.response?.dueAt).toBe(MON + 30 * MINUTE_MS);
    expect(scanned.breaches?.resolution).toBeUndefined();
  });

  it('an answer given in time under the old priority but late under the new one is a breach at the new due instant', () => {
    const acked = act(filed('P2'), { type: 'acknowledge' }, AGENT, MON + HOUR_MS).request;
    const changed = act(acked, toP1(), AGENT, MON + 2 * HOUR_MS).request;
    expect(clockAt(cal, changed.clocks.response, MON + 2 * HOUR_MS).metLate).toBe(true);
    expect(scan(changed, MON + 2 * HOUR_MS).breaches?.response?.dueAt).toBe(MON + 30 * MINUTE_MS);
  });

  it('after a breach: the breach stays recorded and charged, and the clock stays missed under a longer target', () => {
    // Filed P1; the answer was due 09:30 and missed; the scan charged it at 10:00.
    const breached = scan(filed('P1'), MON + HOUR_MS);
    expect(breached.breaches?.response?.dueAt).toBe(MON + 30 * MINUTE_MS);
    const { request: changed } = act(
      breached,
      { type: 'priority', priority: 'P3', reason: 'Misfiled.' },
      AGENT,
      MON + 2 * HOUR_MS,
    );
    expect(changed.breaches).toEqual(breached.breaches);
    const view = clockAt(cal, changed.clocks.response, MON + 2 * HOUR_MS);
    expect(view.status).toBe('breached');
    expect(view.breachedAt).toBe(MON + 30 * MINUTE_MS);
    // Nothing new to record for the response; the resolution runs under P3 (40h) from the filing:
    // 8h Monday to Thursday, 7h on Friday (lunch), so Monday 23rd at 10:00.
    expect(findingsAt(changed, cal, MON + 2 * HOUR_MS)).toEqual([]);
    expect(clockAt(cal, changed.clocks.resolution, MON + 2 * HOUR_MS).due).toBe(at('2026-11-23T15:00:00Z'));
  });

  it('a miss the scan has not recorded yet is not undone by a longer target', () => {
    // Filed P1 at 09:00; by 10:00 the answer is late, unrecorded; then made P2 (4h).
    const changed = act(
      filed('P1'),
      { type: 'priority', priority: 'P2', reason: 'Only one laptop.' },
      AGENT,
      MON + HOUR_MS,
    ).request;
    expect(clockAt(cal, changed.clocks.response, MON + HOUR_MS).status).toBe('breached');
    expect(scan(changed, MON + HOUR_MS).breaches?.response?.dueAt).toBe(MON + 30 * MINUTE_MS);
  });

  it('while paused: paused time is still left out, the clock stays paused', () => {
    // P2 filed 09:00, waiting on the requester from 10:00 (answered in time: 1h), changed at 15:00 to P1.
    const paused = act(filed('P2'), { type: 'pause', note: 'Which model?' }, AGENT, MON + HOUR_MS).request;
    const changed = act(paused, toP1(), AGENT, MON + 6 * HOUR_MS).request;
    expect(changed.status).toBe('waiting_on_requester');
    expect(changed.clocks.resolution.state).toBe('paused');
    // 1h of P1's 4h used; resumed on Tuesday 09:00, it falls due at 12:00.
    const tue = at('2026-11-17T14:00:00Z');
    expect(dueIfResumedAt(cal, changed.clocks.resolution, tue)).toBe(tue + 3 * HOUR_MS);
    // The answer came after 1h; P1 wanted it in 30m: breached at 09:30.
    expect(scan(changed, MON + 6 * HOUR_MS).breaches?.response?.dueAt).toBe(MON + 30 * MINUTE_MS);
    const resumed = act(changed, { type: 'resume' }, REQUESTER, tue).request;
    expect(clockAt(cal, resumed.clocks.resolution, tue).due).toBe(tue + 3 * HOUR_MS);
  });

  it('the requester asks: a history line for the provider, nothing else changes', () => {
    const request = filed('P2');
    const { request: after, event } = act(request, toP1(), REQUESTER, MON + MINUTE_MS);
    expect(after.priority).toBe('P2');
    expect(after.clocks).toEqual(request.clocks);
    expect(after.original).toBeUndefined();
    expect(event).toMatchObject({ type: 'priority', priority: 'P1', previousPriority: 'P2', asked: true });
  });

  it.each<[string, RequestAction, string, RegExp]>([
    ['the same priority', { type: 'priority', priority: 'P2', reason: 'x' }, AGENT, /IT-1 is already P2\./],
    [
      'a priority the agreement has no target for',
      { type: 'priority', priority: 'P4', reason: 'x' },
      AGENT,
      /no P4 target; pick one of P1, P2, P3/,
    ],
    ['an empty reason', toP1('   '), AGENT, /Say why IT-1 should be P1/],
    ['someone outside both sides', toP1(), 'U0STRANGER', /Only IT and the person who filed IT-1/],
  ])('refuses %s in one line, changing nothing', (_what, action, actor, message) => {
    const request = filed('P2');
    const r = attempt(request, action, actor, MON + MINUTE_MS);
    if (r.ok) throw new Error('accepted');
    expect(r.error).toMatch(message);
    expect(r.error).not.toContain('\n');
  });

  it('refuses once the request is resolved', () => {
    const resolved = act(filed('P2'), { type: 'resolve', note: 'Done.' }, AGENT, MON + HOUR_MS).request;
    const r = attempt(resolved, toP1(), AGENT, MON + 2 * HOUR_MS);
    expect(r.ok).toBe(false);
  });
});
