#!/usr/bin/env node
/**
 * The Slack function's code as CommonJS files that require each other (issue #22). Run by the
 * stack after NodejsFunction's own bundling (lib/constructs/slack-api.ts, `afterBundling`) and by
 * the benches, so both ship and time the same files.
 *
 * In one file, V8 parses the text of every listener group and `/sla` word on each cold start,
 * though only the ones a request needs ever run. esbuild splits a bundle at its dynamic imports
 * only as ES modules; those would load through Node's ES-module loader, whose per-file cost ate
 * the gain (docs/decisions.md). So the split is built as ES modules into a scratch folder and each
 * file turned into CommonJS in a second pass (`import()` becomes `require`, source maps carried
 * through): index.js and the chunks it needs load at start, the rest when first imported.
 *
 * esbuild puts each module in a chunk named by the set of entries (the handler and every module
 * loaded with `import()`) that reach it, so the code a cold start needs came in 18 chunks, one per
 * such set, and Node spends ~0.2 ms on each file it requires. Each module loaded with `import()` is
 * therefore built as if it also imported the handler (it runs only after the handler has loaded, so
 * nothing changes at run time): every module the handler reaches is then reached by every entry,
 * and they all land in one chunk.
 *
 * Usage: node bin/split-bundle.cjs <base64 of {"entry","outdir","external","alias"}>
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Writes index.js (the handler), chunk-*.js and their source maps into `outdir`, replacing index.js. */
async function splitBundle({ entry, outdir, external = [], alias = {} }) {
  const esbuild = require('esbuild');
  fs.mkdirSync(outdir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(outdir, '.esm-'));
  try {
    const split = {
      entryPoints: { index: entry },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      minify: true,
      sourcemap: true,
      outdir: scratch,
      chunkNames: 'chunk-[hash]',
      external,
      alias,
      logLevel: 'warning',
    };
    const probe = await esbuild.build({ ...split, write: false, metafile: true, sourcemap: false, minify: false });
    await esbuild.build({ ...split, plugins: [alsoImporting(path.resolve(entry), loadedOnUse(probe.metafile))] });
    for (const old of fs.readdirSync(outdir)) if (/^chunk-.*\.js(\.map)?$/.test(old)) fs.rmSync(path.join(outdir, old));
    esbuild.buildSync({
      entryPoints: fs
        .readdirSync(scratch)
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(scratch, f)),
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      minify: true,
      sourcemap: true,
      outdir,
      // `import('./chunk-….js')` as `require`: no ES-module loader at run time.
      supported: { 'dynamic-import': false },
      logLevel: 'warning',
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Our files (absolute paths) the bundle loads with `import()`, from esbuild's metafile; packages are left as they are. */
function loadedOnUse(metafile) {
  const files = new Set();
  for (const input of Object.values(metafile.inputs))
    for (const imported of input.imports)
      if (imported.kind === 'dynamic-import' && !imported.external && !imported.path.includes('node_modules'))
        files.add(path.resolve(imported.path));
  return files;
}

/** An esbuild plugin: each of `files` is built with `import "<entry>"` added at its end. */
function alsoImporting(entry, files) {
  return {
    name: 'also-importing-the-entry',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (!files.has(args.path)) return undefined;
        const contents = `${fs.readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(entry)};\n`;
        return { contents, loader: path.extname(args.path).includes('t') ? 'ts' : 'js' };
      });
    },
  };
}

module.exports = { splitBundle };

if (require.main === module) {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: node bin/split-bundle.cjs <base64 of {"entry","outdir","external","alias"}>');
    process.exit(2);
  }
  splitBundle(JSON.parse(Buffer.from(arg, 'base64').toString('utf8'))).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
