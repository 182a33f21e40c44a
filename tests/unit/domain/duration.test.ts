import fc from 'fast-check';
import { formatDuration, HOUR_MS, MINUTE_MS, parseDuration } from '../../../functions/domain/duration';

describe('parseDuration', () => {
  it.each([
    ['30m', 30 * MINUTE_MS],
    ['4h', 4 * HOUR_MS],
    ['1h30m', 90 * MINUTE_MS],
    ['90m', 90 * MINUTE_MS],
    ['120h', 120 * HOUR_MS],
    ['0h5m', 5 * MINUTE_MS],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    '',
    '16x',
    '4',
    'h',
    '4 h',
    ' 4h',
    '4h ',
    '1.5h',
    '-4h',
    '4H',
    '1h90m',
    '30m1h',
    '1d',
    '4h30',
    'PT4H',
    '1h30m0s',
  ])('rejects %j and names the accepted forms', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('use forms like 30m, 4h, 1h30m');
  });

  it('rejects zero and absurdly long durations with their own reasons', () => {
    expect(parseDuration('0m')).toEqual({ ok: false, error: expect.stringContaining('zero') });
    expect(parseDuration('0h0m')).toEqual({ ok: false, error: expect.stringContaining('zero') });
    expect(parseDuration('100001h')).toEqual({ ok: false, error: expect.stringContaining('too long') });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (input) => {
        const r = parseDuration(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('answers quickly even for long hostile input', () => {
    const r = parseDuration(`${'1'.repeat(100_000)}hx`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(200);
  });
});

describe('formatDuration', () => {
  it('writes the canonical form', () => {
    expect(formatDuration(30 * MINUTE_MS)).toBe('30m');
    expect(formatDuration(4 * HOUR_MS)).toBe('4h');
    expect(formatDuration(90 * MINUTE_MS)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(-90 * MINUTE_MS)).toBe('-1h30m');
  });

  it('round-trips every positive whole-minute duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 * 60 }), (minutes) => {
        const ms = minutes * MINUTE_MS;
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
      }),
      { numRuns: 5000 },
    );
  });
});
