/**
 * What a request is made of before any rule runs: its statuses and their labels, the limits on what
 * people type into it, the message it was filed from, a file shared in its conversation, the cause
 * categories of a miss, and the check of its title and description. The forms and messages that
 * show or read these need nothing else of the request (request.ts, which re-exports all of this),
 * so a Lambda cold start that only opens a form does not load the request's rules and clocks
 * (issue #22). Pure domain code.
 */

export const REQUEST_STATUSES = [
  'open',
  'acknowledged',
  'waiting_on_requester',
  'waiting_on_third_party',
  'resolved',
  'reopened',
  'closed',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses in which nothing more happens to the clocks. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['closed', 'cancelled'];
/** Statuses in which a request is still being worked. */
export const LIVE_STATUSES: readonly RequestStatus[] = [
  'open',
  'acknowledged',
  'waiting_on_requester',
  'waiting_on_third_party',
  'reopened',
];

export const TITLE_MAX = 150;
export const DESCRIPTION_MAX = 3000;
export const NOTE_MAX = 1000;
export const BETTER_MAX = 1000;
/** The longest reason for waiving a penalty (the ledger keeps it). */
export const WAIVE_REASON_MAX = 500;

export const STATUS_LABEL: Record<RequestStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  waiting_on_requester: 'Waiting on requester',
  waiting_on_third_party: 'Waiting on a third party',
  resolved: 'Resolved',
  reopened: 'Reopened',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** The message a request was filed from (message shortcut). */
export interface RequestSource {
  channel: string;
  ts: string;
  permalink: string;
  /** When the message is a reply in a thread: the ts of the thread's first message (where a reply to it goes). */
  thread?: string;
}

/** Who records what nobody clicked: at-risk warnings and breaches found by the scan. */
export const SYSTEM_ACTOR = 'kept';

export const CAUSE_CATEGORIES = ['staffing', 'handoff', 'tooling', 'unclear_request', 'dependency', 'other'] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];
export const CAUSE_LABEL: Record<CauseCategory, string> = {
  staffing: 'Staffing',
  handoff: 'Handoff',
  tooling: 'Tooling',
  unclear_request: 'Unclear request',
  dependency: 'Dependency',
  other: 'Other',
};

/** Why a target was missed, written by the provider when resolving a breached request. */
export interface Cause {
  category: CauseCategory;
  text?: string;
}

/** A file shared in a request's conversation: its name and Slack permalink (Kept stores no content). */
export interface FileLink {
  name: string;
  permalink: string;
}

/** The most files one message links in the history. */
export const FILES_MAX = 10;

// Made on first use: building it loads ICU's break rules, 15-20 ms of a Lambda cold start (#22).
let graphemes: Intl.Segmenter | undefined;
/** Characters as a person counts them (👍🏽 and 🇩🇪 are one each). */
export function characters(text: string): number {
  let n = 0;
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export interface RequestText {
  title: string;
  description: string;
}

/** Problems with a request's text, keyed by field; empty when it can be filed. */
export function checkRequestText(text: RequestText): Partial<Record<keyof RequestText, string>> {
  const problems: Partial<Record<keyof RequestText, string>> = {};
  const title = text.title.trim();
  if (title.length === 0) problems.title = 'Give the request a title: one line that says what you need.';
  else if (characters(title) > TITLE_MAX)
    problems.title = `The title is ${characters(title)} characters; keep it to ${TITLE_MAX} and put the rest in the description.`;
  const description = characters(text.description.trim());
  if (description > DESCRIPTION_MAX)
    problems.description = `The description is ${description} characters; keep it to ${DESCRIPTION_MAX} (attach longer material in the thread).`;
  return problems;
}
