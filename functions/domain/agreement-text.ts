/**
 * How agreement terms read to people: one short line per target, penalty and warning, and the
 * changes between two versions. Pure domain code: plain text with no Slack markup; the Slack
 * views escape it before showing it.
 */
import {
  type AgreementTerms,
  type EscalationAudience,
  type EscalationStep,
  EVERY_DEPARTMENT,
  type Penalty,
  PRIORITIES,
  type Target,
  type WaitingTerms,
} from './agreement';
import { formatDuration } from './duration';

/** `answer in 30m, solve in 4h`. */
export function describeTarget(t: Target): string {
  return `answer in ${formatDuration(t.response)}, solve in ${formatDuration(t.resolution)}`;
}

/** `50 points`, `1 point`, `€50.00`, `$1,000.00`; an unknown currency code is written after the number. */
export function formatAmount(amount: number, unit: string): string {
  if (unit === 'points') {
    const n = new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(amount);
    return `${n} ${amount === 1 ? 'point' : 'points'}`;
  }
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: unit }).format(amount);
  } catch {
    return `${new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(amount)} ${unit}`;
  }
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 101st, 111th. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/**
 * `50 points per breach; from the 3rd breach in a calendar month ×2; at most 500 points a month`.
 * Several tiers: `from the 3rd breach in a calendar month ×2, from the 5th ×3`.
 */
export function describePenalty(p: Penalty): string {
  if (p.perBreach === 0) return 'no penalty (breaches are recorded only)';
  const parts = [`${formatAmount(p.perBreach, p.unit)} per breach`];
  if (p.tiers.length > 0) {
    parts.push(
      p.tiers
        .map((t, i) =>
          i === 0
            ? `from the ${ordinal(t.fromBreach)} breach in a calendar month ×${t.multiplier}`
            : `from the ${ordinal(t.fromBreach)} ×${t.multiplier}`,
        )
        .join(', '),
    );
  }
  if (p.monthlyCap !== undefined) parts.push(`at most ${formatAmount(p.monthlyCap, p.unit)} a month`);
  return parts.join('; ');
}

/** 0.75 -> `75`, 0.7 -> `70` (no floating-point tails). */
export function percentOf(share: number): string {
  return String(Math.round(share * 100 * 1e6) / 1e6);
}

/** `warns when 75% of a target's time is used`. */
export function describeAtRisk(atRisk: number): string {
  return `warns when ${percentOf(atRisk)}% of a target's time is used`;
}

const AUDIENCE_TEXT: Record<EscalationAudience, string> = {
  assignee: 'the assignee (the channel while nobody is)',
  channel: "the provider's channel",
  provider_heads: "the provider's heads",
  customer_heads: "the customer's heads",
};

/** One step of a ladder: `unacknowledged for 1h: tell the provider's heads`. */
export function describeStep(step: EscalationStep): string {
  const when =
    step.unacknowledgedFor !== undefined
      ? `unacknowledged for ${formatDuration(step.unacknowledgedFor)}`
      : `${percentOf(step.at ?? 0)}% of ${step.target ? `the ${step.target} target` : 'each target'} used`;
  return `${when}: tell ${AUDIENCE_TEXT[step.notify]}`;
}

/** Waiting rules as a line: `remind the requester after 4h; resume the clock after 16h`. */
export function describeWaiting(waiting: WaitingTerms): string {
  const parts: string[] = [];
  if (waiting.remindAfter !== undefined)
    parts.push(`remind the requester after ${formatDuration(waiting.remindAfter)}`);
  if (waiting.resumeAfter !== undefined) parts.push(`resume the clock after ${formatDuration(waiting.resumeAfter)}`);
  if (waiting.closeAfter !== undefined) parts.push(`close the request after ${formatDuration(waiting.closeAfter)}`);
  const rules = parts.length > 0 ? [`${parts.join('; ')} without an answer`] : [];
  if (waiting.thirdPartyPausesClock) rules.push('waiting on a third party pauses the clock');
  return rules.join('; ');
}

/** The customer as people say it: a department's name, or `every department` for `*`. */
export function customerLabel(customer: string, names: (id: string) => string): string {
  return customer === EVERY_DEPARTMENT ? 'every department' : names(customer);
}

/**
 * What changed from `before` to `after`, one readable line per change, in the order
 * provider, customer, service, P1..P4, penalty, at-risk. Empty when nothing that reads
 * differently changed.
 */
export function diffTerms(before: AgreementTerms, after: AgreementTerms, names: (id: string) => string): string[] {
  const lines: string[] = [];
  const change = (what: string, a: string, b: string) => {
    if (a !== b) lines.push(`${what}: ${a} → ${b}`);
  };
  change('Provider', names(before.provider), names(after.provider));
  change('Customer', customerLabel(before.customer, names), customerLabel(after.customer, names));
  change('Service', before.service, after.service);
  for (const p of PRIORITIES) {
    const a = before.targets[p];
    const b = after.targets[p];
    if (a && b) {
      change(`${p} answer`, formatDuration(a.response), formatDuration(b.response));
      change(`${p} solve`, formatDuration(a.resolution), formatDuration(b.resolution));
    } else if (b) {
      lines.push(`${p}: new (${describeTarget(b)})`);
    } else if (a) {
      lines.push(`${p}: dropped (was ${describeTarget(a)})`);
    }
  }
  change('Penalty', describePenalty(before.penalty), describePenalty(after.penalty));
  change('At-risk warning', `${percentOf(before.atRisk)}%`, `${percentOf(after.atRisk)}%`);
  const waiting = (w: WaitingTerms | undefined) => (w ? describeWaiting(w) : 'no rules');
  change('Waiting on the requester', waiting(before.waiting), waiting(after.waiting));
  return lines;
}
