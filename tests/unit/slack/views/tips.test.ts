/** What people see of `/sla tips`: this week's two tips, a page of tips, one tip, and the add/edit modal. */
import type { CatalogueEntry, Tip } from '../../../../functions/domain/tips';
import { IDS } from '../../../../functions/slack/ids';
import {
  readTipView,
  TIPS_PAGE_SIZE,
  tipCounts,
  tipMessage,
  tipModal,
  tipsListMessage,
  weekTipsMessage,
} from '../../../../functions/slack/views/tips';
import { allText, inputById, inputs } from './blocks';

const tip = (id: string, kind: Tip['kind'], title: string): Tip => ({
  id,
  kind,
  title,
  body: `${title}: a concrete behaviour a person can do this week, written out.`,
  tryThisWeek: 'Do it once a day, before noon.',
});
const entry = (t: Tip, over: Partial<CatalogueEntry> = {}): CatalogueEntry => ({
  tip: t,
  source: 'built-in',
  retired: false,
  ...over,
});

const internal = tip('int-handoff-note', 'internal', 'Write a handoff note');
const customer = tip('cus-say-no', 'customer', 'Say no with an <alternative> & a date');

describe("this week's tips", () => {
  const entries = [
    entry(internal),
    entry(tip('int-two', 'internal', 'Second'), { source: 'custom' }),
    entry(customer, { source: 'edit' }),
    entry(tip('cus-old', 'customer', 'Old'), { retired: true }),
  ];

  it('shows both tips, escaped, with what to try and the counts', () => {
    const m = weekTipsMessage('2026-W48', { internal, customer }, tipCounts(entries), false);
    expect(m.text).toBe("This week's tips (2026-W48): Write a handoff note / Say no with an <alternative> & a date");
    const text = allText(m);
    expect(text).toContain('*Serving colleagues: Write a handoff note*');
    expect(text).toContain('*Serving customers: Say no with an &lt;alternative&gt; &amp; a date*');
    expect(text).toContain('*Try this week:* Do it once a day, before noon.  ·  `int-handoff-note`');
    expect(text).toContain(
      'In rotation: 2 tips for serving colleagues, 1 for serving customers (1 added by admins, 1 edited, 1 retired).',
    );
    expect(text).toContain('`/sla tips list internal|customer` · `/sla tips show ID`');
    expect(text).not.toContain('/sla tips add');
  });

  it('shows admins the commands that change tips', () => {
    const m = weekTipsMessage('2026-W48', { internal, customer }, tipCounts(entries), true);
    expect(allText(m)).toContain('`/sla tips add internal|customer` · `/sla tips edit|retire|unretire ID`');
  });
});

describe('a page of tips', () => {
  const many = Array.from({ length: TIPS_PAGE_SIZE + 2 }, (_, i) =>
    entry(tip(`int-${i + 1}`, 'internal', `Tip ${i + 1}`), i === 0 ? { retired: true } : {}),
  );

  it('lists ids and titles, marks the retired ones and points to the next page', () => {
    const m = tipsListMessage('internal', [...many, entry(customer)], 1);
    expect(m.text).toBe(`Serving colleagues: ${TIPS_PAGE_SIZE + 2} tips, page 1 of 2`);
    const text = allText(m);
    expect(text).toContain('`int-1` ~Tip 1~ _(retired)_');
    expect(text).toContain('`int-2` Tip 2');
    expect(text).not.toContain('cus-say-no');
    expect(text).toContain(
      'Page 1 of 2. Next: `/sla tips list internal page 2`. One tip in full: `/sla tips show ID`.',
    );
  });

  it('ends on the last page', () => {
    const text = allText(tipsListMessage('internal', many, 2));
    expect(text).toContain(`\`int-${TIPS_PAGE_SIZE + 2}\` Tip ${TIPS_PAGE_SIZE + 2}`);
    expect(text).toContain('Page 2 of 2. One tip in full: `/sla tips show ID`.');
  });
});

it('shows one tip in full, with where it comes from and whether it is in the rotation', () => {
  const m = tipMessage(entry(customer, { source: 'edit', retired: true }));
  expect(m.text).toBe(`${customer.title}: ${customer.body} Try this week: ${customer.tryThisWeek}`);
  expect(allText(m)).toContain('Built in, edited by an admin. Retired: not in the rotation.');
});

describe('the add/edit modal', () => {
  it('adds a tip of a kind, with the fields and their limits', () => {
    const view = tipModal({ kind: 'customer', metadata: '{"mode":"add"}' });
    expect(view.callback_id).toBe(IDS.tipModal);
    expect(view.title.text).toBe('Add a tip');
    expect(view.submit?.text).toBe('Save');
    expect(view.private_metadata).toBe('{"mode":"add"}');
    expect(allText({ blocks: view.blocks })).toContain(
      'A new tip for serving customers. It joins the weekly rotation as soon as you save it.',
    );
    expect(inputs(view.blocks).map((b) => b.label.text)).toEqual(['Title', 'The tip', 'Try this week']);
  });

  it('edits a tip with its text filled in, and reads the form back', () => {
    const view = tipModal({ kind: 'internal', tip: internal, metadata: '{}' });
    expect(view.title.text).toBe('Edit a tip');
    expect(allText({ blocks: view.blocks })).toContain('Editing `int-handoff-note` (serving colleagues).');
    expect(inputById(view.blocks, IDS.tipTitleBlock).element).toMatchObject({ initial_value: internal.title });
    expect(
      readTipView({
        [IDS.tipTitleBlock]: { [IDS.value]: { value: ' New title ' } },
        [IDS.tipBodyBlock]: { [IDS.value]: { value: null } },
      }),
    ).toEqual({ title: ' New title ', body: '', tryThisWeek: '' });
  });
});
