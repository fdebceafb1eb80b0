/**
 * The reused frame buffer (wire/frame-slab.ts): frames written at once share
 * its memory; a frame a writer kept is never written over, and frames get
 * buffers of their own until one is written at once again. Pure logic; the
 * transports' use of it runs in test/transport (frames past a full kernel
 * buffer arrive intact).
 */
import { describe, expect, it } from 'vitest';
import { FRAME_SLAB_BYTES, frameSlabView, frameWritten, retireFrameSlab } from '../../dist/wire/frame-slab.js';

describe('frame slab', () => {
  it('hands out the same memory while frames are written at once', () => {
    frameWritten();
    const a = frameSlabView(51);
    const b = frameSlabView(51);
    const c = frameSlabView(100);
    expect(b).toBe(a);
    expect(c.buffer).toBe(a.buffer);
    expect(c.byteOffset).toBe(a.byteOffset);
    expect(frameSlabView(FRAME_SLAB_BYTES).length).toBe(FRAME_SLAB_BYTES);
  });

  it('leaves a kept frame alone: fresh buffers until a frame is written at once again', () => {
    frameWritten();
    const kept = frameSlabView(60);
    kept.fill(7);
    retireFrameSlab();
    const next = [frameSlabView(60), frameSlabView(60)];
    for (const n of next) {
      expect(n.buffer === kept.buffer && n.byteOffset < kept.byteOffset + kept.length).toBe(false);
      n.fill(9);
    }
    expect(next[0]!.buffer === next[1]!.buffer && next[0]!.byteOffset === next[1]!.byteOffset).toBe(false);
    frameWritten();
    const again = frameSlabView(60);
    again.fill(1);
    expect(again.buffer === kept.buffer).toBe(false);
    expect(frameSlabView(60)).toBe(again);
    expect([...kept]).toEqual(new Array(60).fill(7));
  });
});
