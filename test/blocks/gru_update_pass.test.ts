// gru_update with sideband pass bits (passBits) and with local, credit-based backpressure
// (credit): random beats through the RTL under backpressure against gruModel plus the pass bits.
import assert from 'node:assert/strict';
import { packLanes } from '../../generators/blocks/bits.ts';
import { buildGruUpdate, GRU_LATENCY, gruCyclesPerBeat, gruUpdateParams } from '../../generators/blocks/gru_update/index.ts';
import { gruFields, gruModel, type GruBeat, type GruMode } from '../../generators/blocks/gru_update/model.ts';
import { assertSimCompare, type BeatIn } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

interface PassCase {
  beats: GruBeat[];
  pass: bigint[];
  side: { last: boolean; user: boolean }[];
}

function randomCase(lanes: number, passBits: number, n: number, seed: number): PassCase {
  const g = prng(seed);
  const lane = () => Array.from({ length: lanes }, () => g.int(-128, 127));
  const beats = Array.from({ length: n }, () => ({ pr: lane(), pz: lane(), pn: lane(), h: lane() }));
  const pass = Array.from({ length: n }, () => {
    let v = 0n;
    for (let b = 0; b < passBits; b += 16) v |= BigInt(g.int(0, 0xffff)) << BigInt(b);
    return BigInt.asUintN(passBits, v);
  });
  const side = Array.from({ length: n }, (_, i) => ({ last: i % 17 === 16, user: i % 200 === 0 }));
  return { beats, pass, side };
}

function inBeats(mode: GruMode, lanes: number, c: PassCase): BeatIn[] {
  const fw = gruFields(mode).length * lanes * 8;
  return c.beats.map((b, i) => ({ data: (c.pass[i] << BigInt(fw)) | gruFields(mode).reduceRight((acc, f) => (acc << BigInt(8 * lanes)) | packLanes(b[f]!, 8), 0n), ...c.side[i] }));
}

function outBeats(mode: GruMode, lanes: number, c: PassCase): BeatIn[] {
  return gruModel(mode, lanes, c.beats).map((o, i) => ({ data: (c.pass[i] << BigInt(8 * lanes)) | packLanes(o, 8), ...c.side[i] }));
}

describe('gru_update pass bits and credit backpressure', function () {
  it('names encode passBits and credit; bad combinations are rejected', () => {
    assert.equal(buildGruUpdate({ mode: 'rh', lanes: 12, passBits: 36 }).module.name, 'gru_rh_l12_p36');
    assert.equal(buildGruUpdate({ mode: 'update', lanes: 12, passBits: 4, credit: true }).module.name, 'gru_update_l12_p4_cr');
    assert.equal(buildGruUpdate({ mode: 'update', lanes: 12, stall: false, passBits: 1 }).module.name, 'gru_update_l12_p1_free');
    assert.throws(() => gruUpdateParams.validate({ stall: false, credit: true }), /credit = true needs stall = true/);
    assert.throws(() => gruUpdateParams.validate({ passBits: 2000 }), /passBits = 2000/);
    assert.equal(buildGruUpdate({ mode: 'rh', lanes: 12, passBits: 4, credit: true, creditDepth: 2 }).module.name, 'gru_rh_l12_p4_cr2');
    assert.equal(buildGruUpdate({ mode: 'rh', lanes: 12, passBits: 4, credit: true, creditDepth: 4 }).module.name, 'gru_rh_l12_p4_cr');
    assert.throws(() => gruUpdateParams.validate({ creditDepth: 1 }), /creditDepth = 1/);
  });

  it('lanesPerStep (serial, beat read in place): bit-exact under backpressure, one beat per ceil(lanes/q) + 2 cycles, flops as reported', async () => {
    // 12 lanes on 1 (12 steps) and 5 (3 steps, the last one 2 lanes), both modes.
    for (const [mode, q] of [['rh', 1], ['update', 5], ['rh', 5], ['update', 1]] as const) {
      const lanes = 12, passBits = 37;
      const c = randomCase(lanes, passBits, 120, 25 + q);
      const b = buildGruUpdate({ mode, lanes, passBits, credit: true, creditDepth: 2, lanesPerStep: q });
      assert.equal(b.module.name, `gru_${mode}_l12_p37_cr2_s${q}`);
      assert.equal(b.flops, countFlops(b.module));
      const e = emitToTemp(b.module, `gruser${mode}${q}`);
      assert.deepEqual(lintProblems(e), [], e.top);
      for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends on m_axis_tready`);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: inBeats(mode, lanes, c) },
        model: () => ({ m_axis: outBeats(mode, lanes, c) }),
        compare: { label: `gru ${mode} serial q=${q}` },
        variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }, { seed: 3, backpressure: { outputStall: 0.9 } }],
      });
      const out = rep.runs[0].result.outputs.m_axis;
      const per = gruCyclesPerBeat({ lanes, lanesPerStep: q });
      assert.equal(out[out.length - 1].cycle - out[0].cycle, per * (c.beats.length - 1), `a beat every ${per} cycles`);
    }
    assert.throws(() => gruUpdateParams.validate({ lanes: 4, lanesPerStep: 4, credit: true }), /lanesPerStep = 4 needs credit = true and fewer than lanes = 4/);
  });

  it('creditDepth 2: bit-exact under backpressure, one beat every 2 cycles at full speed (12 lanes, 37 pass bits)', async () => {
    const lanes = 12, passBits = 37;
    for (const mode of ['rh', 'update'] as const) {
      const c = randomCase(lanes, passBits, 300, 24);
      const b = buildGruUpdate({ mode, lanes, passBits, credit: true, creditDepth: 2 });
      assert.equal(b.flops, countFlops(b.module));
      const e = emitToTemp(b.module, `grucr2${mode}`);
      assert.deepEqual(lintProblems(e), [], e.top);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: inBeats(mode, lanes, c) },
        model: () => ({ m_axis: outBeats(mode, lanes, c) }),
        compare: { label: `gru ${mode} credit depth 2` },
        variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }],
      });
      const out = rep.runs[0].result.outputs.m_axis;
      // The first two beats leave back to back on the two credits, then one every 2 cycles.
      assert.equal(out[out.length - 1].cycle - out[0].cycle, 2 * (c.beats.length - 1) - 1, 'a beat every 2 cycles: 2 credits, 4-cycle round trip');
    }
  });

  if (!hasBinary('verilator')) return;

  it('is lint-clean with pass bits in every flow-control variant; flops as reported', () => {
    for (const mode of ['rh', 'update'] as const)
      for (const v of [{ stall: true }, { stall: false }, { stall: true, credit: true }, { stall: true, credit: true, passBits: 0 }]) {
        const b = buildGruUpdate({ mode, lanes: 12, passBits: 9, ...v });
        const e = emitToTemp(b.module, 'grupass');
        assert.deepEqual(lintProblems(e), [], e.top);
        assert.equal(b.flops, countFlops(b.module), e.top);
        const port = (n: string) => e.design.top.ports.find((p) => p.name === n)?.width;
        const pass = v.passBits ?? 9;
        assert.equal(port('s_axis_tdata'), gruFields(mode).length * 96 + pass, e.top);
        assert.equal(port('m_axis_tdata'), 96 + pass, e.top);
      }
  });

  it('credit: no output depends combinationally on m_axis_tready (local backpressure)', () => {
    const e = emitToTemp(buildGruUpdate({ mode: 'update', lanes: 2, passBits: 3, credit: true }).module, 'grucrdeps');
    for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends on m_axis_tready`);
  });

  for (const mode of ['rh', 'update'] as const) {
    for (const credit of [false, true]) {
      it(`${mode}${credit ? ' credit' : ''}: pass bits travel with their beat, bit-exact under backpressure (12 lanes, 37 pass bits)`, async () => {
        const lanes = 12, passBits = 37;
        const c = randomCase(lanes, passBits, 600, credit ? 21 : 22);
        const e = emitToTemp(buildGruUpdate({ mode, lanes, passBits, credit }).module, `grupass${mode}`);
        const rep = await assertSimCompare({
          design: simDesign(e),
          inputs: { s_axis: inBeats(mode, lanes, c) },
          model: () => ({ m_axis: outBeats(mode, lanes, c) }),
          compare: { label: `gru ${mode} pass${credit ? ' credit' : ''}` },
          variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.8 } }],
        });
        const out = rep.runs[0].result.outputs.m_axis;
        assert.equal(out[out.length - 1].cycle - out[0].cycle, c.beats.length - 1, 'one beat per cycle without backpressure');
        assert.equal(out[0].cycle, 1 + GRU_LATENCY, 'first beat accepted in cycle 1');
      });
    }
    it(`${mode} free-running: pass bits travel with their beat (3 lanes, 5 pass bits)`, async () => {
      const c = randomCase(3, 5, 300, 23);
      const e = emitToTemp(buildGruUpdate({ mode, lanes: 3, passBits: 5, stall: false }).module, `grupassfree${mode}`);
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: inBeats(mode, 3, c) },
        model: () => ({ m_axis: outBeats(mode, 3, c) }),
        compare: { label: `gru ${mode} pass free` },
        variants: [{ seed: 4, backpressure: { inputGap: 0.4 } }],
      });
    });
  }
});
