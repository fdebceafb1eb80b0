#!/usr/bin/env node
/**
 * Summarize a .cpuprofile: the functions with the most self time and the most
 * total (inclusive) time, as a share of all samples.
 *
 *   node bench/tools/top-functions.mjs PROFILE [--top 25] [--filter substring] [--by-file]
 *
 * --by-file adds self time by source file (node internals, native code such as
 * the writev syscall, idle and GC each counted as their own line).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' }, filter: { type: 'string' }, 'by-file': { type: 'boolean', default: false } }, allowPositionals: true });
if (positionals.length !== 1) { console.error('usage: top-functions.mjs PROFILE [--top N] [--filter TEXT]'); process.exit(2); }
const prof = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfSamples = new Map();
for (const id of prof.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
const total = prof.samples.length;

const label = (n) => {
  const f = n.callFrame;
  const url = f.url ? relative(process.cwd(), f.url.replace(/^file:\/\//, '')) : '';
  return `${f.functionName || '(anonymous)'} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
};

const self = new Map(), incl = new Map();
for (const [id, count] of selfSamples) {
  const n = byId.get(id);
  self.set(label(n), (self.get(label(n)) ?? 0) + count);
  // Inclusive: count each distinct function once per stack.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (!seen.has(l)) { seen.add(l); incl.set(l, (incl.get(l) ?? 0) + count); }
  }
}

const show = (title, m) => {
  console.log(`\n${title} (of ${total} samples)`);
  const rows = [...m].filter(([l]) => !values.filter || l.includes(values.filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [l, c] of rows) console.log(`${((100 * c) / total).toFixed(1).padStart(6)}%  ${l}`);
};
show('self time', self);
if (values['by-file']) {
  const files = new Map();
  for (const [id, count] of selfSamples) {
    const f = byId.get(id).callFrame;
    const key = f.url ? relative(process.cwd(), f.url.replace(/^file:\/\//, '')).replace(/^node:.*/, 'node: (internals)') : `(native) ${f.functionName}`;
    files.set(key, (files.get(key) ?? 0) + count);
  }
  show('self time by file', files);
}
show('total time', incl);
