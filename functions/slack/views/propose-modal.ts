/**
 * The `/sla propose` modal: its blocks (block_id = the path of the written terms, action_id
 * always `IDS.value`), reading a submission back into the written terms that
 * `AgreementTermsSpec` parses, and mapping the spec's issue paths to the blocks that show them.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { type AgreementVersion, EVERY_DEPARTMENT, PRIORITIES } from '../../domain/agreement';
import { specOfTerms } from '../../domain/agreement-spec';
import { percentOf } from '../../domain/agreement-text';
import type { Department } from '../../domain/department';
import { formatPath } from '../../domain/issues';
import { DEFAULT_AT_RISK } from '../../domain/target-clock';
import { IDS } from '../ids';
import type { ShownAdvice } from '../target-advice';
import { adviceBlock } from './advice';
import { agreementTitle } from './agreement-terms';
import { context, MAX_SELECT_OPTIONS, modal, option, plain, section } from './blocks';

const TARGET_BLOCK_IDS = PRIORITIES.flatMap((p) => [`targets.${p}.response`, `targets.${p}.resolution`] as const);

/** The modal's input block ids, in the order they appear. */
export const PROPOSE_BLOCK_IDS = [
  'provider',
  'customer',
  'service',
  ...TARGET_BLOCK_IDS,
  'penalty.unit',
  'penalty.per_breach',
  'penalty.tiers',
  'penalty.monthly_cap',
  'at_risk',
] as const;
export type ProposeBlockId = (typeof PROPOSE_BLOCK_IDS)[number];

interface TextInputOptions {
  optional?: boolean;
  initial?: string | undefined;
  placeholder?: string;
  hint?: string;
  maxLength?: number;
}

/** An input block of the modal: every one answers with action_id IDS.value; its block_id names the field. */
function input(
  blockId: ProposeBlockId,
  label: string,
  o: { optional?: boolean; hint?: string },
  element: InputBlock['element'],
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    ...(o.optional ? { optional: true } : {}),
    ...(o.hint ? { hint: plain(o.hint) } : {}),
    element,
  };
}

function textInput(blockId: ProposeBlockId, label: string, o: TextInputOptions = {}): InputBlock {
  return input(blockId, label, o, {
    type: 'plain_text_input',
    action_id: IDS.value,
    ...(o.initial !== undefined && o.initial !== '' ? { initial_value: o.initial } : {}),
    ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    ...(o.maxLength ? { max_length: o.maxLength } : {}),
  });
}

function numberInput(
  blockId: ProposeBlockId,
  label: string,
  o: { optional?: boolean; initial?: number | string | undefined; hint?: string } = {},
): InputBlock {
  return input(blockId, label, o, {
    type: 'number_input',
    action_id: IDS.value,
    is_decimal_allowed: true,
    ...(o.initial !== undefined ? { initial_value: String(o.initial) } : {}),
  });
}

function selectInput(
  blockId: ProposeBlockId,
  label: string,
  options: PlainTextOption[],
  initial: string | undefined,
): InputBlock {
  const chosen = options.find((o) => o.value === initial);
  return input(
    blockId,
    label,
    {},
    {
      type: 'static_select',
      action_id: IDS.value,
      placeholder: plain('Choose a department'),
      options,
      ...(chosen ? { initial_option: chosen } : {}),
    },
  );
}

export interface ProposeModalInput {
  departments: Department[];
  /** The active version the proposal changes; every field starts from it. */
  base?: AgreementVersion;
  initial?: { provider?: string };
  /** What the last quarter says about `base`'s targets, when it could be read in time. */
  advice?: ShownAdvice;
}

/** The modal behind `/sla propose`, new or changing `base`. */
export function proposeModal({ departments, base, initial, advice }: ProposeModalInput): ModalView {
  const spec = base ? specOfTerms(base) : undefined;
  const deptOptions = departments.map((d) => option(d.id, d.name));
  const providerOptions = deptOptions.slice(0, MAX_SELECT_OPTIONS);
  const customerOptions = [option(EVERY_DEPARTMENT, 'Every department'), ...deptOptions].slice(0, MAX_SELECT_OPTIONS);
  const dir = { rev: 0, departments, agreements: [], digests: [] };

  const blocks: KnownBlock[] = [];
  if (base) {
    blocks.push(
      section(
        `This changes *${agreementTitle(base, dir)}*, now version ${base.version}. The other side's heads get your proposal; the current version stays in force until they accept it.`,
      ),
    );
  }
  blocks.push(
    selectInput('provider', 'Provider (who makes the promise)', providerOptions, base?.provider ?? initial?.provider),
    selectInput('customer', 'Customer', customerOptions, base?.customer),
    textInput('service', 'Service', {
      initial: spec?.service,
      placeholder: 'e.g. Laptops and accounts',
      maxLength: 80,
    }),
    context(
      "Targets are working time on the provider's calendar: time outside its working hours and on its holidays does not count. Leave both fields of a priority empty if the agreement does not cover it.",
    ),
  );
  if (advice) blocks.push(adviceBlock(advice, '*How the current targets did*'));
  for (const p of PRIORITIES) {
    const t = spec?.targets[p] as { response?: string; resolution?: string } | undefined;
    blocks.push(
      textInput(`targets.${p}.response`, `${p} — answer within`, {
        optional: true,
        initial: t?.response,
        placeholder: 'e.g. 30m',
        maxLength: 20,
      }),
      textInput(`targets.${p}.resolution`, `${p} — solve within`, {
        optional: true,
        initial: t?.resolution,
        placeholder: 'e.g. 4h',
        maxLength: 20,
      }),
    );
  }
  const tiers = spec?.penalty.tiers?.map((t) => `${t.from_breach}:${t.multiplier}`).join(', ');
  blocks.push(
    textInput('penalty.unit', 'Penalty unit', {
      initial: spec?.penalty.unit ?? 'points',
      hint: 'points, or a currency code such as EUR',
      maxLength: 10,
    }),
    numberInput('penalty.per_breach', 'Penalty per breach', { initial: spec?.penalty.per_breach }),
    textInput('penalty.tiers', 'Repeat-breach tiers', {
      optional: true,
      initial: tiers,
      placeholder: 'e.g. 3:2, 5:3',
      hint: 'from_breach:multiplier pairs within a calendar month, e.g. 3:2, 5:3 means from the 3rd breach each costs double, from the 5th triple',
      maxLength: 200,
    }),
    numberInput('penalty.monthly_cap', 'Monthly cap', {
      optional: true,
      initial: spec?.penalty.monthly_cap,
      hint: 'The most breaches can cost in one calendar month; leave empty for no cap.',
    }),
    numberInput('at_risk', 'Warn at (% of a target used)', {
      optional: true,
      initial: percentOf(base?.atRisk ?? DEFAULT_AT_RISK),
    }),
  );

  return modal({
    callbackId: IDS.proposeModal,
    title: 'Propose an agreement',
    submit: 'Send proposal',
    close: 'Cancel',
    metadata: JSON.stringify(base ? { agreementId: base.id, baseVersion: base.version } : {}),
    blocks,
  });
}

/** `view.state.values` of a view_submission, as far as Kept's inputs fill it. */
export type ViewStateValues = Record<
  string,
  Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>
>;

export const TIERS_ERROR = 'write pairs like 3:2, 5:3 (from the 3rd breach ×2, from the 5th ×3)';
export const AT_RISK_ERROR = 'give a percentage between 1 and 99, e.g. 75';

/** `3:2, 5:3` -> tiers; undefined when the text is not in that form. */
export function parseTiers(text: string): { from_breach: number; multiplier: number }[] | undefined {
  const pairs = text
    .replace(/\s*:\s*/g, ':')
    .split(/[\s,;]+/)
    .filter((s) => s !== '');
  const tiers: { from_breach: number; multiplier: number }[] = [];
  for (const pair of pairs) {
    const m = /^(\d{1,6}):(\d{1,6}(?:\.\d{1,4})?)$/.exec(pair);
    if (!m) return undefined;
    tiers.push({ from_breach: Number(m[1]), multiplier: Number(m[2]) });
  }
  return tiers;
}

/**
 * A submission of the propose modal -> the written terms for `AgreementTermsSpec`, plus the
 * problems found before parsing (keyed by block_id). Empty fields become undefined so the spec
 * names what is missing.
 */
export function readProposeView(values: ViewStateValues): {
  spec: Record<string, unknown>;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const field = (block: string) => values[block]?.[IDS.value];
  const text = (block: string): string | undefined => {
    const v = field(block)?.value;
    const t = typeof v === 'string' ? v.trim() : '';
    return t === '' ? undefined : t;
  };
  const number = (block: string): number | undefined => {
    const t = text(block);
    return t === undefined ? undefined : Number(t);
  };
  const selected = (block: string): string | undefined => field(block)?.selected_option?.value ?? undefined;

  const targets: Record<string, { response: string | undefined; resolution: string | undefined }> = {};
  for (const p of PRIORITIES) {
    const response = text(`targets.${p}.response`);
    const resolution = text(`targets.${p}.resolution`);
    if (response !== undefined || resolution !== undefined) targets[p] = { response, resolution };
  }

  const penalty: Record<string, unknown> = { unit: text('penalty.unit'), per_breach: number('penalty.per_breach') };
  const tiersText = text('penalty.tiers');
  if (tiersText !== undefined) {
    const tiers = parseTiers(tiersText);
    if (tiers === undefined) errors['penalty.tiers'] = TIERS_ERROR;
    else if (tiers.length > 0) penalty.tiers = tiers;
  }
  const cap = number('penalty.monthly_cap');
  if (cap !== undefined) penalty.monthly_cap = cap;

  const spec: Record<string, unknown> = {
    provider: selected('provider'),
    customer: selected('customer'),
    service: text('service'),
    targets,
    penalty,
  };
  const percent = number('at_risk');
  if (percent !== undefined) {
    if (!(percent > 0 && percent < 100)) errors.at_risk = AT_RISK_ERROR;
    else spec.at_risk = Math.round(percent * 1e6) / 1e8;
  }
  return { spec, errors };
}

/** Issues about a whole group land on the group's first-filled field. */
const GROUP_BLOCKS: Record<string, ProposeBlockId> = { penalty: 'penalty.per_breach' };

/**
 * The block that shows an issue of the terms spec at `path`: the longest block id equal to the
 * path or a prefix of it (followed by `.` or `[`); a group's issue (`targets`, `penalty`,
 * `targets.P2`) goes to its first field; anything else to `service`.
 */
export function blockForIssuePath(path: readonly PropertyKey[]): ProposeBlockId {
  const at = formatPath(path);
  let best: ProposeBlockId | undefined;
  for (const id of PROPOSE_BLOCK_IDS) {
    if (at === id || at.startsWith(`${id}.`) || at.startsWith(`${id}[`)) {
      if (best === undefined || id.length > best.length) best = id;
    }
  }
  if (best) return best;
  if (at === '') return 'service';
  const group = GROUP_BLOCKS[at];
  if (group) return group;
  return PROPOSE_BLOCK_IDS.find((id) => id.startsWith(`${at}.`)) ?? 'service';
}
