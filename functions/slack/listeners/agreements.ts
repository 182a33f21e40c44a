/**
 * Agreements in Slack: `/sla agreements [dept]`, `/sla propose [agreement]`, the propose modal,
 * and the Accept / Decline buttons (with the decline-reason modal). Rules live in
 * domain/proposal.ts; writes in store/agreements.ts; DMs are sent by the worker.
 */
import type {
  AckFn,
  App,
  BlockAction,
  ButtonAction,
  RespondArguments,
  RespondFn,
  SlashCommand,
  ViewResponseAction,
  ViewSubmitAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AgreementTermsSpec, sameTerms, termsFromSpec } from '../../domain/agreement-spec';
import {
  agreementsBinding,
  conflictingAgreement,
  type Directory,
  departmentsHeadedBy,
  departmentsOf,
  findAgreement,
  findDepartmentByIdOrName,
} from '../../domain/directory';
import { issuesOf } from '../../domain/issues';
import { checkProposal, draftProposal, mayAnswer, nobodyToAnswer, proposingSide } from '../../domain/proposal';
import {
  acceptProposal,
  declineProposal,
  getAgreementVersion,
  type StoredAgreementVersion,
  saveProposal,
} from '../../store/agreements';
import { deliveryClaimItem, isDelivered } from '../../store/deliveries';
import { readDirectory } from '../../store/directory';
import { WriteConflictError } from '../../store/transact';
import * as z from '../../zod';
import { IDS } from '../ids';
import { readShownAdvice } from '../target-advice';
import { agreementsMessage, blockForIssuePath, declineModal, proposeModal, readProposeView } from '../views/agreements';
import { MAX_MESSAGE_BLOCKS } from '../views/blocks';
import { escapeMrkdwn } from '../views/format';
import type { ListenerDeps } from './deps';
import { answerPress, aside, type Ephemeral, type FormOrRefusal, openThenFill, parseJson, refuse, say } from './reply';

function departmentList(dir: Directory): string {
  return dir.departments.map((d) => `\`${d.id}\` (${escapeMrkdwn(d.name)})`).join(', ');
}

/** `/sla agreements [dept]`: answered in the ack, from one read of the directory. */
export async function agreementsCommand(deps: ListenerDeps, user: string, arg: string | undefined): Promise<Ephemeral> {
  const dir = await readDirectory(deps.db);
  if (dir.departments.length === 0)
    return say(
      'There are no departments in Kept yet. A Kept admin adds them with `/sla dept create` or by importing agreements as code (`kept import`).',
    );
  let departments;
  if (arg) {
    const found = findDepartmentByIdOrName(dir, arg);
    if (!found)
      return say(`There is no department \`${escapeMrkdwn(arg.slice(0, 40))}\`. Departments: ${departmentList(dir)}.`);
    departments = [found];
  } else {
    departments = departmentsOf(dir, user);
    if (departments.length === 0)
      return say(
        `You are not in any department yet, so tell me which one, e.g. \`/sla agreements ${dir.departments[0]!.id}\`. Departments: ${departmentList(dir)}.`,
      );
  }
  const messages = departments.map((department) =>
    agreementsMessage({ department, records: agreementsBinding(dir, department.id), dir }),
  );
  const blocks = messages.flatMap((m) => m.blocks).slice(0, MAX_MESSAGE_BLOCKS);
  return { response_type: 'ephemeral', text: messages.map((m) => m.text).join('\n'), blocks };
}

/** `/sla propose [agreement-id]`: checks who is asking, then opens the modal. */
export async function openPropose(
  deps: ListenerDeps,
  command: SlashCommand,
  arg: string | undefined,
  ack: AckFn<string | RespondArguments>,
  client: WebClient,
  respond: RespondFn,
): Promise<void> {
  await ack();
  await openThenFill(
    client,
    command.trigger_id,
    'Propose an agreement',
    () => proposeForm(deps, command.user_id, arg),
    () => respond(say('Slack did not open the form in time. Please run `/sla propose` again.')),
  );
}

/** The propose form for `user`, or why they cannot propose (what `arg` names). */
async function proposeForm(deps: ListenerDeps, user: string, arg: string | undefined): Promise<FormOrRefusal> {
  const dir = await readDirectory(deps.db);
  const headed = departmentsHeadedBy(dir, user);
  if (headed.length === 0)
    return {
      refusal:
        'Only department heads can propose agreements, and you are not a head of any department in Kept. Ask a Kept admin if that is wrong.',
    };
  let base;
  if (arg) {
    const record = findAgreement(dir, arg.toLowerCase());
    if (!record?.active) {
      const ids = dir.agreements
        .filter((a) => a.active)
        .map((a) => `\`${a.id}\``)
        .join(', ');
      return {
        refusal: `There is no active agreement \`${escapeMrkdwn(arg.slice(0, 64))}\`.${ids ? ` Active agreements: ${ids}.` : ''}`,
      };
    }
    const side = proposingSide(dir, user, record.active);
    if (!side.ok) return { refusal: side.error };
    if (record.pending)
      return {
        refusal: `Version ${record.pending.version} of \`${record.id}\` is already waiting for an answer; it must be accepted or declined first.`,
      };
    base = record.active;
  }
  // How the targets in force did: the agreement's own last quarter, left out if it is slow to read.
  const advice = base && (await readShownAdvice(deps.db, dir, base, true, deps.now().getTime()));
  return proposeModal({
    departments: dir.departments,
    ...(base ? { base } : {}),
    ...(advice ? { advice } : {}),
    initial: { provider: headed[0]!.id },
  });
}

/** What Kept put in a view's private_metadata; anything else reads as a new proposal. */
const ProposeMetadata = z.catch(
  z.object({ agreementId: z.optional(z.string()), baseVersion: z.optional(z.number()) }),
  {},
);

const DecisionValue = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(80)),
  version: z.number().check(z.int(), z.positive()),
});

type Errors = Record<string, string>;

/** The propose modal's submission: every problem goes back to its block; a valid one is kept and sent. */
async function submitProposal(
  deps: ListenerDeps,
  body: ViewSubmitAction,
): Promise<{ errors?: Errors; id?: string; version?: number }> {
  const viewKey = `view:${body.view.id}`;
  if (await isDelivered(deps.db, viewKey)) return {}; // Slack re-sent a submission we already kept
  const meta = ProposeMetadata.parse(parseJson(body.view.private_metadata));
  const read = readProposeView(body.view.state.values);
  const errors: Errors = { ...read.errors };
  const parsed = AgreementTermsSpec.safeParse(read.spec);
  if (!parsed.success) {
    for (const issue of issuesOf(parsed.error)) {
      const block = blockForIssuePath(issue.path);
      errors[block] ??= capitalise(issue.message);
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  const written = termsFromSpec(parsed.data);
  const dir = await readDirectory(deps.db);
  // The form has no field for an escalation ladder, waiting rules or a recovery credit (they come
  // from the import file): a change keeps the active version's.
  const active = dir.agreements.find((a) => a.id === meta.agreementId)?.active;
  const ladder = active?.escalation;
  const terms = {
    ...written,
    ...(ladder?.length ? { escalation: ladder } : {}),
    ...(active?.waiting ? { waiting: active.waiting } : {}),
    ...(active?.recoveryCredit ? { recoveryCredit: active.recoveryCredit } : {}),
  };
  const checked = checkProposal(dir, terms, meta.agreementId);
  if (!checked.ok)
    return { errors: Object.fromEntries(checked.error.map((i) => [blockForIssuePath(i.path), i.message])) };
  const side = proposingSide(dir, body.user.id, terms);
  if (!side.ok) return { errors: { provider: side.error } };
  const base = checked.value.base;
  if (base?.active && sameTerms(base.active, terms)) {
    return {
      errors: {
        service: `These are the terms of the active version ${base.active.version}; change something to propose a new version.`,
      },
    };
  }
  const proposal = draftProposal({
    dir,
    terms,
    ...(base ? { base } : {}),
    user: body.user.id,
    side: side.value,
    now: deps.now().toISOString(),
  });
  const stuck = nobodyToAnswer(dir, deps.config.KEPT_ADMINS, proposal);
  if (stuck) return { errors: { customer: stuck } };
  try {
    await saveProposal(deps.db, proposal, base, deliveryClaimItem(deps.db, viewKey, deps.now()));
  } catch (err) {
    if (!(err instanceof WriteConflictError)) throw err;
    if (err.reasons[0] === 'ConditionalCheckFailed') return {}; // the same submission, kept by a parallel delivery
    return {
      errors: {
        service: 'This agreement changed while you were writing. Close the form and start again with `/sla propose`.',
      },
    };
  }
  return { id: proposal.id, version: proposal.version };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why a proposal cannot be answered any more, in one line. */
function settledLine(v: StoredAgreementVersion): string {
  const by = v.decidedBy && v.decidedBy !== 'import' ? ` by <@${v.decidedBy}>` : '';
  const when = v.decidedAt ? ` on ${v.decidedAt.slice(0, 10)}` : '';
  switch (v.status) {
    case 'active':
    case 'retired':
      return `Version ${v.version} of \`${v.id}\` was already accepted${by}${when}.`;
    case 'declined':
      return `Version ${v.version} of \`${v.id}\` was already declined${by}${when}.`;
    default:
      return `Version ${v.version} of \`${v.id}\` was replaced by a newer version; there is nothing to answer.`;
  }
}

/** Reads what an answer needs and checks the answerer; a string is the refusal to show. */
async function answerable(
  deps: ListenerDeps,
  user: string,
  raw: unknown,
): Promise<string | { dir: Directory; v: StoredAgreementVersion }> {
  const parsed = DecisionValue.safeParse(typeof raw === 'string' ? parseJson(raw) : raw);
  if (!parsed.success) return 'That button is from an older version of Kept. Ask for the proposal to be sent again.';
  const value = parsed.data;
  const [dir, v] = await Promise.all([readDirectory(deps.db), getAgreementVersion(deps.db, value.id, value.version)]);
  if (!v) return `There is no proposal \`${escapeMrkdwn(value.id)}\` version ${value.version}.`;
  if (v.status !== 'proposed') return settledLine(v);
  const may = mayAnswer(dir, deps.config.KEPT_ADMINS, user, v);
  return may.ok ? { dir, v } : may.error;
}

async function accept(deps: ListenerDeps, user: string, raw: unknown): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const ready = await answerable(deps, user, raw);
    if (typeof ready === 'string') return ready;
    const { dir, v } = ready;
    const record = findAgreement(dir, v.id);
    if (!record || record.pending?.version !== v.version) {
      // The two reads straddled someone else's answer (the version still said proposed, the
      // agreement no longer waits on it): read again, so the line says what really happened.
      if (attempt < 2) continue;
      return settledLine(v);
    }
    const other = conflictingAgreement(dir, v, v.id);
    if (other)
      return `Version ${v.version} cannot become active: \`${other.id}\` already covers the same requests. Decline this proposal, or retire \`${other.id}\` first.`;
    try {
      await acceptProposal(deps.db, record, v, { by: user, at: deps.now().toISOString(), rev: dir.rev });
      await deps.outbox.send({ type: 'agreement.decided', id: v.id, version: v.version });
      return `Accepted: version ${v.version} of \`${v.id}\` is active from now. Both sides are being told.`;
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err; // someone else changed things: read again
    }
  }
  return 'Kept is busy with other changes to agreements right now. Please press Accept again in a moment.';
}

export function registerAgreements(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(IDS.acceptProposal, async ({ ack, body, action, respond, client }) => {
    await ack();
    const text = await accept(deps, body.user.id, action.value);
    // From the App Home (no response_url) the answer shows in a small modal.
    await answerPress(respond, client, body.trigger_id, 'Proposal')(aside(text));
  });

  app.action<BlockAction<ButtonAction>>(IDS.declineProposal, async ({ ack, body, action, respond: r, client }) => {
    await ack();
    const respond = answerPress(r, client, body.trigger_id, 'Proposal');
    await openThenFill(
      client,
      body.trigger_id ?? '',
      'Decline proposal',
      async () => {
        const ready = await answerable(deps, body.user.id, action.value);
        return typeof ready === 'string'
          ? { refusal: ready }
          : declineModal({ id: ready.v.id, version: ready.v.version });
      },
      () => refuse(respond, 'Slack did not open the form in time. Please press Decline again.'),
    );
  });

  app.view(IDS.declineModal, async ({ ack, body, view }) => {
    const reason = (view.state.values[IDS.declineReasonBlock]?.[IDS.value]?.value ?? '').trim();
    if (reason.length === 0)
      return ack({
        response_action: 'errors',
        errors: { [IDS.declineReasonBlock]: 'Say why, in a few words: the proposer needs it to make a better offer.' },
      });
    if (reason.length > 500)
      return ack({ response_action: 'errors', errors: { [IDS.declineReasonBlock]: 'Keep it under 500 characters.' } });
    const ready = await answerable(deps, body.user.id, view.private_metadata);
    if (typeof ready === 'string')
      return ack({ response_action: 'errors', errors: { [IDS.declineReasonBlock]: ready } });
    try {
      await declineProposal(deps.db, ready.v, { by: body.user.id, at: deps.now().toISOString(), reason });
    } catch (err) {
      if (!(err instanceof WriteConflictError)) throw err;
      const now = await getAgreementVersion(deps.db, ready.v.id, ready.v.version);
      return ack({
        response_action: 'errors',
        errors: { [IDS.declineReasonBlock]: now ? settledLine(now) : 'This proposal is gone.' },
      });
    }
    await ack();
    await deps.outbox.send({ type: 'agreement.decided', id: ready.v.id, version: ready.v.version });
  });

  app.view<ViewSubmitAction>(IDS.proposeModal, async ({ ack, body }) => {
    const result = await submitProposal(deps, body);
    if (result.errors) return ack({ response_action: 'errors', errors: result.errors } as ViewResponseAction);
    await ack();
    if (result.id && result.version)
      await deps.outbox.send({ type: 'agreement.proposed', id: result.id, version: result.version });
  });
}
