// Designs the flow can build without the DSL generators: plain-Verilog
// fixtures under test/flows/fixtures, configured through top-level parameters.
import { join } from 'node:path';
import { FIXTURES_DIR } from '../paths.ts';

export interface FixtureDesign {
  files: string[];
  top: string;
  params: Record<string, number>;
  /** Flip-flops the design must map to (the tests check it). */
  expectedFlops: number;
  config: Record<string, unknown>;
}

export interface MacArrayFixtureConfig {
  rows: number;
  cols: number;
  pipelined: boolean;
}

/** int8 x int4 output-stationary MAC array with 20-bit accumulators (test/flows/fixtures/mac_array.v). */
export function macArrayFixture(c: MacArrayFixtureConfig): FixtureDesign {
  // Per cell: a 8 + w 4 + acc 20, plus product 12 + control 2 when pipelined.
  const perCell = c.pipelined ? 46 : 32;
  return {
    files: [join(FIXTURES_DIR, 'mac_array.v')],
    top: 'mac_array',
    params: { ROWS: c.rows, COLS: c.cols, PIPELINED: c.pipelined ? 1 : 0 },
    expectedFlops: perCell * c.rows * c.cols,
    config: { rows: c.rows, cols: c.cols, act_bits: 8, weight_bits: 4, acc_bits: 20, pipelined: c.pipelined },
  };
}

export const FIXTURE_DESIGNS = ['mac-array-fixture'] as const;
