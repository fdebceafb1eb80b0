// Random message schedules for the delivery property test, shared by the
// in-process test and the rank program (property-rank.mjs), which rebuild the
// same schedule from the same seed.
//
// A schedule: 2–5 ranks, messages (source, destination, tag, a value of any
// kind from 0 B to several MiB), and for each message how its receiver posts
// the receive that stands for it: by (source, tag), by (source, ANY_TAG) or by
// (ANY_SOURCE, ANY_TAG). Each rank posts all its receives at once, non-blocking,
// specific ones first, then source wildcards, then full wildcards — so every
// receive is matched and nothing deadlocks — and sends all its messages
// non-blocking, then waits for everything.
//
// Checked on every rank: each message delivered exactly once, intact (a strict
// comparison that tells -0 from 0, a Map from an object, an Int8Array from a
// Uint8Array, a Buffer from a Uint8Array), and non-overtaking: for each
// (source, tag), messages complete in the order they were sent.
import fc from 'fast-check';
import { ANY_SOURCE, ANY_TAG, Status } from '@tsmpi/runtime';

export const TAGS = [0, 1, 2, 7, 2 ** 31 - 1];

const TYPED = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];

/** Bytes from a seed (xorshift), fast enough for megabytes. */
function fillBytes(bytes, seed) {
  let x = (seed | 0) || 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** A binary value of `kind` with `bytes` bytes (rounded down to whole elements), filled from `seed`. */
function binary(kind, bytes, seed) {
  if (kind === 'ArrayBuffer') return fillBytes(new Uint8Array(bytes), seed).buffer;
  if (kind === 'Buffer') return fillBytes(Buffer.alloc(bytes), seed);
  const Ctor = TYPED.find((c) => c.name === kind);
  const n = Math.floor(bytes / Ctor.BYTES_PER_ELEMENT);
  const a = new Ctor(n);
  fillBytes(new Uint8Array(a.buffer), seed);
  return a;
}
const BINARY_KINDS = [...TYPED.map((c) => c.name), 'ArrayBuffer', 'Buffer'];

/** Binary values from 0 B up to `max` bytes (mostly small). */
function binaryArb(max) {
  const size = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat(Math.min(max, 256)) }, ...(max > 256 ? [{ weight: 1, arbitrary: fc.integer({ min: 256, max }) }] : []));
  return fc.tuple(fc.constantFrom(...BINARY_KINDS), size, fc.integer()).map(([k, n, s]) => binary(k, n, s));
}

function errorArb() {
  return fc.tuple(fc.constantFrom('Error', 'TypeError', 'MyError'), fc.string({ maxLength: 20 }), fc.option(fc.string({ maxLength: 8 }), { nil: undefined }))
    .map(([name, message, code]) => {
      const e = new Error(message);
      if (name !== 'Error') e.name = name;
      if (code !== undefined) e.code = code;
      return e;
    });
}

const leaf = fc.oneof(
  fc.constantFrom(null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, -(2 ** 31)),
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.date(),
  binaryArb(64),
  errorArb(),
);

const { value: smallValue } = fc.letrec((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthSize: 'small' }, leaf, tie('array'), tie('sparse'), tie('object'), tie('map'), tie('set')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  sparse: fc.sparseArray(tie('value'), { maxLength: 8, maxNumElements: 4 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '0', '-1')), tie('value'), { maxKeys: 5, noNullPrototype: true }),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((e) => new Map(e)),
  set: fc.array(tie('value'), { maxLength: 4 }).map((a) => new Set(a)),
}));

/** Values of several MiB: a bare binary value, a long string, or one inside a structure. */
const bigValue = fc.oneof(
  binaryArb(4 << 20),
  fc.tuple(fc.integer({ min: 1 << 16, max: 2 << 20 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 })).map(([n, s]) => s.repeat(Math.ceil(n / s.length))),
  fc.tuple(binaryArb(3 << 20), smallValue).map(([b, v]) => ({ data: b, meta: v, list: [v, b.byteLength] })),
);

export const valueArb = fc.oneof({ weight: 30, arbitrary: smallValue }, { weight: 1, arbitrary: bigValue });

/** A schedule for `np` ranks (an arbitrary number in 2..5 when not given). */
export function scheduleArb(np, { minMessages = 0, maxMessages = 24 } = {}) {
  const npArb = np === undefined ? fc.integer({ min: 2, max: 5 }) : fc.constant(np);
  return npArb.chain((n) => fc.record({
    np: fc.constant(n),
    messages: fc.array(fc.record({
      src: fc.nat(n - 1),
      dest: fc.nat(n - 1),
      tag: fc.constantFrom(...TAGS),
      value: valueArb,
      recv: fc.constantFrom('specific', 'source', 'any'),
    }), { minLength: minMessages, maxLength: maxMessages }),
    // Per rank: receives posted before or after the sends, and event-loop turns waited in between.
    ranks: fc.array(fc.record({ recvFirst: fc.boolean(), pause: fc.nat(3) }), { minLength: n, maxLength: n }),
  }));
}

/**
 * A fixed schedule over 3 ranks with one message of every value kind — every
 * binary kind empty, small and of 3 MiB, every leaf kind, nested structures —
 * received in all three ways (a first example for the property, so every kind
 * is covered whatever the random runs draw).
 */
export function everyKindSchedule() {
  const values = [
    null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 31), 1.5e-300,
    0n, -(2n ** 200n) + 1n, 2n ** 64n, '', 'plain', 'wörld ✓ 𝄞', 'x'.repeat(3 << 20),
    new Date(0), new Date(8.64e15), new Date(NaN),
    [], [1, [2, [3]]], [, 1, , undefined], {}, { a: 1, b: { c: [-0] }, ['__proto__']: 2 }, // (a computed key: an own property, not the prototype)
    new Map(), new Map([[1, 'a'], ['1', 'b'], [{ k: 1 }, new Set([NaN])]]), new Set(), new Set([-0, 'x', 1n]),
    Object.assign(new Error('boom'), { code: 'E_BOOM' }),
    ...BINARY_KINDS.flatMap((k, i) => [binary(k, 0, i), binary(k, 24, i), binary(k, 3 << 20, i)]),
    { nested: binary('Float64Array', 1 << 20, 7), list: [binary('BigInt64Array', 64, 8), binary('Buffer', 5, 9)] },
  ];
  const recv = ['specific', 'source', 'any'];
  return {
    np: 3,
    messages: values.map((value, i) => ({ src: i % 3, dest: (i * 7 + 1) % 3, tag: TAGS[i % TAGS.length], value, recv: recv[(i >> 1) % 3] })),
    ranks: [{ recvFirst: true, pause: 0 }, { recvFirst: false, pause: 2 }, { recvFirst: true, pause: 1 }],
  };
}

/** The schedule that `seed` gives (the same in every process). */
export function scheduleOf(seed, np, options) {
  return fc.sample(scheduleArb(np, options), { seed, numRuns: 1 })[0];
}

// ---- strict comparison ----

const kindOf = (v) => (v === null ? 'null' : typeof v !== 'object' ? typeof v : Object.prototype.toString.call(v).slice(8, -1) + (Buffer.isBuffer(v) ? '(Buffer)' : ''));
const show = (v) => { try { return typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v) : String(v); } catch { return kindOf(v); } };

function bytesOf(v) {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Where `got` differs from `want` (a path and what), or undefined when they are the same value. */
export function difference(got, want, path = '$') {
  if (typeof got !== typeof want) return `${path}: a ${kindOf(got)} instead of a ${kindOf(want)}`;
  if (typeof want !== 'object' || want === null || got === null) {
    return Object.is(got, want) ? undefined : `${path}: ${show(got)} instead of ${show(want)}`;
  }
  if (Object.getPrototypeOf(got) !== Object.getPrototypeOf(want)) return `${path}: a ${kindOf(got)} instead of a ${kindOf(want)}`;
  if (ArrayBuffer.isView(want) || want instanceof ArrayBuffer) {
    const a = bytesOf(got), b = bytesOf(want);
    if (a.byteLength !== b.byteLength) return `${path}: ${a.byteLength} bytes instead of ${b.byteLength}`;
    if (ArrayBuffer.isView(want) && got.length !== want.length) return `${path}: length ${got.length} instead of ${want.length}`;
    const i = Buffer.from(a.buffer, a.byteOffset, a.byteLength).compare(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    if (i !== 0) { let k = 0; while (a[k] === b[k]) k++; return `${path}: byte ${k} is ${a[k]} instead of ${b[k]}`; }
    return undefined;
  }
  if (want instanceof Date) return Object.is(got.getTime(), want.getTime()) ? undefined : `${path}: ${got.toISOString?.()} instead of a Date of ${want.getTime()}`;
  if (want instanceof Error) {
    for (const k of ['name', 'message', 'code', 'stack']) {
      if (got[k] !== want[k]) return `${path}.${k}: ${show(got[k])} instead of ${show(want[k])}`;
    }
    return undefined;
  }
  if (want instanceof Map || want instanceof Set) {
    if (got.size !== want.size) return `${path}: size ${got.size} instead of ${want.size}`;
    const g = [...got.entries()], w = [...want.entries()];
    for (let i = 0; i < w.length; i++) {
      const d = difference(g[i][0], w[i][0], `${path}<key ${i}>`) ?? (want instanceof Map ? difference(g[i][1], w[i][1], `${path}<value ${i}>`) : undefined);
      if (d) return d;
    }
    return undefined;
  }
  if (Array.isArray(want)) {
    if (got.length !== want.length) return `${path}: length ${got.length} instead of ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      if ((i in got) !== (i in want)) return `${path}[${i}]: ${i in want ? 'a hole' : 'a value'} instead of ${i in want ? 'a value' : 'a hole'}`;
      const d = difference(got[i], want[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const gk = Object.keys(got), wk = Object.keys(want);
  if (gk.length !== wk.length || wk.some((k) => !Object.prototype.hasOwnProperty.call(got, k))) return `${path}: keys ${JSON.stringify(gk)} instead of ${JSON.stringify(wk)}`;
  for (const k of wk) {
    const d = difference(got[k], want[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

// ---- one rank's part ----

/** Turns of the event loop. */
const turns = async (n) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

/**
 * Run `comm.rank`'s part of `sched` and check what it received. Resolves with
 * the problems found (none: every message once, intact, in order) and how many
 * messages this rank received.
 */
export async function runRank(comm, sched) {
  const me = comm.rank;
  const { recvFirst, pause } = sched.ranks[me];
  const inbox = sched.messages.filter((m) => m.dest === me);
  const expected = new Map();
  for (const m of inbox) {
    const key = `${m.src}/${m.tag}`;
    if (!expected.has(key)) expected.set(key, []);
    expected.get(key).push(m.value);
  }
  const receives = [
    ...inbox.filter((m) => m.recv === 'specific').map((m) => [m.src, m.tag]),
    ...inbox.filter((m) => m.recv === 'source').map((m) => [m.src, ANY_TAG]),
    ...inbox.filter((m) => m.recv === 'any').map(() => [ANY_SOURCE, ANY_TAG]),
  ];
  const completed = [];
  let recvs = [];
  const postAll = () => {
    recvs = receives.map(([source, tag]) => {
      const st = new Status();
      return comm.irecv(source, tag).wait(st).then((value) => { completed.push({ posted: [source, tag], source: st.source, tag: st.tag, value }); });
    });
  };
  const sends = [];
  const sendAll = () => { for (const m of sched.messages) if (m.src === me) sends.push(comm.isend(m.value, m.dest, m.tag)); };
  if (recvFirst) { postAll(); await turns(pause); sendAll(); } else { sendAll(); await turns(pause); postAll(); }
  await Promise.all([...recvs, ...sends.map((s) => s.wait())]);

  const problems = [];
  const next = new Map();
  completed.forEach((c, i) => {
    const [ps, pt] = c.posted;
    if ((ps !== ANY_SOURCE && c.source !== ps) || (pt !== ANY_TAG && c.tag !== pt)) {
      problems.push(`rank ${me}: receive ${i} posted for (${ps}, ${pt}) completed with a message from (${c.source}, ${c.tag})`);
      return;
    }
    const key = `${c.source}/${c.tag}`;
    const list = expected.get(key) ?? [];
    const k = next.get(key) ?? 0;
    next.set(key, k + 1);
    if (k >= list.length) { problems.push(`rank ${me}: message ${k + 1} from rank ${c.source} with tag ${c.tag}, but only ${list.length} were sent (a duplicate?)`); return; }
    const d = difference(c.value, list[k]);
    if (!d) return;
    const later = list.findIndex((v, j) => j > k && !difference(c.value, v));
    problems.push(later > k
      ? `rank ${me}: from rank ${c.source} with tag ${c.tag}, message #${later} completed before #${k} (overtaking)`
      : `rank ${me}: message #${k} from rank ${c.source} with tag ${c.tag} is not intact: ${d}`);
  });
  for (const [key, list] of expected) {
    if ((next.get(key) ?? 0) !== list.length) problems.push(`rank ${me}: ${next.get(key) ?? 0} of the ${list.length} messages from (source/tag) ${key} were delivered`);
  }
  return { problems, received: completed.length };
}
