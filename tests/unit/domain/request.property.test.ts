/**
 * The request state machine under random use: random actions by random people at random,
 * mostly increasing instants over weeks, on a Mon-Fri working-hours calendar. Refused actions
 * are skipped; after every step the request must still make sense. Transfers are carried out: IT
 * hands the request to People Operations (London hours, ./histories.ts) and back, and its people
 * stand in for IT's while it is there. Only what people do: Kept's
 * own actions (warn, breach) and a customer head's waiver are in watch.test.ts and stats.test.ts.
 */
import fc from 'fast-check';
import type { AgreementVersion } from '../../../functions/domain/agreement';
import { compileCalendar } from '../../../functions/domain/calendar';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import {
  ACTION_TYPES,
  type ActionType,
  CAUSE_CATEGORIES,
  clocksAt,
  fileRequest,
  nextDue,
  REQUEST_STATUSES,
  type Request,
  type RequestAction,
  type RequestStatus,
  rightsOf,
} from '../../../functions/domain/request';
import { actionsFor, decide, missedTargets, RULES } from '../../../functions/domain/request-actions';
import type { TargetKind } from '../../../functions/domain/target-clock';
import { department } from '../../support/departments';
import { HR, HR_AGENT, HR_HEAD, AGREEMENT as SHARED_AGREEMENT, sideOf } from './histories';

const cal = compileCalendar({
  timezone: 'America/New_York',
  hours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-12:00,13:00-17:00',
  },
});

const HEAD = 'U0ITHEAD';
const AGENT = 'U0ITAGENT';
const OTHER = 'U0ITOTHER';
const OUTSIDER = 'U0FINREQ';
const STRANGER = 'U0STRANGER';
const IT = department('it', 'IT', [HEAD], { members: [AGENT, OTHER] });
const FINANCE = department('finance', 'Finance', ['U0FINHEAD'], { members: [OUTSIDER] });

/** Who among people may take an action (closing is the requester's; Kept also closes after 7 days). */
const peopleWho = (t: ActionType) => (RULES[t].who === 'requesterOrSystem' ? 'requester' : RULES[t].who);

/** What people do (not Kept's warn and breach, nor a customer head's waive). */
const USER_ACTIONS: readonly ActionType[] = ACTION_TYPES.filter((t) => {
  const who = peopleWho(t);
  return who === 'provider' || who === 'requester' || who === 'either';
});

/** The shared agreement (./histories.ts) without tiers or cap: penalties play no part here. */
const AGREEMENT: AgreementVersion = { ...SHARED_AGREEMENT, penalty: { unit: 'points', perBreach: 10, tiers: [] } };

type Role = 'provider' | 'requester' | 'neither';
const ASSIGNEES = [AGENT, OTHER, HEAD, STRANGER];

// Usually an action the card would show for the current status ('fitting', picked with `pick`),
// sometimes any action; the actor is usually someone the rules allow, sometimes anyone. Actions
// that end a request (cancel, close) are rarer, so histories get long enough to reach every status.
const actionType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('fitting' as const) },
  { weight: 1, arbitrary: fc.constantFrom<ActionType>('cancel', 'close') },
  // Handing over is tried often enough that requests go back and forth.
  { weight: 1, arbitrary: fc.constant<ActionType>('transfer') },
  { weight: 3, arbitrary: fc.constantFrom(...USER_ACTIONS.filter((t) => t !== 'cancel' && t !== 'close')) },
);

const step = fc.record({
  type: actionType,
  role: fc.oneof(
    { weight: 3, arbitrary: fc.constant('fitting' as const) },
    { weight: 1, arbitrary: fc.constantFrom<Role>('provider', 'requester', 'neither') },
  ),
  providerActor: fc.constantFrom(HEAD, AGENT, OTHER),
  // Mostly minutes to hours apart, sometimes days (weekends included); now and then stamped a
  // little before the previous action (clock skew between machines).
  gap: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 8 * 60 }) },
    { weight: 3, arbitrary: fc.integer({ min: 8 * 60, max: 4 * 24 * 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: -30, max: -1 }) },
  ),
  pick: fc.nat({ max: 7 }),
  /** Chooses the payload: assignee, empty or long notes, rating scores (-1..6). */
  detail: fc.nat({ max: 7 }),
});

const scenario = fc.record({
  // Any minute of 2026.
  start: fc
    .integer({
      min: Date.parse('2026-01-01T00:00:00Z') / MINUTE_MS,
      max: Date.parse('2026-12-31T00:00:00Z') / MINUTE_MS,
    })
    .map((m) => m * MINUTE_MS),
  priority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const),
  // The requester is sometimes in IT themselves (then they are both provider and requester).
  requesterInIt: fc.boolean(),
  steps: fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }),
});

/** IT's people as a step names them, stood in for by People Operations' while it has the request. */
const personAt = (request: Request, person: string) =>
  request.provider !== HR.id ? person : person === HEAD ? HR_HEAD : person === AGENT ? HR_AGENT : person;

function payload(type: ActionType, detail: number, request: Request): RequestAction {
  switch (type) {
    case 'assign':
      return { type, assignee: personAt(request, ASSIGNEES[detail % ASSIGNEES.length]!) };
    case 'resolve':
      // Sometimes with the cause a missed target needs (refused without one when a target was missed).
      return {
        type,
        note: detail === 0 ? ' ' : 'Done.',
        ...(detail >= 4
          ? { cause: { category: CAUSE_CATEGORIES[detail % CAUSE_CATEGORIES.length]!, text: ' Short-handed. ' } }
          : {}),
      };
    case 'comment':
      return { type, note: detail === 0 ? '' : 'Any news?' };
    case 'rate':
      return { type, score: detail - 1, ...(detail % 2 ? { better: 'Sooner.' } : {}) };
    case 'priority':
      // P4 is not in the agreement; an empty reason is refused.
      return {
        type,
        priority: (['P1', 'P2', 'P3', 'P4'] as const)[detail % 4]!,
        reason: detail === 0 ? ' ' : 'Urgent.',
      };
    case 'transfer':
      // To the other department; now and then to the one it is with, or without a reason (refused).
      return {
        type,
        to: detail === 1 ? request.provider : request.provider === HR.id ? 'it' : HR.id,
        reason: detail === 0 ? ' ' : 'Belongs there.',
      };
    default:
      return detail === 7 ? ({ type, note: 'n'.repeat(1001) } as RequestAction) : ({ type } as RequestAction);
  }
}

/** One of the user actions the status allows, cancel and close less often than the rest. */
function fittingAction(status: RequestStatus, pick: number): ActionType {
  const fits = actionsFor(status).filter((t) => USER_ACTIONS.includes(t));
  if (fits.length === 0) return USER_ACTIONS[pick % USER_ACTIONS.length]!;
  const common = fits.filter((t) => t !== 'cancel' && t !== 'close');
  return pick === 7 || common.length === 0 ? fits[pick % fits.length]! : common[pick % common.length]!;
}

/** A plain assertion: expect() is too slow for thousands of checks per run. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const KINDS: readonly TargetKind[] = ['response', 'resolution'];

describe('random use of a request', () => {
  it('keeps the status, revision and clocks consistent after every step', () => {
    let transfers = 0;
    fc.assert(
      fc.property(scenario, ({ start, priority, requesterInIt, steps }) => {
        const requester = requesterInIt ? OTHER : OUTSIDER;
        const filed = fileRequest({
          id: 'IT-1',
          number: 1,
          agreement: AGREEMENT,
          customer: 'finance',
          priority,
          title: 'Laptop',
          description: '',
          requester,
          at: start,
          calendar: cal,
        });
        if (!filed.ok) throw new Error(filed.error);
        let request: Request = filed.value.request;
        let accepted = 0;
        let now = start;
        const used = { response: 0, resolution: 0 };
        for (const s of steps) {
          now += s.gap * MINUTE_MS;
          const type = s.type !== 'fitting' ? s.type : fittingAction(request.status, s.pick);
          const role: Role =
            s.role !== 'fitting'
              ? s.role
              : peopleWho(type) === 'requester'
                ? 'requester'
                : peopleWho(type) === 'provider'
                  ? 'provider'
                  : s.pick % 2
                    ? 'provider'
                    : 'requester';
          const actor =
            role === 'provider'
              ? personAt(request, requesterInIt && s.providerActor === OTHER ? AGENT : s.providerActor)
              : role === 'requester'
                ? requester
                : STRANGER;
          const side = sideOf(request);
          const cal = side.calendar;
          const rights = rightsOf(request, side.department, actor, FINANCE);
          check(
            rights.customerHead === false && rights.system === false,
            `${actor} got rights only a customer head or Kept has`,
          );
          const action = payload(type, s.detail, request);
          const before = request;
          const snapshot = JSON.stringify(before);
          // Throws fail the property: decide must never throw.
          const r = decide(request, action, {
            actor,
            at: now,
            calendar: cal,
            rights,
            provider: side.department,
            targets: side.department.id === IT.id ? AGREEMENT.targets : side.agreement.targets,
            ...(action.type === 'transfer' ? { destination: sideOf({ provider: action.to }) } : {}),
          });
          check(JSON.stringify(before) === snapshot, `${type} changed the request it was given`);
          if (r.ok) {
            const rule = RULES[type];
            // Accepted only when the rules allow it.
            check(rule.from.includes(before.status), `${type} accepted from ${before.status}`);
            const who = peopleWho(type);
            check(
              who === 'provider'
                ? rights.provider
                : who === 'requester'
                  ? rights.requester
                  : who === 'either' && (rights.provider || rights.requester),
              `${type} accepted from ${role} ${actor}`,
            );
            accepted++;
            request = r.value.request;
            const e = r.value.event;
            // The revision grows by exactly one per accepted action, and the history line carries it.
            check(request.rev === before.rev + 1, `rev went from ${before.rev} to ${request.rev} on ${type}`);
            check(
              e.seq === request.rev && e.from === before.status && e.to === request.status,
              `event ${JSON.stringify(e)} after rev ${request.rev}, ${before.status} -> ${request.status}`,
            );
            check(request.updatedAt >= before.updatedAt, 'updatedAt went back');
            // Nobody clicking records warnings or breaches; a reopen moves the resolution's into the cycle it ends.
            if (action.type === 'reopen') {
              const ended = request.cycles?.at(-1);
              check(
                request.cycles?.length === (before.cycles?.length ?? 0) + 1 &&
                  ended?.n === request.cycles.length &&
                  ended.endedAt === e.at &&
                  JSON.stringify(ended.breach) === JSON.stringify(before.breaches?.resolution) &&
                  JSON.stringify(request.breaches?.response) === JSON.stringify(before.breaches?.response) &&
                  request.breaches?.resolution === undefined &&
                  request.warned?.resolution === undefined &&
                  request.warned?.response === before.warned?.response,
                `reopen: ${JSON.stringify({ before: before.breaches, after: request.breaches, cycles: request.cycles })}`,
              );
              const c = request.clocks.resolution;
              check(
                c.usedBefore === 0 && c.runningSince === e.at,
                `resolution clock after reopen ${JSON.stringify(c)}`,
              );
              used.resolution = 0;
            } else
              check(
                JSON.stringify(request.warned) === JSON.stringify(before.warned) &&
                  JSON.stringify(request.breaches) === JSON.stringify(before.breaches),
                `${type} changed warnings or breaches`,
              );
            if (action.type === 'transfer') {
              transfers++;
              // With the other department now, open, its clocks starting afresh at the transfer; the share it left frozen.
              const handed = request.transfers ?? [];
              check(
                request.provider === action.to &&
                  request.status === 'open' &&
                  request.assignee === undefined &&
                  handed.length === (before.transfers ?? []).length + 1 &&
                  handed.at(-1)?.from === before.provider &&
                  handed.at(-1)?.agreementId === before.agreementId,
                `transfer: ${JSON.stringify({ provider: request.provider, status: request.status, handed })}`,
              );
              for (const k of KINDS) {
                const c = request.clocks[k];
                check(c.startedAt === e.at && c.usedBefore === 0, `${k} clock after transfer ${JSON.stringify(c)}`);
                used[k] = 0;
              }
            }
            if (action.type === 'resolve') {
              const missed = missedTargets(before, cal, e.at);
              // A resolve without a cause goes through only when no target was missed; a cause given is kept.
              if (!action.cause)
                check(missed.length === 0, `resolved without a cause though ${missed.join(', ')} missed`);
              else
                check(
                  request.cause?.category === action.cause.category &&
                    request.cause.text === 'Short-handed.' &&
                    e.cause?.category === action.cause.category,
                  `cause not kept: ${JSON.stringify(request.cause)}`,
                );
            }
          } else {
            check(!r.error.includes('\n'), `refusal on two lines: ${r.error}`);
            check(request === before, 'a refusal changed the request');
            // A refused resolve with a note, by the provider, from a live status: a target was missed and no cause given.
            if (
              action.type === 'resolve' &&
              action.note.trim() &&
              rights.provider &&
              RULES.resolve.from.includes(before.status) &&
              !action.cause
            ) {
              check(
                missedTargets(before, cal, Math.max(now, before.updatedAt)).length > 0 && r.error.includes('cause'),
                `resolve refused: ${r.error}`,
              );
            }
          }
          const { status } = request;
          check(REQUEST_STATUSES.includes(status), `unknown status ${status}`);
          check(request.rev === 1 + accepted, `rev ${request.rev} after ${accepted} accepted actions`);
          const { response, resolution } = request.clocks;
          if (status !== 'open' && status !== 'cancelled')
            check(response.state === 'met', `response ${response.state} while ${status}`);
          if (status === 'open') check(response.state === 'running', `response ${response.state} while open`);
          check(
            (resolution.state === 'met') === (status === 'resolved' || status === 'closed'),
            `resolution ${resolution.state} while ${status}`,
          );
          if (status === 'waiting_on_requester') {
            check(resolution.state === 'paused', `resolution ${resolution.state} while waiting on the requester`);
            check(
              request.resumeTo === 'acknowledged' || request.resumeTo === 'reopened',
              `resumeTo ${request.resumeTo}`,
            );
          } else {
            check(request.resumeTo === undefined, `resumeTo ${request.resumeTo} while ${status}`);
          }
          if (status === 'cancelled')
            for (const k of KINDS) check(request.clocks[k].state !== 'running', `${k} running after cancel`);
          for (const k of KINDS) {
            const c = request.clocks[k];
            check(c.usedBefore >= used[k], `${k} usedBefore went from ${used[k]} to ${c.usedBefore}`);
            check(c.lastEventAt <= request.updatedAt, `${k} changed after the request's last change`);
            used[k] = c.usedBefore;
          }
          // Reading the clocks never throws, and elapsed time never goes down as time passes. (Read
          // at the last change at the earliest: before it, clockAt shows the clocks as they were.)
          const readAt = Math.max(now, request.updatedAt);
          const calendarNow = sideOf(request).calendar;
          const views = clocksAt(request, calendarNow, readAt);
          const later = clocksAt(request, calendarNow, readAt + 3 * 24 * HOUR_MS);
          for (const k of KINDS) check(later[k].elapsed >= views[k].elapsed, `${k} elapsed went down`);
          const due = nextDue(request, calendarNow, readAt);
          if (due !== null)
            check(
              request.clocks[due.kind].state === 'running',
              `nextDue picked the ${due.kind} clock, which is ${request.clocks[due.kind].state}`,
            );
        }
      }),
      { numRuns: 200 },
    );
    // Requests really change hands in these histories (no scan records a miss here, so a missed target
    // refuses many). Over 200 random histories the count ran 25-44 in twelve runs (mean ~36): a floor
    // of 25 failed about one run in twenty; 10 still proves transfers are exercised, ~4 deviations down.
    expect(transfers).toBeGreaterThan(10);
  });
});
