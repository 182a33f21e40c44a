// Splits date-holidays' tables (every country's rules in one 800 KB module, ~70 ms to load) into one
// small JSON file per country plus an index of countries and regions, so `kept due` loads only the
// country its calendar names (bin/cli/holidays.ts reads them; docs/decisions.md). Written once per
// date-holidays version under build/holidays/<version>/, into a folder of its own then renamed into
// place, so two first runs at once never read half a table.
const fs = require('node:fs');
const path = require('node:path');

/** The folder of the tables for the installed date-holidays (it may not be written yet). */
function tablesDir(root) {
  const { version } = require('date-holidays/package.json');
  return path.join(root, 'build', 'holidays', version);
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

/**
 * The moment-timezone data (its packed form) of every zone a table names, and of GMT, which the
 * rules engine uses when a rule names none: `kept due` loads these rather than the ~600 zones'
 * 700 KB (bin/run.cjs builds it with moment-timezone's code alone).
 */
function timezonesOf(text) {
  const packed = require('moment-timezone/data/packed/latest.json');
  const zones = new Map(packed.zones.map((z) => [z.slice(0, z.indexOf('|')), z]));
  const links = new Map(packed.links.map((l) => [l.slice(l.indexOf('|') + 1), l]));
  const out = { version: packed.version, zones: new Set(), links: new Set() };
  const add = (name) => {
    if (zones.has(name)) out.zones.add(zones.get(name));
    else if (links.has(name) && !out.links.has(links.get(name))) {
      const link = links.get(name);
      out.links.add(link);
      add(link.slice(0, link.indexOf('|')));
    }
  };
  add('GMT');
  for (const [word] of text.matchAll(/[A-Za-z][\w+-]*(?:\/[\w+-]+)*/g)) add(word);
  return { version: out.version, zones: [...out.zones], links: [...out.links] };
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
    const timezones = timezonesOf(JSON.stringify(holidays));
    fs.writeFileSync(path.join(tmp, `${code}.json`), JSON.stringify({ table, timezones }));
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
