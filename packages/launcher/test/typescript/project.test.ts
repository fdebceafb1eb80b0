// The pure parts of the TypeScript loader: tsconfig's JSON dialect and the import candidates.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stripJsonComments } from '../../src/typescript/project.js';
import { isPathSpecifier, typeScriptCandidates } from '../../src/typescript/candidates.js';

describe('stripJsonComments', () => {
  it('drops comments and trailing commas, never inside strings', () => {
    const text = '{ // line\n "a": "x // not a comment, }", /* block */ "b": [1, 2,], "c": "\\"/*\\"", }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ a: 'x // not a comment, }', b: [1, 2], c: '"/*"' });
  });

  it('drops a trailing comma that comments separate from its closer', () => {
    const text = '{ "a": [1, /* last */ ], "b": { "c": 2, // end\n }, /* x */ // y\n }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ a: [1], b: { c: 2 } });
  });

  it('keeps plain JSON as it is, whatever its strings hold', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v, null, 1);
      expect(stripJsonComments(text)).toBe(text);
    }), { numRuns: 300 });
  });
});

describe('typeScriptCandidates', () => {
  it('maps JavaScript extensions to TypeScript ones', () => {
    expect(typeScriptCandidates('./a.js')).toEqual(['./a.ts', './a.tsx']);
    expect(typeScriptCandidates('./a.mjs')).toEqual(['./a.mts']);
    expect(typeScriptCandidates('./a.cjs?x=1')).toEqual(['./a.cts?x=1']);
  });

  it('tries extensions, then an index, for a path without one', () => {
    expect(typeScriptCandidates('./lib')).toEqual(['./lib.ts', './lib.tsx', './lib.mts', './lib.cts', './lib/index.ts', './lib/index.tsx']);
    expect(typeScriptCandidates('./lib/')).toEqual(['./lib/index.ts', './lib/index.tsx']);
  });

  it('applies to paths only, not packages', () => {
    expect(['./a', '../a', '/a', 'file:///a', '.'].every(isPathSpecifier)).toBe(true);
    expect(['tsmpi', '@tsmpi/runtime', 'node:fs', '#internal'].some(isPathSpecifier)).toBe(false);
  });
});
