#!/usr/bin/env node
// Runs a TypeScript entry on Node 20 (which cannot run .ts itself): esbuild bundles our own code
// into build/run/ (node_modules stay external), then the bundle runs with the remaining args.
// The bundle is built once and reused until one of the files it was built from changes: beside it,
// a stamp lists each input with its size and modification time (esbuild's metafile), so a run
// checks ~100 files with stat and loads esbuild only to rebuild (docs/decisions.md).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/**
 * Entries built differently from the default (our code bundled, node_modules left external).
 * `kept due` is timed against node's own start (issue #22): its packages go into the bundle,
 * minified, and the bundle runs with a V8 code cache. moment-timezone comes without its 700 KB of
 * zones: bin/cli/holidays.ts adds those of the calendar's country. date-holidays, whose
 * every-country tables `kept due` never loads, stays outside. Figures in docs/benchmarks.md.
 */
const BUILDS = {
  'bin/kept-due.ts': {
    bundlePackages: true,
    external: ['date-holidays', 'date-holidays-parser', 'moment-timezone'],
    minify: true,
    codeCache: true,
  },
};

/** The bundle for `entry`, built now only when missing or older than one of its inputs. */
function bundleOf(entry) {
  const options = BUILDS[entry] ?? {};
  const outfile = path.join(root, 'build', 'run', entry.replace(/\.ts$/, '.cjs'));
  const stampFile = `${outfile}.inputs.json`;
  if (fresh(stampFile) && fs.existsSync(outfile)) return outfile;
  const esbuild = require('esbuild');
  // Built in a folder of its own, then renamed into place: two first runs at once never load half
  // a file, and the source map keeps the bundle's name.
  const tmpDir = path.join(path.dirname(outfile), `.building-${process.pid}`);
  const tmp = path.join(tmpDir, path.basename(outfile));
  const startedAt = Date.now();
  const result = esbuild.buildSync({
    // The metafile names its inputs relative to this folder, the stamp too: the same from any cwd.
    absWorkingDir: root,
    entryPoints: [path.resolve(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    ...(options.bundlePackages ? { external: options.external ?? [] } : { packages: 'external' }),
    minify: options.minify === true,
    sourcemap: 'linked',
    outfile: tmp,
    metafile: true,
    logLevel: 'warning',
  });
  // A file saved while the build ran may not be in it: its time is not trusted, so the next run builds again.
  // A package bundled in stands in the stamp as its package.json, which an install of another
  // version rewrites: a run checks one file per package rather than each of its modules.
  // This file too: the build's settings are here.
  const files = new Set([
    path.relative(root, __filename),
    ...Object.keys(result.metafile.inputs).map((file) => {
      const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
      return pkg ? `${pkg[1]}/package.json` : file;
    }),
  ]);
  const inputs = [...files].map((file) => {
    const st = fs.statSync(path.resolve(root, file));
    return [file, st.size, st.mtimeMs <= startedAt ? st.mtimeMs : -1];
  });
  fs.writeFileSync(`${tmp}.inputs.json`, JSON.stringify(inputs));
  fs.renameSync(`${tmp}.map`, `${outfile}.map`);
  fs.rmSync(`${outfile}.v8cache`, { force: true });
  fs.renameSync(tmp, outfile);
  fs.renameSync(`${tmp}.inputs.json`, stampFile);
  fs.rmSync(tmpDir, { recursive: true, force: true });
  return outfile;
}

/** Whether every input the stamp lists still has the size and time it had when the bundle was built. */
function fresh(stampFile) {
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  for (const [file, size, mtimeMs] of inputs) {
    try {
      const st = fs.statSync(path.resolve(root, file));
      if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function run(entry, args) {
  const outfile = bundleOf(entry);
  process.argv = [process.argv[0], outfile, ...args];
  process.setSourceMapsEnabled(true);
  if (BUILDS[entry]?.codeCache) runWithCodeCache(outfile);
  else require(outfile);
}

/**
 * Runs a CommonJS bundle as require() would, but compiled with the V8 code cache kept beside it
 * (`.v8cache`, made at the end of the first run so it holds the functions that run used, and
 * dropped whenever the bundle is rebuilt). Node 22's module.enableCompileCache() does this for
 * every module; Node 20 has no such thing. Only for bundles without import(): a vm.Script has no
 * loader for it.
 */
function runWithCodeCache(outfile) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const cacheFile = `${outfile}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  const script = new vm.Script(Module.wrap(fs.readFileSync(outfile, 'utf8')), { filename: outfile, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // Only slower next time.
      }
    });
  }
  const mod = new Module(outfile, module);
  mod.filename = outfile;
  mod.paths = Module._nodeModulePaths(path.dirname(outfile));
  require.cache[outfile] = mod;
  const localRequire = Module.createRequire(outfile);
  script.runInThisContext()(mod.exports, localRequire, mod, outfile, path.dirname(outfile));
  mod.loaded = true;
}

module.exports = { bundleOf, run };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node bin/run.cjs <entry.ts> [args...]');
    process.exit(2);
  }
  run(entry, args);
}
