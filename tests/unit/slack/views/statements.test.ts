/** The monthly statement DM: what each side reads, the customer's Waive buttons, and Block Kit's limits. */
import type { Button, SectionBlock } from '@slack/types';
import { multiplierFor, type Penalty, penaltyFor } from '../../../../functions/domain/agreement';
import { buildStatement, type StatementEntry } from '../../../../functions/domain/statement';
import { IDS } from '../../../../functions/slack/ids';
import { MAX_STATEMENT_LINES, statementDm } from '../../../../functions/slack/views/statements';
import { allText, known } from './blocks';

const PENALTY: Penalty = { unit: 'points', perBreach: 50, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 };
const NAMES: Record<string, string> = { it: 'IT', finance: 'Finance' };
const names = (id: string) => NAMES[id] ?? id;

function statement(count: number, waived: number[] = [], extra: StatementEntry[] = []) {
  let total = 0;
  const entries: StatementEntry[] = [];
  for (let n = 1; n <= count; n++) {
    const amount = penaltyFor(PENALTY, n, total);
    total += amount;
    entries.push({
      type: 'penalty',
      request: `IT-${n}`,
      kind: 'response',
      amount,
      unit: 'points',
      at: new Date(Date.UTC(2026, 9, 1 + (n % 28), 14)).toISOString(),
      n,
      multiplier: multiplierFor(PENALTY, n),
    });
  }
  for (const n of waived)
    entries.push({
      type: 'waiver',
      request: `IT-${n}`,
      kind: 'response',
      amount: -entries[n - 1]!.amount,
      unit: 'points',
      at: '2026-10-30T15:00:00.000Z',
      by: 'U0FINHEAD',
      reason: 'Our own network was down',
    });
  return buildStatement({
    agreementId: 'it-for-finance',
    month: '2026-10',
    terms: { provider: 'it', customer: 'finance', service: 'Laptops and accounts', penalty: PENALTY },
    entries: [...entries, ...extra],
  });
}

const waiveButtons = (blocks: readonly unknown[]) =>
  known(blocks as never)
    .flatMap((b) => (b.type === 'section' && (b as SectionBlock).accessory ? [(b as SectionBlock).accessory] : []))
    .filter((a): a is Button => (a as Button).action_id === IDS.waivePenalty);

it("the provider's heads read an apology, the amounts, tiers, cap and net, and no Waive button", () => {
  const dm = statementDm({ statement: statement(7, [2]), side: 'provider', names });
  const text = allText(dm);
  expect(text).toContain('October 2026 statement');
  expect(text).toContain('We are sorry: IT missed 7 targets for Finance in October 2026');
  expect(text).toContain('charged 500 points · waived 50 points · *net 450 points*');
  expect(text).toContain('Tiers reached: ×2 (from the 3rd)');
  expect(text).toContain('The monthly cap of 500 points was reached');
  expect(text).toContain('cut by the monthly cap');
  expect(text).toContain('Waived by <@U0FINHEAD>');
  expect(text).toContain('“Our own network was down”');
  expect(text).toContain('What helps now');
  expect(waiveButtons(dm.blocks)).toEqual([]);
});

it("the customer's heads get a Waive button per breach still charged, with the breach DM's value", () => {
  const dm = statementDm({ statement: statement(8, [2]), side: 'customer', names });
  const buttons = waiveButtons(dm.blocks);
  // IT-2 is waived; IT-7 and IT-8 cost nothing (the cap): nothing to waive there.
  expect(buttons.map((b) => JSON.parse(b.value!).id)).toEqual(['IT-1', 'IT-3', 'IT-4', 'IT-5', 'IT-6']);
  expect(JSON.parse(buttons[0]!.value!)).toEqual({ id: 'IT-1', kind: 'response' });
  expect(allText(dm)).not.toContain('We are sorry');
});

it("a resolution breach's button carries its reopen cycle", () => {
  const s = statement(
    0,
    [],
    [
      {
        type: 'penalty',
        request: 'IT-9',
        kind: 'resolution',
        amount: 50,
        unit: 'points',
        at: '2026-10-05T14:00:00.000Z',
        n: 1,
        multiplier: 1,
        cycle: 2,
      },
    ],
  );
  const [button] = waiveButtons(statementDm({ statement: s, side: 'customer', names }).blocks);
  expect(JSON.parse(button!.value!)).toEqual({ id: 'IT-9', kind: 'resolution', cycle: 2 });
});

it('a long month stays within Block Kit: the rest is one line saying how to waive with /sla waive', () => {
  const s = statement(60);
  // Without a cap in the way, every breach would be waivable.
  const uncapped = buildStatement({
    agreementId: s.agreementId,
    month: s.month,
    terms: {
      provider: 'it',
      customer: 'finance',
      service: s.service,
      penalty: { ...PENALTY, monthlyCap: undefined } as Penalty,
    },
    entries: s.breaches.map((b) => ({
      type: 'penalty',
      request: b.request,
      kind: b.kind,
      amount: 50,
      unit: 'points',
      at: b.dueAt,
      n: b.n,
      multiplier: b.multiplier,
    })),
  });
  const dm = statementDm({ statement: uncapped, side: 'customer', names });
  expect(dm.blocks.length).toBeLessThanOrEqual(50);
  expect(waiveButtons(dm.blocks)).toHaveLength(MAX_STATEMENT_LINES);
  expect(allText(dm)).toContain(`…and ${60 - MAX_STATEMENT_LINES} more breaches`);
  expect(allText(dm)).toContain('`/sla waive ID response|resolution [cycle N] your reason`');
});

it('a month without a breach is a short thank-you', () => {
  const dm = statementDm({ statement: statement(0), side: 'provider', names });
  expect(dm.blocks).toHaveLength(1);
  expect(allText(dm)).toContain('No target was missed in October 2026, so nothing is owed. Thank you');
});
