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

  /** `/sla new` and the `file_request` shortcut: the modal, and the blocks it reads. */
  newRequestModal: 'request_new',
  requestServiceBlock: 'service',
  requestPriorityBlock: 'priority',
  requestTitleBlock: 'title',
  requestDescriptionBlock: 'description',
  /** The service select re-draws the priorities with that agreement's targets (dispatch_action). */
  requestServiceSelect: 'request_service',
  /** "New request" at the top of the App Home and in `/sla help`: the same modal as `/sla new`. */
  homeNewRequest: 'home_new_request',
  /** The message shortcut. */
  fileRequestShortcut: 'file_request',
  /** "File as request" in the offer a 🎫 reaction brings; value is JSON `{ "channel": "C…", "ts": "…" }`. */
  fileOffered: 'request_file_offered',
  /** Card buttons; every value is the request ID (`IT-42`). */
  requestAction: {
    acknowledge: 'request_acknowledge',
    assignMe: 'request_assign_me',
    /** users_select on the card: pick someone to assign. */
    assign: 'request_assign',
    pause: 'request_pause',
    resume: 'request_resume',
    resolve: 'request_resolve',
    close: 'request_close',
    reopen: 'request_reopen',
    cancel: 'request_cancel',
    /** Rating buttons in the requester's DM; value is JSON `{ "id": "IT-42", "score": 4 }`. */
    rate: 'request_rate',
    /** "Add a comment" under a rating just given in the requester's DM; value is the request ID. */
    comment: 'request_rating_comment',
    /** "Answer" in the requester's "needs your input" DM; value is the request ID. */
    answer: 'request_answer',
    /** "Change priority" on the card: opens the priority modal. */
    priority: 'request_priority',
    /** "Why this due time?" on the card: the explanation, to the presser only. */
    explain: 'request_explain',
    /** The card's "More actions" menu: each option's value is the action_id of the button it stands for. */
    more: 'request_more',
    /** "Transfer" on the card: opens the transfer modal. */
    transfer: 'request_transfer',
    /** "Open the request" in a head's low-score DM: a link button to the card (the click is only acknowledged); value is the request ID. */
    open: 'request_open',
  },
  /** The modal that hands a request to another department (private_metadata: the request ID). */
  transferModal: 'request_transfer_to',
  transferDeptBlock: 'to_department',
  transferReasonBlock: 'transfer_reason',
  /** The modal that changes (or, for the requester, asks for) a priority (private_metadata: the request ID). */
  priorityModal: 'request_priority_change',
  priorityBlock: 'new_priority',
  priorityReasonBlock: 'reason',
  /** The modal the requester answers in (private_metadata: JSON `{ id, channel?, ts? }`, the DM to update; or the bare ID). */
  answerModal: 'request_answer_text',
  pauseModal: 'request_pause_question',
  cancelModal: 'request_cancel_confirm',
  pauseQuestionBlock: 'question',
  /** The pause modal's choice: waiting on the requester (default) or on a third party. */
  pauseWhoBlock: 'waiting_on',
  answerBlock: 'answer',
  /** The modal that asks for a resolution note (private_metadata: the request ID). */
  resolveModal: 'request_resolve_note',
  resolveNoteBlock: 'note',
  /** The modal that adds a comment to a rating given (private_metadata: JSON `{ id, score, channel?, ts? }`, the DM to update). */
  rateModal: 'request_rate',
  rateScoreBlock: 'score',
  rateBetterBlock: 'better',
  /** In the resolve modal of a breached request: the cause category (static_select) and its text. */
  resolveCauseBlock: 'cause',
  resolveCauseTextBlock: 'cause_text',
  /** The breach DM's button for the customer's heads; value is JSON `{ "id": "IT-42", "kind": "response" }`. */
  waivePenalty: 'request_waive',
  /** The modal that asks why a penalty is waived (private_metadata: the same JSON, plus the DM's `channel` and `ts`). */
  waiveModal: 'request_waive_reason',
  waiveReasonBlock: 'reason',
  /** The breach DM's Apologise button for the provider's side; value is JSON `{ "id": "IT-42", "kind": "response" }`. */
  recoverApologise: 'request_recover_apologise',
  /** The apology form (private_metadata: the same JSON); its text block. */
  recoverModal: 'request_recover_text',
  recoverTextBlock: 'recover_text',
  /** The other recovery steps' buttons in the breach DMs (value: the same JSON as Apologise); the
   * apology form also takes an explanation or word on progress (private_metadata adds `step`). */
  recoverExplain: 'request_recover_explain',
  recoverProgress: 'request_recover_progress',
  recoverCause: 'request_recover_cause',
  /** The form that writes down the cause of a miss (private_metadata: `{ id, kind }`): category and note. */
  recoverCauseModal: 'request_recover_cause_form',
  recoverCauseBlock: 'recover_cause',
  recoverCauseTextBlock: 'recover_cause_text',
  /** The requester's "Was it put right?" buttons; value is JSON `{ "id": "IT-42", "recovered": true }`. */
  recoveredYes: 'request_recovered_yes',
  recoveredNo: 'request_recovered_no',
  /** A joint review's "Agree a fix" button; value is JSON `{ "agreement": "it-for-finance", "key": "tier|2026-12|3" }`. */
  reviewAgree: 'review_agree',
  /** The joint review's form (private_metadata: the same JSON as the button's value). */
  reviewModal: 'review_fix',
  reviewFixBlock: 'review_fix_text',
  reviewOwnerBlock: 'review_owner',
  reviewDateBlock: 'review_date',

  /** "Say thanks" in the requester's resolved DM: opens the kudos form for whoever resolved it; value is the request ID. */
  sayThanks: 'request_say_thanks',

  /** The "Give kudos" message shortcut and its modal (private_metadata: the message, JSON). */
  giveKudosShortcut: 'give_kudos',
  kudosModal: 'kudos_give',
  /** multi_users_select (its value is `selected_users`). */
  kudosRecipientsBlock: 'recipients',
  kudosMessageBlock: 'message',
  kudosRequestBlock: 'request',
  kudosValuesBlock: 'values',

  /** `/sla tips add|edit`: the tip modal (private_metadata: JSON `{ mode, kind | id, channel }`) and its blocks. */
  tipModal: 'tip_edit',
  tipTitleBlock: 'tip_title',
  tipBodyBlock: 'tip_body',
  tipTryBlock: 'tip_try',
} as const;
