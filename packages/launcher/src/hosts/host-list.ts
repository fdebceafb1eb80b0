/** `--host h1:4,h2:4,h3` (a host without `:N` has one slot; repeats add up). */
import { type HostSpec, HostParseError, mergeHosts, splitUser } from './host-spec.js';

export function parseHostList(arg: string): HostSpec[] {
  const out: HostSpec[] = [];
  for (const raw of arg.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^([^:\s]+)(?::(\d+))?$/.exec(item);
    if (!m) throw new HostParseError(`--host: cannot read "${item}": write host or host:slots, e.g. node1:4,node2:4`);
    const slots = m[2] === undefined ? 1 : Number(m[2]);
    if (slots < 1) throw new HostParseError(`--host: "${item}" has ${slots} slots; give at least 1`);
    mergeHosts(out, { ...splitUser(m[1]!), slots });
  }
  if (out.length === 0) throw new HostParseError('--host: no host given');
  return out;
}
