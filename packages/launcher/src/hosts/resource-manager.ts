/**
 * Hosts from a batch allocation: Slurm's compressed node list and tasks per
 * node (`node[01-04,07]`, `2(x3),1`), or PBS's node file (one line per slot).
 */
import { readFileSync } from 'node:fs';
import { type HostSpec, HostParseError, mergeHosts } from './host-spec.js';

/** Expand `a[01-03,07],b,c[1-2]-ib` into host names, keeping zero padding. */
export function expandNodeList(list: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = list.trim();
  while (i < s.length) {
    // One item runs to the next comma outside brackets.
    let depth = 0, j = i;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '[') depth++;
      else if (c === ']') { depth--; if (depth < 0) throw new HostParseError(`node list "${list}": unmatched ]`); }
      else if (c === ',' && depth === 0) break;
    }
    if (depth !== 0) throw new HostParseError(`node list "${list}": unmatched [`);
    const item = s.slice(i, j).trim();
    if (item) out.push(...expandItem(item, list));
    i = j + 1;
  }
  if (out.length === 0) throw new HostParseError(`node list "${list}" names no node`);
  return out;
}

function expandItem(item: string, list: string): string[] {
  const open = item.indexOf('[');
  if (open < 0) return [item];
  const close = item.indexOf(']', open);
  const prefix = item.slice(0, open);
  const ranges = item.slice(open + 1, close);
  const suffixes = expandItem(item.slice(close + 1), list);
  const names: string[] = [];
  for (const r of ranges.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(r.trim());
    if (!m) throw new HostParseError(`node list "${list}": cannot read range "${r}"`);
    const width = m[1]!.length;
    const lo = Number(m[1]), hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new HostParseError(`node list "${list}": range ${r} runs backwards`);
    if (hi - lo > 100_000) throw new HostParseError(`node list "${list}": range ${r} is too large`);
    for (let n = lo; n <= hi; n++) for (const suf of suffixes) names.push(prefix + String(n).padStart(width, '0') + suf);
  }
  return names;
}

/** Expand `2(x3),1` into [2, 2, 2, 1]. */
export function expandTasksPerNode(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)(?:\(x(\d+)\))?\s*$/.exec(part);
    if (!m) throw new HostParseError(`SLURM_TASKS_PER_NODE="${spec}": cannot read "${part}"`);
    const n = Number(m[1]), times = m[2] === undefined ? 1 : Number(m[2]);
    for (let k = 0; k < times; k++) out.push(n);
  }
  return out;
}

export function slurmHosts(env: NodeJS.ProcessEnv): HostSpec[] | undefined {
  const list = env.SLURM_JOB_NODELIST ?? env.SLURM_NODELIST;
  if (!list) return undefined;
  const nodes = expandNodeList(list);
  const tpn = env.SLURM_TASKS_PER_NODE ? expandTasksPerNode(env.SLURM_TASKS_PER_NODE) : nodes.map(() => 1);
  if (tpn.length !== nodes.length) {
    throw new HostParseError(`Slurm gives ${nodes.length} nodes (${list}) but ${tpn.length} task counts (${env.SLURM_TASKS_PER_NODE})`);
  }
  return nodes.map((host, i) => ({ host, slots: tpn[i]! }));
}

export function pbsHosts(env: NodeJS.ProcessEnv): HostSpec[] | undefined {
  const file = env.PBS_NODEFILE;
  if (!file) return undefined;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (err) {
    throw new HostParseError(`cannot read PBS_NODEFILE ${file}: ${(err as Error).message}`);
  }
  const out: HostSpec[] = [];
  for (const line of text.split(/\r?\n/)) {
    const h = line.trim();
    if (h) mergeHosts(out, { host: h, slots: 1 });
  }
  if (out.length === 0) throw new HostParseError(`PBS_NODEFILE ${file} lists no host`);
  return out;
}
