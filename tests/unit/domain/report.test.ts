/**
 * Reports (functions/domain/report.ts, report-period.ts): which local dates a period word means in a department's
 * time zone (month ends, ISO weeks across a year end, the quarter), the report built from
 * hand-made day counters, its CSV (RFC 4180 quoting, read back with a small parser) and text
 * forms, and the empty report. The Slack message of a report is checked at the end.
 */
import { buildReport, compliance, type Report } from '../../../functions/domain/report';
import { csvField, heatCellLabel, reportCsv, reportTable, topHeatCells } from '../../../functions/domain/report-format';
import { PERIOD_FORMS, periodLabel, resolvePeriod } from '../../../functions/domain/report-period';
import type { Counters } from '../../../functions/domain/stats';
import { reportMessage } from '../../../functions/slack/views/report';

const at = (iso: string) => Date.parse(iso);
const period = (word: string | undefined, iso: string, zone: string) => {
  const r = resolvePeriod(word, at(iso), zone);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('resolvePeriod', () => {
  it("takes the month in the department's zone, not UTC's", () => {
    // 03:00Z on 1 December is still 30 November in New York, already 1 December in Berlin.
    expect(period('this-month', '2026-12-01T03:00:00Z', 'America/New_York')).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      label: 'November 2026',
    });
    expect(period('this-month', '2026-12-01T03:00:00Z', 'Europe/Berlin')).toEqual({
      from: '2026-12-01',
      to: '2026-12-01',
      label: 'December 2026',
    });
    // 11:30Z on 31 October is already 1 November in Auckland (UTC+13).
    expect(period(undefined, '2026-10-31T11:30:00Z', 'Pacific/Auckland')).toEqual({
      from: '2026-11-01',
      to: '2026-11-01',
      label: 'November 2026',
    });
    expect(period(undefined, '2026-10-31T11:30:00Z', 'UTC')).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      label: 'October 2026',
    });
  });

  it('last month is the whole previous month, across a year end and in leap years', () => {
    expect(period('last-month', '2027-01-15T12:00:00Z', 'America/New_York')).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      label: 'December 2026',
    });
    expect(period('last-month', '2028-03-01T12:00:00Z', 'Europe/London')).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
      label: 'February 2028',
    });
    // 1 March 04:00Z is still 28 February in New York: last month is January.
    expect(period('last-month', '2027-03-01T04:00:00Z', 'America/New_York')).toMatchObject({
      from: '2027-01-01',
      to: '2027-01-31',
    });
  });

  it('a named month is the whole month; a month word is case-insensitive', () => {
    expect(period('2026-02', '2026-11-25T12:00:00Z', 'UTC')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
      label: 'February 2026',
    });
    expect(period('2028-02', '2026-11-25T12:00:00Z', 'UTC')).toMatchObject({ to: '2028-02-29' });
    expect(period('Last-Month', '2026-11-25T12:00:00Z', 'UTC')).toMatchObject({ from: '2026-10-01' });
  });

  it('ISO weeks run Monday to Sunday, also across a year end', () => {
    // Friday 1 January 2027: this week began on Monday 28 December 2026 (ISO week 2026-W53).
    expect(period('this-week', '2027-01-01T12:00:00Z', 'Europe/Berlin')).toEqual({
      from: '2026-12-28',
      to: '2027-01-01',
      label: 'the week of 28 December 2026',
    });
    // Monday 4 January 2027: last week is 28 December - 3 January.
    expect(period('last-week', '2027-01-04T12:00:00Z', 'Europe/Berlin')).toEqual({
      from: '2026-12-28',
      to: '2027-01-03',
      label: 'the week of 28 December 2026',
    });
    // 02:00Z on Monday 4 January is still Sunday 3 January in New York: this week began on 28 December.
    expect(period('this-week', '2027-01-04T02:00:00Z', 'America/New_York')).toMatchObject({
      from: '2026-12-28',
      to: '2027-01-03',
    });
    // A Sunday is the last day of its week.
    expect(period('this-week', '2026-11-29T12:00:00Z', 'UTC')).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
  });

  it('the quarter is the current calendar quarter to date', () => {
    expect(period('quarter', '2026-11-25T12:00:00Z', 'UTC')).toEqual({
      from: '2026-10-01',
      to: '2026-11-25',
      label: 'Q4 2026',
    });
    expect(period('quarter', '2026-01-01T03:00:00Z', 'America/New_York')).toEqual({
      from: '2025-10-01',
      to: '2025-12-31',
      label: 'Q4 2025',
    });
    expect(period('quarter', '2026-04-01T00:30:00Z', 'Europe/Berlin')).toEqual({
      from: '2026-04-01',
      to: '2026-04-01',
      label: 'Q2 2026',
    });
  });

  it.each(['nonsense', '2026-13', '2026-1', 'week', '', '2026-11-01'])(
    'refuses %j in one line that lists every form',
    (word) => {
      const r = resolvePeriod(word, at('2026-11-25T12:00:00Z'), 'UTC');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error).not.toContain('\n');
      expect(r.error).toContain(PERIOD_FORMS);
      for (const form of ['this-week', 'last-week', 'this-month', 'last-month', 'quarter', '2026-11'])
        expect(r.error).toContain(form);
    },
  );

  it('labels arbitrary date ranges readably', () => {
    expect(periodLabel('2026-11-01', '2026-11-30')).toBe('November 2026');
    expect(periodLabel('2026-11-01', '2026-11-12')).toBe('November 2026');
    expect(periodLabel('2026-11-03', '2026-11-20')).toBe('3–20 November 2026');
    expect(periodLabel('2026-11-03', '2026-11-03')).toBe('3 November 2026');
    expect(periodLabel('2026-10-03', '2026-11-20')).toBe('3 October – 20 November 2026');
    expect(periodLabel('2025-12-03', '2026-01-20')).toBe('3 December 2025 – 20 January 2026');
  });
});

// ---------------------------------------------------------------------------------------------

const DAY1: Counters = {
  filed: 4,
  'filed|it-for-finance|P1': 3,
  'filed|it-for-all|P3': 1,
  met: 2,
  'met|it-for-finance|P1': 1,
  'met|it-for-all|P3': 1,
  breached: 1,
  'breached|it-for-finance|P1': 1,
  'breach|response': 1,
  'breach|resolution': 1,
  'heat|3|14': 1,
  'svc|Laptops, accounts & <more>': 1,
  'who|U0ITMEM01': 1,
  'penalty|points': 100,
  'waived|points': 50,
  'csat|n': 2,
  'csat|sum': 9,
  'csat|4': 1,
  'csat|5': 1,
  'cause|staffing': 1,
  paused: 1,
  pauses: 2,
  waitedMs: 3 * 3_600_000,
  'wait|180': 1,
  'resp|it-for-finance|P1|30': 2,
  'resp|it-for-all|P3|60': 1,
  'reso|it-for-finance|P1|240': 1,
  live: 1,
  cancelled: 0,
};
const DAY2: Counters = {
  filed: 3,
  'filed|it-for-finance|P1': 3,
  breached: 2,
  'breached|it-for-finance|P1': 2,
  met: 0,
  'breach|resolution': 2,
  'heat|3|14': 1,
  'heat|7|23': 1,
  'svc|Laptops, accounts & <more>': 1,
  'svc|Old service': 0,
  'svc|Printers': 1,
  'who|-': 2,
  'penalty|EUR': 300.5,
  'csat|n': 1,
  'csat|sum': 1,
  'csat|1': 1,
  'cause|handoff': 1,
  'cause|mystery': 1,
  paused: 1,
  pauses: 1,
  waitedMs: 3_600_000 + 40 * 60_000,
  'wait|120': 1,
  'resp|it-for-finance|P1|90': 1,
  'reso|it-for-finance|P1|more': 1,
  live: 1,
  cancelled: 1,
};

function sample(over: Partial<Parameters<typeof buildReport>[0]> = {}): Report {
  return buildReport({
    department: { id: 'it', name: 'IT' },
    from: '2026-11-01',
    to: '2026-11-30',
    label: 'November 2026',
    days: [
      { day: '2026-10-31', counters: { filed: 99, met: 99 } }, // outside the period: left out
      { day: '2026-11-04', counters: DAY1 },
      { day: '2026-11-18', counters: DAY2 },
    ],
    better: [{ id: 'IT-7', day: '2026-11-18', text: 'Say "when", <!channel>, please\nand call me' }],
    agreementNames: { 'it-for-finance': 'Laptops, accounts & <more>', 'it-for-all': 'Printers' },
    ...over,
  });
}

describe('buildReport', () => {
  it('adds up the days of the period into every figure', () => {
    const r = sample();
    expect(r).toMatchObject({
      department: 'it',
      departmentName: 'IT',
      from: '2026-11-01',
      to: '2026-11-30',
      label: 'November 2026',
      requests: 7,
      met: 2,
      breached: 3,
      open: 2,
      cancelled: 1,
      compliancePct: 40,
      breachesByTarget: { response: 1, resolution: 3 },
      penaltyUnit: 'EUR',
      penaltyTotal: 300.5,
      penalties: { EUR: { charged: 300.5, waived: 0, owed: 300.5 }, points: { charged: 100, waived: 50, owed: 50 } },
      csat: { count: 3, average: 3.33, distribution: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 1 } },
      causes: { staffing: 1, handoff: 1, tooling: 0, unclear_request: 0, dependency: 0, other: 0, mystery: 1 },
      byService: [
        { service: 'Laptops, accounts & <more>', breached: 2 },
        { service: 'Printers', breached: 1 },
      ],
      byAssignee: [
        { assignee: null, breached: 2 },
        { assignee: 'U0ITMEM01', breached: 1 },
      ],
      empty: false,
    });
    expect(Object.keys(r.penalties)).toEqual(['EUR', 'points']); // charged most first
    expect(r.byAgreement).toEqual([
      {
        agreement: 'it-for-finance',
        name: 'Laptops, accounts & <more>',
        priority: 'P1',
        requests: 6,
        met: 1,
        breached: 3,
        compliancePct: 25,
      },
      {
        agreement: 'it-for-all',
        name: 'Printers',
        priority: 'P3',
        requests: 1,
        met: 1,
        breached: 0,
        compliancePct: 100,
      },
    ]);
    expect(r.heatmap).toHaveLength(7);
    expect(r.heatmap.every((row) => row.length === 24)).toBe(true);
    expect(r.heatmap[2]![14]).toBe(2);
    expect(r.heatmap[6]![23]).toBe(1);
    expect(r.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(3);
    expect(r.better).toEqual([{ id: 'IT-7', day: '2026-11-18', text: 'Say "when", <!channel>, please\nand call me' }]);
  });

  it('has a trend row for every ISO week the period touches, empty weeks included', () => {
    expect(sample().trend).toEqual([
      { week: '2026-W44', requests: 0, met: 0, breached: 0, compliancePct: null }, // Sunday 1 November
      { week: '2026-W45', requests: 4, met: 2, breached: 1, compliancePct: 66.7 },
      { week: '2026-W46', requests: 0, met: 0, breached: 0, compliancePct: null },
      { week: '2026-W47', requests: 3, met: 0, breached: 2, compliancePct: 0 },
      { week: '2026-W48', requests: 0, met: 0, breached: 0, compliancePct: null },
      { week: '2026-W49', requests: 0, met: 0, breached: 0, compliancePct: null }, // Monday 30 November
    ]);
    // Across a year end: 2026 has 53 ISO weeks, and 1-3 January 2027 belong to its last.
    const r = buildReport({
      department: { id: 'it', name: 'IT' },
      from: '2026-12-21',
      to: '2027-01-11',
      days: [{ day: '2027-01-02', counters: { filed: 1, met: 1 } }],
      better: [],
      agreementNames: {},
    });
    expect(r.trend.map((t) => [t.week, t.requests])).toEqual([
      ['2026-W52', 0],
      ['2026-W53', 1],
      ['2027-W01', 0],
      ['2027-W02', 0],
    ]);
  });

  it('rounds compliance to one decimal and has none while nothing was met or breached', () => {
    expect(compliance(2, 1)).toBe(66.7);
    expect(compliance(1, 2)).toBe(33.3);
    expect(compliance(0, 0)).toBeNull();
    expect(compliance(0, 3)).toBe(0);
    expect(compliance(999, 1)).toBe(99.9);
  });

  it('an agreement the directory no longer knows shows its id', () => {
    expect(sample({ agreementNames: {} }).byAgreement.map((a) => a.name)).toEqual(['it-for-all', 'it-for-finance']);
  });

  it('an empty period is an empty report with every table present', () => {
    const r = buildReport({
      department: { id: 'it', name: 'IT' },
      from: '2026-11-01',
      to: '2026-11-25',
      label: 'November 2026',
      days: [],
      better: [],
      agreementNames: {},
    });
    expect(r).toMatchObject({
      requests: 0,
      met: 0,
      breached: 0,
      open: 0,
      cancelled: 0,
      compliancePct: null,
      penaltyTotal: 0,
      penaltyUnit: null,
      penalties: {},
      byAgreement: [],
      byService: [],
      byAssignee: [],
      better: [],
      empty: true,
    });
    expect(r.csat).toEqual({ count: 0, average: null, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
    expect(r.heatmap.flat().every((v) => v === 0)).toBe(true);
    expect(r.trend).toHaveLength(5);
    expect(reportTable(r)).toContain(
      'Nobody filed a request to IT in November 2026, so there is nothing to report yet.',
    );
    const message = reportMessage(r, { forHeads: true });
    expect(message.text).toBe('Nobody filed a request to IT in November 2026, so there is nothing to report yet.');
    expect(JSON.stringify(message.blocks)).not.toMatch(/Penalt/);
  });

  it('names the busiest weekday/hour cells', () => {
    const cells = topHeatCells(sample().heatmap);
    expect(cells.map((c) => `${heatCellLabel(c)}: ${c.breached}`)).toEqual([
      'Wed 14:00–15:00: 2',
      'Sun 23:00–24:00: 1',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

/** A small RFC 4180 reader: records of fields, quoted fields may hold commas, quotes and line breaks. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      field = '';
      record = [];
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

describe('reportCsv', () => {
  it('quotes fields with commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });

  it('has one section per table with CRLF line ends, and reads back to the same values', () => {
    const r = sample();
    const csv = reportCsv(r);
    expect(csv.replace(/"[^"]*(""[^"]*)*"/g, '')).not.toMatch(/[^\r]\n/); // outside quotes, every line ends CRLF
    const records = readCsv(csv);
    const section = (name: string) => {
      const start = records.findIndex((rec) => rec.length === 1 && rec[0] === name);
      expect(start).toBeGreaterThanOrEqual(0);
      const end = records.findIndex((rec, i) => i > start && rec.length === 1 && rec[0] === '');
      return records.slice(start + 1, end < 0 ? records.length : end);
    };
    expect(section('Summary')).toEqual([
      [
        'department',
        'name',
        'from',
        'to',
        'requests',
        'met',
        'breached',
        'open',
        'cancelled',
        'compliance_pct',
        'response_breaches',
        'resolution_breaches',
        'penalty_total',
        'penalty_unit',
        'breached_this_cycle',
        'breaches',
      ],
      ['it', 'IT', '2026-11-01', '2026-11-30', '7', '2', '3', '2', '1', '40', '1', '3', '300.5', 'EUR', '3', '4'],
    ]);
    expect(section('Penalties')).toEqual([
      ['unit', 'charged', 'waived', 'owed'],
      ['EUR', '300.5', '0', '300.5'],
      ['points', '100', '50', '50'],
    ]);
    expect(section('By agreement')[1]).toEqual([
      'it-for-finance',
      'Laptops, accounts & <more>',
      'P1',
      '6',
      '1',
      '3',
      '25',
    ]);
    expect(section('What would have made it better')).toEqual([
      ['day', 'request', 'answer'],
      ['2026-11-18', 'IT-7', 'Say "when", <!channel>, please\nand call me'],
    ]);
    expect(section('Weekly trend')).toHaveLength(7);
    expect(section('When breaches happen')).toHaveLength(8);
    expect(section('When breaches happen')[3]![15]).toBe('2'); // Wed, 14:00
    expect(section('By assignee')).toEqual([
      ['assignee', 'breached'],
      ['(unassigned)', '2'],
      ['U0ITMEM01', '1'],
    ]);
    const names = records
      .filter((rec, i) => rec.length === 1 && rec[0] !== '' && (i === 0 || records[i - 1]![0] === ''))
      .map((rec) => rec[0]);
    expect(names).toEqual([
      'Summary',
      'Penalties',
      'By agreement',
      'Weekly trend',
      'Satisfaction',
      'What would have made it better',
      'Causes',
      'When breaches happen',
      'By service',
      'Waiting on requesters',
      'By assignee',
      'Times',
    ]);
  });
});

describe('time waiting on requesters', () => {
  it('counts the requests that paused, their pauses and the working time waited, so a habit stands out', () => {
    const r = sample();
    // 7 requests, 2 of them paused (3 pauses), 4h40m waited: 2h20m per paused request.
    expect(r.waiting).toEqual({
      paused: 2,
      sharePct: 28.6,
      pauses: 3,
      waitedMs: 4 * 3_600_000 + 40 * 60_000,
      averageMs: 2 * 3_600_000 + 20 * 60_000,
      // One waited 3h, the other 1h40m (in the 2h bucket): the median is the lower bucket's bound.
      medianMs: 2 * 3_600_000,
      p90Ms: 3 * 3_600_000,
      timed: 2,
    });
    const text =
      '2 of 7 requests (28.6%) waited on their requester, 3 pauses, 4h40m of working time in all, 2h20m per paused request (median ≤ 2h, p90 ≤ 3h)';
    expect(reportTable(r)).toContain(text);
    const csv = reportCsv(r);
    expect(csv).toContain(
      'requests_paused,paused_pct,pauses,waited_hours,average_hours_per_paused_request\r\n2,28.6,3,4.67,2.33',
    );
  });

  it('an empty period has nothing paused', () => {
    const r = sample({ days: [] });
    expect(r.waiting).toEqual({
      paused: 0,
      sharePct: null,
      pauses: 0,
      waitedMs: 0,
      averageMs: null,
      medianMs: null,
      p90Ms: null,
      timed: 0,
    });
    expect(reportTable(r)).not.toContain('waited on their requester');
  });
});

describe('times per priority', () => {
  const H = 3_600_000;
  it('median and p90 to first response and to resolution, from the buckets of every day in the period', () => {
    const r = sample();
    expect(r.times).toEqual({
      // Responses: two within 30m, one within 1h30m; resolutions: one within 4h, one past the last bound.
      P1: {
        responseMedianMs: H / 2,
        responseP90Ms: 1.5 * H,
        resolutionMedianMs: 4 * H,
        resolutionP90Ms: null,
        counts: { response: 3, resolution: 2 },
      },
      P3: {
        responseMedianMs: H,
        responseP90Ms: H,
        resolutionMedianMs: null,
        resolutionP90Ms: null,
        counts: { response: 1, resolution: 0 },
      },
    });
    expect(r.timesCountedSince).toBe('2026-12');
    expect(sample({ days: [] }).times).toEqual({});
  });

  it('reads "≤ 4h", "over 160h" in text, hours in CSV, and says since when', () => {
    const r = sample();
    const text = reportTable(r);
    expect(text).toMatch(/^P1\s+3\s+≤ 30m\s+≤ 1h30m\s+2\s+≤ 4h\s+over 160h$/m);
    expect(text).toMatch(/^P3\s+1\s+≤ 1h\s+≤ 1h\s+0\s+–\s+–$/m);
    expect(text).toContain('Times count targets met since December 2026, in working time');
    expect(reportCsv(r)).toContain(
      'Times\r\npriority,responses,response_median_hours,response_p90_hours,resolutions,resolution_median_hours,resolution_p90_hours\r\nP1,3,0.5,1.5,2,4,\r\nP3,1,1,1,0,,\r\n',
    );
    const slack = JSON.stringify(reportMessage(r, { forHeads: false }).blocks);
    expect(slack).toContain('*Time to first response and to resolution*');
    expect(slack).toContain('≤ 1h30m');
    expect(reportTable(sample({ days: [] }))).not.toContain('Times');
  });
});

describe('reportTable', () => {
  it('prints the figures as aligned plain text', () => {
    const text = reportTable(sample());
    expect(text).toContain('IT (it), 2026-11-01 to 2026-11-30');
    expect(text).toContain('Compliance 40%: 7 filed, 2 met, 3 breached, 2 open, 1 cancelled');
    expect(text).toMatch(/EUR\s+300\.5\s+0\s+300\.5/);
    expect(text).toContain('Wed 14:00–15:00: 2');
    expect(text).toContain('IT-7: Say "when", <!channel>, please and call me'); // one line
  });

  it('names agreements by service and customer, the id standing in for a customer it does not know', () => {
    const text = reportTable(sample(), { customers: { 'it-for-finance': 'Finance' } });
    expect(text).toMatch(/^service\s+for\s+priority/m);
    expect(text).toMatch(/^Laptops, accounts & <more>\s+Finance\s+P1\s/m);
    expect(text).toMatch(/^Printers\s+it-for-all\s+P3\s/m);
    expect(text).toMatch(/^assignee \(Slack user ID\)\s+breached$/m);
  });
});

describe('reportMessage', () => {
  const shown = (m: { text: string; blocks: unknown[] }) => `${m.text}\n${JSON.stringify(m.blocks)}`;

  it('shows penalties and breaches per assignee only when allowed, and says so otherwise', () => {
    const head = shown(reportMessage(sample(), { forHeads: true }));
    expect(head).toContain('€300.50 owed');
    expect(head).toContain('50 points owed');
    expect(head).toContain('50 points waived');
    expect(head).toContain('*Assignees of breached requests*: unassigned 2 · <@U0ITMEM01> 1');
    const member = shown(reportMessage(sample(), { forHeads: false }));
    expect(member).not.toMatch(/owed|€|points|Assignees|U0ITMEM01/);
    expect(member).toContain('Penalties and breaches per person are shown only to heads of IT and Kept admins.');
  });

  it("escapes user text and stays within Slack's limits", () => {
    const r = sample();
    const many = {
      ...r,
      better: Array.from({ length: 20 }, (_, i) => ({
        id: `IT-${i}`,
        day: '2026-11-18',
        text: `<!here> & <https://evil.example|click> ${i}`,
      })),
    };
    const m = reportMessage(many, { forHeads: true });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const text = shown(m);
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
    expect(text).toContain('&lt;!here&gt; &amp;');
    expect(text).toContain('Laptops, accounts &amp; &lt;more&gt;');
    expect((text.match(/&lt;!here&gt;/g) ?? []).length).toBe(5); // five answers shown
    expect(text).toContain('Wed 14:00–15:00: 2');
    expect(text).toContain('<@U0ITMEM01> 1');
    expect(text).toContain('40.0%');
    for (const b of m.blocks as { text?: { text: string } }[])
      expect((b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
  });
});
