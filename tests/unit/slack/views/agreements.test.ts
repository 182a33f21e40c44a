import type { ActionsBlock, Button, InputBlock, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import type { AgreementTerms, AgreementVersion } from '../../../../functions/domain/agreement';
import { AgreementTermsSpec, termsFromSpec } from '../../../../functions/domain/agreement-spec';
import type { Department } from '../../../../functions/domain/department';
import type { AgreementRecord, Directory } from '../../../../functions/domain/directory';
import { HOUR_MS, MINUTE_MS } from '../../../../functions/domain/duration';
import { IDS } from '../../../../functions/slack/ids';
import {
  activatedMessage,
  agreementsMessage,
  blockForIssuePath,
  declinedMessage,
  declineModal,
  departmentMessage,
  departmentsMessage,
  PROPOSE_BLOCK_IDS,
  proposalMessage,
  proposalSentMessage,
  proposeModal,
  readProposeView,
  type ViewStateValues,
} from '../../../../functions/slack/views/agreements';
import { department, WEEK } from '../../../support/departments';

// ---------------------------------------------------------------------------------------------
// Fixtures

const it_ = department('it', 'IT', ['U0HEADIT'], { members: ['U0ALICE', 'U0BOB'], usergroup: 'S0ITTEAM1' });
const finance = department('finance', 'Finance', ['U0HEADFIN', 'U0HEADFIN2'], {
  calendar: { timezone: 'Europe/Berlin', hours: WEEK },
});

const terms: AgreementTerms = {
  provider: 'it',
  customer: 'finance',
  service: 'Laptops and accounts',
  targets: {
    P1: { response: 30 * MINUTE_MS, resolution: 4 * HOUR_MS },
    P3: { response: 8 * HOUR_MS, resolution: 40 * HOUR_MS },
  },
  penalty: { unit: 'points', perBreach: 50, tiers: [{ fromBreach: 3, multiplier: 2 }], monthlyCap: 500 },
  atRisk: 0.75,
};

const version = (v: number, extra: Partial<AgreementVersion> = {}): AgreementVersion => ({
  ...terms,
  id: 'it-for-finance-laptops',
  version: v,
  status: 'active',
  createdAt: '2026-11-01T10:00:00.000Z',
  createdBy: 'U0HEADIT',
  activatedAt: '2026-11-03T14:30:00.000Z',
  ...extra,
});

const active = version(2);
const proposal = version(3, {
  status: 'proposed',
  activatedAt: undefined,
  createdAt: '2026-11-10T09:00:00.000Z',
  proposedBy: 'U0HEADIT',
  proposedFor: 'it',
  targets: { ...terms.targets, P1: { response: 30 * MINUTE_MS, resolution: 3 * HOUR_MS } },
});

const dirOf = (departments: Department[], agreements: AgreementRecord[] = []): Directory => ({
  rev: 1,
  departments,
  agreements,
  digests: [],
});
const dir = dirOf([it_, finance], [{ id: active.id, latestVersion: 3, active, pending: proposal }]);

// ---------------------------------------------------------------------------------------------
// Helpers

const sections = (blocks: KnownBlock[]) =>
  blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
const contexts = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));
const inputs = (view: ModalView) => view.blocks.filter((b): b is InputBlock => b.type === 'input');
const input = (view: ModalView, id: string) => inputs(view).find((b) => b.block_id === id)!;

/** `<` only ever opens a mention Kept wrote itself: never @channel, never a link. */
const FORGED = /<(?!@[UW][A-Z0-9]+>|#[CG][A-Z0-9]+>|!subteam\^S[A-Z0-9]+>)/;

/** Every mrkdwn text in the blocks: what Slack parses for mentions and links (plain_text is shown as is). */
function mrkdwnTexts(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(mrkdwnTexts);
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') return [o.text];
    return Object.values(o).flatMap(mrkdwnTexts);
  }
  return [];
}

/** What Slack would send back if the user submitted the modal untouched. */
function submittedUntouched(view: ModalView): ViewStateValues {
  const values: ViewStateValues = {};
  for (const b of inputs(view)) {
    const e = b.element;
    if (e.type === 'static_select')
      values[b.block_id!] = {
        [IDS.value]: { type: e.type, selected_option: e.initial_option ? { value: e.initial_option.value! } : null },
      };
    else if (e.type === 'plain_text_input' || e.type === 'number_input')
      values[b.block_id!] = { [IDS.value]: { type: e.type, value: e.initial_value ?? null } };
  }
  return values;
}

function limitsHold(blocks: KnownBlock[], max: number) {
  expect(blocks.length).toBeLessThanOrEqual(max);
  for (const text of [...sections(blocks), ...contexts(blocks)]) expect(text.length).toBeLessThanOrEqual(3000);
  for (const b of blocks) if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(150);
}

// ---------------------------------------------------------------------------------------------

describe('agreementsMessage', () => {
  it('shows each agreement with its version, targets table, penalty, warning and calendar', () => {
    const { blocks, text } = agreementsMessage({ department: it_, records: dir.agreements, dir });
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Agreements binding IT' } });
    const [body] = sections(blocks);
    expect(body).toContain('*IT → Finance · Laptops and accounts*');
    expect(body).toContain('IT promises Finance');
    expect(body).toContain('version 2, active since 2026-11-03');
    expect(body).toMatch(/```\nPriority {2}Answer within {2}Solve within\nP1 {8}30m {12}4h\nP3 {8}8h {13}40h\n```/);
    expect(body).not.toContain('P2');
    expect(body).toContain(
      '50 points per breach; from the 3rd breach in a calendar month ×2; at most 500 points a month',
    );
    expect(body).toContain("warns when 75% of a target's time is used");
    expect(contexts(blocks)).toContain("Working time on IT's calendar (America/New_York)");
    expect(text).toContain('IT → Finance · Laptops and accounts');
  });

  it('says whose heads a pending proposal waits for: the side that did not propose', () => {
    const fromIt = agreementsMessage({ department: it_, records: dir.agreements, dir });
    expect(contexts(fromIt.blocks)).toContain("Proposal for version 3 waiting for Finance's heads since 2026-11-10");
    const fromFinance = { ...proposal, proposedBy: 'U0HEADFIN', proposedFor: 'finance' };
    const other = agreementsMessage({
      department: finance,
      records: [{ id: active.id, latestVersion: 3, active, pending: fromFinance }],
      dir,
    });
    expect(contexts(other.blocks)).toContain("Proposal for version 3 waiting for IT's heads since 2026-11-10");
  });

  it('shows the customer side as being promised to, including through every department', () => {
    const { blocks } = agreementsMessage({ department: finance, records: dir.agreements, dir });
    expect(sections(blocks)[0]).toContain('IT promises Finance');
    const everyone = { ...active, customer: '*' };
    const viaAll = agreementsMessage({
      department: finance,
      records: [{ id: active.id, latestVersion: 2, active: everyone }],
      dir,
    });
    expect(sections(viaAll.blocks)[0]).toContain('*IT → every department · Laptops and accounts*');
    expect(sections(viaAll.blocks)[0]).toContain('IT promises Finance (as it promises every department)');
  });

  it('shows an agreement that is only proposed as not active yet, with its terms', () => {
    const first = { ...proposal, version: 1 };
    const { blocks } = agreementsMessage({
      department: it_,
      records: [{ id: first.id, latestVersion: 1, pending: first }],
      dir,
    });
    expect(sections(blocks)[0]).toContain('Proposed (not active yet)');
    expect(sections(blocks)[0]).toContain('3h');
    expect(contexts(blocks)).toContain("Proposal for version 1 waiting for Finance's heads since 2026-11-10");
  });

  it('explains how to start when there are no agreements', () => {
    const { blocks, text } = agreementsMessage({ department: it_, records: [], dir });
    expect(text).toContain('No agreements bind IT yet');
    expect(text).toContain('`/sla propose`');
    expect(text).toContain('import agreements as code');
    expect(blocks).toHaveLength(2);
  });

  it('stays within 45 blocks with 60 agreements and says how many are left out', () => {
    const records = Array.from({ length: 60 }, (_, i) => {
      const a = version(1, { id: `a-${i}`, service: `Service number ${i} ${'x'.repeat(60)}` });
      return { id: a.id, latestVersion: 2, active: a, pending: { ...a, version: 2, status: 'proposed' as const } };
    });
    const { blocks } = agreementsMessage({ department: it_, records, dir });
    limitsHold(blocks, 45);
    const shown = sections(blocks).length;
    const last = blocks[blocks.length - 1]!;
    expect(last.type).toBe('context');
    expect(contexts([last])[0]).toContain(`and ${60 - shown} more`);
  });
});

describe('escaping user text', () => {
  const evil = '<!channel> & <https://evil|ok>';
  const evilDept = department('evil', '<@U0BOSS> <!here>', ['U0EVIL']);
  const bad = { ...active, provider: 'evil', service: evil };
  const badProposal = { ...proposal, provider: 'evil', service: `${evil}!`, proposedFor: 'evil' };
  const evilDir = dirOf([evilDept, finance], [{ id: bad.id, latestVersion: 3, active: bad, pending: badProposal }]);

  it.each([
    ['agreementsMessage', () => agreementsMessage({ department: evilDept, records: evilDir.agreements, dir: evilDir })],
    ['proposalMessage', () => proposalMessage({ proposal: badProposal, active: bad, dir: evilDir })],
    [
      'a declined proposalMessage',
      () =>
        proposalMessage({
          proposal: badProposal,
          dir: evilDir,
          decided: { by: 'U0HEADFIN', at: '2026-11-11T00:00:00Z', outcome: 'declined', reason: evil },
        }),
    ],
    [
      'declinedMessage',
      () =>
        declinedMessage({
          proposal: badProposal,
          active: bad,
          dir: evilDir,
          decided: { by: 'U0HEADFIN', at: '2026-11-11T00:00:00Z', outcome: 'declined', reason: `${evil}\n${evil}` },
        }),
    ],
    ['activatedMessage', () => activatedMessage({ agreement: bad, dir: evilDir, acceptedBy: 'U0HEADFIN' })],
    ['proposalSentMessage', () => proposalSentMessage({ proposal: badProposal, dir: evilDir })],
    ['departmentsMessage', () => departmentsMessage(evilDir)],
    ['departmentMessage', () => departmentMessage(evilDept)],
  ])('%s never pings or forges a link', (_, build) => {
    const { text, blocks } = build();
    expect(text).not.toMatch(FORGED);
    for (const t of mrkdwnTexts(blocks)) expect(t).not.toMatch(FORGED);
  });

  it('shows the escaped service name so people still read what was written', () => {
    const { blocks } = agreementsMessage({ department: evilDept, records: evilDir.agreements, dir: evilDir });
    expect(sections(blocks)[0]).toContain('&lt;!channel&gt; &amp; &lt;https://evil|ok&gt;');
  });
});

describe('proposalMessage', () => {
  it('names the proposer and lists what changes against the active version', () => {
    const { blocks, text } = proposalMessage({ proposal, active, dir });
    const [intro, changes, body] = sections(blocks);
    expect(intro).toBe('<@U0HEADIT> (IT) proposes version 3 of *IT → Finance · Laptops and accounts*');
    expect(text).toBe(intro);
    expect(changes).toBe('*What changes against version 2*\n• P1 solve: 4h → 3h');
    expect(body).toContain('3h');
    expect(contexts(blocks)).toContain("Working time on IT's calendar (America/New_York)");
  });

  it('says when nothing changes and when the agreement is new', () => {
    expect(sections(proposalMessage({ proposal: { ...active, version: 3 }, active, dir }).blocks)[1]).toContain(
      'No changes to the terms',
    );
    expect(sections(proposalMessage({ proposal, dir }).blocks)[1]).toBe('This is a new agreement.');
  });

  it('offers Accept and Decline buttons that carry the id and version', () => {
    const { blocks } = proposalMessage({ proposal, active, dir });
    const actions = blocks.find((b): b is ActionsBlock => b.type === 'actions')!;
    const [accept, decline] = actions.elements as Button[];
    expect(accept!.action_id).toBe(IDS.acceptProposal);
    expect(accept!.style).toBe('primary');
    expect(accept!.confirm?.text.text).toBe('Activate version 3? Requests filed from now on use these terms.');
    expect(decline!.action_id).toBe(IDS.declineProposal);
    for (const b of [accept!, decline!])
      expect(JSON.parse(b.value!)).toEqual({ id: 'it-for-finance-laptops', version: 3 });
  });

  it('shows the outcome instead of buttons once decided', () => {
    const accepted = proposalMessage({
      proposal,
      active,
      dir,
      decided: { by: 'U0HEADFIN', at: '2026-11-11T08:00:00Z', outcome: 'accepted' },
    });
    expect(accepted.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(contexts(accepted.blocks)).toContain('✅ Accepted by <@U0HEADFIN> on 2026-11-11');
    const declined = proposalMessage({
      proposal,
      dir,
      decided: { by: 'U0HEADFIN', at: '2026-11-11T08:00:00Z', outcome: 'declined', reason: 'Too tight for P1' },
    });
    expect(declined.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(contexts(declined.blocks).join()).toContain('Declined by <@U0HEADFIN> on 2026-11-11: Too tight for P1');
    const withdrawn = proposalMessage({
      proposal,
      dir,
      decided: { by: 'U0HEADIT', at: '2026-11-11T08:00:00Z', outcome: 'withdrawn' },
    });
    expect(contexts(withdrawn.blocks)).toContain('Withdrawn: replaced by a newer version');
  });
});

describe('declineModal, activatedMessage and proposalSentMessage', () => {
  it('asks for a required reason of at most 500 characters and remembers the proposal', () => {
    const view = declineModal({ id: 'it-for-finance-laptops', version: 3 });
    expect(view.callback_id).toBe(IDS.declineModal);
    expect(view.title.text).toBe('Decline proposal');
    expect(view.submit?.text).toBe('Decline');
    expect(JSON.parse(view.private_metadata!)).toEqual({ id: 'it-for-finance-laptops', version: 3 });
    const reason = input(view, IDS.declineReasonBlock);
    expect(reason.optional).toBeFalsy();
    expect(reason.label.text).toBe('Why? The proposer will see this.');
    expect(reason.element).toMatchObject({
      type: 'plain_text_input',
      action_id: IDS.value,
      multiline: true,
      max_length: 500,
    });
  });

  it('announces the new version with its terms and keeps older requests on their version', () => {
    const { blocks, text } = activatedMessage({ agreement: version(3), dir, acceptedBy: 'U0HEADFIN' });
    expect(text).toContain('*IT → Finance · Laptops and accounts* version 3 is active from now');
    expect(text).toContain('<@U0HEADFIN>');
    expect(sections(blocks)[1]).toContain('30m');
    expect(contexts(blocks).join()).toContain('Requests filed before now keep the version they were filed under');
  });

  it('tells the proposer which heads got the proposal', () => {
    const { text } = proposalSentMessage({ proposal, dir });
    expect(text).toContain("Sent to Finance's heads (<@U0HEADFIN>, <@U0HEADFIN2>)");
    expect(text).toContain('version 3 of *IT → Finance · Laptops and accounts*');
  });
});

describe('proposeModal and readProposeView', () => {
  it('is a modal with the expected ids, labels and one input per field of the terms', () => {
    const view = proposeModal({ departments: [it_, finance] });
    expect(view).toMatchObject({
      callback_id: IDS.proposeModal,
      title: { text: 'Propose an agreement' },
      submit: { text: 'Send proposal' },
      close: { text: 'Cancel' },
    });
    expect(view.private_metadata).toBe('{}');
    expect(inputs(view).map((b) => b.block_id)).toEqual([...PROPOSE_BLOCK_IDS]);
    for (const b of inputs(view)) expect((b.element as { action_id?: string }).action_id).toBe(IDS.value);
    expect(input(view, 'provider').label.text).toBe('Provider (who makes the promise)');
    expect(input(view, 'targets.P2.resolution')).toMatchObject({
      optional: true,
      label: { text: 'P2 — solve within' },
    });
    expect(input(view, 'penalty.per_breach').element).toEqual({
      type: 'number_input',
      action_id: IDS.value,
      is_decimal_allowed: true,
    });
    expect(input(view, 'at_risk').element).toMatchObject({ initial_value: '75' });
    expect(input(view, 'penalty.unit').element).toMatchObject({ initial_value: 'points' });
    expect(input(view, 'customer').element).toMatchObject({
      options: [{ value: '*', text: { text: 'Every department' } }, { value: 'it' }, { value: 'finance' }],
    });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });

  it('preselects a known provider and ignores an unknown one', () => {
    expect(
      input(proposeModal({ departments: [it_, finance], initial: { provider: 'finance' } }), 'provider').element,
    ).toMatchObject({ initial_option: { value: 'finance' } });
    expect(
      input(proposeModal({ departments: [it_, finance], initial: { provider: 'gone' } }), 'provider').element,
    ).not.toHaveProperty('initial_option');
  });

  it('prefills every field from the agreement it changes, and reading it back gives the same terms', () => {
    const base = version(2, {
      customer: '*',
      atRisk: 0.7,
      penalty: {
        unit: 'EUR',
        perBreach: 12.5,
        tiers: [
          { fromBreach: 3, multiplier: 2 },
          { fromBreach: 5, multiplier: 3.5 },
        ],
        monthlyCap: 400,
      },
    });
    const view = proposeModal({ departments: [it_, finance], base });
    expect(sections(view.blocks as KnownBlock[])[0]).toContain(
      '*IT → every department · Laptops and accounts*, now version 2',
    );
    expect(JSON.parse(view.private_metadata!)).toEqual({ agreementId: base.id, baseVersion: 2 });
    const { spec, errors } = readProposeView(submittedUntouched(view));
    expect(errors).toEqual({});
    const parsed = AgreementTermsSpec.safeParse(spec);
    expect(parsed.success).toBe(true);
    const { provider, customer, service, targets, penalty, atRisk } = base;
    expect(termsFromSpec(parsed.data!)).toEqual({ provider, customer, service, targets, penalty, atRisk });
  });

  it('reads tiers written as from_breach:multiplier pairs', () => {
    const values = submittedUntouched(proposeModal({ departments: [it_, finance], base: active }));
    values['penalty.tiers'] = { [IDS.value]: { type: 'plain_text_input', value: '3:2, 5:3' } };
    expect(readProposeView(values).spec.penalty).toEqual({
      unit: 'points',
      per_breach: 50,
      tiers: [
        { from_breach: 3, multiplier: 2 },
        { from_breach: 5, multiplier: 3 },
      ],
      monthly_cap: 500,
    });
  });

  it('reports badly written tiers and an at-risk share outside 1-99% on their blocks', () => {
    const values = submittedUntouched(proposeModal({ departments: [it_, finance], base: active }));
    values['penalty.tiers'] = { [IDS.value]: { type: 'plain_text_input', value: 'third breach doubles' } };
    values.at_risk = { [IDS.value]: { type: 'number_input', value: '150' } };
    expect(readProposeView(values).errors).toEqual({
      'penalty.tiers': 'write pairs like 3:2, 5:3 (from the 3rd breach ×2, from the 5th ×3)',
      at_risk: 'give a percentage between 1 and 99, e.g. 75',
    });
  });

  it('leaves empty fields out so the terms spec names what is missing, on the right blocks', () => {
    const values = submittedUntouched(proposeModal({ departments: [it_, finance] }));
    values['targets.P2.response'] = { [IDS.value]: { type: 'plain_text_input', value: '1h' } };
    const { spec, errors } = readProposeView(values);
    expect(errors).toEqual({});
    expect(spec.provider).toBeUndefined();
    expect(spec.targets).toEqual({ P2: { response: '1h', resolution: undefined } });
    const parsed = AgreementTermsSpec.safeParse(spec);
    expect(parsed.success).toBe(false);
    const blocks = new Set(parsed.error!.issues.map((i) => blockForIssuePath(i.path)));
    expect(blocks).toEqual(new Set(['provider', 'customer', 'service', 'targets.P2.resolution', 'penalty.per_breach']));
  });

  it('maps issue paths of the terms spec to the blocks that show them', () => {
    expect(blockForIssuePath(['targets'])).toBe('targets.P1.response');
    expect(blockForIssuePath(['targets', 'P2'])).toBe('targets.P2.response');
    expect(blockForIssuePath(['targets', 'P2', 'resolution'])).toBe('targets.P2.resolution');
    expect(blockForIssuePath(['penalty'])).toBe('penalty.per_breach');
    expect(blockForIssuePath(['penalty', 'tiers', 1, 'from_breach'])).toBe('penalty.tiers');
    expect(blockForIssuePath(['penalty', 'monthly_cap'])).toBe('penalty.monthly_cap');
    expect(blockForIssuePath(['at_risk'])).toBe('at_risk');
    expect(blockForIssuePath([])).toBe('service');
    expect(blockForIssuePath(['colour'])).toBe('service');
  });

  it('keeps within Slack limits even with 150 departments with long names', () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      department(`d-${i}`, `Department ${i} ${'with a very long name '.repeat(3)}`.slice(0, 80), ['U0HEAD']),
    );
    const view = proposeModal({ departments: many, base: active });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
    for (const b of inputs(view)) {
      expect(b.label.text.length).toBeLessThanOrEqual(2000);
      if (b.element.type === 'static_select') {
        expect(b.element.options!.length).toBeLessThanOrEqual(100);
        for (const o of b.element.options!) expect(o.text.text.length).toBeLessThanOrEqual(75);
        expect(b.element.options!.some((o) => o.text.text.endsWith('…'))).toBe(true);
      }
    }
  });
});

describe('declinedMessage', () => {
  const decided = {
    by: 'U0HEADFIN',
    at: '2026-11-11T08:00:00Z',
    outcome: 'declined' as const,
    reason: 'Too tight for P1.\nAsk again in spring.',
  };

  it('says who declined which version, with the reason first, and what stays in force', () => {
    const { text, blocks } = declinedMessage({ proposal, active, dir, decided });
    const [first, second] = sections(blocks);
    expect(first).toMatch(/^:x: <@U0HEADFIN> declined your proposal for \*version \d+\* of /);
    expect(first).toMatch(/Their reason:\n> Too tight for P1\.\n> Ask again in spring\.$/);
    expect(second).toMatch(new RegExp(`^Version ${active.version} stays in force`));
    expect(text).toMatch(/^<@U0HEADFIN> declined version \d+ of .*: “Too tight for P1\./);
    expect(contexts(blocks).join()).toContain(`\`/sla propose ${proposal.id}\``);
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('for a new agreement, says nothing was in force and how to start again', () => {
    const { blocks } = declinedMessage({ proposal, dir, decided });
    const all = sections(blocks).join('\n');
    expect(all).toContain('Nothing was in force under this agreement');
    expect(all).toContain('• A new agreement');
    expect(contexts(blocks).join()).toContain('`/sla propose` opens a new form');
  });
});
