/**
 * Which rank runs where. `slot` (default) fills each host's slots before the
 * next host; `node` deals ranks round-robin over hosts. More ranks than slots
 * is an error unless oversubscribing, which keeps dealing past the slots.
 */
import { type HostSpec, HostParseError } from './host-spec.js';

export type MapBy = 'slot' | 'node';

export interface Placement {
  /** Host index of each rank. */
  hostOf: number[];
  /** Ranks on each host, in rank order. */
  ranksOn: number[][];
}

export function place(hosts: HostSpec[], np: number | undefined, mapBy: MapBy, oversubscribe: boolean): Placement {
  const slots = hosts.reduce((a, h) => a + h.slots, 0);
  const n = np ?? slots;
  if (n < 1) throw new HostParseError('no ranks to place');
  if (n > slots && !oversubscribe) {
    throw new HostParseError(`${n} ranks requested but the hosts have only ${slots} slots in all; give fewer ranks, more hosts or slots, or --oversubscribe`);
  }
  const limit = hosts.map((h) => (oversubscribe ? Infinity : h.maxSlots ?? h.slots));
  const used = hosts.map(() => 0);
  const hostOf: number[] = [];
  if (mapBy === 'slot') {
    // First pass within slots; past them, deal round-robin (only when oversubscribing).
    let h = 0;
    for (let r = 0; r < n; r++) {
      while (h < hosts.length && used[h]! >= hosts[h]!.slots) h++;
      const target = h < hosts.length ? h : r % hosts.length;
      if (used[target]! >= limit[target]!) throw new HostParseError(`host ${hosts[target]!.host} cannot take more than ${limit[target]} ranks`);
      hostOf.push(target); used[target]!++;
    }
  } else {
    let h = 0;
    for (let r = 0; r < n; r++) {
      let tries = 0;
      while (used[h]! >= (oversubscribe ? Infinity : hosts[h]!.slots) && tries++ < hosts.length) h = (h + 1) % hosts.length;
      hostOf.push(h); used[h]!++;
      h = (h + 1) % hosts.length;
    }
  }
  const ranksOn = hosts.map(() => [] as number[]);
  hostOf.forEach((h, r) => ranksOn[h]!.push(r));
  return { hostOf, ranksOn };
}
