/**
 * Stands in for `luxon` in the Slack function's bundle (esbuild --alias, lib/constructs/slack-api.ts).
 * The library itself ships beside the bundle as node_modules/luxon/index.js and is loaded the first
 * time one of its exports is read: a cold `/sla new` reads none, and skips parsing and running its
 * 70 KiB (issue #22). Elsewhere (tests, `npm start`, the other functions) `luxon` is luxon.
 */
'use strict';

const EXPORTS = [
  'DateTime',
  'Duration',
  'Interval',
  'Info',
  'Settings',
  'Zone',
  'IANAZone',
  'FixedOffsetZone',
  'InvalidZone',
  'SystemZone',
  'VERSION',
];
// A name esbuild cannot follow: the require is left for Node, which finds the copy beside the bundle.
const LIBRARY = ['lux', 'on'].join('');
let luxon;

for (const name of EXPORTS)
  Object.defineProperty(exports, name, {
    enumerable: true,
    get: () => {
      luxon ??= require(LIBRARY);
      return luxon[name];
    },
  });
