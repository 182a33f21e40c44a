/** Where a Slack message is: its channel (a DM's channel too) and its `ts`. The one type for it. */
export interface MessageRef {
  channel: string;
  ts: string;
}
