/**
 * A monthly statement (statement.ts) as plain text for `kept statement`: one block per agreement,
 * a line of totals, the terms with the tiers and cap reached, then one line per breach with its
 * waiver. Pure.
 */
import { EVERY_DEPARTMENT } from './agreement';
import { customerLabel, formatAmount, ordinal } from './agreement-text';
import type { Statement } from './statement';

export function statementText(s: Statement, names: (id: string) => string): string {
  const amount = (n: number) => formatAmount(n, s.unit);
  const t = s.totals;
  const tiers = s.tiers.length
    ? s.tiers.map((x) => `×${x.multiplier} from the ${ordinal(x.fromBreach)} breach`).join(', ')
    : 'no tiers';
  const cap = s.monthlyCap === undefined ? 'no monthly cap' : `monthly cap ${amount(s.monthlyCap)}`;
  const reached = s.tiersReached.length
    ? `tiers reached: ${s.tiersReached.map((x) => `×${x.multiplier}`).join(', ')}`
    : 'no tier reached';
  const capLine = s.monthlyCap === undefined ? '' : s.capReached ? '; cap reached' : '; cap not reached';
  const lines = [
    `${names(s.provider)} for ${customerLabel(s.customer, names)} · ${s.service} (${s.agreementId}), ${s.month}`,
    `  ${t.breaches} ${t.breaches === 1 ? 'breach' : 'breaches'} · charged ${amount(t.charged)} · waived ${amount(t.waived)}${t.credited !== undefined ? ` · credited ${amount(t.credited)}` : ''} · net ${amount(t.net)}`,
    `  terms: ${amount(s.perBreach)} per breach, ${tiers}, ${cap}; ${reached}${capLine}`,
  ];
  if (t.breaches === 0) lines.push('  no target missed: nothing owed');
  for (const b of s.breaches) {
    const cycle = b.cycle > 1 ? ` (cycle ${b.cycle})` : '';
    const from = b.customer && s.customer === EVERY_DEPARTMENT ? ` for ${names(b.customer)}` : '';
    const capped = b.capped ? ', cut by the cap' : '';
    lines.push(
      `  ${ordinal(b.n)}: ${b.request} ${b.kind}${cycle}${from}, due ${b.dueAt}, ×${b.multiplier}, ${amount(b.amount)}${capped}`,
    );
    if (b.waiver)
      lines.push(`      waived by ${b.waiver.by} at ${b.waiver.at} (${amount(b.waiver.amount)}): ${b.waiver.reason}`);
  }
  // Recovery credits in their own block: a share of a breach's penalty given back once recovery was confirmed in time.
  for (const c of s.credits ?? []) {
    const cycle = c.cycle > 1 ? ` (cycle ${c.cycle})` : '';
    lines.push(
      `  recovery credit: ${c.request} ${c.kind}${cycle}, ${amount(c.amount)} back${c.by ? `, confirmed by ${c.by}` : ''}`,
    );
  }
  return lines.join('\n');
}
