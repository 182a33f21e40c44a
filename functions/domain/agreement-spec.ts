/**
 * An agreement as people write it (the import file and the propose form): the zod shapes that
 * check each field with a message naming what to write instead, and the conversion between the
 * written terms and `AgreementTerms` (agreement.ts). Pure domain code.
 */
import * as z from '../zod';
import {
  type AgreementTerms,
  ESCALATION_AUDIENCES,
  type EscalationStep,
  MAX_AMOUNT,
  MAX_ESCALATION_STEPS,
  normaliseUnit,
  PRIORITIES,
  type Priority,
  type Targets,
  UNIT_HELP,
  type WaitingTerms,
} from './agreement';
import { formatDuration, parseDuration } from './duration';
import { shown } from './issues';
import { sameValue } from './same-value';
import { DEFAULT_AT_RISK } from './target-clock';

/** Reports `message` on the value being transformed (zod/mini's transforms have no `addIssue`). */
function fail(ctx: z.core.ParsePayload, message: string): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value });
  return z.NEVER;
}

const DurationText = z.pipe(
  z.unknown(),
  z.transform((value: unknown, ctx) => {
    if (value === undefined) return fail(ctx, 'is required; use forms like 30m, 4h, 1h30m');
    const parsed = parseDuration(typeof value === 'number' ? `${value}` : value);
    if (!parsed.ok) {
      const unitless = typeof value === 'number' && Number.isInteger(value) && value > 0;
      return fail(
        ctx,
        unitless
          ? `${value} has no unit; write ${value}m or ${value}h`
          : typeof value === 'number'
            ? `${value} is not a duration; use forms like 30m, 4h, 1h30m`
            : parsed.error,
      );
    }
    return parsed.value;
  }),
);

const TargetSpec = z
  .strictObject(
    { response: DurationText, resolution: DurationText },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a target field; use response and resolution`
          : 'must give response and resolution times, e.g. { response: 30m, resolution: 4h }',
    },
  )
  .check(
    z.superRefine((t, ctx) => {
      if (t.response > t.resolution) {
        ctx.addIssue({
          code: 'custom',
          path: ['resolution'],
          message: `${formatDuration(t.resolution)} is less than the response target ${formatDuration(t.response)}; solving includes answering, so it cannot be sooner`,
        });
      }
    }),
  );

const TargetsSpec = z
  .strictObject(
    Object.fromEntries(PRIORITIES.map((p) => [p, z.optional(TargetSpec)])) as Record<
      Priority,
      z.ZodMiniOptional<typeof TargetSpec>
    >,
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a priority; use P1, P2, P3, P4`
          : 'must map priorities (P1..P4) to targets',
    },
  )
  .check(
    z.refine((t) => PRIORITIES.some((p) => t[p] !== undefined), {
      error: 'give targets for at least one priority (P1..P4)',
    }),
  );

const amount = (what: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? `${what} is required`
          : typeof iss.input === 'number'
            ? 'must be a finite number'
            : `${shown(iss.input)} is not a number`,
    })
    .check(
      z.refine((n) => n >= 0, {
        error: (iss) => `${shown(iss.input)} is negative; a penalty is an amount owed, 0 or more`,
      }),
      z.refine((n) => n <= MAX_AMOUNT, { error: `is too large; the most we accept is ${MAX_AMOUNT}` }),
      z.refine((n) => Number(n.toFixed(2)) === n, { error: 'has more than two decimals' }),
    );

const TierSpec = z.strictObject(
  {
    from_breach: z
      .number({
        error: (iss) =>
          iss.input === undefined ? 'from_breach is required' : `${shown(iss.input)} is not a whole number`,
      })
      .check(
        z.int({ error: (iss) => `${shown(iss.input)} is not a whole number` }),
        z.gte(2, {
          error: (iss) =>
            `${shown(iss.input)} is too small; tiers start from the 2nd breach of a month (the 1st always costs per_breach)`,
        }),
        z.lte(1000, { error: 'is too large; use 1000 or less' }),
      ),
    multiplier: z
      .number({
        error: (iss) => (iss.input === undefined ? 'multiplier is required' : `${shown(iss.input)} is not a number`),
      })
      .check(
        z.gte(1, {
          error: (iss) => `${shown(iss.input)} is below 1; a tier makes repeated breaches cost more, not less`,
        }),
        z.lte(100, { error: 'is too large; use 100 or less' }),
      ),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a tier field; use from_breach and multiplier`
        : 'must be a tier like { from_breach: 3, multiplier: 2 }',
  },
);

export const PenaltySpec = z
  .strictObject(
    {
      unit: z.pipe(
        z.string({
          error: (iss) =>
            iss.input === undefined
              ? `unit is required; ${UNIT_HELP}`
              : `${shown(iss.input)} is not a unit; ${UNIT_HELP}`,
        }),
        z.transform((u: string, ctx) => normaliseUnit(u) ?? fail(ctx, `${shown(u)} is not a unit; ${UNIT_HELP}`)),
      ),
      per_breach: amount('per_breach'),
      tiers: z.optional(
        z
          .array(TierSpec, { error: 'must be a list of tiers like [{ from_breach: 3, multiplier: 2 }]' })
          .check(z.maxLength(10, 'has more than 10 tiers')),
      ),
      monthly_cap: z.optional(amount('monthly_cap')),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a penalty field; use unit, per_breach, tiers, monthly_cap`
          : 'must be penalty terms like { unit: points, per_breach: 50 }',
    },
  )
  .check(
    z.superRefine((p, ctx) => {
      const tiers = p.tiers ?? [];
      for (let i = 1; i < tiers.length; i++) {
        if (tiers[i]!.from_breach <= tiers[i - 1]!.from_breach) {
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'from_breach'],
            message: `${tiers[i]!.from_breach} does not come after the previous tier's ${tiers[i - 1]!.from_breach}; list tiers in rising order`,
          });
        }
      }
      if (p.monthly_cap !== undefined && p.monthly_cap < p.per_breach) {
        ctx.addIssue({
          code: 'custom',
          path: ['monthly_cap'],
          message: `${p.monthly_cap} is below per_breach (${p.per_breach}); a month's cap must allow at least one breach`,
        });
      }
    }),
  );

const AUDIENCE_HELP = `use one of ${ESCALATION_AUDIENCES.join(', ')}`;
const SHARE_HELP = 'write the share of a target used, between 0 and 1, e.g. 0.5';

const EscalationStepSpec = z
  .strictObject(
    {
      at: z.optional(
        z
          .number({ error: (iss) => `${shown(iss.input)} is not a number; ${SHARE_HELP}` })
          .check(
            z.gt(0, { error: (iss) => `${shown(iss.input)} is not between 0 and 1; ${SHARE_HELP}` }),
            z.lt(1, { error: (iss) => `${shown(iss.input)} is not between 0 and 1; ${SHARE_HELP}` }),
          ),
      ),
      target: z.optional(
        z.enum(['response', 'resolution'], {
          error: (iss) => `${shown(iss.input)} is not a target; use response or resolution`,
        }),
      ),
      unacknowledged_for: z.optional(DurationText),
      notify: z.enum(ESCALATION_AUDIENCES, {
        error: (iss) =>
          iss.input === undefined
            ? `notify is required; ${AUDIENCE_HELP}`
            : `${shown(iss.input)} is not someone to notify; ${AUDIENCE_HELP}`,
      }),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a step field; use at, target, unacknowledged_for, notify`
          : 'must be a step like { at: 0.5, notify: assignee } or { unacknowledged_for: 1h, notify: provider_heads }',
    },
  )
  .check(
    z.superRefine((step, ctx) => {
      const byShare = step.at !== undefined;
      const byWait = step.unacknowledged_for !== undefined;
      if (byShare === byWait)
        ctx.addIssue({
          code: 'custom',
          message: byShare
            ? 'give either at or unacknowledged_for, not both; make them two steps'
            : 'give at (a share of a target, e.g. 0.5) or unacknowledged_for (a working duration, e.g. 1h)',
        });
      else if (byWait && step.target !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['target'],
          message: 'only goes with at; unacknowledged_for always counts until the request is acknowledged',
        });
    }),
  );

const EscalationSpec = z
  .array(EscalationStepSpec, {
    error:
      'must be a list of steps like [{ at: 0.5, notify: assignee }, { unacknowledged_for: 1h, notify: provider_heads }]',
  })
  .check(z.maxLength(MAX_ESCALATION_STEPS, `has more than ${MAX_ESCALATION_STEPS} steps`));

const WaitingSpec = z
  .strictObject(
    {
      remind_after: z.optional(DurationText),
      resume_after: z.optional(DurationText),
      close_after: z.optional(DurationText),
      third_party_pauses_clock: z.optional(
        z.boolean({ error: (iss) => `${shown(iss.input)} is not true or false; write true to pause the clock` }),
      ),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a waiting field; use remind_after, resume_after, close_after, third_party_pauses_clock`
          : 'must be waiting rules like { remind_after: 4h, resume_after: 16h }',
    },
  )
  .check(
    z.superRefine((w, ctx) => {
      if (
        w.remind_after === undefined &&
        w.resume_after === undefined &&
        w.close_after === undefined &&
        w.third_party_pauses_clock === undefined
      )
        ctx.addIssue({
          code: 'custom',
          message:
            'give at least one of remind_after, resume_after, close_after, third_party_pauses_clock, or leave waiting out',
        });
      if (w.resume_after !== undefined && w.close_after !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['close_after'],
          message: 'give resume_after or close_after, not both: after the wait the request either runs again or closes',
        });
      for (const key of ['resume_after', 'close_after'] as const) {
        const end = w[key];
        if (end !== undefined && w.remind_after !== undefined && end <= w.remind_after)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `${formatDuration(end)} is not longer than remind_after (${formatDuration(w.remind_after)}); the requester is reminded before the wait ends`,
          });
      }
    }),
  );

/** `recovery_credit: { share: 0.5, within: 4h }`: a share of a breach's penalty given back when recovery is confirmed in time. */
const RecoveryCreditSpec = z.strictObject(
  {
    share: z
      .number({
        error: (iss) =>
          iss.input === undefined
            ? 'share is required: the part of the penalty given back, e.g. 0.5'
            : `${shown(iss.input)} is not a number; write the part of the penalty given back, e.g. 0.5`,
      })
      .check(
        z.gt(0, { error: (iss) => `${shown(iss.input)} is not above 0; write a share such as 0.5 (half the penalty)` }),
        z.lte(1, {
          error: (iss) => `${shown(iss.input)} is more than 1; a credit gives back at most the whole penalty`,
        }),
      ),
    within: DurationText,
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a recovery_credit field; use share, within`
        : 'must be a recovery credit like { share: 0.5, within: 4h }',
  },
);

const termsShape = {
  provider: z.string({
    error: (iss) =>
      iss.input === undefined
        ? 'provider is required: the department that makes the promise'
        : `${shown(iss.input)} is not a department id`,
  }),
  customer: z.string({
    error: (iss) =>
      iss.input === undefined
        ? 'customer is required: a department id, or "*" for every department'
        : `${shown(iss.input)} is not a department id`,
  }),
  service: z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'service is required: name what is promised, e.g. Laptops and accounts'
          : `must be text, not ${shown(iss.input)}`,
    })
    .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(80, 'is longer than 80 characters')),
  targets: TargetsSpec,
  penalty: PenaltySpec,
  at_risk: z.optional(
    z
      .number({
        error: (iss) =>
          `${shown(iss.input)} is not a number; write the share of a target after which it is at risk, e.g. 0.75`,
      })
      .check(
        z.gt(0, {
          error: (iss) =>
            `${shown(iss.input)} is not between 0 and 1; write a share such as 0.75 (75% of the time used)`,
        }),
        z.lt(1, {
          error: (iss) =>
            `${shown(iss.input)} is not between 0 and 1; write a share such as 0.75 (75% of the time used)`,
        }),
      ),
  ),
  escalation: z.optional(EscalationSpec),
  waiting: z.optional(WaitingSpec),
  recovery_credit: z.optional(RecoveryCreditSpec),
};

const termsError = (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys'
    ? `${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(', ')} is not an agreement field; use id, provider, customer, service, targets, penalty, at_risk, escalation, waiting, recovery_credit`
    : 'must be an agreement: an object with provider, customer, service, targets and penalty';

/** Terms as written, without an id: what the propose modal produces. */
export const AgreementTermsSpec = z.strictObject(termsShape, { error: termsError });
export type AgreementTermsSpec = z.input<typeof AgreementTermsSpec>;

export const AGREEMENT_ID_HELP =
  'use 1-64 lowercase letters, digits or dashes, starting with a letter, e.g. it-for-finance';
const AGREEMENT_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** One agreement of the import file. */
export const AgreementSpec = z.strictObject(
  {
    id: z
      .string({
        error: (iss) =>
          iss.input === undefined
            ? `id is required; ${AGREEMENT_ID_HELP}`
            : `${shown(iss.input)} is not an agreement id; ${AGREEMENT_ID_HELP}`,
      })
      .check(
        z.refine((id) => AGREEMENT_ID.test(id), {
          error: (iss) => `${shown(iss.input)} is not an agreement id; ${AGREEMENT_ID_HELP}`,
        }),
      ),
    ...termsShape,
  },
  { error: termsError },
);

type ParsedTerms = z.output<typeof AgreementTermsSpec>;

/** Written terms (already parsed) -> the domain's terms. */
export function termsFromSpec(spec: ParsedTerms): AgreementTerms {
  const targets: Targets = {};
  for (const p of PRIORITIES) {
    const t = spec.targets[p];
    if (t) targets[p] = { response: t.response, resolution: t.resolution };
  }
  return {
    provider: spec.provider,
    customer: spec.customer,
    service: spec.service,
    targets,
    penalty: {
      unit: spec.penalty.unit,
      perBreach: spec.penalty.per_breach,
      tiers: (spec.penalty.tiers ?? []).map((t) => ({ fromBreach: t.from_breach, multiplier: t.multiplier })),
      ...(spec.penalty.monthly_cap !== undefined ? { monthlyCap: spec.penalty.monthly_cap } : {}),
    },
    atRisk: spec.at_risk ?? DEFAULT_AT_RISK,
    ...(spec.escalation?.length ? { escalation: spec.escalation.map(stepFromSpec) } : {}),
    ...(spec.waiting ? { waiting: waitingFromSpec(spec.waiting) } : {}),
    ...(spec.recovery_credit
      ? { recoveryCredit: { share: spec.recovery_credit.share, within: spec.recovery_credit.within } }
      : {}),
  };
}

function waitingFromSpec(w: NonNullable<ParsedTerms['waiting']>): WaitingTerms {
  return {
    ...(w.remind_after !== undefined ? { remindAfter: w.remind_after } : {}),
    ...(w.resume_after !== undefined ? { resumeAfter: w.resume_after } : {}),
    ...(w.close_after !== undefined ? { closeAfter: w.close_after } : {}),
    ...(w.third_party_pauses_clock !== undefined ? { thirdPartyPausesClock: w.third_party_pauses_clock } : {}),
  };
}

function stepFromSpec(step: NonNullable<ParsedTerms['escalation']>[number]): EscalationStep {
  if (step.unacknowledged_for !== undefined) return { unacknowledgedFor: step.unacknowledged_for, notify: step.notify };
  return { at: step.at ?? 0, ...(step.target ? { target: step.target } : {}), notify: step.notify };
}

/** The domain's terms written back (durations as text): the import's canonical form and the modal's prefill. */
export function specOfTerms(terms: AgreementTerms): AgreementTermsSpec {
  const targets: Record<string, { response: string; resolution: string }> = {};
  for (const p of PRIORITIES) {
    const t = terms.targets[p];
    if (t) targets[p] = { response: formatDuration(t.response), resolution: formatDuration(t.resolution) };
  }
  return {
    provider: terms.provider,
    customer: terms.customer,
    service: terms.service,
    targets,
    penalty: {
      unit: terms.penalty.unit,
      per_breach: terms.penalty.perBreach,
      ...(terms.penalty.tiers.length
        ? { tiers: terms.penalty.tiers.map((t) => ({ from_breach: t.fromBreach, multiplier: t.multiplier })) }
        : {}),
      ...(terms.penalty.monthlyCap !== undefined ? { monthly_cap: terms.penalty.monthlyCap } : {}),
    },
    at_risk: terms.atRisk,
    ...(terms.escalation?.length
      ? {
          escalation: terms.escalation.map((step) =>
            step.unacknowledgedFor !== undefined
              ? { unacknowledged_for: formatDuration(step.unacknowledgedFor), notify: step.notify }
              : { at: step.at, ...(step.target ? { target: step.target } : {}), notify: step.notify },
          ),
        }
      : {}),
    ...(terms.waiting
      ? {
          waiting: {
            ...(terms.waiting.remindAfter !== undefined
              ? { remind_after: formatDuration(terms.waiting.remindAfter) }
              : {}),
            ...(terms.waiting.resumeAfter !== undefined
              ? { resume_after: formatDuration(terms.waiting.resumeAfter) }
              : {}),
            ...(terms.waiting.closeAfter !== undefined
              ? { close_after: formatDuration(terms.waiting.closeAfter) }
              : {}),
            ...(terms.waiting.thirdPartyPausesClock !== undefined
              ? { third_party_pauses_clock: terms.waiting.thirdPartyPausesClock }
              : {}),
          },
        }
      : {}),
    ...(terms.recoveryCredit
      ? {
          recovery_credit: {
            share: terms.recoveryCredit.share,
            within: formatDuration(terms.recoveryCredit.within),
          },
        }
      : {}),
  };
}

/** The same terms, written the same way: what makes an import idempotent. */
export function sameTerms(a: AgreementTerms, b: AgreementTerms): boolean {
  return sameValue(specOfTerms(a), specOfTerms(b));
}
