/** `/sla help` and the App Home welcome: valid Block Kit whatever is ready. */
import { closestSlaWord, KUDOS_COMMAND, SLA_COMMANDS, typoDistance } from '../../../../functions/slack/commands';
import { helpMessage } from '../../../../functions/slack/views/help';

it('lists every command, and no empty section once everything works (Slack refuses empty text)', () => {
  const { text, blocks } = helpMessage();
  for (const c of [...SLA_COMMANDS, KUDOS_COMMAND]) expect(text).toContain(c.usage);
  for (const block of blocks) {
    const t = (block as { text?: { text: string } }).text;
    if (t) expect(t.text.trim().length).toBeGreaterThan(0);
  }
  const allReady = [...SLA_COMMANDS, KUDOS_COMMAND].every((c) => c.ready);
  expect(text.includes('Coming soon')).toBe(!allReady);
  expect(blocks.length).toBeLessThanOrEqual(50);
});

describe('did you mean', () => {
  it('suggests the word a typo most likely meant, and nothing when no word is close', () => {
    expect(closestSlaWord('nwe')).toBe('new'); // two letters swapped: one edit
    expect(closestSlaWord('shwo')).toBe('show');
    expect(closestSlaWord('resovle')).toBe('resolve');
    expect(closestSlaWord('agrement')).toBe('agreements');
    expect(closestSlaWord('departmnts')).toBe('departments');
    expect(closestSlaWord('wbe')).toBe('web');
    expect(closestSlaWord('wev')).toBe('web');
    for (const far of ['frobnicate', 'x', 'kudos', 'hello', 'n'.repeat(200)])
      expect(closestSlaWord(far)).toBeUndefined();
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(typoDistance('nwe', 'new')).toBe(1);
    expect(typoDistance('new', 'new')).toBe(0);
    expect(typoDistance('', 'ack')).toBe(3);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
  });
});
