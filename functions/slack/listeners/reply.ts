/** What every listener answers with, how it opens a modal, and how it reads JSON that Slack hands back (button values, private_metadata). */
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { logger } from '../../log';
import { modal, section } from '../views/blocks';

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
 * How to answer a button press: Bolt's `respond` where the press came from a message; on the App
 * Home, which has no response_url, a small modal with the same words (a press carries a trigger).
 */
export function answerPress(
  respond: RespondFn | undefined,
  client: WebClient,
  triggerId: string | undefined,
  title = 'Kept',
): RespondFn {
  if (respond) return respond;
  const inModal = async (message: string | RespondArguments): Promise<void> => {
    const text = typeof message === 'string' ? message : (message.text ?? '');
    try {
      await client.views.open({ trigger_id: triggerId ?? '', view: noticeModal(title, text) });
    } catch (err) {
      logger.warn('answer not shown', { error: (err as Error).message, text });
    }
  };
  return inModal as unknown as RespondFn;
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

/** What a form's contents are once read: the form itself, or why it cannot be shown. */
export type FormOrRefusal = ModalView | { refusal: string };

/**
 * How long the reading behind a form may take before Kept shows a modal saying it is looking things
 * up (openThenFill). A read usually takes 5-50 ms, and the form then opens once, complete; a person
 * who clicked waits at most this long for anything to appear, and Slack's trigger (3 s from the
 * click) stays fresh for the loading modal even after a cold start.
 */
export const FILL_WAIT_MS = 300;

/**
 * Opens the form `fill` reads (or the reason it cannot be shown, in plain words). When the reading
 * is done within `waitMs` (nearly always), the modal opens once with the form: no flash of "one
 * moment", one Slack call fewer. When it is not (DynamoDB slow), a modal with `title` and a line
 * saying Kept is looking things up opens while Slack's trigger is fresh, and the form takes its
 * place when the reading ends (views.update). A reading that fails says so in the modal.
 */
export async function openThenFill(
  client: WebClient,
  triggerId: string,
  title: string,
  fill: () => Promise<FormOrRefusal>,
  onFail: () => Promise<unknown>,
  waitMs = FILL_WAIT_MS,
): Promise<void> {
  const filling = fill().then(
    (filled): ModalView => ('refusal' in filled ? noticeModal(title, filled.refusal) : filled),
    (err: unknown): ModalView => {
      logger.error('modal not filled', { modal: title, error: (err as Error).message });
      return noticeModal(title, FORM_NOT_LOADED);
    },
  );
  const ready = await doneWithin(filling, waitMs);
  if (ready) {
    await openModal(client, triggerId, ready, onFail);
    return;
  }
  let opened: { id?: string; hash?: string } | undefined;
  try {
    opened = (await client.views.open({ trigger_id: triggerId, view: loadingModal(title) })).view;
  } catch (err) {
    logger.warn('modal not opened', { modal: title, error: (err as Error).message });
    await onFail();
    return;
  }
  const next = await filling;
  try {
    await client.views.update({
      view_id: opened?.id ?? '',
      ...(opened?.hash ? { hash: opened.hash } : {}),
      view: next,
    });
  } catch (err) {
    logger.warn('modal not filled in', { modal: title, error: (err as Error).message }); // closed meanwhile
  }
}

/** What `work` resolved to if it did within `ms`, else undefined (it goes on; its timer does not hold the process). */
async function doneWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const FORM_LOADING = 'One moment: Kept is looking this up…';
export const FORM_NOT_LOADED = 'Sorry, Kept could not load this just now. Please close this and try again in a minute.';

const loadingModal = (title: string): ModalView =>
  modal({ title, close: 'Close', blocks: [section(`:hourglass_flowing_sand: ${FORM_LOADING}`)] });
export const noticeModal = (title: string, text: string): ModalView =>
  modal({ title, close: 'OK', blocks: [section(text)] });

/** JSON Kept wrote into a button value or a view's private_metadata; anything else reads as undefined (zod decides what it is). */
export function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
