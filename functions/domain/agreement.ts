/**
 * An `Agreement`: a provider department promises a customer department (or every department,
 * `*`) to answer and solve requests for a named service within working-time targets per
 * priority, at an agreed `Penalty` per breach. Each change is a new version; requests keep the
 * version they were filed under. Pure domain code: the types and their rules; the written shape
 * (YAML and the Slack form) is agreement-spec.ts. Semantics: docs/agreements.md.
 */
import type { TargetKind } from './target-clock';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** `*` as the customer: the agreement covers requests from every department. */
export const EVERY_DEPARTMENT = '*';
/** The largest penalty amount we accept anywhere (per breach or cap). */
export const MAX_AMOUNT = 1_000_000_000;

export const AGREEMENT_STATUSES = ['draft', 'proposed', 'active', 'retired', 'declined', 'withdrawn'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export interface Target {
  /** Working milliseconds to the first answer. */
  response: number;
  /** Working milliseconds to the solution; never less than `response`. */
  resolution: number;
}
export type Targets = Partial<Record<Priority, Target>>;

export interface PenaltyTier {
  /** The n-th breach of the agreement in a calendar month from which `multiplier` applies (2 or more). */
  fromBreach: number;
  multiplier: number;
}

export interface Penalty {
  /** `points` or an ISO 4217 currency code such as `EUR`. */
  unit: string;
  perBreach: number;
  tiers: PenaltyTier[];
  monthlyCap?: number;
}

/** Who an escalation step tells: the assignee, the provider's channel, or either side's heads. */
export const ESCALATION_AUDIENCES = ['assignee', 'channel', 'provider_heads', 'customer_heads'] as const;
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];

/**
 * One step of an escalation ladder: at a share of a target used (of one target, or of each when
 * `target` is left out), or once a request has gone unacknowledged for a working duration.
 */
export interface EscalationStep {
  notify: EscalationAudience;
  /** Share of a target used (0 < at < 1); exactly one of `at` and `unacknowledgedFor` is given. */
  at?: number;
  /** With `at`: only this target (by default each target, separately). */
  target?: TargetKind;
  /** Working ms the request may stay unacknowledged (its response clock running). */
  unacknowledgedFor?: number;
}

/** The most steps a ladder may have. */
export const MAX_ESCALATION_STEPS = 10;

/**
 * What happens while a request waits on its requester (working durations from the pause, on the
 * provider's calendar): a reminder to the requester, then the clock resumes or the request closes.
 * `resumeAfter` and `closeAfter` are alternatives; each is longer than `remindAfter`.
 */
export interface WaitingTerms {
  remindAfter?: number;
  resumeAfter?: number;
  closeAfter?: number;
  /** A pause waiting on a third party stops the resolution clock too (by default it keeps running). */
  thirdPartyPausesClock?: boolean;
}

/** What the two departments agree on. */
export interface AgreementTerms {
  provider: string;
  customer: string;
  service: string;
  targets: Targets;
  penalty: Penalty;
  /** Share of a target's time after which it counts as at risk (0 < atRisk < 1). */
  atRisk: number;
  /** Steps between filing and a breach; without them, one at-risk warning per target at `atRisk`. */
  escalation?: EscalationStep[];
  /** Rules for waiting on the requester; without them, a pause lasts until someone resumes it. */
  waiting?: WaitingTerms;
  /** A share of a breach's penalty given back when the requester confirms recovery in time (docs/breaches.md). */
  recoveryCredit?: { share: number; within: number };
}

/** One version of an agreement as Kept keeps it. Terms never change once written. */
export interface AgreementVersion extends AgreementTerms {
  id: string;
  version: number;
  status: AgreementStatus;
  createdAt: string;
  /** A Slack user ID, or `import` for the agreements file. */
  createdBy: string;
  activatedAt?: string;
  retiredAt?: string;
  /** For proposals made in Slack: who proposed, for which side, and who decided. */
  proposedBy?: string;
  proposedFor?: string;
  decidedBy?: string;
  decidedAt?: string;
  declineReason?: string;
  /** For a proposal that changes an agreement: the version that was active when it was made. */
  replaces?: number;
}

// ---------------------------------------------------------------------------------------------
// The written shape (import file, and the modal's fields turned into the same object)

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const UNIT_HELP = 'use points or a three-letter currency code such as EUR or USD';

export function normaliseUnit(unit: string): string | undefined {
  const trimmed = unit.trim();
  if (trimmed.toLowerCase() === 'points') return 'points';
  const code = trimmed.toUpperCase();
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code) ? code : undefined;
}

/** Only the terms of an agreement version (drops id, version, status and the rest). */
export function termsOf(a: AgreementTerms): AgreementTerms {
  return {
    provider: a.provider,
    customer: a.customer,
    service: a.service,
    targets: a.targets,
    penalty: a.penalty,
    atRisk: a.atRisk,
    ...(a.escalation?.length ? { escalation: a.escalation } : {}),
    ...(a.waiting ? { waiting: a.waiting } : {}),
    ...(a.recoveryCredit ? { recoveryCredit: a.recoveryCredit } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Which requests an agreement covers

/** Service names compare without case and extra spaces: "Laptops  and Accounts" = "laptops and accounts". */
export function serviceKey(service: string): string {
  return service.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Whether two agreements would both cover some request: same provider, same service, and
 * customers that meet (equal, or either is `*`).
 */
export function overlaps(
  a: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>,
  b: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>,
): boolean {
  return (
    a.provider === b.provider &&
    serviceKey(a.service) === serviceKey(b.service) &&
    (a.customer === b.customer || a.customer === EVERY_DEPARTMENT || b.customer === EVERY_DEPARTMENT)
  );
}

/** Whether the agreement covers requests from `department`. */
export const covers = (terms: Pick<AgreementTerms, 'customer'>, department: string): boolean =>
  terms.customer === EVERY_DEPARTMENT || terms.customer === department;

/** A fresh agreement id from its parties: `it-for-finance-laptops-and-accounts`, unique among `taken`. */
export function suggestAgreementId(
  terms: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>,
  taken: ReadonlySet<string>,
): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const customer = terms.customer === EVERY_DEPARTMENT ? 'all' : terms.customer;
  const base = [terms.provider, 'for', customer, slug(terms.service)]
    .filter(Boolean)
    .join('-')
    .slice(0, 58)
    .replace(/-+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// ---------------------------------------------------------------------------------------------
// Penalties

/** The multiplier for the `n`-th breach (1-based) of the agreement within one calendar month. */
export function multiplierFor(penalty: Penalty, n: number): number {
  let m = 1;
  for (const tier of penalty.tiers) if (n >= tier.fromBreach) m = tier.multiplier;
  return m;
}

/**
 * What the `n`-th breach of a month costs when the month's total so far is `monthTotal`:
 * per_breach times the tier's multiplier, cut so the month never passes `monthlyCap`.
 */
export function penaltyFor(penalty: Penalty, n: number, monthTotal: number): number {
  const full = Math.round(penalty.perBreach * multiplierFor(penalty, n) * 100) / 100;
  if (penalty.monthlyCap === undefined) return full;
  return Math.max(0, Math.min(full, Math.round((penalty.monthlyCap - monthTotal) * 100) / 100));
}
