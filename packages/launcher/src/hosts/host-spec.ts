/** A host a job may place ranks on. */
export interface HostSpec {
  /** Name or address as given (without `user@`). */
  host: string;
  /** Login user for ssh, when given as `user@host`. */
  user?: string;
  /** Slots (ranks placed by default). */
  slots: number;
  /** Hard ceiling (Open MPI's max_slots), if any. */
  maxSlots?: number;
}

export class HostParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostParseError';
  }
}

/** Add `next` into `list`, merging repeated hosts (their slots add up, as in mpirun). */
export function mergeHosts(list: HostSpec[], next: HostSpec): void {
  const same = list.find((h) => h.host === next.host && h.user === next.user);
  if (!same) { list.push({ ...next }); return; }
  same.slots += next.slots;
  if (next.maxSlots !== undefined) same.maxSlots = (same.maxSlots ?? 0) + next.maxSlots;
}

export function splitUser(s: string): { host: string; user?: string } {
  const at = s.lastIndexOf('@');
  return at > 0 ? { host: s.slice(at + 1), user: s.slice(0, at) } : { host: s };
}
