// The docs/dsl.md tutorial end to end: the running-sum block simulated under Verilator
// (sim/ harness, random backpressure) against its TypeScript model, beat for beat.
import assert from 'node:assert/strict';
import { elaborate } from '../../generators/core/index.ts';
import { runningSum, runningSumModel, runningSumParams } from '../../generators/core/examples/running_sum.ts';
import { assertSimCompare } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';

describe('core: tutorial block simulates like its model', () => {
  it('running_sum matches runningSumModel under backpressure', async function () {
    if (!hasBinary('verilator')) this.skip(); // installed in CI (.ci/run)
    const p = runningSumParams.validate({ dataBits: 8, sumBits: 10 });
    const samples = Array.from({ length: 120 }, (_, i) => ({ data: BigInt((i * 37) % 256), last: i % 16 === 15 }));
    const rep = await assertSimCompare({
      design: elaborate(runningSum(p)),
      inputs: { s_axis: samples },
      model: (ins) => ({ m_axis: runningSumModel(p, ins.s_axis.map((b) => ({ data: BigInt(b.data), last: !!b.last }))) }),
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.5, outputStall: 0.5 } }],
    });
    assert.equal(rep.ok, true);
    // The sum wraps modulo 2^10 within a line: the model must see wrapping for this test to mean anything.
    assert.ok(runningSumModel(p, samples).some((b, i) => i > 0 && !samples[i - 1].last && b.data < runningSumModel(p, samples)[i - 1].data));
  });
});
