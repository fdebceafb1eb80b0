/**
 * The benchmark's paired rounds (bench/lib/pairs.mjs): a target's ratio is the
 * median of each round's own ratio, so a slow stretch that slows both sides of
 * one round does not move it, where a ratio of medians would.
 */
import { describe, expect, it } from 'vitest';
import { pairedFigures } from '../../bench/lib/pairs.mjs';

const us = (rec: { us?: number }) => rec.us;

describe('paired rounds', () => {
  it('the ratio is the median of the rounds\' ratios; the figures are the rounds\' medians', () => {
    // Round 2 ran in a slow stretch: both sides twice as slow, the ratio the same.
    const rounds = [
      { t: { us: 10 }, b: { us: 8 } },
      { t: { us: 20 }, b: { us: 16 } },
      { t: { us: 11 }, b: { us: 10 } },
    ];
    const p = pairedFigures(rounds, 't', 'b', us)!;
    expect(p.ratios).toEqual([10 / 8, 20 / 16, 11 / 10]);
    expect(p.ratio).toBeCloseTo(1.25);
    expect(p.figure).toBe(11);
    expect(p.baseline).toBe(10);
    expect(p.rounds).toBe(3);
  });

  it('where slow stretches hit the two sides in different rounds, the ratio of medians is off and the paired one is not', () => {
    const rounds = [
      { t: { us: 10 }, b: { us: 8 } },
      { t: { us: 10 }, b: { us: 16 } }, // only the baseline's job was slowed
      { t: { us: 20 }, b: { us: 16 } }, // both slowed
    ];
    const p = pairedFigures(rounds, 't', 'b', us)!;
    expect(p.figure / p.baseline).toBeCloseTo(0.625);
    expect(p.ratio).toBeCloseTo(1.25);
  });

  it('rounds missing either side, or without a positive figure, are left out; none left gives undefined', () => {
    const rounds = [
      { t: { us: 12 }, b: { missing: 'mpirun not found' } },
      { t: { us: 9 }, b: { us: 0 } },
      { t: { us: 10 }, b: { us: 5 } },
      { b: { us: 4 } },
    ];
    expect(pairedFigures(rounds, 't', 'b', us)).toMatchObject({ ratio: 2, rounds: 1 });
    expect(pairedFigures(rounds.slice(0, 2), 't', 'b', us)).toBeUndefined();
    expect(pairedFigures(undefined, 't', 'b', us)).toBeUndefined();
  });

  it('figure and baseline may be read from different cells', () => {
    const rounds = [{ t: { rtt: { object: { 0: 30 } } }, e: { rtt: { raw: { 8: 20 } } } }];
    expect(pairedFigures(rounds, 't', 'e', (r) => r.rtt.object[0], (r) => r.rtt.raw[8])?.ratio).toBe(1.5);
  });
});
