/**
 * Paired rounds: the target cells measured by short jobs, tsmpi and its
 * baselines one right after the other, round after round. This machine's
 * speed drifts over minutes (a VM whose vCPUs run as fast as other guests let
 * them: medians of the same cell 1.5–2× apart between runs half an hour
 * apart, bench/README.md), while a full suite's jobs of one repetition lie a
 * minute or more apart; a round of short jobs takes seconds. Each round gives
 * each target one ratio, and the target's ratio is the median of those, a
 * paired comparison: a slow stretch that hits a round hits both sides of it.
 */
import { median } from './measure.mjs';

/**
 * A target's figures from paired rounds: `rounds[i][id]` is round i's record
 * of implementation `id`; `pickFigure` and `pickBaseline` read the two cells.
 * Rounds missing either side are skipped. Returns undefined when no round
 * has both.
 */
export function pairedFigures(rounds, figureId, baselineId, pickFigure, pickBaseline = pickFigure) {
  const figs = [], bases = [], ratios = [];
  for (const round of rounds ?? []) {
    const f = pickFrom(round?.[figureId], pickFigure), b = pickFrom(round?.[baselineId], pickBaseline);
    if (f === undefined || b === undefined) continue;
    figs.push(f); bases.push(b); ratios.push(f / b);
  }
  if (ratios.length === 0) return undefined;
  return { figure: median(figs), baseline: median(bases), ratio: median(ratios), rounds: ratios.length, ratios };
}

function pickFrom(rec, pick) {
  if (!rec || rec.missing) return undefined;
  const v = pick(rec);
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
