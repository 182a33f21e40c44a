/**
 * Every command Kept answers or will answer, in the order help lists them. `ready` says
 * whether it works today; the help text and the "coming soon" reply both read this list,
 * so they can never disagree.
 */
export interface CommandInfo {
  /** First word after `/sla` (or the whole command for `/kudos`). */
  name: string;
  usage: string;
  /** One short line for the list `/sla help` shows. */
  brief: string;
  /** Everything about it, for `/sla help <name>`. */
  summary: string;
  /** The heading help lists it under. */
  group: HelpGroup;
  ready: boolean;
}

/** The headings of `/sla help`, in order: filing and following, working, the promises, the rest. */
export const HELP_GROUPS = ['Requests', 'Working a request', 'Agreements and departments', 'Reports and more'] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

export const SLA_COMMANDS: readonly CommandInfo[] = [
  {
    name: 'new',
    usage: '/sla new [dept]',
    brief: 'File a request to another department.',
    summary: 'File a request to another department, with the agreed clocks running.',
    group: 'Requests',
    ready: true,
  },
  {
    name: 'list',
    usage: '/sla list [mine|queue|breached]',
    brief: "Your requests, your team's queue, or what was missed.",
    summary: "Your requests, your team's queue (most urgent first), or what has been missed.",
    group: 'Requests',
    ready: true,
  },
  {
    name: 'show',
    usage: '/sla show ID',
    brief: 'One request: status, owner, time left, history.',
    summary: 'One request: status, owner, time left on each target and its history.',
    group: 'Requests',
    ready: true,
  },
  {
    name: 'explain',
    usage: '/sla explain ID',
    brief: 'Why a request is due when it is.',
    summary:
      "Why a request's due times are what they are: the working time counted, and the nights, weekends, holidays and pauses skipped, in your time zone. The card's *Why this due time?* button does the same.",
    group: 'Requests',
    ready: true,
  },
  {
    name: 'ack',
    usage: '/sla ack|resolve|close|reopen|pause|resume|cancel ID [note]',
    brief: 'Work a request from any conversation.',
    summary:
      "Work a request without leaving the conversation (the card's buttons do the same). Its department: `ack` takes it on, `resolve` says it is solved, `pause` waits on the requester; either side may `resume` its clock. Its requester: `close` confirms it solved, `reopen` says it is not, `cancel` withdraws it. A late one: `/sla resolve ID cause:staffing note`; waiting on a vendor: `/sla pause ID --third-party what for`.",
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'reply',
    usage: '/sla reply ID text',
    brief: 'Write to the other side of a request.',
    summary:
      "Write to the other side of a request from anywhere: its requester's DM, or its card's thread. Replying in those threads does the same.",
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'note',
    usage: '/sla note ID text',
    brief: 'A note only your department sees.',
    summary:
      "An internal note only the department working the request sees. In the card's thread, start a reply with `(internal)` or :lock:.",
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'priority',
    usage: '/sla priority ID P1|P2|P3|P4 reason',
    brief: "Change a request's priority, with a reason.",
    summary:
      'Change the priority of a request you work on: due times are counted again from the filing, the originals stay shown. The person who filed it can ask for a change.',
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'transfer',
    usage: '/sla transfer ID DEPT reason',
    brief: 'Hand a request to the department that should have it.',
    summary:
      'Hand a request you work on to the department that should have it (it needs an agreement covering the requester): same ID and history, its clocks start again there.',
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'waive',
    usage: '/sla waive ID response|resolution [cycle N] reason',
    brief: "Waive a breach's penalty, with a reason (heads).",
    summary:
      "Waive a breach's penalty, with a reason the ledger keeps (heads of the department that filed it); `cycle N` names an earlier reopen cycle's.",
    group: 'Working a request',
    ready: true,
  },
  {
    name: 'agreements',
    usage: '/sla agreements [dept]',
    brief: 'The promises that bind a department.',
    summary: 'The promises that bind a department: targets, penalties, version.',
    group: 'Agreements and departments',
    ready: true,
  },
  {
    name: 'propose',
    usage: '/sla propose [agreement]',
    brief: 'Propose an agreement, or a change to one (heads).',
    summary: "Propose an agreement, or a change to one, for the other department's heads to accept (heads).",
    group: 'Agreements and departments',
    ready: true,
  },
  {
    name: 'dept',
    usage: '/sla dept [ID]',
    brief: 'Departments: heads, members, channel, calendar.',
    summary: 'The departments: heads, members, channel, calendar. Admins create and change them.',
    group: 'Agreements and departments',
    ready: true,
  },
  {
    name: 'audit',
    usage: '/sla audit [dept]',
    brief: "Who changed a department's details, and when.",
    summary:
      "Who changed a department's details, agreements and penalties, and when: its last 20 changes (its heads and Kept admins).",
    group: 'Agreements and departments',
    ready: true,
  },
  {
    name: 'report',
    usage: '/sla report [customer|company] [dept] [period]',
    brief: 'Compliance, breaches and trend; a weekly report.',
    summary:
      "A department's compliance, breaches, satisfaction and trend over this-week, last-week, this-month, last-month, quarter or a month (2026-11); penalties for its heads. `customer`: what it receives; `company`: every agreement (admins); `subscribe weekly [#channel]`: last week's report every Monday, in your DM or a channel (heads), `unsubscribe [#channel]` stops it, `subscriptions` lists them.",
    group: 'Reports and more',
    ready: true,
  },
  {
    name: 'tips',
    usage: '/sla tips [list|show|add|edit|retire]',
    brief: "This week's service tips.",
    summary:
      "This week's service tips (one for serving colleagues, one for customers, as in the weekly digest); admins add, edit and retire them.",
    group: 'Reports and more',
    ready: true,
  },
  {
    name: 'web',
    usage: '/sla web',
    brief: 'Your personal link to Kept on the web.',
    summary:
      'A personal link to Kept on the web: your departments at a glance, both what they provide and what they receive. It works once, for 5 minutes.',
    group: 'Reports and more',
    ready: true,
  },
  {
    name: 'help',
    usage: '/sla help [command]',
    brief: 'This list, or one command in full.',
    summary:
      'What Kept does and every command it understands, in one short line each. Name a command for all it does: `/sla help report`.',
    group: 'Reports and more',
    ready: true,
  },
];

export const KUDOS_COMMAND: CommandInfo = {
  name: 'kudos',
  usage: '/kudos @someone [ID] message [#value]',
  brief: 'Thank a colleague in one line.',
  summary:
    'Thank one or more colleagues in one line, for a request (its ID) or anything else, with a value if you like (`#ownership`). In a channel everyone there sees it; it shows up in the weekly digest.',
  group: 'Reports and more',
  ready: true,
};

/** The working verbs that share one help line with `ack`. */
export const WORK_VERBS = [
  'ack',
  'acknowledge',
  'resolve',
  'close',
  'reopen',
  'pause',
  'resume',
  'cancel',
  'note',
  'reply',
  'waive',
  'priority',
  'transfer',
] as const;

/** Working verbs with a help line of their own. */
const OWN_LINE: readonly string[] = ['waive', 'note', 'reply', 'priority', 'transfer'];

export function findSlaCommand(word: string): CommandInfo | undefined {
  const name = !OWN_LINE.includes(word) && (WORK_VERBS as readonly string[]).includes(word) ? 'ack' : word;
  return SLA_COMMANDS.find((c) => c.name === name);
}

/**
 * Every first word `/sla` answers, in the order the manifest's usage hint names them. The router
 * (listeners/sla.ts) has one route per word, so TypeScript keeps the two equal, and
 * tests/unit/manifest.test.ts checks that the manifest's usage hint names each one.
 */
export const SLA_WORDS = [
  'help',
  'new',
  'show',
  'explain',
  'list',
  'ack',
  'resolve',
  'close',
  'reopen',
  'pause',
  'resume',
  'cancel',
  'reply',
  'note',
  'waive',
  'priority',
  'transfer',
  'agreements',
  'propose',
  'dept',
  'report',
  'tips',
  'audit',
  'web',
] as const;
export type SlaWord = (typeof SLA_WORDS)[number];

/** Other spellings the router takes for a word. */
export const SLA_ALIASES: Readonly<Record<string, SlaWord>> = {
  acknowledge: 'ack',
  why: 'explain',
  depts: 'dept',
  departments: 'dept',
  tip: 'tips',
};

/** The word `/sla` routes `typed` to (lower case, aliases resolved), if it knows it. */
export function slaWord(typed: string): SlaWord | undefined {
  const word = typed.toLowerCase();
  if ((SLA_WORDS as readonly string[]).includes(word)) return word as SlaWord;
  return SLA_ALIASES[word];
}

/**
 * Edit distance where swapping two neighbouring letters counts as one edit (optimal string
 * alignment): `nwe` is one edit from `new`, as a typo is.
 */
export function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/**
 * The word `/sla` knows that `typed` is most likely a typo of: one edit away for words of up to
 * four letters, two for longer ones; the first in SLA_WORDS order on a tie. Undefined when nothing
 * is that close (then help is the better answer than a guess).
 */
export function closestSlaWord(typed: string): string | undefined {
  const word = typed.toLowerCase();
  if (word.length > 40) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of [...SLA_WORDS, ...Object.keys(SLA_ALIASES)]) {
    const distance = typoDistance(word, candidate);
    const allowed = candidate.length <= 4 ? 1 : 2;
    if (distance <= allowed && distance < word.length && (!best || distance < best.distance))
      best = { word: candidate, distance };
  }
  return best?.word;
}
