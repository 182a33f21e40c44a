/** What every listener answers with, how it opens a modal, and how it reads JSON that Slack hands back (button values, private_metadata). */
import type { RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { logger } from '../../log';

/** An answer only the asker sees. */
export type Ephemeral = { response_type: 'ephemeral'; text: string; blocks?: unknown[] };

export const say = (text: string): Ephemeral => ({ response_type: 'ephemeral', text });

/** An answer to a button only the presser sees; the message the button is on stays as it is. */
export const aside = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });

/** Answers a button press with `text` (see `aside`) and nothing else: `return refuse(respond, '…')`. */
export async function refuse(respond: RespondFn, text: string): Promise<void> {
  await respond(aside(text));
}

/**
 * Opens `view` as a modal. Slack's trigger lasts 3 seconds: when Slack did not open the form in
 * time, the failure is logged and `onFail` tells the user what to do again (each site its own words).
 */
export async function openModal(
  client: WebClient,
  triggerId: string,
  view: ModalView,
  onFail: () => Promise<unknown>,
): Promise<void> {
  try {
    await client.views.open({ trigger_id: triggerId, view });
  } catch (err) {
    logger.warn('modal not opened', { modal: view.callback_id, error: (err as Error).message });
    await onFail();
  }
}

/** JSON Kept wrote into a button value or a view's private_metadata; anything else reads as undefined (zod decides what it is). */
export function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
