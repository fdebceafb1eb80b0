/**
 * The structured value codec: every value kind comes back identical (type and
 * content), binary parts are aligned so the receiver views them in place,
 * values that cannot travel fail with TSMPI_ERR_VALUE, and corrupt payloads
 * fail with TSMPI_ERR_PROTOCOL.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { decodeValue, Encoding, encodeMessage, encodeValue, TsmpiError } from '@tsmpi/runtime';
import { allCases, difference, smallCases } from '../../../../test/programs/p2p-values.js';

/** The payload as the frame decoder hands it over: one fresh, zero-offset buffer. */
function payloadOf(value: unknown): Uint8Array {
  return joined(encodeValue(value));
}

function joined({ parts, byteLength }: { parts: Uint8Array[]; byteLength: number }): Uint8Array {
  const out = new Uint8Array(byteLength);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.byteLength; }
  expect(off).toBe(byteLength);
  return out;
}

const roundTrip = (value: unknown) => decodeValue(payloadOf(value));

function expectIdentical(actual: unknown, expected: unknown): void {
  const d = difference(expected, actual);
  if (d) expect.fail(d);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(TsmpiError.is(err)).toBe(true);
    expect(err).toBeInstanceOf(TsmpiError);
    return (err as TsmpiError).code;
  }
  return undefined;
}

describe('value codec: every value kind round-trips identically', () => {
  for (const { name, value } of allCases()) {
    it(name, () => expectIdentical(roundTrip(value), value));
  }

  it('keeps undefined-valued keys and drops symbol keys', () => {
    const v = roundTrip({ a: undefined, [Symbol('s')]: 1, b: 2 }) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['a', 'b']);
    expect('a' in v).toBe(true);
  });

  it('an own __proto__ key stays data and does not change the prototype', () => {
    const v = roundTrip(JSON.parse('{"__proto__":{"polluted":1}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a class instance arrives as a plain object of its own enumerable fields', () => {
    class Point { constructor(public x: number, public y: number) {} norm() { return Math.hypot(this.x, this.y); } }
    const v = roundTrip(new Point(3, 4));
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(v).toEqual({ x: 3, y: 4 });
  });

  it('an Error keeps name, message, stack and code', () => {
    const e = Object.assign(new TypeError('bad thing'), { code: 'E_BAD' });
    const v = roundTrip({ e }) as { e: Error & { code?: string } };
    expect(v.e).toBeInstanceOf(Error);
    expect(v.e.name).toBe('TypeError');
    expect(v.e.message).toBe('bad thing');
    expect(v.e.code).toBe('E_BAD');
    expect(v.e.stack).toBe(e.stack);
  });

  it('the same typed array twice in one value arrives as two equal arrays', () => {
    const t = new Float64Array([1, 2]);
    const v = roundTrip([t, t]) as Float64Array[];
    expectIdentical(v, [t, t]);
  });
});

describe('value codec: strings', () => {
  it('any string of Unicode scalar values round-trips (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      expect(roundTrip(s)).toBe(s);
      expect(roundTrip({ [s]: s })).toEqual({ [s]: s });
    }), { numRuns: 300 });
  });

  // JavaScript strings are sequences of UTF-16 code units and may hold unpaired
  // surrogates (e.g. a string cut in the middle of an emoji). tsmpi carries them
  // unchanged, as structuredClone and v8.serialize do; they are not replaced by U+FFFD.
  const lone = ['\uD800', '\uDFFF', 'a\uDC00b', '👍'.slice(0, 1), '👍'.slice(1), '\uDC00\uD800', 'x'.repeat(1000) + '\uD83D'];
  for (const s of lone) {
    it(`keeps the lone surrogate in ${JSON.stringify(s.slice(-8))}`, () => {
      expect(roundTrip(s)).toBe(s);
      expect(Object.keys(roundTrip({ [s]: 1 }) as object)).toEqual([s]);
      expect([...(roundTrip(new Map([[s, s]])) as Map<string, string>)]).toEqual([[s, s]]);
      expect((roundTrip(new Error(s)) as Error).message).toBe(s);
    });
  }

  it('any sequence of UTF-16 code units round-trips (property)', () => {
    const codeUnit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(fc.property(fc.string({ unit: codeUnit, maxLength: 200 }), (s) => {
      expect(roundTrip(s)).toBe(s);
    }), { numRuns: 300 });
  });
});

describe('value codec: arbitrary nested values (property)', () => {
  it('fast-check anything() round-trips identically', () => {
    const arb = fc.anything({
      withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true,
      withSparseArray: true, withBoxedValues: false, withNullPrototype: false, withObjectString: false,
      stringUnit: 'binary', maxDepth: 4,
    });
    fc.assert(fc.property(arb, (v) => {
      const d = difference(v, roundTrip(v));
      if (d) throw new Error(d);
    }), { numRuns: 500 });
  });
});

/**
 * encodeValue hands out bytes of the caller's own; encodeMessage (what send uses) hands out the structure as
 * a view of the writer's slab, shared with other messages: both must survive later encodings.
 */
const encoders: [string, (value: unknown) => { parts: Uint8Array[]; byteLength: number }][] = [
  ['encodeValue', encodeValue],
  // (encodeMessage sends a bare typed array as its raw bytes, not as a value: those go through encodeValue)
  ['encodeMessage, structure shared in the slab', (value) => {
    const m = encodeMessage(value);
    return m.enc === Encoding.VALUE ? m : encodeValue(value);
  }],
];

for (const [encoderName, encodeWith] of encoders) describe(`value codec: layout (${encoderName})`, () => {
  const encodeValue = encodeWith;
  const payloadOf = (value: unknown) => joined(encodeWith(value));
  const roundTrip = (value: unknown) => decodeValue(payloadOf(value));

  it('binary parts are 8-byte aligned views into the payload (no copy)', () => {
    const f = new Float64Array([1, 2, 3]);
    const b = new BigInt64Array([1n]);
    const payload = payloadOf({ s: 'odd length string.', f, n: [1, 2, 3], b, u: new Uint8Array(3) });
    const v = decodeValue(payload) as { f: Float64Array; b: BigInt64Array; u: Uint8Array };
    for (const x of [v.f, v.b, v.u]) {
      expect(x.buffer).toBe(payload.buffer);
      expect(x.byteOffset % 8).toBe(0);
    }
    expectIdentical(v.f, f);
  });

  it('decodes a payload that sits at an unaligned offset (copying what must be aligned)', () => {
    for (const { name, value } of smallCases()) {
      const p = payloadOf(value);
      const host = new Uint8Array(p.byteLength + 3);
      host.set(p, 3);
      const d = difference(value, decodeValue(host.subarray(3)));
      if (d) expect.fail(`${name}: ${d}`);
    }
  });

  it('the byte length is the sum of the parts, and parts of one value survive encoding another', () => {
    const a = encodeValue({ x: 'first', big: 'y'.repeat(5000) });
    const snapshot = a.parts.map((p) => Buffer.from(p));
    encodeValue({ x: 'second', other: [1, 2, 3], big: 'z'.repeat(5000) });
    expect(a.parts.reduce((n, p) => n + p.byteLength, 0)).toBe(a.byteLength);
    a.parts.forEach((p, i) => expect(Buffer.from(p).equals(snapshot[i]!)).toBe(true));
  });

  it('structures written across slabs and into buffers of their own survive later encodings', () => {
    // Structures go into 64 KiB slabs of the writer (value-writer.ts); big ones into a buffer of their own.
    const values = Array.from({ length: 3000 }, (_, i) => ({
      i, s: 'k'.repeat(i % 97), n: i % 500 === 0 ? 'x'.repeat(20_000 + i) : i % 700 === 0 ? Array.from({ length: 20_000 }, (_, j) => j) : null,
    }));
    const encoded = values.map((v) => encodeValue(v));
    encoded.forEach((e, i) => {
      const out = new Uint8Array(e.byteLength);
      let off = 0;
      for (const p of e.parts) { out.set(p, off); off += p.byteLength; }
      expectIdentical(decodeValue(out), values[i]);
    });
  });

  it('small segments copied in behind the structure and large ones sent apart keep their order and bytes', () => {
    // Small segments after the structure are copied into its slab (up to 1 KiB), the rest are parts of their own.
    const bits = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed * 101) & 0xff);
    const f32 = new Float32Array(bits(16, 1).buffer); // NaN bit patterns among them
    const v = {
      small: [f32, new BigInt64Array(bits(24, 2).buffer), new Uint8ClampedArray(bits(5, 3))],
      large: new Float64Array(bits(4096, 4).buffer),
      after: [new Int16Array(bits(6, 5).buffer), Buffer.from(bits(3, 6)), bits(9, 7).buffer],
      many: Array.from({ length: 200 }, (_, i) => new Uint32Array(bits(4 * (i % 5), i).buffer)),
    };
    expectIdentical(roundTrip(v), v);
    const { parts } = encodeValue(v);
    expect(parts.length).toBeGreaterThan(2);
    expectIdentical(roundTrip(v), v); // again, from a later place in the slab
  });

  it('an object keeps its own enumerable fields only, in order, also while its structure moves to a new slab', () => {
    const proto = { inherited: 1 };
    const o = Object.assign(Object.create(proto), { b: 1, a: 2, 10: 'ten', 2: 'two' }) as Record<string, unknown>;
    Object.defineProperty(o, 'hidden', { value: 3, enumerable: false });
    const plain = { first: 'x'.repeat(100), big: 'y'.repeat(70_000), last: [1, 2] }; // grows past the slab mid-object
    for (let i = 0; i < 3; i++) {
      const v = roundTrip({ o, plain }) as { o: Record<string, unknown>; plain: typeof plain };
      expect(Object.keys(v.o)).toEqual(['2', '10', 'b', 'a']);
      expectIdentical(v.plain, plain);
    }
    const withNullProto = Object.assign(Object.create(null), { z: 1, y: [2] });
    expect(roundTrip(withNullProto)).toEqual({ z: 1, y: [2] });
  });

  it('an enumerable property added to Object.prototype does not travel with plain objects', () => {
    (Object.prototype as Record<string, unknown>).polluted = 'no';
    try {
      const v = roundTrip({ a: 1, b: { c: 2 } }) as Record<string, unknown>;
      expect(Object.keys(v)).toEqual(['a', 'b']);
      expect(Object.keys(v.b as object)).toEqual(['c']);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it('a value encoded by a getter while another is being encoded does not disturb it', () => {
    let inner: Uint8Array | undefined;
    const outer = { a: 'before', get b() { inner = payloadOf({ nested: [1, 2, 3] }); return 'getter'; }, c: [4, 5, 6] };
    expectIdentical(roundTrip(outer), { a: 'before', b: 'getter', c: [4, 5, 6] });
    expectIdentical(decodeValue(inner!), { nested: [1, 2, 3] });
  });

  it('the same object twice (not a cycle) travels at any depth, as two copies', () => {
    const shared = { x: 1 };
    let v: unknown = [shared, shared];
    for (let i = 0; i < 40; i++) v = [v, shared];
    let got = roundTrip(v) as unknown[];
    for (let i = 0; i < 40; i++) { expect(got[1]).toEqual({ x: 1 }); got = got[0] as unknown[]; }
    expect(got).toEqual([{ x: 1 }, { x: 1 }]);
  });

  it('objects of a key set met often (built by its literal) and of key sets that start alike arrive identical', () => {
    // Each round decodes every kind several times, past the count at which a key set gets its literal.
    const withProto = JSON.parse('{"a":1,"__proto__":{"polluted":1}}') as Record<string, unknown>;
    const kinds: unknown[] = [
      { a: 1, b: 'x', c: [1, 2, 3], data: new Float64Array([1.5]) },
      { a: 1, b: 'x', c: [1, 2, 3] },
      { a: 2, b: 'y', d: { a: 1, b: 'x', c: [] } }, // same first key and size as the one before, then apart
      { a: { a: { a: 1, z: 2 }, z: 3 }, z: 4 }, // shapes inside shapes
      withProto,
      { 1: 'one', 0: 'zero', k: -0 },
      { 'x y': 1, '\u00e9': 2, 'a\ud800': 3 },
    ];
    for (let round = 0; round < 8; round++) {
      for (const v of kinds) expectIdentical(roundTrip(v), v);
    }
    const p = roundTrip(withProto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('objects drawn from a few key sets, each decoded many times, round-trip identically (property)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'data', '0', '7', '__proto__', 'constructor', 'x y');
    const record = fc.dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double()), { minKeys: 1, maxKeys: 6, noNullPrototype: true });
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 4 }), (records) => {
      for (let i = 0; i < 6; i++) {
        for (const r of records) {
          const d = difference(r, roundTrip(r));
          if (d) throw new Error(d);
        }
      }
    }), { numRuns: 200 });
  });

  it('a small value stays small', () => {
    expect(encodeValue(7).byteLength).toBeLessThanOrEqual(16);
    expect(encodeValue({ a: 1, b: 'x' }).byteLength).toBeLessThanOrEqual(32);
  });
});

/** `n` arrays inside one another, a number at the bottom. */
function nested(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

/** Objects `n` levels deep (`.d.d...`), the deepest pointing back to the top. */
function deepCycle(n: number): unknown {
  const top: Record<string, unknown> = {};
  let at = top;
  for (let i = 1; i < n; i++) { const next = {}; at.d = next; at = next; }
  at.d = top;
  return top;
}

describe('value codec: nesting', () => {
  it('a value nested 1000 levels deep round-trips', () => {
    expectIdentical(roundTrip(nested(1000)), nested(1000));
  });
});

describe('value codec: the bytes encodeValue hands out are the caller\'s', () => {
  it('transferring them to another thread (as the pool does) leaves other values and later encodings intact', async () => {
    const kept = encodeValue({ kept: [1, 2, 3], s: 'k' });
    const keptBytes = joined(kept);
    const { port1, port2 } = new MessageChannel();
    try {
      const got = new Promise<Uint8Array>((resolve) => port2.once('message', resolve));
      const sent = encodeValue({ sent: 'to a worker', n: 42 });
      const part = sent.parts[0]!;
      // An ArrayBuffer of its own: a slice of Node's buffer pool (untransferable) would be copied whole
      // by Node 20's postMessage and refused with DataCloneError by Node 22's.
      expect(part.buffer.byteLength).toBe(part.byteLength);
      port1.postMessage(part, [part.buffer as ArrayBuffer]);
      expectIdentical(decodeValue(await got), { sent: 'to a worker', n: 42 });
      expect(Buffer.from(joined(kept)).equals(Buffer.from(keptBytes))).toBe(true);
      for (const v of [{ after: 1 }, { after: 'x'.repeat(100) }]) expectIdentical(decodeValue(joined(encodeMessage(v))), v);
      expectIdentical(decodeValue(joined(encodeValue({ later: [4, 5] }))), { later: [4, 5] });
    } finally {
      port1.close();
      port2.close();
    }
  });
});

describe('value codec: values that cannot travel fail with TSMPI_ERR_VALUE', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const cyclicArray: unknown[] = [1];
  cyclicArray.push([cyclicArray]);
  const cyclicMap = new Map<string, unknown>();
  cyclicMap.set('m', cyclicMap);
  const cyclicSet = new Set<unknown>();
  cyclicSet.add(cyclicSet);
  const bad: [string, unknown, RegExp][] = [
    ['a function', () => 1, /function.*value/],
    ['a nested function', { a: [1, 2, { f() {} }] }, /function.*value\.a\[2\]\.f/],
    ['a symbol', Symbol('s'), /symbol/],
    ['a symbol in a Map', new Map([['k', Symbol('s')]]), /symbol/],
    ['a cyclic object', cyclic, /cycle.*value\.self/],
    ['a cyclic array', cyclicArray, /cycle/],
    ['a cyclic Map', cyclicMap, /cycle/],
    ['a cyclic Set', cyclicSet, /cycle/],
    ['a Promise', Promise.resolve(1), /Promise.*await/],
    ['a WeakMap', new WeakMap(), /WeakMap/],
    ['a WeakSet', new WeakSet(), /WeakSet/],
    ['a DataView', new DataView(new ArrayBuffer(4)), /DataView/],
    ['a symbol as a Map value', new Map([['k', Symbol('s')]]), /symbol \(at value\.get\(\.\.\.\)\)/],
    ['a function as a Map key', new Map<unknown, number>([[1, 1], [() => 1, 2]]), /function \(at value\.<key 1>\)/],
    ['a function in a Set', { s: new Set([1, () => 1]) }, /function \(at value\.s\.<item>\)/],
    ['a cycle deeper than the scanned ancestors', deepCycle(30), /cycle \(at value(\.d){30}\)/],
    ['a value nested deeper than 1000 levels', nested(1001), /nested deeper than 1000 levels \(at value(\[0\]){16}\.\.\.(\[0\]){16}\)/],
    ['a value nested far deeper than the stack allows', nested(200_000), /nested deeper than 1000 levels/],
  ];
  for (const [name, value, message] of bad) {
    it(name, () => {
      expect(codeOf(() => encodeValue(value))).toBe('TSMPI_ERR_VALUE');
      expect(() => encodeValue(value)).toThrow(message);
    });
  }

  it('the encoder still works after a failure', () => {
    expect(() => encodeValue({ a: 'x'.repeat(10_000), f: () => 1 })).toThrow();
    expectIdentical(roundTrip({ a: 'after', n: [1, -0] }), { a: 'after', n: [1, -0] });
  });
});

describe('value codec: corrupt payloads fail with TSMPI_ERR_PROTOCOL', () => {
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return [...b]; };
  const withLen = (body: number[]) => new Uint8Array([...u32(4 + body.length), ...body]);
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['shorter than its length field', new Uint8Array([1, 0])],
    ['structure length past the end', new Uint8Array([...u32(100), 0])],
    ['structure length too small', new Uint8Array([...u32(2), 0, 0])],
    ['unknown value tag', withLen([200])],
    ['int32 cut short', withLen([4, 1, 2])],
    ['string longer than the payload', withLen([7, ...u32(1000), 65])],
    ['array longer than the payload', withLen([8, ...u32(0xffffffff)])],
    ['object entries missing', withLen([9, ...u32(3)])],
    ['map entries missing', withLen([10, ...u32(2), 0])],
    ['binary segment out of range', withLen([13, 9, ...[...new Uint8Array(new Float64Array([0]).buffer)], ...[...new Uint8Array(new Float64Array([64]).buffer)]])],
    ['unknown binary kind', withLen([13, 99, ...[...new Uint8Array(new Float64Array([0]).buffer)], ...[...new Uint8Array(new Float64Array([0]).buffer)]])],
    ['bigint digits that are not hex', withLen([6, ...u32(2), 0x7a, 0x7a])],
    ['nested deeper than any sender writes', withLen([...Array.from({ length: 1001 }, () => [8, ...u32(1)]).flat(), 4, 1, 0, 0, 0])],
    ['an error whose code is not a string or number', withLen([14, ...u32(0), ...u32(0), ...u32(0), 8, ...u32(0)])],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => expect(codeOf(() => decodeValue(bytes))).toBe('TSMPI_ERR_PROTOCOL'));
  }

  it('random bytes never throw anything but TSMPI_ERR_PROTOCOL (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 40 }), (body, extra) => {
      const structLen = 4 + body.length - Math.min(extra, body.length);
      const bytes = new Uint8Array([...u32(structLen), ...body]);
      try {
        decodeValue(bytes);
      } catch (err) {
        if (!TsmpiError.is(err) || err.code !== 'TSMPI_ERR_PROTOCOL') throw new Error(`threw ${String(err)}`);
      }
    }), { numRuns: 2000 });
  });
});
