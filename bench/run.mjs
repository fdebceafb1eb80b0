#!/usr/bin/env node
/**
 * `npm run bench`: measures tsmpi and its baselines (raw Node sockets, mpi4py
 * over Open MPI) in one run, prints a markdown report with every ratio and
 * target, and writes the figures to bench/results/latest.json.
 * `node bench/run.mjs --help` lists the flags.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { markdown } from './lib/report.mjs';
import { BENCH, cpuSnapshot, detect, foreignShare, machine } from './lib/setup.mjs';
import { evaluateTargets } from './lib/targets.mjs';
import { collectivesSuite } from './suites/collectives.mjs';
import { memorySuite } from './suites/memory.mjs';
import { p2pSuite } from './suites/p2p.mjs';
import { startupSuite } from './suites/startup.mjs';

const SUITES = { p2p: p2pSuite, collectives: collectivesSuite, startup: startupSuite, memory: memorySuite };
const TRANSPORTS = ['auto', 'tcp', 'ws'];

const HELP = `Usage: npm run bench -- [options]      (or: node bench/run.mjs [options], after npm run build)

  --only LIST            suites to run, comma-separated: ${Object.keys(SUITES).join(',')} (default: all)
  --quick                shorter measurements, one repetition (about 1-2 minutes in all)
  --repeat N             run p2p and collectives N times, interleaved with their baselines, and
                         report medians (default: 2, with --quick 1)
  --pairs N              rounds of short paired jobs for the small round-trip and 4-rank collective
                         targets, tsmpi and its baseline back to back (default: 5, with --quick 2;
                         0: none, the targets then take the suites' medians)
  --transports LIST      tsmpi transports for p2p and memory (default: auto,tcp,ws)
  --ranks LIST           rank counts for collectives (default: 2,4,8)
  --coll-transports LIST tsmpi transports for collectives (default: auto)
  --python PATH          python3 with mpi4py (default: $BENCH_PYTHON, /usr/bin/python3, python3)
  --json PATH            where to write the figures (default: bench/results/latest.json)
  --no-json              do not write the JSON file
  --update-readme        also put the report into bench/README.md (between its results markers)
  -h, --help             this text

Progress goes to stderr; the markdown report to stdout.`;

function list(s, allowed, what) {
  const xs = s.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of xs) if (allowed && !allowed.includes(x)) throw new Error(`${what}: unknown "${x}" (choose from ${allowed.join(', ')})`);
  return xs;
}

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' }, quick: { type: 'boolean', default: false }, repeat: { type: 'string' }, pairs: { type: 'string' },
      transports: { type: 'string', default: TRANSPORTS.join(',') }, ranks: { type: 'string', default: '2,4,8' },
      'coll-transports': { type: 'string', default: 'auto' }, python: { type: 'string' },
      json: { type: 'string', default: resolve(BENCH, 'results/latest.json') }, 'no-json': { type: 'boolean', default: false },
      'update-readme': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) { console.log(HELP); process.exit(0); }
  const repeat = values.repeat === undefined ? (values.quick ? 1 : 2) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat: a whole number of at least 1');
  const pairs = values.pairs === undefined ? (values.quick ? 2 : 5) : Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 0) throw new Error('--pairs: a whole number of at least 0');
  const ranks = list(values.ranks).map(Number);
  if (ranks.some((p) => !Number.isInteger(p) || p < 2)) throw new Error('--ranks: whole numbers of at least 2');
  return {
    suites: values.only ? list(values.only, Object.keys(SUITES), '--only') : Object.keys(SUITES),
    quick: values.quick,
    repeat,
    pairs,
    transports: list(values.transports, TRANSPORTS, '--transports'),
    collTransports: list(values['coll-transports'], TRANSPORTS, '--coll-transports'),
    ranks,
    python: values.python,
    json: values['no-json'] ? undefined : resolve(values.json),
    updateReadme: values['update-readme'],
  };
}

const START = '<!-- results:start (written by npm run bench -- --update-readme) -->';
const END = '<!-- results:end -->';

/** Replace the results block of bench/README.md with this run's report (headings one level down). */
function updateReadme(report) {
  const path = resolve(BENCH, 'README.md');
  let text;
  try { text = readFileSync(path, 'utf8'); } catch { return `${path} not found: README not updated`; }
  const a = text.indexOf(START), b = text.indexOf(END);
  if (a < 0 || b < a) return `${path} has no results markers: README not updated`;
  const body = report.replace(/^(#+) /gm, '#$1 ');
  writeFileSync(path, `${text.slice(0, a + START.length)}\n${body}\n${text.slice(b)}`);
  return `results written into ${path}`;
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (err) {
    console.error(`bench: ${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const log = (s) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
  const setup = detect(opts);
  if (!setup.launcher) {
    console.error('bench: tsmpiexec is not built; run `npm run build` first (npm run bench does)');
    process.exit(1);
  }
  const load = os.loadavg()[0];
  if (load > os.availableParallelism() / 2) log(`warning: the machine is busy (load average ${load.toFixed(2)}); figures will be noisy`);
  if (setup.mpi.missing) log(`mpi4py baselines missing: ${setup.mpi.missing}`);
  if (!setup.tsmpiBuilt) log("the 'tsmpi' package is not built: collectives and start-up are reported missing");

  const results = { meta: { machine: machine(), options: opts, mpi: setup.mpi, launcher: setup.launcher, other_cpu: {} } };
  for (const name of opts.suites) {
    const before = cpuSnapshot();
    results[name] = await SUITES[name]({ opts, setup, log });
    const share = foreignShare(before, cpuSnapshot());
    results.meta.other_cpu[name] = share;
    if (share > 0.1) log(`warning: other processes took ${(share * 100).toFixed(0)}% of the CPU during ${name}; its figures are noisy`);
  }
  results.meta.duration_s = (performance.now() - t0) / 1000;
  results.targets = evaluateTargets(results, opts);

  const report = markdown(results, opts);
  process.stdout.write(report + '\n');
  if (opts.updateReadme) log(updateReadme(report));
  if (opts.json) {
    mkdirSync(dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
    log(`figures written to ${opts.json}`);
  }
}

await main();
