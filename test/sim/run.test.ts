import assert from 'node:assert/strict';
import { assertBeatsEqual } from '../../sim/compare.ts';
import { SimInputError } from '../../sim/errors.ts';
import { runStreamSim } from '../../sim/run.ts';
import { assertSimCompare, simCompare } from '../../sim/sim-compare.ts';
import type { BeatIn } from '../../sim/types.ts';
import { fixture, randomWords } from './fixture-designs.ts';

describe('sim: runStreamSim on fixtures', () => {
  // 100-bit tdata exercises Verilator's wide (VlWide) ports; 2-bit tuser a multi-bit sideband.
  const skid = () => fixture('skid_buffer', { W: 100, U: 2 });
  const beats: BeatIn[] = randomWords(600, 100, 7).map((data, i) => ({ data, last: i % 50 === 49, user: BigInt(i % 4) }));

  it('passes wide beats with tlast/tuser through a skid buffer under random backpressure', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await runStreamSim({
        design: skid(),
        inputs: { s_axis: beats },
        outputs: ['m_axis'],
        expect: { m_axis: beats.length },
        seed,
        backpressure: { inputGap: 0.3, outputStall: 0.5 },
      });
      assertBeatsEqual(beats, r.outputs.m_axis, { label: `skid seed ${seed}` });
      assert.equal(r.inputs.s_axis.sent, beats.length);
      assert.ok(r.outputStats.m_axis.stallCycles > 100, 'output stalls happened');
      assert.ok(r.inputs.s_axis.gapCycles > 100, 'input gaps happened');
      assert.ok(r.inputs.s_axis.stallCycles > 0, 'the skid buffer pushed back');
      const cycles = r.outputs.m_axis.map((b) => b.cycle);
      assert.ok(cycles.every((c, i) => i === 0 || c > cycles[i - 1]), 'one beat per cycle at most, stamps increasing');
    }
  });

  it('runs at one beat per cycle without backpressure and reuses the cached build', async () => {
    const r = await runStreamSim({ design: skid(), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, tailCycles: 10 });
    assert.equal(r.built, false, 'the model from the previous test is reused');
    assertBeatsEqual(beats, r.outputs.m_axis);
    const out = r.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, beats.length - 1, 'no bubbles at full speed');
    assert.equal(r.cycles, out[out.length - 1].cycle + 1 + 10, 'run ends tailCycles after the last expected beat');
    assert.ok(r.cyclesPerSecond > 0);
  });

  it('inputDelay holds an input stream off until the given cycle (a DRAM start latency), and rejects unknown ports', async () => {
    const r = await runStreamSim({ design: skid(), inputs: { s_axis: beats.slice(0, 20) }, expect: { m_axis: 20 }, seed: 1, inputDelay: { s_axis: 137 } });
    assertBeatsEqual(beats.slice(0, 20), r.outputs.m_axis, { label: 'delayed' });
    assert.ok(r.outputs.m_axis[0].cycle >= 137, `first beat out at cycle ${r.outputs.m_axis[0].cycle}`);
    await assert.rejects(runStreamSim({ design: skid(), inputs: { s_axis: beats }, inputDelay: { s_axis_nope: 5 } }), SimInputError);
  });

  it('inputAfter holds beats back until another stream has progressed, and rejects bad gates', async () => {
    const ten = beats.slice(0, 20);
    const free = await runStreamSim({ design: skid(), inputs: { s_axis: ten }, expect: { m_axis: 20 } });
    assert.equal(free.outputs.m_axis[10].cycle - free.outputs.m_axis[9].cycle, 1, 'back to back without a gate');
    // Beat 10 only after the 10th output beat, beat 15 only after the 15th.
    const r = await runStreamSim({ design: skid(), inputs: { s_axis: ten }, expect: { m_axis: 20 }, inputAfter: { s_axis: [{ beat: 10, after: 'm_axis', count: 10 }, { beat: 15, after: 'm_axis', count: 15 }] } });
    assertBeatsEqual(ten, r.outputs.m_axis, { label: 'gated' });
    const out = r.outputs.m_axis.map((b) => b.cycle);
    assert.ok(out[10] - out[9] >= 2 && out[15] - out[14] >= 2, `beat 10 out at ${out[10]} after beat 9 at ${out[9]}; beat 15 at ${out[15]} after ${out[14]}`);
    assert.equal(out[11] - out[10], 1, 'beats after the gate flow again');
    for (const bad of [{ beat: 3, after: 'nope', count: 1 }, { beat: 20, after: 'm_axis', count: 1 }, { beat: 1, after: 's_axis', count: 1 }, { beat: 1, after: 'm_axis', count: -1 }])
      await assert.rejects(runStreamSim({ design: skid(), inputs: { s_axis: ten }, inputAfter: { s_axis: [bad] } }), SimInputError, JSON.stringify(bad));
    await assert.rejects(runStreamSim({ design: skid(), inputs: { s_axis: ten }, inputAfter: { s_axis_x: [] } }), SimInputError);
  });

  it('is deterministic for a seed and varies across seeds', async () => {
    const run = (seed: number) =>
      runStreamSim({ design: skid(), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed, backpressure: { inputGap: 0.2, outputStall: 0.2 } });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    assert.deepEqual(a.outputs.m_axis.map((x) => x.cycle), b.outputs.m_axis.map((x) => x.cycle));
    assert.notDeepEqual(a.outputs.m_axis.map((x) => x.cycle), c.outputs.m_axis.map((x) => x.cycle));
  });

  it('SimCompare: the adder matches its TypeScript model with a constant input, under several variants', async () => {
    const inputs = { s_axis: randomWords(300, 32, 11).map((data, i) => ({ data, last: i === 299 })) };
    const offset = 0xa7;
    const model = (ins: Record<string, BeatIn[]>) => ({
      m_axis: ins.s_axis.map((b) => {
        const v = BigInt(b.data);
        return { data: (v & 0xffffn) + (v >> 16n) + BigInt(offset), last: !!b.last };
      }),
    });
    const rep = await assertSimCompare({
      design: fixture('add_reg'),
      inputs,
      constInputs: { offset },
      model,
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.5, outputStall: 0.5 } }, { seed: 3, backpressure: { outputStall: 0.9 } }],
    });
    assert.equal(rep.runs.length, 3);
    assert.ok(rep.runs[2].cycles > rep.runs[0].cycles * 5, '90% output stall slows the run');
    // A wrong model must be reported at its first differing beat.
    const wrong = await simCompare({
      design: fixture('add_reg'),
      inputs,
      constInputs: { offset },
      model: (ins) => ({ m_axis: model(ins).m_axis.map((b, i) => (i === 123 ? { ...b, data: b.data ^ 4n } : b)) }),
    });
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /first mismatch at beat 123 .*in data/);
    assert.equal(wrong.runs[0].reports.m_axis.mismatches, 1);
  });

  it('sets wide and oddly named constant inputs; outputs may carry a multi-bit tuser', async () => {
    const key = (1n << 69n) | 0x123456789abcdefn;
    const inputs = { s_axis: randomWords(50, 70, 4).map((data) => ({ data })) };
    await assertSimCompare({
      design: fixture('const_mix'),
      inputs,
      constInputs: { wide_k: key, con: 5 },
      model: (ins) => ({ m_axis: ins.s_axis.map((b) => ({ data: BigInt(b.data) ^ key, user: 5n })) }),
      variants: [{ seed: 4, backpressure: { outputStall: { m_axis: 0.5 }, inputGap: { s_axis: 0.2 } } }],
    });
    await assert.rejects(
      runStreamSim({ design: fixture('const_mix'), inputs, constInputs: { wide_k: key, con: 5 }, backpressure: { outputStall: { m_axs: 0.5 } } }),
      /const_mix has no output stream 'm_axs'/,
    );
  });

  it('drives several input streams independently (s_axis_a, s_axis_b)', async () => {
    const a = randomWords(400, 8, 21).map((data, i) => ({ data, last: i % 40 === 39 }));
    const b = randomWords(400, 8, 22).map((data) => ({ data }));
    const rep = await assertSimCompare({
      design: fixture('join2'),
      inputs: { s_axis_a: a, s_axis_b: b },
      model: (ins) => ({ m_axis: ins.s_axis_a.map((x, i) => ({ data: BigInt(x.data) + BigInt(ins.s_axis_b[i].data), last: x.last })) }),
      variants: [{ seed: 6, backpressure: { inputGap: { s_axis_a: 0.1, s_axis_b: 0.6 }, outputStall: 0.3 } }],
    });
    const st = rep.runs[0].result.inputs;
    assert.ok(st.s_axis_b.gapCycles > 2 * st.s_axis_a.gapCycles, 'per-port gap probabilities apply');
    assert.ok(st.s_axis_a.stallCycles > 0, 'a waits for b');
  });

  it('rejects bad inputs by name before running', async () => {
    const d = fixture('add_reg');
    await assert.rejects(runStreamSim({ design: d, inputs: { s_axis: [] } }), (e: Error) => e instanceof SimInputError && /offset \[8 bits\]/.test(e.message));
    await assert.rejects(runStreamSim({ design: d, inputs: { s_axis: [] }, constInputs: { offset: 256 } }), /constant input offset: value 0x100 does not fit in 8 bits/);
    await assert.rejects(runStreamSim({ design: d, inputs: { s_ax: [] }, constInputs: { offset: 1 } }), /add_reg has no input stream 's_ax' \(input streams: s_axis\)/);
    await assert.rejects(runStreamSim({ design: d, inputs: { s_axis: [{ data: 1n << 32n }] }, constInputs: { offset: 1 } }), /s_axis beat 0 tdata: value 0x100000000 does not fit in 32 bits/);
    await assert.rejects(runStreamSim({ design: d, inputs: { s_axis: [{ data: 1, user: 1 }] }, constInputs: { offset: 1 } }), /no s_axis_tuser port/);
    await assert.rejects(runStreamSim({ design: d, inputs: {}, constInputs: { offset: 1 }, backpressure: { outputStall: 1 } }), /must be in \[0, 1\)/);
  });
});
