/**
 * Stands in for `express`, `@slack/socket-mode` and `raw-body` in the Lambda bundle (esbuild --alias,
 * see lib/constructs/slack-api.ts). Bolt requires them at load for receivers Lambda never uses; any
 * export is a class that throws when constructed, so accidental use fails loudly. It does not
 * stand in for `date-holidays`: the Slack function needs that for calendars with a country, and
 * ships it beside the bundle, loaded on first use (see slack-api.ts).
 * Created by the CDK work as the agreed placeholder; the Slack handler owner may replace it.
 */
'use strict';

class Unavailable {
  constructor() {
    throw new Error('not available in the Slack Lambda bundle (express, @slack/socket-mode and raw-body are stubbed)');
  }
}

// `__esModule`, `then` and symbols stay undefined so interop helpers, await and inspect behave normally.
module.exports = new Proxy(
  {},
  {
    get: (_target, key) =>
      typeof key === 'symbol' || key === '__esModule' || key === 'then' ? undefined : Unavailable,
  },
);
