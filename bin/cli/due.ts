/**
 * `kept due --calendar FILE.yaml --start ISO --duration 4h [--pause START/END ...]`
 *
 * Prints the instant a target falls due as one ISO-8601 UTC line with milliseconds
 * (e.g. `2026-11-25T19:30:00.000Z`). The file holds one calendar in the same shape as a
 * department's `calendar:` in the import file. Any invalid input: one line on stderr, exit code 2.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { NoWorkingTimeError, parseCalendar, useHolidaySource } from '../../functions/domain/calendar';
import { parseDuration } from '../../functions/domain/duration';
import { pauseClock, resumeClock, startClock, type TargetClock } from '../../functions/domain/target-clock';
import { holidayTables } from './holidays';

export interface DueIo {
  out(line: string): void;
  err(line: string): void;
  readFile(path: string): Promise<string>;
}

const USAGE = 'usage: kept due --calendar FILE.yaml --start ISO --duration 4h [--pause START/END ...]';

class Invalid extends Error {}

/** Parses an ISO-8601 instant that states its offset (Z or ±HH:MM). */
function parseInstant(text: string, what: string): number {
  const hasTime = text.includes('T') || text.includes('t');
  const tail = text.slice(-6);
  const hasOffset = /[zZ]$/.test(text) || /[+-]\d\d(:?\d\d)?$/.test(tail);
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!hasTime || !hasOffset || !parsed.isValid) {
    throw new Invalid(
      `${what} ${JSON.stringify(text)} is not an ISO-8601 instant with an offset; write e.g. 2026-11-25T09:00:00-05:00 or 2026-11-25T14:00:00Z`,
    );
  }
  return parsed.toMillis();
}

function clockOk(result: ReturnType<typeof pauseClock>): TargetClock {
  if (!result.ok) throw new Invalid(result.error.message);
  return result.value;
}

export async function due(args: string[], io: DueIo): Promise<number> {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          calendar: { type: 'string' },
          start: { type: 'string' },
          duration: { type: 'string' },
          pause: { type: 'string', multiple: true },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (e) {
      throw new Invalid(`${(e as Error).message.split('\n')[0]} (${USAGE})`);
    }
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    for (const name of ['calendar', 'start', 'duration'] as const) {
      if (values[name] === undefined) throw new Invalid(`--${name} is required (${USAGE})`);
    }
    const duration = parseDuration(values.duration);
    if (!duration.ok) throw new Invalid(`--duration ${duration.error}`);
    const start = parseInstant(values.start!, '--start');
    const pauses = (values.pause ?? []).map((p) => {
      const slash = p.indexOf('/');
      if (slash < 0)
        throw new Invalid(
          `--pause ${JSON.stringify(p)} is not START/END; write e.g. 2026-11-25T15:00:00Z/2026-11-26T09:00:00Z`,
        );
      const from = parseInstant(p.slice(0, slash), '--pause start');
      const to = parseInstant(p.slice(slash + 1), '--pause end');
      if (to <= from) throw new Invalid(`--pause ${JSON.stringify(p)} ends before it starts`);
      if (from < start) throw new Invalid(`--pause ${JSON.stringify(p)} starts before --start`);
      return { from, to, text: p };
    });
    pauses.sort((a, b) => a.from - b.from);
    for (let i = 1; i < pauses.length; i++) {
      if (pauses[i]!.from < pauses[i - 1]!.to)
        throw new Invalid(
          `--pause ${JSON.stringify(pauses[i]!.text)} overlaps --pause ${JSON.stringify(pauses[i - 1]!.text)}`,
        );
    }

    const file = values.calendar!;
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (e) {
      throw new Invalid(`cannot read --calendar ${JSON.stringify(file)}: ${(e as Error).message.split('\n')[0]}`);
    }
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (e) {
      throw new Invalid(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    // Only the holiday table of the country the calendar names, not every country's (./holidays.ts).
    useHolidaySource(holidayTables());
    const calendar = parseCalendar(data);
    if (!calendar.ok) {
      const [first, ...rest] = calendar.error;
      throw new Invalid(
        `${first}${rest.length > 0 ? ` (and ${rest.length} more ${rest.length === 1 ? 'problem' : 'problems'})` : ''}`,
      );
    }

    let clock = clockOk(startClock(calendar.value, { kind: 'resolution', target: duration.value, at: start }));
    for (const p of pauses) {
      clock = clockOk(pauseClock(calendar.value, clock, p.from));
      clock = clockOk(resumeClock(calendar.value, clock, p.to));
    }
    io.out(new Date(clock.dueAt!).toISOString());
    return 0;
  } catch (e) {
    if (e instanceof Invalid || e instanceof NoWorkingTimeError) {
      io.err(`kept due: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
