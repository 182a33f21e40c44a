/**
 * Someone left Slack (their account was deactivated; the `person.left` work item). Kept stops
 * counting them: they are taken off every department's heads, members and user-group members; the
 * live requests assigned to them go back to their department's queue, and the card's thread tells
 * the channel so someone takes them; proposals they were to answer are DMed to whoever answers now
 * (the department's other heads, or the Kept admins once it has none). Each step finds what is left
 * to do, so a redelivered item, or one that failed half-way, finishes the work without doing any
 * of it twice. Their own requests stay theirs (the history keeps who filed them).
 */
import { type Department, withoutPerson } from '../domain/department';
import { departmentsOf } from '../domain/directory';
import { answerers } from '../domain/proposal';
import { SYSTEM_ACTOR, SYSTEM_RIGHTS } from '../domain/request';
import { decide } from '../domain/request-actions';
import { logger } from '../log';
import { calendarOf } from '../services/calendars';
import { notifyProposal } from '../slack/notify-agreements';
import { announceRequest } from '../slack/notify-requests';
import { saveDepartment } from '../store/departments';
import { readDirectory } from '../store/directory';
import { getRequest, queueOf, saveChange } from '../store/requests';
import { WriteConflictError } from '../store/transact';
import type { WorkDeps } from './work';

export interface PersonLeft {
  departments: string[];
  unassigned: string[];
  proposals: string[];
}

const ATTEMPTS = 8;

export async function personLeft(deps: WorkDeps, user: string): Promise<PersonLeft> {
  const now = deps.now ?? (() => new Date());
  const before = await readDirectory(deps.db);
  const was = departmentsOf(before, user);
  // The proposals they would have answered, worked out before they leave the departments.
  const proposals = before.agreements.flatMap((a) =>
    a.pending && answerers(before, deps.admins, a.pending).includes(user) ? [a.pending] : [],
  );
  const departments = await leaveDepartments(deps, user);

  const unassigned: string[] = [];
  for (const dept of was)
    for (const request of await queueOf(deps.db, dept.id)) {
      if (request.assignee !== user) continue;
      if (await unassign(deps, request.id, user, now())) unassigned.push(request.id);
      await announceRequest({ ...deps, now }, request.id);
    }

  for (const p of proposals) await notifyProposal(deps, p.id, p.version);
  logger.info('a person left Slack; Kept no longer counts them', {
    user,
    departments,
    unassigned: unassigned.length,
    proposals: proposals.length,
  });
  return { departments, unassigned, proposals: proposals.map((p) => `${p.id} v${p.version}`) };
}

/** Takes `user` off each department they are in, one directory revision at a time. */
async function leaveDepartments(deps: WorkDeps, user: string): Promise<string[]> {
  const left: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS * 4; attempt++) {
    const dir = await readDirectory(deps.db);
    const dept: Department | undefined = departmentsOf(dir, user)[0];
    if (!dept) return left;
    try {
      // The audit trail names Kept: Slack said the person left; nobody decided it.
      await saveDepartment(deps.db, withoutPerson(dept, user), 'update', dir.rev, {
        by: SYSTEM_ACTOR,
        at: (deps.now ?? (() => new Date()))().toISOString(),
        before: dept,
      });
      left.push(dept.id);
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err; // someone changed the directory: read again
    }
  }
  throw new Error(`could not take ${user} off their departments: the directory kept changing`);
}

/** The request without its assignee, if it still has `user` assigned. */
async function unassign(deps: WorkDeps, id: string, user: string, at: Date): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [dir, request] = await Promise.all([readDirectory(deps.db), getRequest(deps.db, id)]);
    if (!request || request.assignee !== user) return false;
    const provider = dir.departments.find((d) => d.id === request.provider);
    if (!provider) return false;
    const decided = decide(
      request,
      { type: 'unassign' },
      { actor: SYSTEM_ACTOR, at: at.getTime(), calendar: calendarOf(provider), rights: SYSTEM_RIGHTS, provider },
    );
    if (!decided.ok) return false;
    try {
      await saveChange(deps.db, { before: request, ...decided.value });
      return true;
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
    }
  }
  return false;
}
