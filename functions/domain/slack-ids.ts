/** A Slack user ID (`U…`, or `W…` on Enterprise Grid); config.ts checks KEPT_ADMINS with it without loading department.ts. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/** A channel where Kept can post (`C…` public, `G…` private). */
const CHANNEL_ID = /^[CG][A-Z0-9]{2,20}$/;
/** A user group (`S…`). */
const USERGROUP_ID = /^S[A-Z0-9]{2,20}$/;

export const isUserId = (text: string): boolean => SLACK_USER_ID.test(text);
export const isChannelId = (text: string): boolean => CHANNEL_ID.test(text);
export const isUsergroupId = (text: string): boolean => USERGROUP_ID.test(text);
