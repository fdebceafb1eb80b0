// The line relay: what reaches the launcher's stdout/stderr is whole lines of
// one rank, never pieces, however the rank's output arrives in chunks.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardPipe, relayLines } from '@tsmpi/launcher';

/** A destination that records each write() separately. */
class Sink extends Writable {
  writes: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writes.push(chunk.toString('utf8'));
    cb();
  }
  get text(): string { return this.writes.join(''); }
}

const tick = () => new Promise((r) => setImmediate(r));

async function relay(chunks: (string | Buffer)[], prefix = '', passRedraws = false): Promise<Sink> {
  const from = new PassThrough();
  const sink = new Sink();
  const done = relayLines(from, sink, prefix, passRedraws);
  for (const c of chunks) { from.write(c); await tick(); }
  from.end();
  from.destroy(); // a child's pipe closes after its end
  await done;
  return sink;
}

describe('relayLines', () => {
  it('passes redraw lines (\\r...) through at once only when asked (a terminal)', async () => {
    const held = await relay(['\r 10%', '\r 50%', '\r100%', '\n', 'next\n']);
    expect(held.writes).toEqual(['\r 10%\r 50%\r100%\n', 'next\n']);
    const passed = await relay(['\r 10%', '\r 50%', '\r100%', '\n', 'next\n'], '', true);
    expect(passed.writes).toEqual(['\r 10%', '\r 50%', '\r100%', '\n', 'next\n']);
  });

  it('holds a partial line until its end arrives, then writes it whole', async () => {
    const sink = await relay(['ab', 'c\nde', 'f', '\n']);
    expect(sink.writes).toEqual(['abc\n', 'def\n']);
  });

  it('writes several complete lines of one chunk at once, keeping the rest for later', async () => {
    const sink = await relay(['1\n2\n3', '\n4\n']);
    expect(sink.writes).toEqual(['1\n2\n', '3\n4\n']);
  });

  it('prefixes every line with the given tag', async () => {
    const sink = await relay(['x\ny', '\n\nz\n'], '[3] ');
    expect(sink.text).toBe('[3] x\n[3] y\n[3] \n[3] z\n');
  });

  it('ends an unterminated last line when the stream closes', async () => {
    expect((await relay(['a\nb'])).text).toBe('a\nb\n');
    expect((await relay(['a\nb'], '[0] ')).text).toBe('[0] a\n[0] b\n');
  });

  it('writes nothing for a stream with no output', async () => {
    expect((await relay([])).writes).toEqual([]);
  });

  it('keeps a UTF-8 character that is split across chunks intact', async () => {
    const bytes = Buffer.from('héllo 🌍 wörld\n', 'utf8');
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect((await relay(chunks)).text).toBe('héllo 🌍 wörld\n');
  });

  it('never splices lines of two sources sharing one destination', async () => {
    const a = new PassThrough(), b = new PassThrough();
    const sink = new Sink();
    const done = Promise.all([relayLines(a, sink, '[0] '), relayLines(b, sink, '[1] ')]);
    for (let i = 0; i < 200; i++) {
      const la = `line ${i} of a ${'a'.repeat(i % 37)}\n`, lb = `line ${i} of b ${'b'.repeat(i % 41)}\n`;
      // Each line in three pieces, the two sources interleaved piece by piece.
      for (let p = 0; p < 3; p++) {
        a.write(la.slice((p * la.length) / 3 | 0, ((p + 1) * la.length) / 3 | 0));
        b.write(lb.slice((p * lb.length) / 3 | 0, ((p + 1) * lb.length) / 3 | 0));
        await tick();
      }
    }
    a.end(); b.end(); a.destroy(); b.destroy();
    await done;
    for (const w of sink.writes) {
      expect(w.endsWith('\n')).toBe(true);
      for (const line of w.slice(0, -1).split('\n')) expect(line).toMatch(/^\[(0)\] line \d+ of a a*$|^\[(1)\] line \d+ of b b*$/);
    }
    const lines = sink.text.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('[0] '))).toEqual(Array.from({ length: 200 }, (_, i) => `[0] line ${i} of a ${'a'.repeat(i % 37)}`));
    expect(lines.filter((l) => l.startsWith('[1] '))).toEqual(Array.from({ length: 200 }, (_, i) => `[1] line ${i} of b ${'b'.repeat(i % 41)}`));
  });

  it('drops output once the reader is gone (EPIPE), without an error, and still finishes', async () => {
    const from = new PassThrough();
    const sink = new Sink();
    guardPipe(sink);
    const done = relayLines(from, sink, '');
    from.write('before\n');
    await tick();
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    sink.emit('error', epipe);
    from.write('after\n');
    await tick();
    from.end(); from.destroy();
    await done;
    expect(sink.writes).toEqual(['before\n']);
  });
});
