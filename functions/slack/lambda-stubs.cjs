/**
 * Stands in for `express` and `@slack/socket-mode` in the Lambda bundle (esbuild --alias, see
 * lib/constructs/slack-api.ts). Bolt requires both at load for receivers Lambda never uses; any
 * export is a class that throws when constructed, so accidental use fails loudly. It also stands
 * in for `date-holidays`, which only checks a calendar's country, something the Slack function
 * never does (the import and the jobs do).
 * Created by the CDK work as the agreed placeholder; the Slack handler owner may replace it.
 */
'use strict';

class Unavailable {
  constructor() {
    throw new Error('not available in the Slack Lambda bundle (express, @slack/socket-mode and date-holidays are stubbed)');
  }
}

// `__esModule`, `then` and symbols stay undefined so interop helpers, await and inspect behave normally.
module.exports = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'symbol' || key === '__esModule' || key === 'then' ? undefined : Unavailable) },
);
