/**
 * Emoji as Slack names them in reactions. Its own module so that deciding whether a reaction
 * matters (slack/reactions.ts, on every event) does not load the kudos and request rules (issue #22).
 */

/** `kudos::skin-tone-3` -> `kudos`; reactions name emoji without colons. */
export const baseEmoji = (reaction: string): string => reaction.split('::')[0]!.replace(/^:|:$/g, '');
