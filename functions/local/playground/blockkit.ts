/**
 * Block Kit and mrkdwn drawn as HTML for the playground: a pure function of the blocks Kept sent
 * to the Slack stand-in. Interactive elements become form controls; pressing one posts to the
 * playground, which sends Kept the signed request Slack would (server.ts).
 */

/** Names to show for the IDs Kept writes (`<@U…>`, `<#C…>`, `<!subteam^S…>`). */
export interface Names {
  person(id: string): string;
  channel(id: string): string;
}

/** Where an element lives, so that pressing it can say which message, home or modal it was on. */
export type Surface =
  | { kind: 'message'; as: string; in: string; ts: string }
  | { kind: 'home'; as: string }
  | { kind: 'modal'; as: string; viewId: string };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (text: unknown): string => String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  new: '🆕',
  white_square: '⬜',
  paperclip: '📎',
  large_green_square: '🟩',
  handshake: '🤝',
  bust_in_silhouette: '👤',
  arrow_up_down: '↕️',
  first_place_medal: '🥇',
  second_place_medal: '🥈',
  third_place_medal: '🥉',
  raising_hand: '🙋',
  ballot_box_with_check: '☑️',
  arrow_forward: '▶️',
  rocket: '🚀',
  inbox_tray: '📥',
  construction: '🚧',
  pause_button: '⏸️',
  no_entry_sign: '🚫',
  arrows_counterclockwise: '🔄',
  heavy_check_mark: '✔️',
  warning: '⚠️',
  rotating_light: '🚨',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  tada: '🎉',
  kudos: '🙌',
  raised_hands: '🙌',
  pray: '🙏',
  ticket: '🎫',
  eyes: '👀',
  lock: '🔒',
  bulb: '💡',
  star: '⭐',
  clipboard: '📋',
  bell: '🔔',
  x: '❌',
  speech_balloon: '💬',
  arrow_right: '➡️',
  clock3: '🕒',
  chart_with_upwards_trend: '📈',
  heart: '❤️',
  wave: '👋',
  memo: '📝',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  red_circle: '🔴',
};

/** One `<…>` of Slack's markup: a mention, a channel, a group, a date, or a link. */
function special(inner: string, names: Names): string {
  const [target = '', label] = inner.split('|', 2);
  if (target.startsWith('@')) return `<span class="mention">@${esc(names.person(target.slice(1)))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${esc(label ?? names.channel(target.slice(1)))}</span>`;
  if (target.startsWith('!subteam^')) return `<span class="mention">${esc(label ?? '@team')}</span>`;
  if (target.startsWith('!date^')) return esc(label ?? '');
  if (target.startsWith('!')) return `<span class="mention">@${esc(target.slice(1))}</span>`;
  return `<a href="${esc(target)}" target="_blank" rel="noreferrer">${esc(label ?? target)}</a>`;
}

/** Inline styling: *bold*, _italic_, ~strike~, `code`, :emoji:. Runs on text already escaped. */
function inline(text: string): string {
  return text
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s).,:;!?<])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(>])_([^_\n]+)_(?=$|[\s).,:;!?<])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(>])~([^~\n]+)~(?=$|[\s).,:;!?<])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

/** Slack's mrkdwn as HTML: escapes everything, then draws Slack's own markup. */
export function mrkdwn(text: unknown, names: Names): string {
  const source = String(text ?? '')
    .replace(/&lt;/g, '\uE000')
    .replace(/&gt;/g, '\uE001')
    .replace(/&amp;/g, '&');
  const parts: string[] = [];
  let rest = source;
  // ```pre``` blocks first, then <…> specials; the rest is escaped and styled.
  const pieces = rest.split(/```([\s\S]*?)```/g);
  for (let i = 0; i < pieces.length; i++) {
    rest = pieces[i]!;
    if (i % 2 === 1) {
      parts.push(`<pre>${esc(rest.replace(/\uE000/g, '<').replace(/\uE001/g, '>'))}</pre>`);
      continue;
    }
    const lines = rest
      .split(/(<[^<>\n]+>)/g)
      .map((chunk, j) =>
        j % 2 === 1
          ? special(chunk.slice(1, -1), names)
          : inline(esc(chunk.replace(/\uE000/g, '<').replace(/\uE001/g, '>'))),
      );
    const html = lines.join('');
    parts.push(
      html
        .split('\n')
        .map((line) => (line.startsWith('&gt; ') ? `<span class="quote">${line.slice(5)}</span>` : line))
        .join('<br>'),
    );
  }
  return parts.join('');
}

type Text = { type?: string; text?: string } | undefined;
const textOf = (t: Text, names: Names) => (t?.type === 'mrkdwn' ? mrkdwn(t.text, names) : esc(t?.text ?? ''));

interface Option {
  text?: Text;
  value?: string;
  description?: Text;
}
interface Element {
  type: string;
  action_id?: string;
  text?: Text;
  value?: string;
  style?: string;
  url?: string;
  options?: Option[];
  option_groups?: { label?: Text; options?: Option[] }[];
  initial_option?: Option;
  initial_options?: Option[];
  initial_value?: string;
  initial_user?: string;
  initial_users?: string[];
  placeholder?: Text;
  multiline?: boolean;
  max_length?: number;
  is_decimal_allowed?: boolean;
  min_value?: string;
  max_value?: string;
  image_url?: string;
  alt_text?: string;
}
interface Block {
  type: string;
  block_id?: string;
  text?: Text;
  fields?: Text[];
  accessory?: Element;
  elements?: (Element | Text)[];
  element?: Element;
  label?: Text;
  hint?: Text;
  optional?: boolean;
  image_url?: string;
  alt_text?: string;
  title?: Text;
}

/** What pressing a button or choosing from a menu sends (the playground's form fields). */
function actionFields(surface: Surface, blockId: string | undefined, element: Element): string {
  const fields: Record<string, string> = {
    as: surface.as,
    surface: surface.kind,
    block_id: blockId ?? '',
    action_id: element.action_id ?? '',
    type: element.type,
    value: element.value ?? '',
    ...(surface.kind === 'message' ? { in: surface.in, ts: surface.ts } : {}),
    ...(surface.kind === 'modal' ? { view_id: surface.viewId } : {}),
  };
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
    .join('');
}

const optionsOf = (element: Element): Option[] => [
  ...(element.options ?? []),
  ...(element.option_groups ?? []).flatMap((g) => g.options ?? []),
];

function optionTags(element: Element, names: Names, selected: (o: Option) => boolean): string {
  const tag = (o: Option) =>
    `<option value="${esc(o.value)}"${selected(o) ? ' selected' : ''}>${esc(o.text?.text ?? o.value)}</option>`;
  if (element.option_groups)
    return element.option_groups
      .map((g) => `<optgroup label="${esc(g.label?.text ?? '')}">${(g.options ?? []).map(tag).join('')}</optgroup>`)
      .join('');
  void names;
  return (element.options ?? []).map(tag).join('');
}

/** A button, overflow or select outside an input block: pressing it sends a block action. */
function interactive(
  element: Element,
  blockId: string | undefined,
  surface: Surface,
  names: Names,
  people: { id: string; name: string }[] = [],
): string {
  const style = element.style ? ` ${esc(element.style)}` : '';
  if (surface.kind === 'modal') {
    // Inside the modal's own form: the button posts the action instead of submitting.
    if (element.type !== 'button') return `<span class="muted">(${esc(element.type)})</span>`;
    const action = JSON.stringify({ block_id: blockId, action_id: element.action_id, value: element.value ?? '' });
    return `<button class="btn${style}" formaction="/playground/act" name="modal_action" value="${esc(action)}">${textOf(element.text, names)}</button>`;
  }
  if (element.type === 'button') {
    if (element.url)
      return `<a class="btn${style}" href="${esc(element.url)}" target="_blank" rel="noreferrer">${textOf(element.text, names)}</a>`;
    return `<form class="inline" method="post" action="/playground/act">${actionFields(surface, blockId, element)}<button class="btn${style}">${textOf(element.text, names)}</button></form>`;
  }
  if (element.type === 'overflow' || element.type.endsWith('_select')) {
    const choices =
      element.type === 'users_select'
        ? `<option value="" selected disabled>${esc(element.placeholder?.text ?? 'Choose someone')}</option>${people.map((p) => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join('')}`
        : `<option value="" selected disabled>${esc(element.placeholder?.text ?? (element.type === 'overflow' ? '⋯' : 'Choose'))}</option>${optionTags(element, names, () => false)}`;
    return `<form class="inline" method="post" action="/playground/act">${actionFields(surface, blockId, element)}<select name="selected" aria-label="${esc(element.placeholder?.text ?? 'More')}" onchange="this.form.submit()">${choices}</select></form>`;
  }
  return `<span class="muted">(${esc(element.type)})</span>`;
}

/** An input block's field in a modal's form (named `v:<block_id>`). */
function inputField(block: Block, names: Names, people: { id: string; name: string }[]): string {
  const element = block.element!;
  const name = `v:${block.block_id}`;
  const required = block.optional ? '' : ' required';
  const placeholder = element.placeholder?.text ? ` placeholder="${esc(element.placeholder.text)}"` : '';
  switch (element.type) {
    case 'plain_text_input':
      return element.multiline
        ? `<textarea name="${esc(name)}"${placeholder}${required}${element.max_length ? ` maxlength="${element.max_length}"` : ''}>${esc(element.initial_value)}</textarea>`
        : `<input type="text" name="${esc(name)}" value="${esc(element.initial_value)}"${placeholder}${required}${element.max_length ? ` maxlength="${element.max_length}"` : ''}>`;
    case 'number_input':
      return `<input type="number" name="${esc(name)}" value="${esc(element.initial_value)}"${element.is_decimal_allowed ? ' step="any"' : ''}${element.min_value ? ` min="${esc(element.min_value)}"` : ''}${element.max_value ? ` max="${esc(element.max_value)}"` : ''}${required}>`;
    case 'static_select':
    case 'multi_static_select': {
      const multi = element.type === 'multi_static_select';
      const initial = new Set(
        [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o!.value),
      );
      const empty = multi ? '' : `<option value=""${initial.size ? '' : ' selected'}>Choose…</option>`;
      return `<select name="${esc(name)}"${multi ? ' multiple' : ''}${required}>${empty}${optionTags(element, names, (o) => initial.has(o.value))}</select>`;
    }
    case 'users_select':
    case 'multi_users_select': {
      const multi = element.type === 'multi_users_select';
      const initial = new Set([element.initial_user, ...(element.initial_users ?? [])].filter(Boolean));
      const empty = multi ? '' : `<option value=""${initial.size ? '' : ' selected'}>Choose someone…</option>`;
      return `<select name="${esc(name)}"${multi ? ' multiple' : ''}${required}>${empty}${people
        .map((p) => `<option value="${esc(p.id)}"${initial.has(p.id) ? ' selected' : ''}>${esc(p.name)}</option>`)
        .join('')}</select>`;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const initial = new Set(
        [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o!.value),
      );
      return optionsOf(element)
        .map(
          (o) =>
            `<label class="choice"><input type="${kind}" name="${esc(name)}" value="${esc(o.value)}"${initial.has(o.value) ? ' checked' : ''}> ${textOf(o.text, names)}</label>`,
        )
        .join('');
    }
    case 'datepicker':
      return `<input type="date" name="${esc(name)}" value="${esc((element as { initial_date?: string }).initial_date)}"${required}>`;
    default:
      return `<span class="muted">(${esc(element.type)} is not drawn in the playground)</span>`;
  }
}

export interface DrawOptions {
  names: Names;
  surface: Surface;
  /** The people a users_select offers. */
  people?: { id: string; name: string }[];
  /** Errors Kept answered a modal's submission with, by block_id. */
  errors?: Record<string, string>;
}

/** Blocks drawn as HTML. */
export function drawBlocks(blocks: unknown, options: DrawOptions): string {
  if (!Array.isArray(blocks)) return '';
  const { names, surface } = options;
  return (blocks as Block[])
    .map((block) => {
      switch (block.type) {
        case 'header':
          return `<div class="b-header">${esc(block.text?.text)}</div>`;
        case 'divider':
          return '<hr>';
        case 'section': {
          const fields = block.fields?.length
            ? `<div class="b-fields">${block.fields.map((f) => `<div>${textOf(f, names)}</div>`).join('')}</div>`
            : '';
          const accessory = block.accessory
            ? interactive(block.accessory, block.block_id, surface, names, options.people)
            : '';
          return `<div class="b-section"><div class="b-text">${block.text ? textOf(block.text, names) : ''}${fields}</div>${accessory ? `<div class="b-accessory">${accessory}</div>` : ''}</div>`;
        }
        case 'context':
          return `<div class="b-context">${(block.elements ?? [])
            .map((e) =>
              (e as Element).type === 'image'
                ? `<img alt="${esc((e as Element).alt_text)}" src="${esc((e as Element).image_url)}">`
                : textOf(e as Text, names),
            )
            .join(' · ')}</div>`;
        case 'actions':
          return `<div class="b-actions">${(block.elements ?? [])
            .map((e) => interactive(e as Element, block.block_id, surface, names, options.people))
            .join('')}</div>`;
        case 'input': {
          const error = block.block_id ? options.errors?.[block.block_id] : undefined;
          return `<label class="b-input"><span class="b-label">${esc(block.label?.text)}${block.optional ? ' <span class="muted">(optional)</span>' : ''}</span>${inputField(block, names, options.people ?? [])}${block.hint ? `<span class="b-hint">${esc(block.hint.text)}</span>` : ''}${error ? `<span class="b-error" role="alert">${esc(error)}</span>` : ''}</label>`;
        }
        case 'image':
          return `<figure class="b-image"><img alt="${esc(block.alt_text)}" src="${esc(block.image_url)}">${block.title ? `<figcaption>${esc(block.title.text)}</figcaption>` : ''}</figure>`;
        default:
          return `<div class="muted">(a ${esc(block.type)} block)</div>`;
      }
    })
    .join('\n');
}

/** What a view_submission's `view.state.values` holds for the form fields the playground received. */
export function stateFromForm(
  blocks: unknown,
  form: Record<string, string | string[]>,
): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  if (!Array.isArray(blocks)) return values;
  for (const block of blocks as Block[]) {
    if (block.type !== 'input' || !block.block_id || !block.element) continue;
    const element = block.element;
    const raw = form[`v:${block.block_id}`];
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const first = list[0] ?? '';
    const option = (value: string) => {
      const found = optionsOf(element).find((o) => o.value === value);
      return found ? { text: found.text, value: found.value } : { text: { type: 'plain_text', text: value }, value };
    };
    const action = element.action_id ?? block.block_id;
    let state: Record<string, unknown>;
    switch (element.type) {
      case 'static_select':
      case 'radio_buttons':
        state = { selected_option: first ? option(first) : null };
        break;
      case 'multi_static_select':
      case 'checkboxes':
        state = { selected_options: list.filter(Boolean).map(option) };
        break;
      case 'users_select':
        state = { selected_user: first || null };
        break;
      case 'multi_users_select':
        state = { selected_users: list.filter(Boolean) };
        break;
      case 'datepicker':
        state = { selected_date: first || null };
        break;
      default:
        state = { value: first === '' ? null : first };
    }
    values[block.block_id] = { [action]: { type: element.type, ...state } };
  }
  return values;
}

/** The option a menu choice names, as Slack sends it in a block action (`selected_option`). */
export function chosenOption(blocks: unknown, blockId: string, actionId: string, value: string): unknown {
  if (!Array.isArray(blocks)) return { value };
  for (const block of blocks as Block[]) {
    const elements = [block.accessory, ...((block.elements ?? []) as Element[])].filter(Boolean) as Element[];
    for (const element of elements)
      if ((block.block_id ?? '') === blockId && element.action_id === actionId) {
        const found = optionsOf(element).find((o) => o.value === value);
        if (found) return { text: found.text, value: found.value };
      }
  }
  return { text: { type: 'plain_text', text: value }, value };
}
