/** Types of pairs.mjs, for its unit test (test/bench/pairs.test.ts). */
export interface Paired { figure: number; baseline: number; ratio: number; rounds: number; ratios: number[] }
export function pairedFigures(
  rounds: Record<string, unknown>[] | undefined, figureId: string, baselineId: string,
  pickFigure: (rec: any) => unknown, pickBaseline?: (rec: any) => unknown,
): Paired | undefined;
