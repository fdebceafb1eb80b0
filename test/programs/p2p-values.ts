/**
 * Shared by the point-to-point test programs and the value-codec unit tests:
 * a deterministic catalog of every value kind tsmpi promises to carry (the
 * same on every rank, so each rank can check what it received), and a strict
 * comparison that tells -0 from 0, a hole from undefined, a Map from an
 * object, a Buffer from a Uint8Array and one typed-array kind from another,
 * and checks the order of keys, Map entries and Set items.
 */

export interface Case { name: string; value: unknown }

/** A small deterministic PRNG (mulberry32): every rank builds identical data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filledBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const words = new Uint32Array(Math.ceil(n / 4));
  for (let i = 0; i < words.length; i++) words[i] = r() * 4294967296;
  return new Uint8Array(words.buffer, 0, n).slice();
}

/** A string of `n` code points drawn from every plane (no lone surrogates). */
export function unicodeString(n: number, seed: number): string {
  const r = prng(seed);
  const ranges: [number, number][] = [
    [0x00, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff],
  ];
  const points: number[] = [];
  for (let i = 0; i < n; i++) {
    const [lo, hi] = ranges[(r() * ranges.length) | 0]!;
    points.push(lo + ((r() * (hi - lo + 1)) | 0));
  }
  let s = '';
  for (let i = 0; i < n; i += 4096) s += String.fromCodePoint(...points.slice(i, i + 4096));
  return s;
}

const TYPED = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

/** One typed array of each kind with `n` elements of pseudo-random bytes (any bit pattern, NaNs included). */
function typedOfEveryKind(n: number, seed: number): Case[] {
  return TYPED.map((Ctor, k) => {
    const bytes = filledBytes(n * Ctor.BYTES_PER_ELEMENT, seed + k);
    return { name: `${Ctor.name}(${n})`, value: new Ctor(bytes.buffer as ArrayBuffer, 0, n) };
  });
}

function holes(): unknown[] {
  const a: unknown[] = [1, , 3];
  return a;
}

/** Every value kind, small. */
export function smallCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, value: unknown) => cases.push({ name, value });
  add('null', null);
  add('undefined', undefined);
  add('true', true);
  add('false', false);
  for (const n of [0, -0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1),
    1.5, -2.17, 1 / 3, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, Number.EPSILON]) {
    add(`number ${Object.is(n, -0) ? '-0' : String(n)}`, n);
  }
  for (const b of [0n, 1n, -1n, 255n, -256n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, 2n ** 64n - 1n,
    2n ** 4096n + 12345n, -(3n ** 2000n), -(2n ** 100_000n) + 1n]) {
    add(`bigint ${b.toString().slice(0, 24)}`, b);
  }
  add('empty string', '');
  add('ascii', 'hello, world');
  add('latin-1', 'héllo wörld ÿ');
  add('CJK', '日本語のテキスト 中文 한국어');
  add('emoji ZWJ family', '👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽');
  add('NUL and controls', '\u0000a\u0001\u001f\u007f\u0000');
  add('BOM, U+FFFF, U+10FFFF', '\uFEFF\uFFFF\u{10FFFF}\u{10000}');
  add('combining and RTL', 'e\u0301 \u0627\u0644\u0639\u0631\u0628\u064A\u0629 \u05E2\u05D1\u05E8\u05D9\u05EA');
  add('random unicode 500', unicodeString(500, 7));
  // Unpaired surrogates (a string cut inside an emoji) are carried as they are, not replaced by U+FFFD.
  add('lone surrogates', '👍👍'.slice(0, 3) + '\uDC00x\uD800');
  add('lone surrogate as a key', { ['key\uD83D']: '\uDE00' });
  add('empty array', []);
  add('array of kinds', [1, -0, 'x', null, undefined, true, 5n, [2, [3, [4]]]]);
  add('array with a hole', holes());
  add('array of holes only', new Array(5));
  add('array with undefined (not holes)', [undefined, undefined]);
  add('empty object', {});
  add('object', { a: 7, b: 3.14, c: 'str', d: [1, 2, 3], e: { f: { g: null } } });
  add('object keys order and odd keys', { z: 1, '': 2, '10': 3, '2': 4, 'key with space': 5, 'ключ': 6, '🔑': 7 });
  add('object with own __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'));
  add('empty Map', new Map());
  add('Map', new Map<unknown, unknown>([['a', 1], [2, 'b'], [NaN, 'nan'], [{ k: 1 }, [1]], [null, undefined], [3n, new Set([1])]]));
  add('empty Set', new Set());
  add('Set', new Set<unknown>([1, 'one', 1n, null, undefined, NaN, 0, { a: 1 }, [1, 2]]));
  add('Date', new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)));
  add('Date epoch', new Date(0));
  add('Date before 1970', new Date(-1e12));
  add('Date max', new Date(8.64e15));
  add('invalid Date', new Date(NaN));
  for (const Ctor of TYPED) add(`empty ${Ctor.name}`, new Ctor(0));
  cases.push(...typedOfEveryKind(17, 100));
  add('Float64Array specials', new Float64Array([-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE]));
  add('Float32Array specials', new Float32Array([-0, NaN, Infinity, -Infinity, 1e-45]));
  add('BigInt64Array limits', new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n]));
  add('BigUint64Array limits', new BigUint64Array([0n, 2n ** 64n - 1n, 2n ** 63n]));
  add('Uint8ClampedArray', new Uint8ClampedArray([0, 255, 300, -5, 127.5]));
  add('Int8Array limits', new Int8Array([-128, 127, 0, -1]));
  const backing = new Float64Array([1, 2, 3, 4, 5, 6]);
  add('Float64Array view at an offset', new Float64Array(backing.buffer, 16, 3));
  add('Int16Array subarray', new Int16Array([1, 2, 3, 4, 5, 6, 7]).subarray(3, 6));
  add('empty Buffer', Buffer.alloc(0));
  add('Buffer', Buffer.from('a pooled buffer at an odd offset'));
  add('Uint8Array (not a Buffer)', new Uint8Array([1, 2, 3]));
  add('empty ArrayBuffer', new ArrayBuffer(0));
  add('ArrayBuffer', filledBytes(13, 5).buffer);
  add('nested everything', {
    list: [1, { m: new Map<unknown, unknown>([['s', new Set<unknown>([1n, -0, 'x'])], ['t', new Float32Array([1.5, -0])]]) }],
    buf: Buffer.from([9, 8, 7]),
    u8: new Uint8Array([9, 8, 7]),
    ab: new Uint8Array([1, 2, 3, 4, 5]).buffer,
    when: new Date(1234567890123),
    deep: { a: { b: { c: { d: [[[[[-0]]]]] } } } },
    big: [2n ** 70n, -(2n ** 70n)],
    holes: holes(),
    same: [new Int32Array([1]), new Int32Array([1])],
  });
  let deep: unknown = 'bottom';
  for (let i = 0; i < 200; i++) deep = i % 2 ? [deep] : { d: deep };
  add('200 levels deep', deep);
  const shared = { s: 1 };
  add('shared (not cyclic) references', [shared, shared, { again: shared }]);
  return cases;
}

/** Larger values, from a few KiB to a few MiB. */
export function largeCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, value: unknown) => cases.push({ name, value });
  const f = new Float64Array(512 * 1024); // 4 MiB
  for (let i = 0; i < f.length; i++) f[i] = i * 0.5 - 1000;
  add('Float64Array 4 MiB', f);
  add('Uint8Array 3 MiB + 3', filledBytes(3 * 1024 * 1024 + 3, 11));
  add('Buffer 2 MiB + 1', Buffer.from(filledBytes(2 * 1024 * 1024 + 1, 12)));
  add('ArrayBuffer 1 MiB + 5', filledBytes(1024 * 1024 + 5, 13).buffer);
  cases.push(...typedOfEveryKind(65_536 + 3, 200));
  add('string 1 MiB unicode', unicodeString(300_000, 14));
  add('string 2 MiB ascii', 'abcdefgh'.repeat(256 * 1024));
  const r = prng(15);
  add('number[] 20k', Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? i : i % 3 === 1 ? -i - 0.5 : r())));
  const obj: Record<string, number> = {};
  for (let i = 0; i < 2000; i++) obj[`k${i}`] = i;
  add('object of 2000 keys', obj);
  add('Map of 2000 entries', new Map(Array.from({ length: 2000 }, (_, i) => [i, `v${i}`])));
  add('Set of 2000', new Set(Array.from({ length: 2000 }, (_, i) => `s${i}`)));
  add('array of 1000 typed arrays', Array.from({ length: 1000 }, (_, i) => new Int32Array([i, -i, i * 7])));
  add('mixed big object', {
    a: new Float32Array(100_000).fill(-0),
    b: Buffer.alloc(100_001, 7),
    c: Array.from({ length: 1000 }, (_, i) => ({ i, s: 'x'.repeat(i % 50), n: BigInt(i) ** 5n })),
  });
  return cases;
}

export function allCases(): Case[] {
  return [...smallCases(), ...largeCases()];
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v);
  if (Object.is(v, -0)) return '-0';
  if (typeof v === 'object' && v !== null) return (v as object).constructor?.name ?? 'object';
  return String(v);
}

function bytes(v: ArrayBufferView | ArrayBuffer): Uint8Array {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Where `a` and `b` first differ, or undefined when they are identical:
 * same types (prototypes), same primitives by Object.is, same holes, same
 * bytes, same order of keys / entries / items.
 */
export function difference(a: unknown, b: unknown, path = 'value'): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} ${show(a)} became ${typeof b} ${show(b)}`;
  if (typeof a !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${show(a)} became ${show(b)}`;
  }
  const o = b as object;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(o)) return `${path}: a ${show(a)} became a ${show(o)}`;
  if (ArrayBuffer.isView(a) || a instanceof ArrayBuffer) {
    const x = bytes(a), y = bytes(o as ArrayBufferView);
    if (x.byteLength !== y.byteLength) return `${path}: ${x.byteLength} bytes became ${y.byteLength}`;
    if (!Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(y)) {
      let i = 0;
      while (x[i] === y[i]) i++;
      return `${path}: bytes differ from byte ${i} of ${x.byteLength}`;
    }
    return undefined;
  }
  if (Array.isArray(a)) {
    const y = o as unknown[];
    if (a.length !== y.length) return `${path}: length ${a.length} became ${y.length}`;
    for (let i = 0; i < a.length; i++) {
      const ha = i in a, hb = i in y;
      if (ha !== hb) return `${path}[${i}]: ${ha ? 'an element' : 'a hole'} became ${hb ? 'an element' : 'a hole'}`;
      const d = ha ? difference(a[i], y[i], `${path}[${i}]`) : undefined;
      if (d) return d;
    }
    return undefined;
  }
  if (a instanceof Map) {
    const y = o as Map<unknown, unknown>;
    if (a.size !== y.size) return `${path}: Map of ${a.size} became ${y.size}`;
    const ea = [...a], eb = [...y];
    for (let i = 0; i < ea.length; i++) {
      const d = difference(ea[i]![0], eb[i]![0], `${path}.<key ${i}>`) ?? difference(ea[i]![1], eb[i]![1], `${path}.<value ${i}>`);
      if (d) return d;
    }
    return undefined;
  }
  if (a instanceof Set) {
    const y = o as Set<unknown>;
    if (a.size !== y.size) return `${path}: Set of ${a.size} became ${y.size}`;
    const ea = [...a], eb = [...y];
    for (let i = 0; i < ea.length; i++) {
      const d = difference(ea[i], eb[i], `${path}.<item ${i}>`);
      if (d) return d;
    }
    return undefined;
  }
  if (a instanceof Date) {
    return Object.is(a.getTime(), (o as Date).getTime()) ? undefined : `${path}: Date ${a.getTime()} became ${(o as Date).getTime()}`;
  }
  const ka = Object.keys(a), kb = Object.keys(o);
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys [${ka.slice(0, 8)}] became [${kb.slice(0, 8)}]`;
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (o as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Throw (with where they differ) unless `actual` is identical to `expected`. */
export function assertIdentical(actual: unknown, expected: unknown, what: string): void {
  const d = difference(expected, actual);
  if (d) throw new Error(`${what}: not identical: ${d}`);
}
