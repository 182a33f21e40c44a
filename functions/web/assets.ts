/**
 * The scripts the chart pages load, served by Kept itself under `/web/assets/<file>` (no CDN, so the
 * page's CSP can say `script-src 'self'`): the browser builds of Vega, Vega-Lite and vega-embed,
 * Vega's CSP-safe expression interpreter, and ours, `charts.js`, which draws each chart of the page.
 *
 * The vendor files are found the way `require.resolve` looks for a package: the `node_modules`
 * folders of `require.resolve.paths(<package>)` (the packages' `exports` maps keep
 * `require.resolve('vega/build/vega.min.js')` itself from reaching them), so they are found in the
 * installed packages under jest and `npm start`, and in a Lambda asset whose `node_modules` holds
 * just these files: `vega/build/vega.min.js`, `vega-lite/build/vega-lite.min.js`,
 * `vega-embed/build/vega-embed.min.js`, `vega-interpreter/build/vega-interpreter.js`. Each is read
 * once, on first use, and kept; its URL carries a hash of its content, so it can be cached for a year.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ASSETS_PATH = '/web/assets';

/** Vendor files: the package and the file inside it. */
const VENDOR: Record<string, { pkg: string; file: string }> = {
  'vega.min.js': { pkg: 'vega', file: 'build/vega.min.js' },
  'vega-lite.min.js': { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  'vega-embed.min.js': { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
  'vega-interpreter.js': { pkg: 'vega-interpreter', file: 'build/vega-interpreter.js' },
};

/** Each vendor file as `<package>/<file>`: what the web function's asset must carry (lib/constructs/web.ts). */
export const VENDOR_FILES: readonly string[] = Object.values(VENDOR).map((v) => `${v.pkg}/${v.file}`);

/**
 * Ours: draws every `[data-chart]` element from the spec in the `<script type="application/json">`
 * it names, with Vega's interpreter instead of `new Function` (so no 'unsafe-eval') and vega-embed's
 * own tooltips. A chart that cannot be drawn says so; its table is on the page anyway.
 */
const CHARTS_JS = `import { expressionInterpreter } from './vega-interpreter.js';
for (const box of document.querySelectorAll('[data-chart]')) {
  const source = document.getElementById(box.dataset.chart);
  try {
    const spec = JSON.parse(source.textContent);
    await vegaEmbed(box, spec, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter });
    box.dataset.drawn = 'true';
  } catch (err) {
    box.textContent = 'Sorry, this chart could not be drawn. The table below has the same figures.';
    console.error(err);
  }
}
`;

/**
 * Vega's interpreter ships only as an ES module importing from 'vega-util', which a browser cannot
 * resolve; the Vega build already carries those functions on its global, so the import is pointed there.
 */
function browserInterpreter(source: string): string {
  const out = source.replace(
    /^import \{([^}]*)\} from 'vega-util';/m,
    (_, names: string) => `const {${names}} = globalThis.vega;`,
  );
  // Another version's imports would break every chart silently in the browser: say so here instead.
  if (/^import /m.test(out)) throw new Error('vega-interpreter imports more than vega-util: assets.ts needs a look');
  return out;
}

interface Asset {
  body: string;
  type: string;
  /** A short hash of the body, for the URL. */
  version: string;
}

/** A file of an installed package, looked for where Node's `require` looks for the package. */
export function packageFile(pkg: string, file: string): string {
  const dirs = require.resolve.paths(pkg) ?? [];
  for (const dir of dirs) {
    const candidate = path.join(dir, pkg, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${pkg}/${file} is not installed (looked in ${dirs.join(', ')})`);
}

const cache = new Map<string, Asset>();

function load(name: string): Asset | undefined {
  const had = cache.get(name);
  if (had) return had;
  let body: string;
  // charts.js names the interpreter's URL with its hash, so a new interpreter makes a new charts.js too.
  if (name === 'charts.js')
    body = CHARTS_JS.replace(
      "'./vega-interpreter.js'",
      `'./vega-interpreter.js?v=${load('vega-interpreter.js')!.version}'`,
    );
  else {
    const vendor = VENDOR[name];
    if (!vendor) return undefined;
    body = readFileSync(packageFile(vendor.pkg, vendor.file), 'utf8');
    if (name === 'vega-interpreter.js') body = browserInterpreter(body);
  }
  const asset = {
    body,
    type: 'text/javascript; charset=utf-8',
    version: createHash('sha256').update(body).digest('base64url').slice(0, 12),
  };
  cache.set(name, asset);
  return asset;
}

/** The file served as `/web/assets/<name>`, or undefined for a name Kept does not serve. */
export const asset = (name: string): Asset | undefined =>
  Object.hasOwn(VENDOR, name) || name === 'charts.js' ? load(name) : undefined;

/** The scripts a chart page loads, in order (the last is a module), each URL with its content's hash. */
export function chartScripts(): { vega: string; vegaLite: string; vegaEmbed: string; charts: string } {
  const url = (name: string) => `${ASSETS_PATH}/${name}?v=${load(name)!.version}`;
  return {
    vega: url('vega.min.js'),
    vegaLite: url('vega-lite.min.js'),
    vegaEmbed: url('vega-embed.min.js'),
    charts: url('charts.js'),
  };
}

/** Long-lived: the URL changes with the content. */
export const ASSET_CACHE = 'public, max-age=31536000, immutable';
