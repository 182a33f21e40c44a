// Splits date-holidays' tables (every country's rules in one 800 KB module, ~70 ms to load) into one
// small JSON file per country plus an index of countries and regions, so `kept due` loads only the
// country its calendar names (bin/cli/holidays.ts reads them; docs/decisions.md). Written once per
// version of date-holidays, its rules engine and moment-timezone under build/holidays/, into a
// folder of its own then renamed into place, so two first runs at once never read half a table.
const fs = require('node:fs');
const path = require('node:path');

/**
 * The folder of the tables (and of the years bin/cli/holidays.ts works out) for the installed
 * date-holidays, its rules engine and moment-timezone (it may not be written yet).
 */
function tablesDir(root) {
  const version = (name) => require(`${name}/package.json`).version;
  const key = [version('date-holidays'), version('date-holidays-parser'), version('moment-timezone')].join('+');
  return path.join(root, 'build', 'holidays', key);
}

/**
 * The country and the countries whose rules it borrows, transitively: a table's `_days` names
 * another's days (e.g. ES's Canary Islands take IC's), a path that starts with a country code.
 */
function withReferences(all, code) {
  const out = new Set([code]);
  const visit = (value) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === '_days') {
          const target = [].concat(v)[0];
          if (all[target] && !out.has(target)) {
            out.add(target);
            visit(all[target]);
          }
        } else visit(v);
      }
    }
  };
  visit(all[code]);
  return [...out];
}

/** Writes the tables unless they are there already; returns their folder. */
function ensureTables(root) {
  const dir = tablesDir(root);
  if (fs.existsSync(path.join(dir, 'index.json'))) return dir;
  const mod = require('date-holidays');
  const Holidays = mod.default ?? mod;
  const dataMod = require('date-holidays/data');
  const data = dataMod.data ?? dataMod.default ?? dataMod;
  const tmp = `${dir}.writing-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  const all = new Holidays();
  const countries = all.getCountries();
  const regions = {};
  for (const code of Object.keys(data.holidays)) {
    regions[code] = all.getStates(code) ?? {};
    const holidays = {};
    for (const c of withReferences(data.holidays, code)) holidays[c] = data.holidays[c];
    const table = { version: data.version, license: data.license, holidays, names: data.names };
    fs.writeFileSync(path.join(tmp, `${code}.json`), JSON.stringify(table));
  }
  fs.writeFileSync(path.join(tmp, 'index.json'), JSON.stringify({ countries, regions }));
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // Another process wrote them first: theirs are the same.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'index.json'))) throw err;
  }
  return dir;
}

module.exports = { ensureTables, tablesDir };
