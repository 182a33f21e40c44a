/**
 * The customer loyalty section (loyalty.ts) as `kept report --side customer` prints it: per
 * metric, a table of the weeks with a figure, the correlation and its note.
 */
import type { Loyalty } from './loyalty';
import { type Cell, oneLine, pctText, table } from './report-format';

export function loyaltyTable(l: Loyalty): string {
  const out = [
    `Customer loyalty, ${l.fromWeek} to ${l.toWeek}: compliance of ${l.declared ? 'the agreements it declared' : 'what it receives'} (${l.agreements.join(', ') || 'no agreement'}) beside its customers' figures`,
  ];
  for (const m of l.metrics) {
    out.push(
      '',
      ...table(
        ['week', 'requests', 'met', 'breached', 'compliance', oneLine(m.metric)],
        m.weeks
          .filter((w) => w.value !== null || w.compliancePct !== null)
          .map((w): Cell[] => [w.week, w.requests, w.met, w.breached, pctText(w.compliancePct), w.value ?? '–']),
      ),
      `${oneLine(m.metric)}: ${m.correlation === undefined ? 'no correlation' : `r = ${m.correlation.toFixed(2)}`} over ${m.n} week${m.n === 1 ? '' : 's'} with both figures.`,
      m.note,
    );
  }
  return out.join('\n');
}
