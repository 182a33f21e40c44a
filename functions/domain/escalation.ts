/**
 * Escalation ladders: the steps an agreement sets between filing and a breach (at a share of a
 * target used, or unacknowledged for a working duration), when each step of a request falls due
 * and which have fired. A step fires once per request and target cycle, at its true instant in
 * the provider's working time. Pure domain code; the scan records a fired step with the
 * `escalate` action (request-actions.ts) and the worker tells the people named. Semantics:
 * docs/breaches.md.
 */
import type { EscalationStep } from './agreement';
import type { Calendar } from './calendar';
import type { Request, RequestStatus } from './request';
import type { TargetClock, TargetKind } from './target-clock';
import { addWorkingTime } from './working-time';

const KINDS: readonly TargetKind[] = ['response', 'resolution'];
/** request.ts LIVE_STATUSES (not imported: request.ts imports this module). */
const LIVE: readonly RequestStatus[] = [
  'open',
  'acknowledged',
  'waiting_on_requester',
  'waiting_on_third_party',
  'reopened',
];

/** One step of one request that has not fired yet, and the instant it falls due. */
export interface PendingStep {
  /** Its key in `request.escalated`: `2` for an unacknowledged step, `0:response` for a share of a target. */
  key: string;
  index: number;
  step: EscalationStep;
  /** The target it watches: `response` for an unacknowledged step. */
  kind: TargetKind;
  at: number;
}

export const stepKey = (index: number, step: EscalationStep, kind: TargetKind): string =>
  step.unacknowledgedFor !== undefined ? `${index}` : `${index}:${kind}`;

/** The instant a running clock has used `mark` working ms (at once, when it has already). */
function markInstant(calendar: Calendar, clock: TargetClock, mark: number): number | null {
  if (clock.state !== 'running' || clock.runningSince === null) return null;
  return clock.usedBefore >= mark
    ? clock.runningSince
    : addWorkingTime(calendar, clock.runningSince, mark - clock.usedBefore);
}

/**
 * The steps of `request`'s ladder that have not fired and can still fire, with their instants:
 * only while the request is live and the clock watched is running; an unacknowledged step until
 * the request is acknowledged; a share of a target until that target is met or its breach recorded.
 */
export function pendingSteps(request: Request, calendar: Calendar): PendingStep[] {
  const ladder = request.ladder ?? [];
  if (ladder.length === 0 || !LIVE.includes(request.status)) return [];
  const out: PendingStep[] = [];
  ladder.forEach((step, index) => {
    if (step.unacknowledgedFor !== undefined) {
      if (request.acknowledgedAt !== undefined) return;
      const key = stepKey(index, step, 'response');
      const at = markInstant(calendar, request.clocks.response, step.unacknowledgedFor);
      if (request.escalated?.[key] === undefined && at !== null) out.push({ key, index, step, kind: 'response', at });
      return;
    }
    for (const kind of step.target ? [step.target] : KINDS) {
      const key = stepKey(index, step, kind);
      const clock = request.clocks[kind];
      if (request.escalated?.[key] !== undefined || request.breaches?.[kind] || clock.breachedAt !== null) continue;
      const at = markInstant(calendar, clock, Math.ceil((step.at ?? 1) * clock.target));
      if (at !== null) out.push({ key, index, step, kind, at });
    }
  });
  return out.sort((a, b) => a.at - b.at || a.index - b.index);
}

/** The instant of the next step to fire, or undefined when none is left (kept on the request for the scan's index). */
export function nextStepAt(request: Request, calendar: Calendar): number | undefined {
  return pendingSteps(request, calendar)[0]?.at;
}

/** Forgets the fired steps that watch `kind`: a reopened target starts a new cycle of its ladder. */
export function forgetSteps(escalated: Request['escalated'], kind: TargetKind): Request['escalated'] {
  if (!escalated) return undefined;
  const kept = Object.fromEntries(Object.entries(escalated).filter(([key]) => !key.endsWith(`:${kind}`)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}
