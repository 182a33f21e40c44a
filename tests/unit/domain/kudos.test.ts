import { DateTime } from 'luxon';
import {
  baseEmoji,
  checkKudosContent,
  checkQuota,
  checkRecipients,
  departmentCredits,
  KUDOS_MESSAGE_MAX,
  kudosLeft,
  parseKudosText,
  parseValues,
  reactionKey,
  turnedAround,
  withinUndo,
} from '../../../functions/domain/kudos';
import type { Breach, Request } from '../../../functions/domain/request';
import { localDayOf } from '../../../functions/domain/weeks';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.value;
};
const error = (r: { ok: boolean; error?: string }): string => {
  expect(r.ok).toBe(false);
  return r.error ?? '';
};

describe('parsing /kudos', () => {
  it('reads escaped mentions, a request ID, the message and trailing #values', () => {
    expect(
      ok(
        parseKudosText(
          '<@U0BOB00001|bob> <@U0CAROL001|carol> it-42 fixed my laptop before the board meeting #Ownership #speed',
        ),
      ),
    ).toEqual({
      recipients: ['U0BOB00001', 'U0CAROL001'],
      requestId: 'IT-42',
      message: 'fixed my laptop before the board meeting',
      values: ['ownership', 'speed'],
    });
  });

  it('takes mentions without a label, commas and "and" between them, and drops repeats', () => {
    expect(ok(parseKudosText('<@U0BOB00001>, <@U0CAROL001> and <@U0BOB00001> thanks!')).recipients).toEqual([
      'U0BOB00001',
      'U0CAROL001',
    ]);
  });

  it('keeps a #value inside the message in the text, and mentions later in the message are not recipients', () => {
    const k = ok(parseKudosText('<@U0BOB00001> great #teamwork with <@U0CAROL001> today'));
    expect(k).toEqual({
      recipients: ['U0BOB00001'],
      message: 'great #teamwork with <@U0CAROL001> today',
      values: ['teamwork'],
    });
  });

  it('without a request ID the first word is the message', () => {
    expect(ok(parseKudosText('<@U0BOB00001> thanks')).requestId).toBeUndefined();
  });

  it('refuses an empty message, also when only #values are given', () => {
    expect(error(parseKudosText('<@U0BOB00001>'))).toMatch(/^Say what you are thanking them for/);
    expect(error(parseKudosText('<@U0BOB00001> IT-42 #ownership'))).toMatch(/^Say what you are thanking them for/);
  });

  it('asks who, when nobody is mentioned; a typed @name is named', () => {
    expect(error(parseKudosText('thanks a lot'))).toMatch(/^Who are you thanking\?/);
    expect(error(parseKudosText(''))).toMatch(/^Who are you thanking\?/);
    expect(error(parseKudosText('@bob thanks'))).toMatch(/^Kept could not read @bob as a person/);
  });

  it(`refuses a message over ${KUDOS_MESSAGE_MAX} characters, counting emoji as one`, () => {
    expect(ok(parseKudosText(`<@U0BOB00001> ${'👍🏽'.repeat(KUDOS_MESSAGE_MAX)}`)).message).toHaveLength(
      '👍🏽'.length * KUDOS_MESSAGE_MAX,
    );
    expect(error(parseKudosText(`<@U0BOB00001> ${'x'.repeat(KUDOS_MESSAGE_MAX + 1)}`))).toMatch(
      /501 characters; keep it to 500/,
    );
  });

  it('limits recipients and values', () => {
    const many = Array.from({ length: 11 }, (_, i) => `<@U0P${String(i).padStart(6, '0')}>`).join(' ');
    expect(error(parseKudosText(`${many} thanks`))).toMatch(/11 people; thank up to 10/);
    expect(
      error(checkKudosContent({ recipients: ['U0BOB00001'], message: 'x', values: ['a', 'b', 'c', 'd', 'e', 'f'] })),
    ).toMatch(/6 #values/);
  });

  it("reads the modal's values field", () => {
    expect(parseValues('#Ownership, speed  #speed')).toEqual(['ownership', 'speed']);
    expect(parseValues('')).toEqual([]);
    expect(parseValues('two words!')).toBeUndefined();
  });
});

describe('who may be thanked', () => {
  it('refuses kudos to yourself, alone or among others', () => {
    expect(error(checkRecipients({ giver: 'U0ALICE001', recipients: ['U0ALICE001'], bots: new Set() }))).toMatch(
      /cannot give them to yourself/,
    );
    expect(
      error(checkRecipients({ giver: 'U0ALICE001', recipients: ['U0BOB00001', 'U0ALICE001'], bots: new Set() })),
    ).toMatch(/yourself/);
  });

  it('refuses kudos to a bot, and names it', () => {
    expect(
      error(
        checkRecipients({
          giver: 'U0ALICE001',
          recipients: ['U0BOB00001', 'U0KEPTBOT1'],
          bots: new Set(['U0KEPTBOT1']),
        }),
      ),
    ).toBe('<@U0KEPTBOT1> is a bot; kudos are for people.');
  });

  it('allows people', () => {
    expect(checkRecipients({ giver: 'U0ALICE001', recipients: ['U0BOB00001'], bots: new Set(['U0KEPTBOT1']) }).ok).toBe(
      true,
    );
  });
});

describe("the daily quota, in the giver's time zone", () => {
  it('counts each person thanked as one', () => {
    expect(checkQuota(3, 2, 5).ok).toBe(true);
    expect(error(checkQuota(4, 2, 5))).toMatch(/That is 2 kudos and you have 1 left today/);
    expect(error(checkQuota(5, 1, 5))).toMatch(/^You have given your 5 kudos for today/);
    expect(kudosLeft(7, 5)).toBe(0);
  });

  it('a new day starts at midnight where the giver is, not in UTC', () => {
    // 23:30 in New York on Monday 23 Nov 2026 is already Tuesday in UTC.
    const before = DateTime.fromISO('2026-11-23T23:30', { zone: 'America/New_York' }).toMillis();
    const after = DateTime.fromISO('2026-11-24T00:05', { zone: 'America/New_York' }).toMillis();
    expect(localDayOf(before, 'America/New_York').day).toBe('2026-11-23');
    expect(localDayOf(after, 'America/New_York').day).toBe('2026-11-24');
    expect(localDayOf(before, 'UTC').day).toBe('2026-11-24');
    // In Tokyo the same instants are both on the 24th.
    expect(localDayOf(before, 'Asia/Tokyo').day).toBe('2026-11-24');
    expect(localDayOf(after, 'Asia/Tokyo').day).toBe('2026-11-24');
  });

  it("the week is the ISO week of the giver's local date; an unknown zone falls back to UTC", () => {
    const sundayNight = DateTime.fromISO('2026-11-29T22:00', { zone: 'America/Los_Angeles' }).toMillis();
    expect(localDayOf(sundayNight, 'America/Los_Angeles')).toEqual({ day: '2026-11-29', week: '2026-W48' });
    expect(localDayOf(sundayNight, 'UTC')).toEqual({ day: '2026-11-30', week: '2026-W49' });
    expect(localDayOf(sundayNight, 'Not/AZone')).toEqual({ day: '2026-11-30', week: '2026-W49' });
  });
});

describe('what a kudos counts for', () => {
  it("one per recipient in each of their departments, and the request's provider once per recipient", () => {
    expect(
      departmentCredits({
        recipients: ['A', 'B', 'C'],
        departments: { A: ['it'], B: ['it', 'finance'], C: [] },
        provider: 'it',
      }),
    ).toEqual({ it: 3, finance: 1 });
    expect(departmentCredits({ recipients: ['A', 'C'], departments: { A: ['it'] } })).toEqual({ it: 1 });
  });

  it('reactions: key, base emoji, and the 5-minute window', () => {
    expect(reactionKey({ user: 'U1', channel: 'C1', ts: '1.2', emoji: 'kudos' })).toBe('U1:C1:1.2:kudos');
    expect(baseEmoji('kudos::skin-tone-3')).toBe('kudos');
    expect(baseEmoji('tada')).toBe('tada');
    expect(withinUndo(0, 5 * 60_000)).toBe(true);
    expect(withinUndo(0, 5 * 60_000 + 1)).toBe(false);
  });
});

describe('turned it around', () => {
  const breach = { dueAt: 0, detectedAt: 1, amount: 50, unit: 'points', month: '2026-11' } as unknown as Breach;
  const before = {
    id: 'IT-42',
    provider: 'it',
    customer: 'finance',
    breaches: { response: breach },
  } as unknown as Request;
  // Sunday 29 November 2026, 23:30 in New York: already Monday (week 49) in UTC.
  const at = Date.UTC(2026, 10, 30, 4, 30);
  const confirmed = (recovered: boolean) =>
    ({ ...before, recovery: { confirmed: { recovered, by: 'U0REQ', at } } }) as Request;

  it('is earned by the write that records "yes, put right", in the provider’s week', () => {
    expect(turnedAround(before, confirmed(true), 'America/New_York')).toEqual({
      requestId: 'IT-42',
      provider: 'it',
      customer: 'finance',
      at,
      week: '2026-W48',
    });
    expect(turnedAround(before, confirmed(true), 'UTC')?.week).toBe('2026-W49');
  });

  it('is not earned by "not really", by a later write, or without a miss', () => {
    expect(turnedAround(before, confirmed(false), 'UTC')).toBeUndefined();
    expect(turnedAround(confirmed(true), confirmed(true), 'UTC')).toBeUndefined();
    const noMiss = { ...confirmed(true), breaches: {} } as Request;
    expect(turnedAround({ ...before, breaches: {} } as Request, noMiss, 'UTC')).toBeUndefined();
  });
});
