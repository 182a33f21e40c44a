/**
 * The shape of a signed Slack body, checked before Bolt parses it. Bolt reads fields of whatever
 * it is given (`payload=null` threw inside it and stopped `npm start`), and Kept's listeners rely
 * on the fields Slack always sends with each kind of delivery. A body that is not one of the
 * deliveries Kept handles, in the shape Slack sends it, is answered at once with an empty 200
 * (Slack needs nothing more) and never reaches the app.
 */
import * as z from '../zod';

const id = z.string().check(z.minLength(1));
const SlashCommandSchema = z.object({
  command: z.string().check(z.startsWith('/')),
  user_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: z.url(),
  text: z.string(),
});
const InteractionSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('block_actions'),
      user: z.object({ id }),
      actions: z.array(z.object({ action_id: z.string(), type: z.string() })).check(z.minLength(1)),
    }),
    z.object({
      type: z.literal('view_submission'),
      user: z.object({ id }),
      view: z.object({ id, callback_id: z.string(), state: z.object({ values: z.record(z.string(), z.unknown()) }) }),
    }),
    z.object({ type: z.literal('view_closed'), user: z.object({ id }), view: z.object({ id }) }),
    z.object({ type: z.enum(['shortcut', 'message_action']), user: z.object({ id }), callback_id: z.string() }),
    z.object({ type: z.literal('block_suggestion'), user: z.object({ id }), action_id: z.string() }),
  ]),
);
const EventsApiSchema = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('url_verification'), challenge: z.string() }),
    z.object({ type: z.literal('event_callback'), event: z.looseObject({ type: z.string() }) }),
  ]),
);

export type Envelope = { ok: true } | { ok: false; reason: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether `rawBody` (signed, with its content type) is a delivery Kept handles, in Slack's shape. */
export function checkEnvelope(contentType: string | undefined, rawBody: string): Envelope {
  if ((contentType ?? '').toLowerCase().startsWith('application/json')) {
    const parsed = EventsApiSchema.safeParse(parseJson(rawBody));
    return parsed.success ? { ok: true } : { ok: false, reason: 'not an Events API body Kept handles' };
  }
  const form = new URLSearchParams(rawBody);
  const payload = form.get('payload');
  if (payload !== null) {
    const parsed = InteractionSchema.safeParse(parseJson(payload));
    return parsed.success ? { ok: true } : { ok: false, reason: 'not an interaction payload Kept handles' };
  }
  const parsed = SlashCommandSchema.safeParse(Object.fromEntries(form));
  return parsed.success ? { ok: true } : { ok: false, reason: 'not a slash command Kept handles' };
}
