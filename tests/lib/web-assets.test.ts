/**
 * The web function's asset carries every script file the pages ask for: functions/web/assets.ts
 * reads them from node_modules at run time, and lib/constructs/web.ts copies them beside the bundle.
 * A file missing from the asset would leave every chart undrawn in AWS while working locally.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { VENDOR_FILES } from '../../functions/web/assets';
import { WEB_ASSET_FILES } from '../../lib/constructs/web';

it('copies into the web asset exactly the vendor files the pages serve', () => {
  expect([...WEB_ASSET_FILES].sort()).toEqual([...VENDOR_FILES].sort());
});

it('finds each of them installed', () => {
  for (const file of WEB_ASSET_FILES)
    expect(existsSync(path.join(__dirname, '..', '..', 'node_modules', file))).toBe(true);
});
