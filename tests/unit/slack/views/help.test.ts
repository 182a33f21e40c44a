/** `/sla help` and the App Home welcome: valid Block Kit whatever is ready. */
import { KUDOS_COMMAND, SLA_COMMANDS } from '../../../../functions/slack/commands';
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
