/**
 * Proposals made in Slack: a head of one department proposes terms (a new agreement, or a new
 * version of an active one); the heads of the other department accept or decline. Who may do
 * what, and what a proposal turns into. Pure domain code; semantics in docs/agreements.md.
 *
 * With customer `*` ("every department") there is no single other department: Kept admins
 * answer for it.
 */
import {
  type AgreementTerms,
  type AgreementVersion,
  EVERY_DEPARTMENT,
  overlaps,
  serviceKey,
  suggestAgreementId,
  termsOf,
} from './agreement';
import { isHead } from './department';
import { type AgreementRecord, conflictingAgreement, type Directory, findAgreement, findDepartment } from './directory';
import type { Issue } from './issues';

export type Refusal = { ok: false; error: string };

const nameOf = (dir: Directory, id: string): string =>
  id === EVERY_DEPARTMENT ? 'every department' : (findDepartment(dir, id)?.name ?? id);

/** The department `user` speaks for when proposing `terms`, or why they may not propose. */
export function proposingSide(
  dir: Directory,
  user: string,
  terms: Pick<AgreementTerms, 'provider' | 'customer'>,
): { ok: true; value: string } | Refusal {
  const provider = findDepartment(dir, terms.provider);
  const customer = terms.customer === EVERY_DEPARTMENT ? undefined : findDepartment(dir, terms.customer);
  if (provider && isHead(provider, user)) return { ok: true, value: provider.id };
  if (customer && isHead(customer, user)) return { ok: true, value: customer.id };
  const sides = [provider?.name, customer?.name].filter(Boolean).join(' or ');
  return {
    ok: false,
    error: `Only a head of ${sides || 'one of the two departments'} can propose this agreement, and you are not one.`,
  };
}

/** The department whose heads answer a proposal: the side that did not propose (`*` means Kept admins). */
export function answeringSide(proposal: Pick<AgreementVersion, 'provider' | 'customer' | 'proposedFor'>): string {
  return proposal.proposedFor === undefined || proposal.proposedFor === proposal.provider
    ? proposal.customer
    : proposal.provider;
}

/**
 * Why nobody could answer `proposal` (no Kept admins for `*`, or no head of the other side but
 * the proposer), or undefined when someone can. Such a proposal would wait for ever and block the
 * agreement's next one, so it is not kept.
 */
export function nobodyToAnswer(
  dir: Directory,
  admins: readonly string[],
  proposal: AgreementVersion,
): string | undefined {
  if (answerers(dir, admins, proposal).length > 0) return undefined;
  const side = answeringSide(proposal);
  if (side === EVERY_DEPARTMENT)
    return 'Proposals to every department are answered by Kept admins, and Kept has none yet: ask whoever runs Kept to set KEPT_ADMINS, or pick one department.';
  return `Nobody could accept this: ${nameOf(dir, side)} has no head besides you. Ask a Kept admin to add one with \`/sla dept heads ${side} add @someone\`.`;
}

/**
 * The people who may accept or decline: the answering department's heads, or the admins for `*`.
 * A department left with no head at all (its last one left Slack) is answered for by the admins, so
 * that a proposal made to it does not wait for ever.
 */
export function answerers(
  dir: Directory,
  admins: readonly string[],
  proposal: Pick<AgreementVersion, 'provider' | 'customer' | 'proposedFor' | 'proposedBy'>,
): string[] {
  const side = answeringSide(proposal);
  const heads = side === EVERY_DEPARTMENT ? [] : (findDepartment(dir, side)?.heads ?? []);
  const people = side === EVERY_DEPARTMENT || heads.length === 0 ? [...admins] : heads;
  return people.filter((u) => u !== proposal.proposedBy);
}

/**
 * Checks proposed terms against the directory. Returns problems keyed by the path of the written
 * terms (the modal shows each on its block) and, when valid, which agreement the proposal changes:
 * the one named, or the active one for exactly the same provider, customer and service.
 */
export function checkProposal(
  dir: Directory,
  terms: AgreementTerms,
  agreementId?: string,
): { ok: true; value: { base?: AgreementRecord } } | { ok: false; error: Issue[] } {
  const issues: Issue[] = [];
  if (!findDepartment(dir, terms.provider))
    issues.push({
      path: ['provider'],
      message: `There is no department ${JSON.stringify(terms.provider)} any more; pick one from the list.`,
    });
  if (terms.customer !== EVERY_DEPARTMENT && !findDepartment(dir, terms.customer)) {
    issues.push({
      path: ['customer'],
      message: `There is no department ${JSON.stringify(terms.customer)} any more; pick one from the list.`,
    });
  }
  if (terms.customer === terms.provider)
    issues.push({ path: ['customer'], message: 'Pick another department: an agreement is between two departments.' });
  if (issues.length) return { ok: false, error: issues };

  const named = agreementId ? findAgreement(dir, agreementId) : undefined;
  if (agreementId && !named)
    return {
      ok: false,
      error: [
        {
          path: ['service'],
          message: `The agreement ${agreementId} no longer exists; close this and start again with /sla propose.`,
        },
      ],
    };
  const base =
    named ??
    dir.agreements.find(
      (a) =>
        a.active &&
        a.active.provider === terms.provider &&
        a.active.customer === terms.customer &&
        serviceKey(a.active.service) === serviceKey(terms.service),
    );
  if (base?.pending) {
    const waitingFor = nameOf(dir, answeringSide(base.pending));
    return {
      ok: false,
      error: [
        {
          path: ['service'],
          message: `Version ${base.pending.version} of this agreement is already waiting for ${waitingFor}; it must be accepted or declined first.`,
        },
      ],
    };
  }
  const other = conflictingAgreement(dir, terms, base?.id);
  if (other) {
    return {
      ok: false,
      error: [
        {
          path: ['service'],
          message: `${nameOf(dir, other.provider)} already promises ${nameOf(dir, other.customer)} "${other.service}" (agreement ${other.id}); change that one with /sla propose ${other.id}, or name this service apart.`,
        },
      ],
    };
  }
  // A waiting proposal for the same requests would make two answers possible for one request.
  const rival = dir.agreements.find((a) => a.id !== base?.id && !a.active && a.pending && overlaps(a.pending, terms));
  if (rival?.pending) {
    return {
      ok: false,
      error: [
        {
          path: ['service'],
          message: `A proposal for the same requests (${rival.id}, version ${rival.pending.version}) is already waiting for an answer.`,
        },
      ],
    };
  }
  return { ok: true, value: base ? { base } : {} };
}

/** The proposal as it will be kept: the next version of `base`, or version 1 of a new agreement. */
export function draftProposal(input: {
  dir: Directory;
  terms: AgreementTerms;
  base?: AgreementRecord;
  user: string;
  side: string;
  now: string;
}): AgreementVersion {
  const { dir, terms, base, user, side, now } = input;
  const id = base?.id ?? suggestAgreementId(terms, new Set(dir.agreements.map((a) => a.id)));
  return {
    id,
    version: (base?.latestVersion ?? 0) + 1,
    ...termsOf(terms),
    status: 'proposed',
    createdAt: now,
    createdBy: user,
    proposedBy: user,
    proposedFor: side,
    ...(base?.active ? { replaces: base.active.version } : {}),
  };
}

/** Whether `user` may accept or decline the waiting proposal `version` of `record`; why not otherwise. */
export function mayAnswer(
  dir: Directory,
  admins: readonly string[],
  user: string,
  proposal: AgreementVersion,
): { ok: true } | Refusal {
  const side = answeringSide(proposal);
  const sideName =
    side === EVERY_DEPARTMENT ? 'Kept admin (it covers every department)' : `head of ${nameOf(dir, side)}`;
  if (user === proposal.proposedBy)
    return {
      ok: false,
      error: `You proposed this version, so you cannot accept or decline it yourself; a ${sideName} does.`,
    };
  if (answerers(dir, admins, proposal).includes(user)) return { ok: true };
  const proposing = proposal.proposedFor ? findDepartment(dir, proposal.proposedFor) : undefined;
  if (proposing && isHead(proposing, user)) {
    return {
      ok: false,
      error: `${nameOf(dir, proposing.id)} proposed this, so its heads cannot accept it; a ${sideName} does.`,
    };
  }
  return { ok: false, error: `Only a ${sideName} can accept or decline this proposal.` };
}
