/** `/sla help` and the App Home welcome: valid Block Kit whatever is ready. */
import {
  closestSlaWord,
  HELP_GROUPS,
  KUDOS_COMMAND,
  SLA_COMMANDS,
  typoDistance,
} from '../../../../functions/slack/commands';
import { commandHelpMessage, helpMessage } from '../../../../functions/slack/views/help';

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

it('files every command under one of the headings, with a brief line shorter than its summary', () => {
  for (const c of [...SLA_COMMANDS, KUDOS_COMMAND]) {
    expect(HELP_GROUPS).toContain(c.group);
    expect({ name: c.name, brief: c.brief.length <= 60 }).toEqual({ name: c.name, brief: true });
    expect(c.summary.length).toBeGreaterThanOrEqual(c.brief.length);
  }
  // The list and the text say the same: a screen reader reads the text, the eye the blocks.
  const { text, blocks } = helpMessage();
  for (const c of [...SLA_COMMANDS, KUDOS_COMMAND]) {
    expect(text).toContain(`• ${c.usage} — ${c.brief}`);
    expect(JSON.stringify(blocks)).toContain(c.brief);
  }
});

it('gives each command in full on its own, and never an empty or over-long section', () => {
  for (const c of [...SLA_COMMANDS, KUDOS_COMMAND]) {
    const { text, blocks } = commandHelpMessage(c.name);
    expect(text).toBe(`${c.usage} — ${c.summary}`);
    for (const block of blocks) {
      const t = (block as { text?: { text: string } }).text?.text;
      if (t !== undefined) expect(t.trim().length).toBeGreaterThan(0);
      if (t !== undefined) expect(t.length).toBeLessThanOrEqual(3000);
    }
  }
  expect(commandHelpMessage('acknowledge').text).toBe(commandHelpMessage('ack').text);
  expect(commandHelpMessage('Why').text).toBe(commandHelpMessage('explain').text);
  expect(commandHelpMessage('<!channel>').text).toContain('`/sla &lt;!channel&gt;`'); // never pings anyone
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
