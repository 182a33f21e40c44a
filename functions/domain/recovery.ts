/**
 * Service recovery after a miss (docs/breaches.md "Recovery"): the apology Kept drafts for the
 * provider to edit and send. Pure domain code: plain text, no Slack markup (the views escape it).
 */
import { HOUR_MS, MINUTE_MS } from './duration';
import type { Request } from './request';
import type { TargetKind } from './target-clock';

/** The longest apology a provider may send (a history note). */
export { NOTE_MAX as APOLOGY_MAX } from './request';

/** `3 hours`, `1 hour 20 minutes`, `45 minutes`: working time as a person says it. */
export function lateText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE_MS));
  const h = Math.floor((minutes * MINUTE_MS) / HOUR_MS);
  const m = minutes % 60;
  const hours = h === 1 ? '1 hour' : `${h} hours`;
  const mins = m === 1 ? '1 minute' : `${m} minutes`;
  if (h === 0) return mins;
  return m === 0 ? hours : `${hours} ${mins}`;
}

export interface ApologyInput {
  request: Pick<Request, 'id' | 'title'>;
  /** The target that was missed. */
  kind: TargetKind;
  /** Working ms past due (0 when found at once). */
  lateBy: number;
  providerName: string;
}

/**
 * A short apology in Kept's words, from the request: which promise was missed and by how much,
 * warm and specific, blaming nobody, and saying what comes next. The provider edits it before it goes.
 */
export function draftApology(input: ApologyInput): string {
  const { request, kind, providerName } = input;
  const what = `${request.id} "${request.title}"`;
  const promise =
    kind === 'response'
      ? `We promised to get back to you on ${what} within the time we agreed`
      : `We promised to have ${what} solved within the time we agreed`;
  const late = input.lateBy >= MINUTE_MS ? `, and we were ${lateText(input.lateBy)} late` : ', and we missed it';
  return [
    `I'm sorry. ${promise}${late}.`,
    `That is on us at ${providerName}, not on you.`,
    'Here is where it stands and what we do next: ',
  ].join(' ');
}
