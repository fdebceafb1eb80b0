/**
 * Short ASCII strings decoded by hand, with a small cache of the ones seen
 * lately. The same keys and labels come back in message after message; a hit
 * costs a hash and a compare of the bytes, where a new string costs one
 * allocation per character (and, used as a key, a lookup in V8's string table).
 */

/** Cache slots (a power of two): direct-mapped by a hash of the bytes. */
const SLOTS = 256;
const cache: string[] = new Array<string>(SLOTS).fill('');
/** The 128 one-character ASCII strings (V8 keeps those as constants too). */
const ONE = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

/** The `n` bytes of `b` at `at` as a string when they are all ASCII, else undefined. */
export function asciiString(b: Uint8Array, at: number, n: number): string | undefined {
  if (n <= 1) {
    if (n === 0) return '';
    const c = b[at]!;
    return c < 0x80 ? ONE[c] : undefined;
  }
  let h = n;
  for (let i = 0; i < n; i++) {
    const c = b[at + i]!;
    if (c >= 0x80) return undefined;
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = h & (SLOTS - 1);
  const hit = cache[slot]!;
  if (hit.length === n) {
    let i = 0;
    while (i < n && hit.charCodeAt(i) === b[at + i]) i++;
    if (i === n) return hit;
  }
  let s = '';
  for (let i = 0; i < n; i++) s += ONE[b[at + i]!];
  cache[slot] = s;
  return s;
}
