/** The text helpers every view uses: escaping, cutting to Slack's limits and counting. */
import { clip, cut, escapeMrkdwn, plural } from '../../../../functions/slack/views/format';

describe('escapeMrkdwn', () => {
  it('escapes what could ping or link, and nothing else', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> <https://x.test|y>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://x.test|y&gt;',
    );
    expect(escapeMrkdwn('*bold* _it_ `code` ~s~ :tada:')).toBe('*bold* _it_ `code` ~s~ :tada:');
  });
});

describe('cut', () => {
  it('leaves text within the limit alone', () => {
    expect(cut('exactly ten', 11)).toBe('exactly ten');
  });

  it('ends a cut with … at exactly the limit', () => {
    expect(cut('abcdefghij', 5)).toBe('abcd…');
  });

  it('never leaves half an entity behind, wherever the cut falls', () => {
    const escaped = escapeMrkdwn('a<b>&c'.repeat(20));
    for (let max = 2; max < escaped.length; max++) {
      const out = cut(escaped, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith('…')).toBe(true);
      // Every & left starts a whole entity.
      expect(out.slice(0, -1)).toMatch(/^(?:[^&]|&(?:amp|lt|gt);)*$/);
    }
  });
});

it('clip cuts plain text as written: an & and letters at the cut stay (they are not an entity)', () => {
  expect(clip('Tom &amp Jerry', 9)).toBe('Tom &amp…');
  expect(cut('Tom &amp Jerry', 9)).toBe('Tom …');
  expect(clip('short', 10)).toBe('short');
});

it('plural counts in words, with the irregular plural when given', () => {
  expect(plural(0, 'request')).toBe('0 requests');
  expect(plural(1, 'request')).toBe('1 request');
  expect(plural(2, 'breach', 'breaches')).toBe('2 breaches');
  expect(plural(1, 'person', 'people')).toBe('1 person');
  expect(plural(3, 'person', 'people')).toBe('3 people');
});
