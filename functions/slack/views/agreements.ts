/**
 * Block Kit for agreements: `/sla agreements`, the proposal DM and its answers, the decline
 * modal and the activation notice. Pure functions of domain values; all user text is escaped
 * (see agreement-terms.ts). The propose modal lives in propose-modal.ts and the department
 * views in departments.ts; both are re-exported here.
 */
import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import { type AgreementVersion, EVERY_DEPARTMENT } from '../../domain/agreement';
import { diffTerms } from '../../domain/agreement-text';
import type { Department } from '../../domain/department';
import { type AgreementRecord, type Directory, findDepartment } from '../../domain/directory';
import { answeringSide } from '../../domain/proposal';
import { IDS } from '../ids';
import type { ShownAdvice } from '../target-advice';
import { adviceBlock } from './advice';
import { agreementTitle, calendarNote, headsLabel, nameOf, termsBlocks, termsText } from './agreement-terms';
import { button, capGroups, context, header, modal, plain, type SlackMessage, section } from './blocks';
import { clip, dateOf, escapeMrkdwn, mentionList, mentionUser, quoted } from './format';

export { nameOf, targetsTable, termsBlocks } from './agreement-terms';
export { departmentMessage, departmentsMessage } from './departments';
export {
  blockForIssuePath,
  PROPOSE_BLOCK_IDS,
  proposeModal,
  readProposeView,
  type ViewStateValues,
} from './propose-modal';

/** Above the advice in the proposal DMs. */
const ADVICE_HEADING = '*What the last quarter says about these targets*';

/** The most blocks a list message uses, leaving room under Slack's 50. */
export const LIST_BLOCKS = 45;

// ---------------------------------------------------------------------------------------------
// /sla agreements <dept>

function pendingLine(pending: AgreementVersion, dir: Directory): string {
  return `Proposal for version ${pending.version} waiting for ${escapeMrkdwn(headsLabel(answeringSide(pending), dir))} since ${dateOf(pending.createdAt)}`;
}

function recordBlocks(record: AgreementRecord, department: Department, dir: Directory): KnownBlock[] {
  const terms = record.active ?? record.pending;
  if (!terms) return [];
  const names = nameOf(dir);
  const provider = escapeMrkdwn(names(terms.provider));
  const role =
    terms.provider === department.id
      ? `${provider} promises ${terms.customer === EVERY_DEPARTMENT ? 'every department' : escapeMrkdwn(names(terms.customer))}`
      : `${provider} promises ${escapeMrkdwn(department.name)}${terms.customer === EVERY_DEPARTMENT ? ' (as it promises every department)' : ''}`;
  const status = record.active
    ? `version ${record.active.version}, active since ${dateOf(record.active.activatedAt ?? record.active.createdAt)}`
    : `_Proposed (not active yet)_ · version ${terms.version}, proposed on ${dateOf(terms.createdAt)}`;
  const notes = [calendarNote(terms, dir)];
  if (record.pending) notes.push(pendingLine(record.pending, dir));
  return [section(`*${agreementTitle(terms, dir)}*\n${role} · ${status}\n${termsText(terms)}`), context(...notes)];
}

export interface AgreementsMessageInput {
  department: Department;
  records: AgreementRecord[];
  dir: Directory;
}

/** The answer to `/sla agreements it`: every agreement binding the department, providing ones first. */
export function agreementsMessage({ department, records, dir }: AgreementsMessageInput): SlackMessage {
  const name = escapeMrkdwn(department.name);
  const shown = records
    .filter((r) => r.active ?? r.pending)
    .map((r, i) => ({ r, i, providing: (r.active ?? r.pending)!.provider === department.id }))
    .sort((a, b) => Number(b.providing) - Number(a.providing) || a.i - b.i)
    .map((x) => x.r);
  const top = header(`Agreements binding ${department.name}`);
  if (shown.length === 0) {
    const text = `No agreements bind ${name} yet. A head of ${name} can start one with \`/sla propose\`, or a Kept admin can import agreements as code (see the README).`;
    return { text, blocks: [top, section(text)] };
  }
  const blocks = capGroups(
    [top],
    shown.map((r) => recordBlocks(r, department, dir)),
    (n) => `and ${n} more — too many to show in one message.`,
    LIST_BLOCKS,
  );
  const titles = shown.slice(0, 10).map((r) => agreementTitle((r.active ?? r.pending)!, dir));
  const text = `Agreements binding ${name} (${shown.length}): ${titles.join('; ')}${shown.length > titles.length ? '; …' : ''}`;
  return { text: clip(text, 3000), blocks };
}

// ---------------------------------------------------------------------------------------------
// Proposals

export interface Decision {
  by: string;
  at: string;
  outcome: 'accepted' | 'declined' | 'withdrawn';
  reason?: string;
}

/** The outcome, as the proposal's DM says it to `reader`: "You accepted it" to the person who did. */
function decisionLine(d: Decision, reader?: string): string {
  const reason = d.reason ? `: ${escapeMrkdwn(d.reason)}` : '';
  switch (d.outcome) {
    case 'accepted':
      return d.by === reader
        ? `✅ You accepted it on ${dateOf(d.at)}`
        : `✅ Accepted by ${mentionUser(d.by)} on ${dateOf(d.at)}`;
    case 'declined':
      return d.by === reader
        ? `❌ You declined it on ${dateOf(d.at)}${reason}`
        : `❌ Declined by ${mentionUser(d.by)} on ${dateOf(d.at)}${reason}`;
    case 'withdrawn':
      return 'Withdrawn: replaced by a newer version';
  }
}

/** Accept (with a confirm) and Decline for a waiting proposal: in its DM and on the App Home. */
export function decisionButtons(proposal: Pick<AgreementVersion, 'id' | 'version'>): ActionsBlock {
  const value = JSON.stringify({ id: proposal.id, version: proposal.version });
  return {
    type: 'actions',
    elements: [
      {
        ...button(IDS.acceptProposal, 'Accept', value, 'primary'),
        confirm: {
          title: plain('Accept this proposal?'),
          text: plain(`Activate version ${proposal.version}? Requests filed from now on use these terms.`),
          confirm: plain('Accept'),
          deny: plain('Not yet'),
        },
      },
      button(IDS.declineProposal, 'Decline', value),
    ],
  };
}

export interface ProposalMessageInput {
  proposal: AgreementVersion;
  /** The version in force, when the proposal changes an agreement. */
  active?: AgreementVersion;
  dir: Directory;
  /** Set once the proposal is answered: the buttons give way to the outcome. */
  decided?: Decision;
  /** Whose DM it is: the person who answered reads "You accepted it", not their own mention. */
  reader?: string;
  /** What the last quarter says about the proposed targets; shown until the proposal is answered. */
  advice?: ShownAdvice | undefined;
}

/** The DM to the other side's heads, and the same message once they answered. */
export function proposalMessage({
  proposal,
  active,
  dir,
  decided,
  reader,
  advice,
}: ProposalMessageInput): SlackMessage {
  const names = nameOf(dir);
  const proposer = proposal.proposedBy ? mentionUser(proposal.proposedBy) : 'Someone';
  const side = proposal.proposedFor ? ` (${escapeMrkdwn(names(proposal.proposedFor))})` : '';
  const intro = `${proposer}${side} proposes version ${proposal.version} of *${agreementTitle(proposal, dir)}*`;
  let changes: string;
  if (active) {
    const lines = diffTerms(active, proposal, names);
    changes = `*What changes against version ${active.version}*\n${lines.length ? lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n') : 'No changes to the terms'}`;
  } else {
    changes = 'This is a new agreement.';
  }
  const blocks: KnownBlock[] = [section(intro), section(changes), ...termsBlocks(proposal, dir, '*The terms*')];
  if (advice && !decided) blocks.push(adviceBlock(advice, ADVICE_HEADING));
  blocks.push(decided ? context(decisionLine(decided, reader)) : decisionButtons(proposal));
  const text = decided ? `${intro}: ${decisionLine(decided, reader)}` : intro;
  return { text: clip(text, 3000), blocks };
}

/**
 * The DM to the person who proposed, once their proposal is declined: who declined which version,
 * their reason first, then what stays in force and what was proposed, and how to try again.
 */
export function declinedMessage({
  proposal,
  active,
  dir,
  decided,
}: Omit<ProposalMessageInput, 'decided'> & { decided: Decision }): SlackMessage {
  const title = agreementTitle(proposal, dir);
  const by = mentionUser(decided.by);
  const reason = decided.reason?.trim()
    ? decided.reason
        .trim()
        .split('\n')
        .map((l) => `> ${escapeMrkdwn(l)}`)
        .join('\n')
    : '> (no reason given)';
  const intro = `:x: ${by} declined your proposal for *version ${proposal.version}* of *${title}*. Their reason:\n${reason}`;
  const inForce =
    active?.status === 'active'
      ? `Version ${active.version} stays in force, so nothing changes for requests.`
      : 'Nothing was in force under this agreement, so nothing changes for requests.';
  const changes = active
    ? diffTerms(active, proposal, nameOf(dir)).map((l) => `• ${escapeMrkdwn(l)}`)
    : ['• A new agreement'];
  const blocks: KnownBlock[] = [
    section(intro),
    section(
      `${inForce}\n*What version ${proposal.version} would have changed*\n${changes.join('\n') || '• No changes to the terms'}`,
    ),
    ...termsBlocks(proposal, dir, `*Version ${proposal.version} as you proposed it*`),
    context(
      `Declined on ${dateOf(decided.at)}. To try again with their reason in mind: ${
        active?.status === 'active'
          ? `\`/sla propose ${escapeMrkdwn(proposal.id)}\` opens the form with the terms in force.`
          : '`/sla propose` opens a new form.'
      }`,
    ),
  ];
  const text = `${by} declined version ${proposal.version} of ${title}: ${decided.reason?.trim() ? quoted(clip(decided.reason.trim(), 500)) : 'no reason given'}`;
  return { text: clip(text, 3000), blocks };
}

/** Asks for the reason when a head declines; the proposer sees it. */
export function declineModal({ id, version }: { id: string; version: number }): ModalView {
  return modal({
    callbackId: IDS.declineModal,
    title: 'Decline proposal',
    submit: 'Decline',
    close: 'Cancel',
    metadata: JSON.stringify({ id, version }),
    blocks: [
      {
        type: 'input',
        block_id: IDS.declineReasonBlock,
        label: plain('Why? The proposer will see this.'),
        element: { type: 'plain_text_input', action_id: IDS.value, multiline: true, max_length: 500 },
      },
    ],
  });
}

/** Sent to both sides' heads when a proposal is accepted. */
export function activatedMessage({
  agreement,
  dir,
  acceptedBy,
}: {
  agreement: AgreementVersion;
  dir: Directory;
  acceptedBy: string;
}): SlackMessage {
  const intro = `*${agreementTitle(agreement, dir)}* version ${agreement.version} is active from now: ${mentionUser(acceptedBy)} accepted it.`;
  return {
    text: intro,
    blocks: [
      section(intro),
      ...termsBlocks(agreement, dir),
      context('Requests filed before now keep the version they were filed under; new requests use these terms.'),
    ],
  };
}

/** The confirmation to the proposer: whom the proposal went to. */
export function proposalSentMessage({
  proposal,
  dir,
  advice,
}: {
  proposal: AgreementVersion;
  dir: Directory;
  advice?: ShownAdvice | undefined;
}): SlackMessage {
  const side = answeringSide(proposal);
  const heads = side === EVERY_DEPARTMENT ? [] : (findDepartment(dir, side)?.heads ?? []);
  const to = `${escapeMrkdwn(headsLabel(side, dir))}${heads.length ? ` (${mentionList(heads)})` : ''}`;
  const intro = `Sent to ${to}: version ${proposal.version} of *${agreementTitle(proposal, dir)}*. I'll tell you here when they accept or decline.`;
  return {
    text: intro,
    blocks: [
      section(intro),
      ...termsBlocks(proposal, dir),
      ...(advice ? [adviceBlock(advice, ADVICE_HEADING)] : []),
      context('Nothing changes until they accept.'),
    ],
  };
}
