/**
 * Words of a slash command as Slack sends them with escaping on: `<@U123|ana>` for people,
 * `<#C123|it-queue>` for channels, `<!subteam^S123|@it>` for user groups, and "quoted names"
 * (Slack may turn quotes into typographic ones).
 */
import { isChannelId, isUsergroupId, isUserId } from '../domain/slack-ids';

export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /["“”]([^"“”]*)["“”]|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

/** The ID inside `<{sigil}ID|label>` when it passes `valid`. */
function mentioned(word: string, sigil: string, valid: (id: string) => boolean): string | undefined {
  if (!word.startsWith(`<${sigil}`) || !word.endsWith('>')) return undefined;
  const id = word.slice(sigil.length + 1, -1).split('|')[0] ?? '';
  return valid(id) ? id : undefined;
}

export const userOf = (word: string): string | undefined => mentioned(word, '@', isUserId);
export const channelOf = (word: string): string | undefined => mentioned(word, '#', isChannelId);
export const usergroupOf = (word: string): string | undefined => mentioned(word, '!subteam^', isUsergroupId);
