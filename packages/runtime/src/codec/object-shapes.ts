/**
 * Decoded plain objects built by an object literal of their key set.
 *
 * Adding fields to `{}` one by one with computed keys goes through V8's
 * megamorphic keyed store (a stub-cache probe and a map transition per field:
 * ~270 instructions each in a loop of three-field objects, against ~65 for the
 * whole literal `{a, b, c}`). The same key sets come back in message after
 * message, so one met a few times gets a function returning a literal of that
 * shape, `(v, i) => ({"a": v[i], "b": v[i + 1], ...})`.
 *
 * Shapes are found by their first key and size (a direct-mapped cache; the reader
 * checks the other keys as it reads them). A factory is compiled (`new Function`,
 * tens of microseconds) only for a key set met BUILD_AFTER times in a row in its
 * slot, and at most MAX_FACTORIES per process: a stream of ever new key sets (a
 * dictionary keyed by ids) keeps taking the field-by-field path. Where code
 * generation from strings is disallowed (`--disallow-code-generation-from-strings`)
 * every object takes that path.
 */

/** Cache slots (a power of two). */
const SLOTS = 64;
/**
 * Objects with fewer or more keys than these are built field by field: one
 * keyed store costs less than the scratch and the factory's call; past a few
 * keys the literal's gain per object no longer grows much.
 */
export const MIN_SHAPE_KEYS = 2;
export const MAX_SHAPE_KEYS = 8;
/** Times a key set is met in a row in its slot before a factory is made for it. */
const BUILD_AFTER = 4;
/** Factories made at most per process (each is a compiled function). */
const MAX_FACTORIES = 256;
/** Key sets with a longer key are not cached (the cache would keep the string alive). */
const MAX_KEY_LENGTH = 64;

export type ShapeFactory = (v: unknown[], i: number) => Record<string, unknown>;

export class Shape {
  hits = 1;
  make: ShapeFactory | undefined = undefined;
  /** A factory was asked for (made, or refused: `__proto__`, the process's limit, no code generation). */
  settled = false;
  constructor(readonly keys: readonly string[]) {}
}

const slots: (Shape | undefined)[] = new Array<Shape | undefined>(SLOTS).fill(undefined);
/** Factories by key set (keys joined by NUL): a shape evicted and met again finds its factory here. */
const factories = new Map<string, ShapeFactory>();
let codegen = true;

const slotOf = (first: string, n: number): number => (Math.imul(first.length, 31) + first.charCodeAt(0) * 7 + n) & (SLOTS - 1);

/** The cached shape of `n` keys that starts with `first`, if any. */
export function shapeFor(first: string, n: number): Shape | undefined {
  const s = slots[slotOf(first, n)];
  return s !== undefined && s.keys.length === n && s.keys[0] === first ? s : undefined;
}

/** Remember a key set read field by field, for the next object that starts like it. */
export function noteShape(keys: readonly string[]): void {
  for (const k of keys) if (k.length > MAX_KEY_LENGTH) return;
  slots[slotOf(keys[0]!, keys.length)] = new Shape(keys);
}

/** Count one more object of shape `s`; its factory once it has earned one (undefined before). */
export function factoryOf(s: Shape): ShapeFactory | undefined {
  if (s.settled || ++s.hits < BUILD_AFTER) return s.make;
  s.settled = true;
  s.make = codegen ? build(s.keys) : undefined;
  return s.make;
}

function build(keys: readonly string[]): ShapeFactory | undefined {
  // A literal's `"__proto__": v` would set the prototype, not a field: such key sets stay field by field.
  if (keys.includes('__proto__')) return undefined;
  const id = keys.join('\0');
  const known = factories.get(id);
  if (known !== undefined || factories.size >= MAX_FACTORIES) return known;
  // JSON.stringify quotes any key as a valid string literal (lone surrogates escaped).
  const fields = keys.map((k, i) => `${JSON.stringify(k)}: v[i + ${i}]`).join(', ');
  let make: ShapeFactory;
  try {
    make = new Function('v', 'i', `return { ${fields} };`) as ShapeFactory;
  } catch {
    codegen = false; // EvalError: code generation from strings is disallowed in this process
    return undefined;
  }
  factories.set(id, make);
  return make;
}
