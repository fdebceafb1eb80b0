/**
 * Which local address reaches another host: the kernel's routing choice
 * (a connected UDP socket sends nothing), or an interface given by name or CIDR.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';

export async function routeAddressTo(host: string): Promise<string> {
  const { address } = await lookup(host, { family: 4 });
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', (e) => { s.close(); reject(e); });
    s.connect(9, address, () => {
      const local = s.address().address;
      s.close();
      resolve(local);
    });
  });
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bitsStr] = cidr.split('/');
  const bits = Number(bitsStr);
  const toInt = (a: string) => a.split('.').reduce((x, o) => (x << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net!) & mask);
}

/** The IPv4 address of an interface given by name (`eth0`) or CIDR (`10.0.0.0/8`). */
export function interfaceAddress(spec: string): string | undefined {
  const all = networkInterfaces();
  if (spec.includes('/')) {
    for (const list of Object.values(all)) for (const a of list ?? []) if (a.family === 'IPv4' && inCidr(a.address, spec)) return a.address;
    return undefined;
  }
  return all[spec]?.find((a) => a.family === 'IPv4')?.address;
}

/** True when `host` names this machine (so ranks there start without ssh). */
export async function isLocalHost(host: string, hostName: string): Promise<boolean> {
  if (host === 'localhost' || host === hostName || host === '127.0.0.1' || host === '::1') return true;
  let address: string;
  try { ({ address } = await lookup(host, { family: 4 })); } catch { return false; }
  if (address.startsWith('127.')) return true;
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.address === address) return true;
  return false;
}
