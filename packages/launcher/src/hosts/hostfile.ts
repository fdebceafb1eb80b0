/**
 * Hostfiles in both common dialects, one host per line:
 *   Open MPI: `host [slots=N] [max_slots=M]`, `user@host` allowed
 *   Hydra:    `host:N`
 * Blank lines and `#` comments (whole-line or trailing) are ignored.
 */
import { readFileSync } from 'node:fs';
import { type HostSpec, HostParseError, mergeHosts, splitUser } from './host-spec.js';

export function parseHostfile(text: string, name = 'hostfile'): HostSpec[] {
  const out: HostSpec[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = rawLine.replace(/#.*/, '').trim();
    if (!line) return;
    const where = `${name} line ${i + 1} ("${rawLine.trim()}")`;
    const [first, ...rest] = line.split(/\s+/);
    let hostPart = first!;
    let slots: number | undefined;
    let maxSlots: number | undefined;
    const hydra = /^([^:]+):(\d+)$/.exec(hostPart);
    if (hydra) { hostPart = hydra[1]!; slots = Number(hydra[2]); }
    for (const kv of rest) {
      const m = /^(slots|max_slots|max-slots|cpu|cpus)=(\d+)$/.exec(kv);
      if (!m) throw new HostParseError(`${where}: cannot read "${kv}": expected slots=N or max_slots=N`);
      const n = Number(m[2]);
      if (m[1] === 'max_slots' || m[1] === 'max-slots') maxSlots = n; else slots = n;
    }
    if (!/^[A-Za-z0-9_.\-@:[\]]+$/.test(hostPart)) throw new HostParseError(`${where}: "${hostPart}" is not a host name`);
    if (slots === undefined) slots = 1;
    if (slots < 1) throw new HostParseError(`${where}: slots must be at least 1`);
    if (maxSlots !== undefined && maxSlots < slots) throw new HostParseError(`${where}: max_slots=${maxSlots} is below slots=${slots}`);
    mergeHosts(out, { ...splitUser(hostPart), slots, maxSlots });
  });
  if (out.length === 0) throw new HostParseError(`${name}: no hosts in it`);
  return out;
}

export function readHostfile(path: string): HostSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HostParseError(`cannot read hostfile ${path}: ${(err as Error).message}`);
  }
  return parseHostfile(text, path);
}
