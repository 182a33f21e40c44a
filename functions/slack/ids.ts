/**
 * Slack IDs Kept uses (callback_id, action_id, block_id), in one place: the views that
 * build them and the listeners that answer them import the same constants.
 */
export const IDS = {
  /** `/sla propose`: the modal and its blocks (block ids are the paths of the written terms). */
  proposeModal: 'agreement_propose',
  /** Every input in Kept's modals uses this action_id; the block_id says which field it is. */
  value: 'value',
  /** The proposal DM's buttons; their value is JSON `{ "id": ..., "version": ... }`. */
  acceptProposal: 'agreement_accept',
  declineProposal: 'agreement_decline',
  /** The modal that asks for a reason to decline. */
  declineModal: 'agreement_decline_reason',
  declineReasonBlock: 'reason',
} as const;
