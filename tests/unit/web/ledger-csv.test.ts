/**
 * The ledger's CSV (functions/web/ledger-csv.ts): a spreadsheet opens it as the ledger reads, a
 * reason typed in Slack stays one cell whatever it holds, and nothing runs as a formula.
 */
import fc from 'fast-check';
import type { LedgerEntry } from '../../../functions/store/ledger';
import { csvCell, ledgerCsv } from '../../../functions/web/ledger-csv';

const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  type: 'penalty',
  agreementId: 'it-for-finance',
  agreementVersion: 1,
  month: '2026-11',
  request: 'IT-2',
  kind: 'response',
  amount: 50,
  unit: 'points',
  at: '2026-11-17T15:30:00.000Z',
  ...over,
});

/** An RFC 4180 reader: what a spreadsheet sees. */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

it('has the columns date, request, target, type, amount, unit, by, reason, and a row per charge and waiver', () => {
  const csv = ledgerCsv([
    entry(),
    entry({ type: 'waiver', amount: -50, at: '2026-11-18T10:00:00.000Z', by: 'U0FINHEAD', reason: 'Power cut' }),
  ]);
  expect(parse(csv)).toEqual([
    ['date', 'request', 'target', 'type', 'amount', 'unit', 'by', 'reason'],
    ['2026-11-17T15:30:00.000Z', 'IT-2', 'response', 'penalty', '50', 'points', '', ''],
    ['2026-11-18T10:00:00.000Z', 'IT-2', 'response', 'waiver', '-50', 'points', 'U0FINHEAD', 'Power cut'],
  ]);
});

it('an empty month is the header alone', () => {
  expect(ledgerCsv([])).toBe('date,request,target,type,amount,unit,by,reason\r\n');
});

it('quotes commas, quotes and line breaks, and defuses what a spreadsheet would run as a formula', () => {
  expect(csvCell('late, again')).toBe('"late, again"');
  expect(csvCell('said "soon"')).toBe('"said ""soon"""');
  expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
  expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  for (const start of ['+1', '-1', '@SUM(A1)', '\tx']) expect(csvCell(start)).toMatch(/^"?'/);
  expect(csvCell(-50)).toBe('-50');
  expect(csvCell(undefined)).toBe('');
});

it('any reason reads back as one cell: itself, or itself after the defusing quote', () => {
  fc.assert(
    fc.property(fc.string(), (reason) => {
      const rows = parse(ledgerCsv([entry({ type: 'waiver', amount: -1, by: 'U0X', reason })]));
      expect(rows).toHaveLength(2);
      const cell = rows[1]![7]!;
      expect(cell === reason || cell === `'${reason}`).toBe(true);
      expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
    }),
  );
});
