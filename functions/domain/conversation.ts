/**
 * The conversation inside a request: what a reply in the card's thread (or `/sla note`) marks as an
 * internal note, and a message's text as the person typed it. Pure domain code.
 */

/**
 * A provider's reply that starts with one of these is an internal note: kept in the history, never
 * shown to the requester. Slack sends the padlock emoji as `:lock:` in message text.
 */
export const INTERNAL_MARKERS = ['(internal)', ':lock:', '🔒'] as const;

/** Whether `text` starts with an internal marker, and the text without it. */
export function internalNote(text: string): { internal: boolean; text: string } {
  const trimmed = text.trimStart();
  const lower = trimmed.toLowerCase();
  for (const marker of INTERNAL_MARKERS)
    if (lower.startsWith(marker)) return { internal: true, text: trimmed.slice(marker.length).trim() };
  return { internal: false, text: text.trim() };
}

/**
 * Slack's message text escapes `&`, `<` and `>`; the history keeps what the person typed (the views
 * escape it again). Mentions and links (`<@U1>`, `<https://…|x>`) stay as Slack wrote them.
 */
export const unescapeSlack = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
