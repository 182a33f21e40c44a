/** What every listener answers with, and how it reads JSON that Slack hands back (button values, private_metadata). */

/** An answer only the asker sees. */
export type Ephemeral = { response_type: 'ephemeral'; text: string; blocks?: unknown[] };

export const say = (text: string): Ephemeral => ({ response_type: 'ephemeral', text });

/** JSON Kept wrote into a button value or a view's private_metadata; anything else reads as undefined (zod decides what it is). */
export function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
