/**
 * Report counters. Every request adds a fixed set of counts to the bucket of the day it was filed
 * on (the provider's time zone): `contribution(request)`. Each write of a request adds the
 * difference between its contribution after and before (`statsDelta`) to that day's counters in
 * the same transaction, so the counters always equal a recount of the requests, and a report
 * reads one small item per day instead of every request (a quarter: one query of ~92 items).
 * Pure domain code.
 */
import { allBreaches, type Breach, type Request, type Transfer } from './request';
import { addTimes, addTransferTimes } from './times';

/** Counter names: `filed`, `filed|<agreement>|<priority>`, `met…`, `breached…` (ever breached),
 * `breached_earlier` (breached in an earlier cycle only: "breached this cycle" is `breached` less
 * these, which counters written before cycles need no recount for), `breach|<target>` (each breach once, every cycle),
 * `heat|<weekday>|<hour>`, `svc|<service>`, `who|<assignee>`, `csat|n`, `csat|sum`, `csat|<score>`,
 * `cause|<category>`, `penalty|<unit>`, `waived|<unit>`, `credit|<unit>` (recovery credits), `live`, `cancelled`; waiting on the requester:
 * `paused` (requests that waited at least once), `pauses`, `waitedMs` (working ms of the pauses that ended);
 * the customer side (`customerKey`): `cust|<customer>|filed|<agreement>`, `…|met|…`, `…|breached|…`,
 * `cust|<customer>|penalty|<agreement>|<unit>` and `…|waived|…` (counted since December 2026); times (times.ts,
 * counted since December 2026): `resp|<agreement>|<priority>|<bound>` and `reso|…` (met clocks' working
 * time by bucket, bound in working minutes or `more`), `wait|<bound>` (time waited per paused request);
 * per agreement (`agreementKey`, the web's agreement page): `aheat|<agreement>|<weekday>|<hour>` and
 * `acause|<agreement>|<category>` (counted since December 2026). */
export type Counters = Record<string, number>;

export const NOBODY = '-';

/** Whether the request missed a target in any cycle (a breach is recorded): "ever breached". */
export const isBreached = (r: Pick<Request, 'breaches' | 'cycles'>): boolean =>
  Object.keys(r.breaches ?? {}).length > 0 || (r.cycles ?? []).some((c) => c.breach !== undefined);

/**
 * Whether the request's current cycle missed a target: "breached this cycle". The response target
 * has one cycle, the request's first, so a missed response stays in every cycle's count.
 */
export const isBreachedThisCycle = (r: Pick<Request, 'breaches'>): boolean => Object.keys(r.breaches ?? {}).length > 0;

/** Met: resolved or closed without a recorded breach in any cycle. */
export const isMet = (r: Pick<Request, 'breaches' | 'cycles' | 'status'>): boolean =>
  !isBreached(r) && (r.status === 'resolved' || r.status === 'closed');

/**
 * A customer-side counter: what `customer` received under `agreement` (`filed`, `met`, `breached`)
 * or was owed (`penalty|<unit>`, `waived|<unit>`). Kept in the provider's day item beside its own
 * counters, so a `*` agreement's figures can be told apart by customer.
 */
export const customerKey = (customer: string, kind: string, agreement: string, unit?: string): string =>
  `cust|${customer}|${kind}|${agreement}${unit === undefined ? '' : `|${unit}`}`;

/** When the per-agreement breach counters (`aheat|…`, `acause|…`) began (`YYYY-MM`). */
export const AGREEMENT_COUNTERS_SINCE = '2026-12';

/** A per-agreement breach counter: `aheat|<agreement>|<weekday>|<hour>` or `acause|<agreement>|<category>`. */
export const agreementKey = (kind: 'aheat' | 'acause', agreement: string, ...rest: (string | number)[]): string =>
  [kind, agreement, ...rest].join('|');

/**
 * The breached request's per-agreement counters: when it was filed (weekday, hour) and its cause,
 * so the agreement page need not read the requests (docs/web.md).
 */
function addAgreementBreach(
  add: (key: string, n?: number) => void,
  agreement: string,
  filed: { weekday: number; hour: number },
  cause: string | undefined,
) {
  add(agreementKey('aheat', agreement, filed.weekday, filed.hour));
  if (cause) add(agreementKey('acause', agreement, cause));
}

/** Each breach once: its target, its penalty, and what was waived of it (also as the customer's, under its agreement). */
function addBreaches(
  add: (key: string, n?: number) => void,
  breaches: readonly { kind: string; breach: Breach }[],
  customer: string,
  agreement: string,
) {
  for (const { kind, breach } of breaches) {
    add(`breach|${kind}`);
    add(`penalty|${breach.unit}`, breach.amount);
    add(customerKey(customer, 'penalty', agreement, breach.unit), breach.amount);
    if (breach.waived) {
      add(`waived|${breach.unit}`, breach.amount);
      add(customerKey(customer, 'waived', agreement, breach.unit), breach.amount);
    }
  }
}

export function contribution(r: Request): Counters {
  const c: Counters = {};
  const add = (key: string, n = 1) => {
    if (n !== 0) c[key] = (c[key] ?? 0) + n;
  };
  const slice = `${r.agreementId}|${r.priority}`;
  add('filed');
  add(`filed|${slice}`);
  add(customerKey(r.customer, 'filed', r.agreementId));
  if (isMet(r)) {
    add('met');
    add(`met|${slice}`);
    add(customerKey(r.customer, 'met', r.agreementId));
  }
  if (isBreached(r)) {
    add('breached');
    add(`breached|${slice}`);
    add(customerKey(r.customer, 'breached', r.agreementId));
    add(`heat|${r.filed.weekday}|${r.filed.hour}`);
    add(`svc|${r.service}`);
    add(`who|${r.assignee ?? NOBODY}`);
  }
  if (isBreached(r) && !isBreachedThisCycle(r)) add('breached_earlier');
  if (r.status === 'cancelled') add('cancelled');
  else if (r.status !== 'resolved' && r.status !== 'closed') add('live');
  addBreaches(add, allBreaches(r), r.customer, r.agreementId);
  // Every rating counts: those given before a reopen and the latest one.
  for (const rating of [...(r.earlierRatings ?? []), ...(r.rating ? [r.rating] : [])]) {
    add('csat|n');
    add('csat|sum', rating.score);
    add(`csat|${rating.score}`);
  }
  if (r.cause) add(`cause|${r.cause.category}`);
  // Per agreement, for the web's agreement page (their own block: kept apart from the rest).
  if (isBreached(r)) addAgreementBreach(add, r.agreementId, r.filed, r.cause?.category);
  if (r.waited && r.waited.pauses > 0) {
    add('paused');
    add('pauses', r.waited.pauses);
    add('waitedMs', Math.round(r.waited.ms));
  }
  // Recovery credits (docs/breaches.md), in their own block: what was given back, also as the customer's.
  for (const credit of r.recovery?.credits ?? []) {
    add(`credit|${credit.unit}`, credit.amount);
    add(customerKey(r.customer, 'credit', r.agreementId, credit.unit), credit.amount);
  }
  // Times (times.ts): each met clock's working time and the time waited, by bucket.
  addTimes(add, r);
  return c;
}

/**
 * The share a provider keeps of a request it handed over (docs/reports.md "Transfers"): received on
 * its own filing day, counted `transferred` (neither live, met nor cancelled), with the breaches
 * recorded while it owned the request and their penalties. Frozen at the transfer.
 */
export function transferContribution(t: Transfer, customer: string): Counters {
  const c: Counters = {};
  const add = (key: string, n = 1) => {
    if (n !== 0) c[key] = (c[key] ?? 0) + n;
  };
  const slice = `${t.agreementId}|${t.priority}`;
  add('filed');
  add(`filed|${slice}`);
  add(customerKey(customer, 'filed', t.agreementId));
  add('transferred');
  const breaches = allBreaches(t);
  if (breaches.length > 0) {
    add('breached');
    add(`breached|${slice}`);
    add(customerKey(customer, 'breached', t.agreementId));
    add(`heat|${t.filed.weekday}|${t.filed.hour}`);
    add(`svc|${t.service}`);
    add(`who|${t.assignee ?? NOBODY}`);
  }
  if (breaches.length > 0 && !isBreachedThisCycle(t)) add('breached_earlier');
  addBreaches(add, breaches, customer, t.agreementId);
  // Times (times.ts): the targets it met before handing the request over.
  addTransferTimes(add, t);
  // Per agreement, for the web's agreement page; a transfer keeps no cause (it is given at the end).
  if (breaches.length > 0) addAgreementBreach(add, t.agreementId, t.filed, undefined);
  return c;
}

/** Every (department, day) a request counts in: its current provider's, and one per provider that handed it over. */
export function shares(r: Request): { department: string; day: string; counters: Counters }[] {
  return [
    { department: r.provider, day: r.filed.day, counters: contribution(r) },
    ...(r.transfers ?? []).map((t) => ({
      department: t.from,
      day: t.filed.day,
      counters: transferContribution(t, r.customer),
    })),
  ];
}

/**
 * What one write of a request changes in every department's day counters: `statsDelta` by share, so
 * a transfer takes the request out of the first provider's live count (into `transferred`) and
 * counts it as received by the new one on the transfer's day.
 */
export function statsDeltas(before: Request, after: Request): { department: string; delta: StatsDelta }[] {
  const was = byDay(before);
  const now = byDay(after);
  const out: { department: string; delta: StatsDelta }[] = [];
  for (const k of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(k);
    const b = now.get(k);
    const { department, day } = (b ?? a)!;
    const add = difference(a?.counters ?? {}, b?.counters ?? {});
    // The "better" answer belongs to the current provider's share.
    const better =
      department === after.provider && day === after.filed.day ? statsDelta(before, after).better : undefined;
    if (Object.keys(add).length > 0 || better)
      out.push({ department, delta: { day, add, ...(better ? { better } : {}) } });
  }
  return out;
}

/**
 * A request's shares summed by department and day: one handed back to a department on a day it
 * already counts the request (IT to HR and back the same day) adds to that day's share, and the
 * store writes each day's counters once per transaction.
 */
function byDay(r: Request): Map<string, { department: string; day: string; counters: Counters }> {
  const out = new Map<string, { department: string; day: string; counters: Counters }>();
  for (const s of shares(r)) {
    const key = `${s.department}\u0000${s.day}`;
    const had = out.get(key);
    out.set(key, had ? { ...had, counters: sumCounters([had.counters, s.counters]) } : s);
  }
  return out;
}

function difference(was: Counters, now: Counters): Counters {
  const add: Counters = {};
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const d = Math.round(((now[key] ?? 0) - (was[key] ?? 0)) * 100) / 100;
    if (d !== 0) add[key] = d;
  }
  return add;
}

export interface StatsDelta {
  /** The filing day (`YYYY-MM-DD`, provider's zone). */
  day: string;
  add: Counters;
  /** A "what would have made this better?" answer given by this write (`n`: the request's nth rating, from 2). */
  better?: { id: string; text: string; n?: number };
}

/** What one write of a request changes in its day's counters (nothing: `add` is empty). */
export function statsDelta(before: Request | undefined, after: Request): StatsDelta {
  const was = before ? contribution(before) : {};
  const now = contribution(after);
  const add: Counters = {};
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const d = Math.round(((now[key] ?? 0) - (was[key] ?? 0)) * 100) / 100;
    if (d !== 0) add[key] = d;
  }
  // The nth rating of the request (asked again after a reopen) keeps its own answer.
  const n = (after.earlierRatings?.length ?? 0) + 1;
  const better =
    after.rating?.better && !before?.rating?.better
      ? { id: after.id, text: after.rating.better, ...(n > 1 ? { n } : {}) }
      : undefined;
  return { day: after.filed.day, add, ...(better ? { better } : {}) };
}

/** Counters summed over several days. */
export function sumCounters(days: readonly Counters[]): Counters {
  const total: Counters = {};
  for (const w of days)
    for (const [k, v] of Object.entries(w)) total[k] = Math.round(((total[k] ?? 0) + v) * 100) / 100;
  return total;
}
