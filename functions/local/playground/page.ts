/**
 * The playground's one page, a pure function of what the Slack stand-in holds: the person picker,
 * the conversations, the messages Kept left there (threads, reactions, ephemeral replies), the App
 * Home, the open modal, and Kept's clock. Plain HTML forms: no script is needed to use it.
 */
import type { EphemeralMessage, PostedMessage } from '../fake-slack';
import { BOT } from '../fake-slack';
import { drawBlocks, esc, mrkdwn, type Names } from './blockkit';
import type { PlaygroundPerson } from './people';

export interface PageState {
  as: string;
  /** The conversation shown: a channel ID, the DM with Kept (`D…`), or `home`. */
  where: string;
  people: readonly PlaygroundPerson[];
  channels: { id: string; name: string }[];
  /** The person's DM with Kept. */
  dm: string;
  messages: PostedMessage[];
  ephemerals: EphemeralMessage[];
  home: Record<string, unknown> | undefined;
  modal: { id: string; view: Record<string, unknown>; errors: Record<string, string> } | undefined;
  clock: Date;
  offsetMs: number;
  notice?: string;
  reactions: Map<string, Map<string, Set<string>>>;
}

/** Reactions offered under each message: the kudos emoji and the request gestures. */
const REACTIONS = [
  { emoji: 'kudos', label: '🙌 kudos' },
  { emoji: 'ticket', label: '🎫 file as a request' },
  { emoji: 'eyes', label: '👀 take it' },
  { emoji: 'white_check_mark', label: '✅ resolve' },
];
const REACTION_GLYPH: Record<string, string> = { kudos: '🙌', ticket: '🎫', eyes: '👀', white_check_mark: '✅' };

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1c1d;background:#f8f8f8}
.banner{background:#fff4d6;border-bottom:1px solid #e8d49a;padding:8px 16px;font-size:14px}
.app{display:grid;grid-template-columns:260px 1fr;min-height:calc(100vh - 40px)}
nav{background:#3f0e40;color:#fff;padding:12px}nav a{color:#fff;text-decoration:none;display:block;padding:3px 8px;border-radius:6px}
nav a.here{background:#1164a3}nav h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;opacity:.7;margin:16px 0 4px}
nav select{width:100%;padding:4px}nav .clock{font-size:13px;opacity:.9}nav form.inline button{margin:2px 2px 0 0}
main{padding:16px 24px;max-width:900px}h1{font-size:20px;margin:0 0 12px}
.msg{background:#fff;border:1px solid #e3e3e3;border-radius:8px;padding:10px 12px;margin:0 0 10px}
.msg .who{font-weight:700}.msg .when{color:#616061;font-size:12px;margin-left:6px}
.eph{border-style:dashed;background:#f4f8fb}.eph .only{color:#616061;font-size:12px}
.thread{margin:8px 0 0 16px;border-left:3px solid #e3e3e3;padding-left:10px}
.b-header{font-weight:700;font-size:17px;margin:6px 0}.b-section{display:flex;gap:12px;justify-content:space-between;margin:4px 0}
.b-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}.b-context{color:#616061;font-size:13px;margin:4px 0}
.b-actions{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0}.b-input{display:block;margin:10px 0}.b-label{display:block;font-weight:600;margin-bottom:3px}
.b-input input,.b-input textarea,.b-input select{width:100%;padding:6px;font:inherit}.b-input textarea{min-height:70px}
.b-hint{display:block;color:#616061;font-size:12px}.b-error{display:block;color:#b00020;font-size:13px;margin-top:3px}
.choice{display:block;font-weight:400}
.btn{display:inline-block;border:1px solid #bbb;background:#fff;border-radius:6px;padding:4px 10px;font:inherit;cursor:pointer;color:#1d1c1d;text-decoration:none}
.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}.btn.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
form.inline{display:inline}.muted{color:#616061}.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.quote{border-left:3px solid #ddd;padding-left:6px;display:inline-block}code{background:#f2f2f2;padding:0 3px;border-radius:3px}
.reacts{margin-top:6px;font-size:13px}.reacts .count{border:1px solid #ccc;border-radius:10px;padding:0 6px;margin-right:4px}
.reacts select{font-size:13px}.composer{display:flex;gap:8px;margin-top:12px}.composer input{flex:1;padding:8px;font:inherit}
.reply{display:flex;gap:6px;margin-top:6px}.reply input{flex:1;padding:4px}
.overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:flex-start;justify-content:center;padding-top:5vh}
.modal{background:#fff;border-radius:10px;width:560px;max-height:88vh;overflow:auto;padding:16px 20px}
.modal h2{margin:0 0 8px;font-size:18px}.modal footer{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
.notice{background:#fde8ec;border:1px solid #e7a1b0;border-radius:6px;padding:8px 10px;margin-bottom:10px}
hr{border:0;border-top:1px solid #e3e3e3}`;

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`)
    .join('');
}

const peopleOf = (state: PageState) => state.people.map((p) => ({ id: p.id, name: p.name }));

function namesFor(state: PageState): Names {
  return {
    person: (id) => (id === BOT.userId ? 'Kept' : (state.people.find((p) => p.id === id)?.name ?? id)),
    channel: (id) => state.channels.find((c) => c.id === id)?.name ?? id,
  };
}

function messageHtml(m: PostedMessage, state: PageState, names: Names, replies: PostedMessage[]): string {
  const author = m.user ? names.person(m.user) : 'Kept';
  const body = m.blocks
    ? drawBlocks(m.blocks, {
        names,
        surface: { kind: 'message', as: state.as, in: state.where, ts: m.ts },
        people: peopleOf(state),
      })
    : mrkdwn(m.text, names);
  const counts = [...(state.reactions.get(m.ts) ?? new Map<string, Set<string>>())]
    .filter(([, who]) => who.size > 0)
    .map(
      ([emoji, who]) =>
        `<span class="count" title="${esc([...who].map(names.person).join(', '))}">${REACTION_GLYPH[emoji] ?? `:${esc(emoji)}:`} ${who.size}</span>`,
    )
    .join('');
  const react = `<form class="inline" method="post" action="/playground/react">${hidden({ as: state.as, in: state.where, ts: m.ts })}<select name="emoji" aria-label="React" onchange="this.form.submit()"><option value="" selected disabled>Add a reaction…</option>${REACTIONS.map((r) => `<option value="${r.emoji}">${r.label}</option>`).join('')}</select><noscript><button class="btn">React</button></noscript></form>`;
  const thread = replies.length
    ? `<div class="thread">${replies.map((r) => messageHtml(r, state, names, [])).join('')}</div>`
    : '';
  const reply = m.threadTs
    ? ''
    : `<form class="reply" method="post" action="/playground/say">${hidden({ as: state.as, in: state.where, thread_ts: m.ts })}<input name="text" aria-label="Reply in thread" placeholder="Reply in thread…"><button class="btn">Reply</button></form>`;
  return `<article class="msg" data-ts="${esc(m.ts)}"><div><span class="who">${esc(author)}</span>${m.edited ? '<span class="when">(edited)</span>' : ''}</div><div class="body">${body}</div><div class="reacts">${counts}${react}</div>${thread}${reply}</article>`;
}

function modalHtml(state: PageState, names: Names): string {
  if (!state.modal) return '';
  const { view, id, errors } = state.modal;
  const title = (view.title as { text?: string } | undefined)?.text ?? '';
  const submit = (view.submit as { text?: string } | undefined)?.text;
  const close = (view.close as { text?: string } | undefined)?.text ?? 'Cancel';
  const people = state.people.map((p) => ({ id: p.id, name: p.name }));
  return `<div class="overlay"><div class="modal" role="dialog" aria-label="${esc(title)}"><h2>${esc(title)}</h2><form method="post" action="/playground/submit">${hidden({ as: state.as, in: state.where, view_id: id })}${drawBlocks(view.blocks, { names, surface: { kind: 'modal', as: state.as, viewId: id }, people, errors })}<footer><button class="btn" formaction="/playground/close" formnovalidate>${esc(close)}</button>${submit ? `<button class="btn primary">${esc(submit)}</button>` : ''}</footer></form></div></div>`;
}

export function playgroundPage(state: PageState): string {
  const names = namesFor(state);
  const link = (where: string, label: string) =>
    `<a href="/?as=${esc(state.as)}&amp;in=${esc(where)}"${state.where === where ? ' class="here"' : ''}>${label}</a>`;
  const title =
    state.where === 'home'
      ? 'Kept — Home'
      : state.where === state.dm
        ? 'Kept — your messages'
        : `#${esc(names.channel(state.where))}`;
  let content: string;
  if (state.where === 'home') {
    content = state.home
      ? drawBlocks(state.home.blocks, { names, surface: { kind: 'home', as: state.as }, people: peopleOf(state) })
      : '<p class="muted">Kept has not published a Home for you yet.</p>';
  } else {
    const top = state.messages.filter((m) => !m.threadTs);
    const repliesOf = (m: PostedMessage) => state.messages.filter((r) => r.threadTs === m.ts);
    const messages = top.map((m) => messageHtml(m, state, names, repliesOf(m))).join('');
    const ephemerals = state.ephemerals
      .map(
        (e) =>
          `<article class="msg eph"><div><span class="who">Kept</span> <span class="only">Only visible to you</span></div><div class="body">${e.blocks ? drawBlocks(e.blocks, { names, surface: { kind: 'message', as: state.as, in: state.where, ts: e.ts } }) : mrkdwn(e.text, names)}</div></article>`,
      )
      .join('');
    content = `${messages || '<p class="muted">Nothing here yet.</p>'}${ephemerals}<form class="composer" method="post" action="/playground/say">${hidden({ as: state.as, in: state.where })}<input name="text" aria-label="Message" autocomplete="off" placeholder="Type /sla help, /sla new, /kudos @Ben thanks for the quick fix, or a message"><button class="btn primary">Send</button></form>`;
  }
  const clock = state.clock.toISOString().replace('T', ' ').slice(0, 16);
  const moved = state.offsetMs > 0 ? ` (moved on ${Math.round(state.offsetMs / 60_000)} min)` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Kept playground</title><style>${STYLE}</style></head><body>
<div class="banner" role="note"><b>Kept playground</b> — a local stand-in for Slack on this machine only (127.0.0.1). Nothing here reaches Slack, and it is never part of the AWS stack. Set your Slack app's settings in <code>.env</code> to run Kept against Slack.</div>
<div class="app"><nav>
<form method="get" action="/"><label>You are<br><select name="as" aria-label="You are" onchange="this.form.submit()">${state.people.map((p) => `<option value="${esc(p.id)}"${p.id === state.as ? ' selected' : ''}>${esc(p.name)} — ${esc(p.role)}</option>`).join('')}</select></label><input type="hidden" name="in" value="${esc(state.where === 'home' || state.where.startsWith('D') ? (state.channels[0]?.id ?? '') : state.where)}"><noscript><button>Switch</button></noscript></form>
<h3>Channels</h3>${state.channels.map((c) => link(c.id, `# ${esc(c.name)}`)).join('')}
<h3>Kept</h3>${link('home', 'Home')}${link(state.dm, 'Messages')}
<h3>Clock</h3><div class="clock">Kept's time: ${clock} UTC${moved}</div>
<form class="inline" method="post" action="/playground/clock">${hidden({ as: state.as, in: state.where })}<button class="btn" name="minutes" value="30">+30 min</button><button class="btn" name="minutes" value="180">+3 hours</button><button class="btn" name="minutes" value="1440">+1 day</button></form>
<p class="clock">Moving the clock runs the breach scan at the new time.</p>
</nav><main><h1>${title}</h1>${state.notice ? `<div class="notice" role="alert">${esc(state.notice)}</div>` : ''}${content}</main></div>
${modalHtml(state, names)}</body></html>`;
}
