import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { due } from '../../bin/cli/due';

const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', name);

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await due(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: (p) => readFile(p, 'utf8'),
  });
  return { code, out, err };
}

const NY = fixture('calendar-new-york.yaml');

describe('kept due', () => {
  it('prints the due instant in UTC, skipping Thanksgiving', async () => {
    // Wed 25 Nov 15:00 EST: 2h that day, Thu off, Fri 09:00 + 2h = 11:00 EST.
    expect(await run('--calendar', NY, '--start', '2026-11-25T15:00:00-05:00', '--duration', '4h')).toEqual({
      code: 0,
      out: ['2026-11-27T16:00:00.000Z'],
      err: [],
    });
  });

  it('accepts pauses', async () => {
    // 1h used before the pause, 3h after resuming Fri 09:00 EST.
    const r = await run(
      '--calendar',
      NY,
      '--start',
      '2026-11-25T14:00:00Z',
      '--duration',
      '4h',
      '--pause',
      '2026-11-25T10:00:00-05:00/2026-11-27T09:00:00-05:00',
    );
    expect(r).toEqual({ code: 0, out: ['2026-11-27T17:00:00.000Z'], err: [] });
  });

  it('follows the own hours of a date: a short day, an override on a holiday, a closed day', async () => {
    const yearEnd = fixture('calendar-year-end.yaml');
    // Thu 24 Dec 11:00 EST: 2h to 13:00 on the short day, Christmas, the weekend, Mon 28 Dec 10:00 + 2h.
    expect(await run('--calendar', yearEnd, '--start', '2026-12-24T11:00:00-05:00', '--duration', '4h')).toEqual({
      code: 0,
      out: ['2026-12-28T17:00:00.000Z'],
      err: [],
    });
    // Wed 30 Dec 16:00 EST: 1h, Thu 31 Dec closed, New Year's Day, the weekend, Mon 4 Jan 09:00 + 1h.
    const r = await run('--calendar', yearEnd, '--start', '2026-12-30T21:00:00Z', '--duration', '2h');
    expect(r.out).toEqual(['2027-01-04T15:00:00.000Z']);
  });

  it('refuses a calendar whose override is not a time range, naming it', async () => {
    const file = fixture('calendar-bad-override.yaml');
    const r = await run('--calendar', file, '--start', '2026-12-24T11:00:00Z', '--duration', '4h');
    expect(r).toEqual({
      code: 2,
      out: [],
      err: [
        'kept due: calendar.overrides.2026-12-24: "9-13" is not a time range; write HH:MM-HH:MM with times from 00:00 to 24:00, several ranges separated by commas, e.g. "09:00-12:00,13:00-17:00"',
      ],
    });
  });

  it('handles a night shift across midnight', async () => {
    // Mon 15 Jun 22:00 CEST + 4h = Tue 02:00 CEST.
    const r = await run(
      '--calendar',
      fixture('calendar-night-shift.yaml'),
      '--start',
      '2026-06-15T20:00:00Z',
      '--duration',
      '4h',
    );
    expect(r.out).toEqual(['2026-06-16T00:00:00.000Z']);
  });

  it.each<[string, string[], string]>([
    [
      'a bad duration',
      ['--calendar', NY, '--start', '2026-11-25T14:00:00Z', '--duration', '16x'],
      'kept due: --duration "16x" is not a duration; use forms like 30m, 4h, 1h30m',
    ],
    [
      'a start without offset',
      ['--calendar', NY, '--start', '2026-11-25T09:00', '--duration', '4h'],
      'kept due: --start "2026-11-25T09:00" is not an ISO-8601 instant with an offset',
    ],
    [
      'a date without time',
      ['--calendar', NY, '--start', '2026-11-25', '--duration', '4h'],
      'kept due: --start "2026-11-25" is not an ISO-8601 instant',
    ],
    ['a missing option', ['--calendar', NY, '--duration', '4h'], 'kept due: --start is required'],
    [
      'an unknown option',
      ['--calendar', NY, '--start', '2026-11-25T14:00:00Z', '--duration', '4h', '--tz', 'UTC'],
      "kept due: Unknown option '--tz'",
    ],
    [
      'a reversed pause',
      [
        '--calendar',
        NY,
        '--start',
        '2026-11-25T14:00:00Z',
        '--duration',
        '4h',
        '--pause',
        '2026-11-26T00:00:00Z/2026-11-25T20:00:00Z',
      ],
      'ends before it starts',
    ],
    [
      'a pause without a slash',
      ['--calendar', NY, '--start', '2026-11-25T14:00:00Z', '--duration', '4h', '--pause', '2026-11-26T00:00:00Z'],
      'is not START/END',
    ],
    [
      'invalid calendar hours',
      ['--calendar', fixture('calendar-bad-hours.yaml'), '--start', '2026-11-25T14:00:00Z', '--duration', '4h'],
      'kept due: calendar.hours.mon: "25:00-26:00" is not a time range',
    ],
    [
      'a file that is not YAML',
      ['--calendar', fixture('calendar-not-yaml.yaml'), '--start', '2026-11-25T14:00:00Z', '--duration', '4h'],
      'is not valid YAML',
    ],
    [
      'a missing file',
      ['--calendar', fixture('nope.yaml'), '--start', '2026-11-25T14:00:00Z', '--duration', '4h'],
      'kept due: cannot read --calendar',
    ],
  ])('rejects %s with one line and exit code 2', async (_name, args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(message);
  });
});

describe('kept due as a person runs it (node bin/kept.cjs due …, its own build with a code cache)', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const kept = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kept.cjs'), 'due', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('answers the same the first time and the times after', () => {
    const args = ['--calendar', NY, '--start', '2026-11-25T15:00:00-05:00', '--duration', '4h'];
    for (let i = 0; i < 2; i++) {
      const r = kept(...args);
      expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({
        status: 0,
        out: '2026-11-27T16:00:00.000Z\n',
        err: '',
      });
    }
  });

  it('answers bad input with one line and exit code 2', () => {
    const r = kept('--calendar', NY, '--start', 'tomorrow', '--duration', '4h');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^kept due: --start "tomorrow" is not an ISO-8601 instant with an offset; .*\n$/);
  });
});
