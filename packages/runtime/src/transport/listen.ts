/** Listen on port 0 (any), or on the first free port of a `--ports LOW-HIGH` range. */
import type net from 'node:net';

export async function listenInRange(server: net.Server, host: string, range?: [number, number]): Promise<number> {
  const [lo, hi] = range ?? [0, 0];
  for (let port = lo; port <= hi; port++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port }, () => { server.off('error', reject); resolve(); });
      });
      return (server.address() as net.AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === hi) throw err;
    }
  }
  throw new Error('unreachable');
}

/** `"LOW-HIGH"` → [low, high]; undefined for an empty value. */
export function parsePortRange(s: string | undefined): [number, number] | undefined {
  if (!s) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(s.trim());
  const lo = Number(m?.[1]), hi = Number(m?.[2]);
  if (!m || lo < 1 || hi > 65535 || lo > hi) throw new Error(`port range "${s}": write LOW-HIGH with 1 <= LOW <= HIGH <= 65535`);
  return [lo, hi];
}
