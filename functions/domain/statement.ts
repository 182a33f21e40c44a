/**
 * The monthly penalty statement of one agreement: what its ledger holds for a calendar month
 * (store/ledger.ts), read as both sides sign it off. Each breach with its due instant, its place in
 * the month, its multiplier and what it cost (cut by the cap or not), the tiers the month reached,
 * whether the cap was reached, the waivers with who gave them and why, and the totals (charged,
 * waived, net). Built only from the ledger's entries and the agreement's penalty terms, so its
 * totals are the ledger's. Also when a month's statements are due: the provider's first working
 * instant of the next month. Pure: no I/O, no clock.
 */
import { DateTime } from 'luxon';
import { EVERY_DEPARTMENT, type Penalty, type PenaltyTier } from './agreement';
import type { Calendar } from './calendar';
import type { TargetKind } from './target-clock';
import { nextWorkingTime } from './working-time';

/** One ledger entry as the statement reads it (the shape of store/ledger.ts `LedgerEntry`). */
export interface StatementEntry {
  type: 'penalty' | 'waiver' | 'credit';
  request: string;
  kind: string;
  /** Positive for a charge, negative for a waiver. */
  amount: number;
  unit: string;
  /** The due instant (penalty) or when it was waived (waiver), ISO. */
  at: string;
  cycle?: number;
  n?: number;
  multiplier?: number;
  by?: string;
  reason?: string;
}

export interface StatementWaiver {
  by: string;
  reason: string;
  /** ISO instant it was waived. */
  at: string;
  /** What it gave back (positive). */
  amount: number;
}

export interface StatementBreach {
  request: string;
  kind: TargetKind;
  /** The reopen cycle of a resolution breach (1 for the first). */
  cycle: number;
  /** The missed due instant, ISO. */
  dueAt: string;
  /** Its number in the month, and the multiplier that number reached. */
  n: number;
  multiplier: number;
  amount: number;
  /** The cap cut it (it cost less than per_breach times its multiplier). */
  capped: boolean;
  /** The customer department that filed it, when known (an agreement for every department). */
  customer?: string;
  waiver?: StatementWaiver;
}

export interface StatementTotals {
  breaches: number;
  charged: number;
  waived: number;
  /** Given back as recovery credits (only when the month has any). */
  credited?: number;
  /** Charged less waived (and less credited): what the month costs the provider. */
  net: number;
}

/** A recovery credit (docs/breaches.md): a share of one breach's penalty, given back once. */
export interface StatementCredit {
  request: string;
  kind: TargetKind;
  cycle: number;
  /** What it gave back (positive). */
  amount: number;
  /** The requester who confirmed the recovery. */
  by?: string;
}

export interface Statement {
  agreementId: string;
  /** `YYYY-MM`. */
  month: string;
  provider: string;
  /** A department id, or `*` for an agreement with every department. */
  customer: string;
  service: string;
  unit: string;
  perBreach: number;
  tiers: PenaltyTier[];
  monthlyCap?: number;
  breaches: StatementBreach[];
  /** The tiers whose first breach the month reached. */
  tiersReached: PenaltyTier[];
  capReached: boolean;
  /** Every waiver of the month, oldest first (also on its breach). */
  waivers: (StatementWaiver & { request: string; kind: TargetKind; cycle: number })[];
  /** Recovery credits of the month (only when it has any). */
  credits?: StatementCredit[];
  totals: StatementTotals;
}

export interface StatementInput {
  agreementId: string;
  month: string;
  terms: { provider: string; customer: string; service: string; penalty: Penalty };
  entries: readonly StatementEntry[];
  /** The customer department of each breached request (for agreements with every department). */
  customers?: Readonly<Record<string, string>>;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const kindOf = (k: string): TargetKind => (k === 'resolution' ? 'resolution' : 'response');
const keyOf = (request: string, kind: string, cycle: number | undefined) => `${request}#${kind}#${cycle ?? 1}`;

/** The month's statement, from its ledger entries (any order) and the agreement's penalty terms. */
export function buildStatement(input: StatementInput): Statement {
  const { penalty } = input.terms;
  const charges = input.entries
    .filter((e) => e.type === 'penalty')
    .sort((a, b) => (a.n ?? 0) - (b.n ?? 0) || a.at.localeCompare(b.at));
  const waiverEntries = input.entries.filter((e) => e.type === 'waiver').sort((a, b) => a.at.localeCompare(b.at));
  const waiverOf = new Map<string, StatementEntry>();
  for (const w of waiverEntries) waiverOf.set(keyOf(w.request, w.kind, w.cycle), w);

  const breaches: StatementBreach[] = charges.map((e, i) => {
    const n = e.n ?? i + 1;
    const multiplier = e.multiplier ?? 1;
    const w = waiverOf.get(keyOf(e.request, e.kind, e.cycle));
    const customer = input.customers?.[e.request];
    return {
      request: e.request,
      kind: kindOf(e.kind),
      cycle: e.cycle ?? 1,
      dueAt: e.at,
      n,
      multiplier,
      amount: e.amount,
      capped: penalty.monthlyCap !== undefined && e.amount < cents(penalty.perBreach * multiplier),
      ...(customer ? { customer } : {}),
      ...(w ? { waiver: waiverText(w) } : {}),
    };
  });
  const waivers = waiverEntries.map((w) => ({
    request: w.request,
    kind: kindOf(w.kind),
    cycle: w.cycle ?? 1,
    ...waiverText(w),
  }));
  const credits: StatementCredit[] = input.entries
    .filter((e) => e.type === 'credit')
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => ({
      request: e.request,
      kind: kindOf(e.kind),
      cycle: e.cycle ?? 1,
      amount: cents(-e.amount),
      ...(e.by ? { by: e.by } : {}),
    }));
  const count = breaches.reduce((m, b) => Math.max(m, b.n), 0);
  const charged = cents(charges.reduce((s, e) => s + e.amount, 0));
  const waived = cents(waiverEntries.reduce((s, e) => s - e.amount, 0));
  return {
    agreementId: input.agreementId,
    month: input.month,
    provider: input.terms.provider,
    customer: input.terms.customer,
    service: input.terms.service,
    unit: charges[0]?.unit ?? penalty.unit,
    perBreach: penalty.perBreach,
    tiers: penalty.tiers,
    ...(penalty.monthlyCap !== undefined ? { monthlyCap: penalty.monthlyCap } : {}),
    breaches,
    tiersReached: penalty.tiers.filter((t) => count >= t.fromBreach),
    capReached: penalty.monthlyCap !== undefined && (charged >= penalty.monthlyCap || breaches.some((b) => b.capped)),
    waivers,
    ...creditPart(credits, breaches.length, charged, waived),
  };
}

/** The credits and the totals: a month without credits reads as it always did. */
function creditPart(
  credits: StatementCredit[],
  breaches: number,
  charged: number,
  waived: number,
): Pick<Statement, 'credits' | 'totals'> {
  if (credits.length === 0) return { totals: { breaches, charged, waived, net: cents(charged - waived) } };
  const credited = cents(credits.reduce((s, c) => s + c.amount, 0));
  return { credits, totals: { breaches, charged, waived, credited, net: cents(charged - waived - credited) } };
}

function waiverText(w: StatementEntry): StatementWaiver {
  return { by: w.by ?? 'unknown', reason: w.reason ?? '', at: w.at, amount: cents(-w.amount) };
}

/**
 * The part of an agreement-for-every-department's statement one customer department sees: its own
 * breaches and waivers and their totals. Tiers and the cap stay the agreement's (they count every
 * department's breaches). A statement of an agreement with one customer is returned as it is.
 */
export function statementFor(statement: Statement, customer: string): Statement {
  if (statement.customer !== EVERY_DEPARTMENT) return statement;
  const breaches = statement.breaches.filter((b) => b.customer === customer);
  const mine = new Set(breaches.map((b) => keyOf(b.request, b.kind, b.cycle)));
  const waivers = statement.waivers.filter((w) => mine.has(keyOf(w.request, w.kind, w.cycle)));
  const credits = (statement.credits ?? []).filter((c) => mine.has(keyOf(c.request, c.kind, c.cycle)));
  const charged = cents(breaches.reduce((s, b) => s + b.amount, 0));
  const waived = cents(waivers.reduce((s, w) => s + w.amount, 0));
  const { credits: _all, ...rest } = statement;
  return { ...rest, breaches, waivers, ...creditPart(credits, breaches.length, charged, waived) };
}

/** The customer departments whose requests the statement's breaches came from. */
export function customersOf(statement: Statement): string[] {
  if (statement.customer !== EVERY_DEPARTMENT) return [statement.customer];
  return [...new Set(statement.breaches.flatMap((b) => (b.customer ? [b.customer] : [])))].sort();
}

/** `YYYY-MM` written correctly (a real month). */
export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** The month before `month` (`2026-01` → `2025-12`). */
export function previousMonth(month: string): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/**
 * When last month's statements of a provider are due at `now`: the month they are for, and the
 * provider's first working instant of this month (local midnight of the 1st, moved on to the first
 * opening). Before that instant nothing is due; from it to the month's end, last month's is.
 */
export function statementDue(calendar: Calendar, now: number): { month: string; dueAt: number; due: boolean } {
  const local = DateTime.fromMillis(now, { zone: calendar.zone });
  const start = local.startOf('month').toMillis();
  const dueAt = nextWorkingTime(calendar, start);
  return { month: local.minus({ months: 1 }).toFormat('yyyy-MM'), dueAt, due: now >= dueAt };
}
