/** A Slack user ID (`U…`, or `W…` on Enterprise Grid); config.ts checks KEPT_ADMINS with it without loading department.ts. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;
