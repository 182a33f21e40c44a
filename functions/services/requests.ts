/**
 * Filing and working requests, shared by every surface (Slack's modal, card buttons, DMs and slash
 * commands today): read the request and the directory, let the domain decide, write under
 * conditions. Nothing here knows Slack: the listener hands the Slack side (card, thread, DMs) to
 * the worker afterwards.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Priority } from '../domain/agreement';
import type { Department } from '../domain/department';
import { filingChoices, findAgreement, findDepartment } from '../domain/directory';
import { maySeeRequest, noSuchRequest } from '../domain/privacy';
import {
  type ActionType,
  fileRequest,
  type Request,
  type RequestAction,
  type RequestEvent,
  type RequestSource,
  requestId,
  rightsOf,
} from '../domain/request';
import { decide, mayAct, missedTargets } from '../domain/request-actions';
import type { TargetKind } from '../domain/target-clock';
import { logger } from '../log';
import { getAgreementVersion } from '../store/agreements';
import type { Db } from '../store/client';
import { deliveryClaimItem, isDelivered } from '../store/deliveries';
import { readDirectory } from '../store/directory';
import { getRequest, saveChange, saveNewRequest, takeNumber } from '../store/requests';
import { backoffMs, WriteConflictError } from '../store/transact';
import { creditLedger, turnedAroundItems, waiverLedger } from './action-effects';
import { calendarOf } from './calendars';
import { destinationOf } from './transfer';

export interface FilingInput {
  user: string;
  agreementId: string;
  priority: Priority;
  title: string;
  description: string;
  source?: RequestSource;
  /** The Slack delivery this filing comes from (`view:<id>`): a re-delivery files nothing. */
  delivery: string;
  now: Date;
}

export type FilingResult =
  | { outcome: 'filed'; request: Request }
  | { outcome: 'duplicate' }
  /** Too many writes to the provider's counters at once for the time Slack gives: nothing was filed. */
  | { outcome: 'busy' }
  | { outcome: 'refused'; field: 'service' | 'priority' | 'title' | 'description'; message: string };

/**
 * How long filing may keep retrying a write that collided with others before it answers "busy":
 * Slack closes the form only if Kept answers within 3 s, and the directory read and a cold start
 * come first.
 */
export const FILING_BUDGET_MS = 1_800;

/**
 * Files a request: one directory read (agreement, provider, calendar), the provider's next number
 * (takeNumber: one atomic add that never conflicts), and one transaction (request, first history
 * line, delivery claim, report counters). When many people file with one provider at once, their
 * transactions collide on its day counter: each tries again after a random pause (full jitter)
 * with the number it holds, and answers `busy` only when Slack's time would run out.
 */
export async function fileFromSlack(db: Db, input: FilingInput): Promise<FilingResult> {
  const dir = await readDirectory(db);
  const choice = filingChoices(dir, input.user).find((c) => c.agreement.id === input.agreementId);
  if (!choice) {
    const record = findAgreement(dir, input.agreementId);
    const message = record?.active
      ? 'You are not in a department this agreement covers, so you cannot file under it. `/sla agreements` shows what binds you.'
      : 'This agreement is no longer in force. Close the form and run `/sla new` again to see the current ones.';
    return { outcome: 'refused', field: 'service', message };
  }
  const { agreement, provider } = choice;
  if (!agreement.targets[input.priority])
    return {
      outcome: 'refused',
      field: 'priority',
      message: `This agreement has no ${input.priority} target; pick one of the priorities listed.`,
    };
  const calendar = calendarOf(provider);
  const started = performance.now();
  let number = await takeNumber(db, provider.id);
  for (let attempt = 0; ; attempt++) {
    const filed = fileRequest({
      id: requestId(provider.prefix, number),
      number,
      agreement,
      customer: choice.customer,
      priority: input.priority,
      title: input.title,
      description: input.description,
      ...(input.source ? { source: input.source } : {}),
      requester: input.user,
      at: input.now.getTime(),
      calendar,
    });
    if (!filed.ok) return { outcome: 'refused', field: 'title', message: filed.error };
    try {
      await saveNewRequest(db, { ...filed.value, claim: deliveryClaimItem(db, input.delivery, input.now) });
      return { outcome: 'filed', request: filed.value.request };
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      const [requestSlot, , claim] = err.reasons;
      if (claim === 'ConditionalCheckFailed') return { outcome: 'duplicate' };
      // The number is taken by a request the sequence did not know of (kept before it existed, or
      // written by hand): take the next. Otherwise another transaction was writing the provider's
      // day counter at that moment: the same items go again after a short, random pause.
      if (requestSlot === 'ConditionalCheckFailed') number = await takeNumber(db, provider.id);
      const pause = backoffMs(attempt);
      if (performance.now() - started + pause > FILING_BUDGET_MS) {
        logger.warn('filing gave up under contention', { provider: provider.id, attempts: attempt + 1 });
        return { outcome: 'busy' };
      }
      await sleep(pause);
    }
  }
}

export type ActResult =
  | { outcome: 'done'; request: Request; event: RequestEvent; provider: Department }
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; message: string };

/**
 * `user` does `action` to request `id`. Reads the request and the directory, lets the domain
 * decide, and writes only if nobody changed the request meanwhile; if someone did, reads again
 * and decides again (so the second of two Resolve clicks is told it is already resolved).
 */
export async function act(
  db: Db,
  input: {
    id: string;
    user: string;
    action: RequestAction;
    delivery?: string;
    now: Date;
    /** KEPT_ADMINS: they may see every request (acting on one still needs the right). */
    admins?: readonly string[];
  },
): Promise<ActResult> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const [dir, request] = await Promise.all([readDirectory(db), getRequest(db, input.id)]);
    // Someone on neither side hears what an unknown ID gets: nothing of the request, not even that it exists.
    if (!request || !maySeeRequest(request, dir, input.user, input.admins ?? []))
      return { outcome: 'refused', message: noSuchRequest(input.id) };
    const provider = findDepartment(dir, request.provider);
    if (!provider)
      return {
        outcome: 'refused',
        message: `${request.id} belongs to a department that no longer exists in Kept; ask a Kept admin.`,
      };
    // A priority change needs the targets of the version the request was filed under (one more read).
    const pinned =
      input.action.type === 'priority'
        ? await getAgreementVersion(db, request.agreementId, request.agreementVersion)
        : undefined;
    const rights = rightsOf(request, provider, input.user, findDepartment(dir, request.customer));
    // A transfer needs where it goes; someone without the right hears that first, from decide.
    const destination = input.action.type === 'transfer' ? destinationOf(dir, request, input.action.to) : undefined;
    if (typeof destination === 'string' && rights.provider) return { outcome: 'refused', message: destination };
    const decided = decide(request, input.action, {
      actor: input.user,
      at: input.now.getTime(),
      calendar: calendarOf(provider),
      rights,
      provider,
      ...(pinned ? { targets: pinned.targets } : {}),
      ...(destination && typeof destination !== 'string' ? { destination } : {}),
    });
    if (!decided.ok) {
      // A re-delivered click or command finds its own change already made: say nothing.
      if (input.delivery && (await isDelivered(db, input.delivery, input.now))) return { outcome: 'duplicate' };
      return { outcome: 'refused', message: decided.error };
    }
    try {
      const extra =
        input.action.type === 'waive'
          ? waiverLedger(db, request, decided.value.request, input.action.kind, input.action.cycle)
          : input.action.type === 'recovered'
            ? [
                ...creditLedger(db, request, decided.value.request),
                ...turnedAroundItems(db, request, decided.value.request, provider),
              ]
            : [];
      await saveChange(db, {
        ...decided.value,
        before: request,
        ...(input.delivery ? { claim: deliveryClaimItem(db, input.delivery, input.now) } : {}),
        extra,
      });
      return { outcome: 'done', ...decided.value, provider };
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      if (err.reasons[2] === 'ConditionalCheckFailed') return { outcome: 'duplicate' };
      // Someone else changed the request: read it again and decide again.
    }
  }
  return {
    outcome: 'refused',
    message: `${input.id} is changing quickly right now; look at the card and try again in a moment.`,
  };
}

export type MayResult =
  | { outcome: 'allowed'; request: Request; provider: Department; missed: TargetKind[] }
  | { outcome: 'refused'; message: string };

/**
 * Whether `user` may do an action of `type` to request `id` now, deciding nothing and writing
 * nothing: for a gesture that only offers the form that does it (✅ offers the Resolve form). Says
 * which targets are missed, so the offer can say a cause will be asked for.
 */
export async function mayDo(
  db: Db,
  input: { id: string; user: string; type: ActionType; now: Date; admins?: readonly string[] },
): Promise<MayResult> {
  const [dir, request] = await Promise.all([readDirectory(db), getRequest(db, input.id)]);
  if (!request || !maySeeRequest(request, dir, input.user, input.admins ?? []))
    return { outcome: 'refused', message: noSuchRequest(input.id) };
  const provider = findDepartment(dir, request.provider);
  if (!provider)
    return {
      outcome: 'refused',
      message: `${request.id} belongs to a department that no longer exists in Kept; ask a Kept admin.`,
    };
  const rights = rightsOf(request, provider, input.user, findDepartment(dir, request.customer));
  const may = mayAct(request, input.type, rights, provider);
  if (!may.ok) return { outcome: 'refused', message: may.error };
  return {
    outcome: 'allowed',
    request,
    provider,
    missed: missedTargets(request, calendarOf(provider), input.now.getTime()),
  };
}
