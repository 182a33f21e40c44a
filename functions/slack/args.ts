/**
 * Words of a slash command as Slack sends them with escaping on: `<@U123|ana>` for people,
 * `<#C123|it-queue>` for channels, `<!subteam^S123|@it>` for user groups, and "quoted names"
 * (Slack may turn quotes into typographic ones).
 */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /["“”]([^"“”]*)["“”]|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? '');
  return out;
}

export const userOf = (word: string): string | undefined => /^<@([UW][A-Z0-9]{2,20})(\|[^>]*)?>$/.exec(word)?.[1];
export const channelOf = (word: string): string | undefined => /^<#([CG][A-Z0-9]{2,20})(\|[^>]*)?>$/.exec(word)?.[1];
export const usergroupOf = (word: string): string | undefined => /^<!subteam\^(S[A-Z0-9]{2,20})(\|[^>]*)?>$/.exec(word)?.[1];
