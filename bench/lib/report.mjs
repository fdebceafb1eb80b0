/** The markdown report: one table per suite, every figure with its ratio, then the targets. */
import { RAW_KIND, SIZES, BW_SIZES, OTHER_WAIT_SIZES } from '../suites/p2p.mjs';
import { OPS, COLL_SIZES } from '../suites/collectives.mjs';

const MISSING = 'missing';
const get = (o, ...path) => path.reduce((x, k) => (x == null ? undefined : x[k]), o);

export function sizeLabel(s) {
  if (s === 'small') return 'one number';
  if (s >= 1 << 20) return `${s / (1 << 20)} MiB`;
  if (s >= 1024) return `${s / 1024} KiB`;
  return `${s} B`;
}

const group = (x, digits) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Time in µs: 3 significant figures below 100, whole numbers above. */
export const us = (x) => (x === undefined ? MISSING : x < 10 ? group(x, 2) : x < 100 ? group(x, 1) : group(x, 0));
export const ms = (x) => (x === undefined ? MISSING : x < 10 ? group(x, 2) : group(x, 0));
export const mbs = (x) => (x === undefined ? MISSING : group(x, 0));
export const mib = (x) => (x === undefined ? MISSING : group(x, 1));
export const ratio = (a, b) => (a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`);

function table(head, rows) {
  const right = head.map((h, i) => (i === 0 ? false : typeof h === 'object' ? h.right : true));
  const names = head.map((h) => (typeof h === 'object' ? h.name : h));
  return [
    `| ${names.join(' | ')} |`,
    `| ${right.map((r) => (r ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const MODE_LABEL = { object: 'object', typed: 'Float64Array send/recv', buffer: 'Float64Array Send/Recv' };

function missingNotes(impls) {
  const notes = [];
  for (const [id, v] of Object.entries(impls ?? {})) {
    if (v?.missing) notes.push(`- **${id}**: missing — ${v.missing}`);
    else if (v?.exit_problem) notes.push(`- **${id}**: ${v.exit_problem}`);
    else if (v && typeof v === 'object') {
      for (const [k, w] of Object.entries(v)) {
        if (w?.missing) notes.push(`- **${id}** (${k} ranks): missing — ${w.missing}`);
        else if (w?.exit_problem) notes.push(`- **${id}** (${k} ranks): ${w.exit_problem}`);
      }
    }
  }
  return notes;
}

function p2pSection(p2p, opts) {
  const im = p2p.impls;
  const ts = opts.transports;
  const vsMpi = ts.includes('tcp') ? 'tcp' : ts[0];
  const rtt = (impl, mode, size) => get(im, impl, 'rtt', mode, size, 'median_us');
  const bw = (impl, mode, size) => get(im, impl, 'bw', mode, size, 'MBps');

  const head = ['payload', { name: 'mode', right: false }];
  for (const t of ts) head.push(`tsmpi ${t}`, `Node ${RAW_KIND[t]}`, '×');
  head.push('mpi4py shm', 'mpi4py tcp', `× (tsmpi ${vsMpi} / mpi4py tcp)`);

  const rows = (sizes, modes, fig, fmt) => {
    const out = [];
    for (const size of sizes) {
      for (const mode of modes) {
        const r = [sizeLabel(size), MODE_LABEL[mode]];
        for (const t of ts) {
          const a = fig(`tsmpi-${t}`, mode, size), b = fig(`node-${RAW_KIND[t]}`, 'raw', size);
          r.push(fmt(a), fmt(b), ratio(a, b));
        }
        const mt = fig('mpi4py-tcp', mode, size);
        r.push(fmt(fig('mpi4py-shm', mode, size)), fmt(mt), ratio(fig(`tsmpi-${vsMpi}`, mode, size), mt));
        out.push(r);
      }
    }
    return out;
  };
  const WAITING = { poll: 'polling', block: 'sleeping' };
  const waitNote = p2p.wait
    ? `tsmpi's ranks wait for messages by ${WAITING[p2p.wait]} here (\`TSMPI_WAIT=auto\`: ${p2p.wait === 'poll' ? 'they poll while 2 ranks do not outnumber the cores' : 'the host has fewer cores than ranks'}), and the raw Node echo waits the same way.`
    : '';
  return [
    '## Point to point, 2 ranks',
    '',
    ...(waitNote ? [waitNote, ''] : []),
    '### Round trip (median, µs; × = tsmpi ÷ baseline, lower is better)',
    '',
    table(head, rows(SIZES, ['object', 'typed', 'buffer'], rtt, us)),
    '',
    ...(p2p.other ? waitSection(p2p, ts, rtt, WAITING) : []),
    '### One-way bandwidth (MB/s = 10^6 B/s; × = tsmpi ÷ baseline, higher is better)',
    '',
    table(head, rows(BW_SIZES, ['typed', 'buffer', 'object'], bw, mbs)),
    '',
    'Modes: *object* = `send`/`recv` of `{a:1, b:\'x\', c:[1,2,3], data}` with a Float64Array `data` of the payload size ' +
      '(none at 0 B; mpi4py: a dict with an ndarray, pickled); *Float64Array send/recv* = a bare typed array through the value ' +
      'family (mpi4py: a pickled ndarray); *Float64Array Send/Recv* = the buffer family into a preallocated array (mpi4py: ' +
      '`Send`/`Recv` of an ndarray). The raw Node columns are a length-prefixed echo of the bytes alone, one ' +
      'figure per size. mpi4py shm = Open MPI\'s default transport, tcp = `--mca btl tcp,self`.',
    ...missingNotes(im),
    '',
  ].join('\n');
}

/** The small round trips with both wait policies, tsmpi and the raw echo alike. */
function waitSection(p2p, ts, rtt, WAITING) {
  const { wait, other } = p2p;
  const head = [{ name: 'transport', right: false }, 'payload', { name: 'mode', right: false },
    `tsmpi, ${WAITING[wait]}`, `Node, ${WAITING[wait]}`, '×', `tsmpi, ${WAITING[other]}`, `Node, ${WAITING[other]}`, '×'];
  const rows = [];
  for (const t of ts) {
    const kind = RAW_KIND[t];
    for (const size of OTHER_WAIT_SIZES) {
      for (const mode of ['object', 'typed', 'buffer']) {
        const a = rtt(`tsmpi-${t}`, mode, size), b = rtt(`node-${kind}`, 'raw', size);
        const c = rtt(`tsmpi-${t}-${other}`, mode, size), d = rtt(`node-${kind}-${other}`, 'raw', size);
        rows.push([`${t} (Node ${kind})`, sizeLabel(size), MODE_LABEL[mode], us(a), us(b), ratio(a, b), us(c), us(d), ratio(c, d)]);
      }
    }
  }
  return [
    `### Round trip by wait policy (median, µs): ${WAITING[wait]} (the default here) and ${WAITING[other]} (\`TSMPI_WAIT=${other}\`)`,
    '',
    table(head, rows),
    '',
  ];
}

function collectivesSection(c, opts) {
  const parts = ['## Collectives (µs per operation, slowest rank\'s mean; × = tsmpi ÷ mpi4py, lower is better)', ''];
  const ts = opts.collTransports;
  for (const p of opts.ranks) {
    const fig = (impl, op, size) => get(c.impls, impl, p, op, size, 'us');
    const head = ['operation', { name: 'data', right: false }, ...ts.map((t) => `tsmpi ${t}`), 'mpi4py shm', '×', 'mpi4py tcp', '×'];
    const rows = [];
    for (const op of OPS) {
      for (const size of op === 'barrier' ? ['small'] : COLL_SIZES) {
        const a = fig(`tsmpi-${ts[0]}`, op, size), s = fig('mpi4py-shm', op, size), t = fig('mpi4py-tcp', op, size);
        rows.push([op, op === 'barrier' ? '–' : size === 'small' ? 'one number (value)' : `${sizeLabel(size)} Float64Array`, ...ts.map((x) => us(fig(`tsmpi-${x}`, op, size))), us(s), ratio(a, s), us(t), ratio(a, t)]);
      }
    }
    parts.push(`### ${p} ranks`, '', table(head, rows), '');
  }
  parts.push('Typed-array sizes are each rank\'s block (bcast/reduce/allreduce: the whole array; gather, scatter, allgather, ' +
    'alltoall: one block per rank), through the Uppercase family in both tsmpi and mpi4py; one number goes through the ' +
    'value (lowercase, pickle) family.', ...missingNotes(c.impls), '');
  return parts.join('\n');
}

function startupSection(s) {
  const base = s.impls['mpirun-mpi4py']?.median_ms;
  const label = { 'tsmpiexec-js': `tsmpiexec -n ${s.np} hello.mjs`, 'tsmpiexec-ts': `tsmpiexec -n ${s.np} hello.ts`, 'mpirun-mpi4py': `mpirun -n ${s.np} python3 hello.py (mpi4py)` };
  const rows = Object.entries(label).map(([id, l]) => {
    const v = s.impls[id];
    return [`\`${l}\``, ms(v?.median_ms), ms(v?.min_ms), id === 'mpirun-mpi4py' ? '1.00×' : ratio(v?.median_ms, base)];
  });
  const refLabel = {
    'tsmpiexec-js-node': `node …/dist/bin.js -n ${s.np} hello.mjs (the launcher started by node, not as the command: it pays NODE_EXTRA_CA_CERTS too)`,
    'node-bare': "node -e 0 (Node's own start)",
    'node-hello-1': 'node hello.mjs (1 process, no launcher: imports tsmpi, world of 1)',
    'node-tsx-hello-1': 'node --import tsx hello.ts (1 process, no launcher)',
    'mpirun-true': `mpirun -n ${s.np} true (mpirun's own start)`,
    'python-mpi4py-1': 'python3 hello.py (1 process, no mpirun: imports mpi4py, MPI_Init)',
  };
  for (const [id, l] of Object.entries(refLabel)) {
    const v = s.impls[id];
    if (v) rows.push([`\`${l}\``, ms(v.median_ms), ms(v.min_ms), '']);
  }
  return [`## Start-up to exit (${s.runs} runs each, interleaved)`, '', table(['command', 'median ms', 'min ms', '× mpirun'], rows), '',
    'Each hello runs init, a barrier, prints one line and finalizes. The rows without a ratio are reference points that show ' +
    'where the time goes.', ...missingNotes(s.impls), ''].join('\n');
}

function memorySection(m) {
  const n = m.bytes / (1 << 20);
  const rows = Object.entries(m.impls).map(([id, v]) => [
    id, mib(v.rest_MiB?.[0]), mib(v.rest_MiB?.[1]),
    mib(get(v, 'receiver', 'typed', 'over_rest_MiB')), mib(get(v, 'receiver', 'buffer', 'over_rest_MiB')),
    mib(get(v, 'sender', 'typed', 'over_rest_MiB')),
  ]);
  for (const [id, v] of Object.entries(m.raw ?? {})) {
    rows.push([`${id} (raw)`, mib(v.rest_MiB), '', mib(v.over_rest_MiB), '', '']);
  }
  return [`## Memory (MiB; receiving a ${n} MiB Float64Array)`, '',
    table(['transport', 'rank 0 RSS at rest', 'rank 1 RSS at rest', `recv(): peak over rest`, 'Recv() into preallocated: peak over rest', 'sender: peak over rest'], rows), '',
    'RSS at rest: after init, one message each way and a full GC. Peak: the kernel\'s high-water mark (VmHWM), reset just ' +
    'before the message; for Recv() the destination array is allocated and touched before the rest figure is taken. ' +
    'Raw rows: one Node process receiving the same message over a plain socket into a buffer allocated from its length — ' +
    '*default* reads (a fresh 64 KiB Buffer per read) and *onread* (one reused read buffer, as tsmpi\'s connections read on every transport).',
    ...missingNotes(m.impls), ...missingNotes(m.raw), ''].join('\n');
}

function targetsSection(targets) {
  const fmt = (t, x) => (x === undefined ? MISSING : t.unit === 'µs' ? `${us(x)} µs` : t.unit === 'ms' ? `${ms(x)} ms` : t.unit === 'MB/s' ? `${mbs(x)} MB/s` : `${mib(x)} MiB`);
  const x = (r) => (r === undefined ? '–' : `${r.toFixed(2)}×`);
  const rows = targets.map((t) => [t.text, fmt(t, t.figure), t.unit === 'MiB' ? `limit ${fmt(t, t.baseline)}` : fmt(t, t.baseline),
    x(t.ratio), t.rounds ? `${t.rounds}: ${x(Math.min(...t.round_ratios))}–${x(Math.max(...t.round_ratios))} (suite medians ${x(t.unpaired)})` : '',
    `${t.atLeast ? '≥' : '≤'} ${t.limit.toFixed(2)}×`, t.status === 'pass' ? 'pass' : `**${t.status}**`]);
  const pass = targets.filter((t) => t.status === 'pass').length;
  const paired = targets.some((t) => t.rounds);
  return [`## Targets (${pass} of ${targets.length} met)`, '',
    table(['target', 'tsmpi', 'baseline', 'ratio', { name: 'paired rounds', right: false }, 'limit', { name: 'status', right: false }], rows), '',
    ...(paired ? ['Where a target has paired rounds (`--pairs`), its cells were measured again by short jobs, tsmpi and its baseline ' +
      'one right after the other, round after round: the ratio is the median of the rounds\' ratios and the figures are the rounds\' ' +
      'medians; beside it, the range of the rounds\' ratios and the ratio of the suite\'s own medians. This machine\'s speed drifts ' +
      'over minutes, longer than a round but not than a repetition of the suite (bench/README.md).', ''] : [])].join('\n');
}

export function markdown(results, opts) {
  const m = results.meta.machine;
  const parts = [
    `# tsmpi benchmark${opts.quick ? ' (--quick)' : ''}`,
    '',
    `${m.date} · ${m.cpu}, ${m.nproc} cores, ${m.memory_GiB} GiB · ${m.os} · Node ${m.node} · ` +
      `${results.meta.mpi.missing ? `mpi4py: missing (${results.meta.mpi.missing})` : `mpi4py ${results.meta.mpi.mpi4py}, numpy ${results.meta.mpi.numpy}, ${results.meta.mpi.version}`} · ` +
      `load average ${m.loadavg_at_start[0]} at start · CPU taken by other processes: ${Object.entries(results.meta.other_cpu ?? {}).map(([k, x]) => `${k} ${x === undefined ? '?' : `${(x * 100).toFixed(0)}%`}`).join(', ')} · run took ${Math.round(results.meta.duration_s)} s`,
    '',
  ];
  const noisy = Object.entries(results.meta.other_cpu ?? {}).filter(([, x]) => x > 0.1);
  if (noisy.length) {
    parts.push(`> **Warning**: other processes used the CPU during this run (${noisy.map(([k, x]) => `${k}: ${(x * 100).toFixed(0)}%`).join(', ')} ` +
      `of the machine); those figures are noisy. Re-run on a quiet machine.`, '');
  }
  if (results.targets?.length) parts.push(targetsSection(results.targets));
  if (results.p2p) parts.push(p2pSection(results.p2p, opts));
  if (results.collectives) parts.push(collectivesSection(results.collectives, opts));
  if (results.startup) parts.push(startupSection(results.startup));
  if (results.memory) parts.push(memorySection(results.memory));
  return parts.join('\n');
}
