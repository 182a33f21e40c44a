/**
 * A month of an agreement's penalty ledger as CSV (RFC 4180): one row per charge and per waiver,
 * oldest first. Cells are quoted when they hold a comma, a quote or a line break, and a cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a
 * leading `'` first (OWASP's "CSV injection" advice): a reason typed in Slack never becomes a
 * formula on a head's computer. Amounts are numbers Kept wrote, so a waiver's `-50` stays a number.
 */
import type { LedgerEntry } from '../store/ledger';

export const LEDGER_COLUMNS = ['date', 'request', 'target', 'type', 'amount', 'unit', 'by', 'reason'] as const;

/** One cell: defused if it would start a formula, quoted if it must be. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The ledger's entries as a CSV file: a header row, then a row per entry, CRLF line ends. */
export function ledgerCsv(entries: readonly LedgerEntry[]): string {
  const rows = entries.map((e) =>
    [e.at, e.request, e.kind, e.type, e.amount, e.unit, e.by, e.reason].map(csvCell).join(','),
  );
  return `${[LEDGER_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
