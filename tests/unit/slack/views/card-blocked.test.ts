import type { KnownBlock, SectionBlock } from '@slack/types';
import { clocksAt } from '../../../../functions/domain/request';
import { CHANNEL_PROBLEMS, cardBlockedNotice, isChannelProblem } from '../../../../functions/slack/views/card-blocked';
import { filedConfirmation } from '../../../../functions/slack/views/request-dms';
import { calendar, file, T0 } from './fixtures';

const notice = (problem: string, title?: string) => {
  const r = file(title);
  return cardBlockedNotice({
    request: r,
    clocks: clocksAt(r, calendar, T0),
    at: T0,
    providerName: 'IT & Ops',
    customerName: 'Finance',
    channel: 'C0ITQUEUE',
    problem,
    providerId: 'it',
  });
};
const texts = (blocks: KnownBlock[]) => blocks.map((b) => (b as SectionBlock).text?.text ?? '').join('\n');

describe('the card-blocked notice to the provider heads', () => {
  it('says which channel, why in plain words, and both ways to fix it', () => {
    const m = notice('not_in_channel');
    const lead = (m.blocks[0] as SectionBlock).text!.text;
    expect(lead).toContain(
      '*IT-42* was filed with IT &amp; Ops, but Kept cannot post its card in <#C0ITQUEUE>: Kept is not a member of it.',
    );
    expect(lead).toContain('`/invite @Kept`');
    expect(lead).toContain('`/sla dept channel it #channel`');
    expect(m.text).toContain('IT-42 cannot be posted in its channel');
  });

  it('carries the card without its buttons, escaping what the requester typed', () => {
    const m = notice('is_archived', 'Printer <!channel> & <https://evil|ok>');
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(m.blocks)).toContain('Printer &lt;!channel&gt; &amp; &lt;https://evil|ok&gt;');
    expect(texts(m.blocks)).not.toContain('<!channel>');
  });

  it('an error code it has no words for is quoted as Slack gave it, escaped', () => {
    expect((notice('weird<&>').blocks[0] as SectionBlock).text!.text).toContain('Slack answered `weird&lt;&amp;&gt;`');
  });

  it('only refusals no retry can change count as channel problems', () => {
    expect(Object.keys(CHANNEL_PROBLEMS).filter(isChannelProblem)).toEqual([
      'not_in_channel',
      'channel_not_found',
      'is_archived',
    ]);
    for (const transient of ['ratelimited', 'internal_error', 'fatal_error', undefined])
      expect(isChannelProblem(transient)).toBe(false);
  });
});

it("the requester's confirmation says the card is not in the channel yet instead of linking it", () => {
  const r = file();
  const m = filedConfirmation({
    request: r,
    clocks: clocksAt(r, calendar, T0),
    timezone: 'UTC',
    providerName: 'IT',
    channel: 'C0ITQUEUE',
    cardMissing: true,
    cardLink: 'https://x.slack.com/archives/C0ITQUEUE/p1',
  });
  expect(texts(m.blocks)).toContain("Kept cannot post the card in <#C0ITQUEUE> yet; IT's heads have it by DM.");
  expect(texts(m.blocks)).not.toContain('the card>');
});
