/**
 * Erasing personal text (`kept erase --user`, and the retention of closed requests): what a person
 * wrote — a request's title and description, notes and replies, a resolution note and cause, a
 * rating's comment, a transfer's or waiver's reason — becomes "(removed)", while everything that is
 * counted stays exactly as it was: statuses, clocks, breaches, amounts, ratings' scores, who did
 * what and when. Pure domain code; the store writes what this returns.
 */
import type { Request, RequestEvent } from './request';

export const REMOVED = '(removed)';

/** Whose text goes: one person's (`kept erase --user`), or everyone's (retention). */
export type EraseScope = { user: string } | { everyone: true };

const covers = (scope: EraseScope, author: string | undefined): boolean =>
  'everyone' in scope || (author !== undefined && author === scope.user);

/** What one erase changed, counted for the person who ran it. */
export interface Erased {
  /** Requests whose title or description went. */
  requestTexts: number;
  /** History lines whose note, cause or files went. */
  notes: number;
  /** Resolution notes, causes, transfer and waiver reasons on the request itself. */
  requestNotes: number;
  ratingComments: number;
}

export const NOTHING_ERASED: Erased = { requestTexts: 0, notes: 0, requestNotes: 0, ratingComments: 0 };

export function addErased(a: Erased, b: Erased): Erased {
  return {
    requestTexts: a.requestTexts + b.requestTexts,
    notes: a.notes + b.notes,
    requestNotes: a.requestNotes + b.requestNotes,
    ratingComments: a.ratingComments + b.ratingComments,
  };
}

const present = (text: string | undefined): text is string => text !== undefined && text !== '' && text !== REMOVED;

/**
 * The request and the history lines with the scope's text removed, and what changed (events lists
 * only the lines that changed). Running it again on its own output changes nothing.
 */
export function eraseText<E extends RequestEvent>(
  request: Request,
  events: readonly E[],
  scope: EraseScope,
): { request: Request; events: E[]; erased: Erased } {
  const erased = { ...NOTHING_ERASED };
  let next: Request = request;
  if (covers(scope, request.requester) && (present(request.title) || present(request.description))) {
    next = { ...next, title: REMOVED, description: present(request.description) ? REMOVED : request.description };
    erased.requestTexts++;
  }
  // The resolution note and cause belong to whoever resolved it last.
  const resolver = [...events].reverse().find((e) => e.type === 'resolve')?.actor;
  if (covers(scope, resolver)) {
    if (present(next.resolutionNote)) {
      next = { ...next, resolutionNote: REMOVED };
      erased.requestNotes++;
    }
    if (next.cause && present(next.cause.text)) {
      next = { ...next, cause: { ...next.cause, text: REMOVED } };
      erased.requestNotes++;
    }
  }
  if (next.rating && covers(scope, next.rating.by) && present(next.rating.better)) {
    next = { ...next, rating: { ...next.rating, better: REMOVED } };
    erased.ratingComments++;
  }
  if (next.transfers?.some((t) => covers(scope, t.by) && present(t.reason))) {
    next = {
      ...next,
      transfers: next.transfers.map((t) => (covers(scope, t.by) && present(t.reason) ? { ...t, reason: REMOVED } : t)),
    };
    erased.requestNotes++;
  }
  const breaches = next.breaches;
  if (breaches) {
    const kinds = (['response', 'resolution'] as const).filter((k) => {
      const w = breaches[k]?.waived;
      return w !== undefined && covers(scope, w.by) && present(w.reason);
    });
    if (kinds.length > 0) {
      const out = { ...breaches };
      for (const k of kinds) out[k] = { ...out[k]!, waived: { ...out[k]!.waived!, reason: REMOVED } };
      next = { ...next, breaches: out };
      erased.requestNotes += kinds.length;
    }
  }
  // Earlier cycles' waivers (a reopen moved their breach there).
  if (
    next.cycles?.some((c) => c.breach?.waived && covers(scope, c.breach.waived.by) && present(c.breach.waived.reason))
  ) {
    next = {
      ...next,
      cycles: next.cycles.map((c) =>
        c.breach?.waived && covers(scope, c.breach.waived.by) && present(c.breach.waived.reason)
          ? { ...c, breach: { ...c.breach, waived: { ...c.breach.waived, reason: REMOVED } } }
          : c,
      ),
    };
    erased.requestNotes++;
  }
  const changed: E[] = [];
  for (const e of events) {
    if (!covers(scope, e.actor)) continue;
    const note = present(e.note);
    const cause = e.cause !== undefined && present(e.cause.text);
    const files = (e.files?.length ?? 0) > 0;
    if (!note && !cause && !files) continue;
    const line: E = { ...e };
    if (note) line.note = REMOVED;
    if (cause) line.cause = { ...e.cause!, text: REMOVED };
    if (files) line.files = [];
    changed.push(line);
    erased.notes++;
  }
  return { request: next, events: changed, erased };
}

/** One line for the person who ran the erase, saying what went and what stayed. */
export function describeErased(who: string, e: Erased, kudos: number): string {
  const parts = [
    [e.requestTexts, 'request title and description', 'request titles and descriptions'],
    [e.notes, 'history note or reply', 'history notes and replies'],
    [e.requestNotes, 'resolution note, cause or reason', 'resolution notes, causes and reasons'],
    [e.ratingComments, 'rating comment', 'rating comments'],
    [kudos, 'kudos message', 'kudos messages'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  if (said.length === 0) return `Nothing of ${who}'s text was left to remove.`;
  return `Removed ${who}'s text: ${said.join(', ')}. Counts, breaches, ratings and the penalty ledger are unchanged.`;
}
