import assert from 'node:assert/strict';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildGruUpdate, GRU_LATENCY } from '../../generators/blocks/gru_update/index.ts';
import { gruFields, gruModel, gruRhValue, gruUpdateValue, resetHidden, SIG, TANH, updateHidden, type GruBeat, type GruMode } from '../../generators/blocks/gru_update/model.ts';
import { assertSimCompare } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { cellLanes, realNetTrace } from './net_trace.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

/** Real GRU beats of both frames (frame 1 from H = 0, frame 2 from frame 1's H') and the traced results. */
function realGruBeats() {
  const t = realNetTrace();
  const hc = t.net.config.hidden_c, cells = t.gh * t.gw;
  const zero = new Int32Array(hc * cells);
  const beats: GruBeat[] = [], rh: number[][] = [], hNew: number[][] = [], side: { last: boolean; user: boolean }[] = [];
  t.frames.forEach((f, k) => {
    const hOld = k === 0 ? zero : t.frames[0]['gru0.h'];
    for (let n = 0; n < cells; n++) {
      const l = (x: Int32Array) => cellLanes(x, hc, cells, n);
      beats.push({ pr: l(f['gru0.pr']), pz: l(f['gru0.pz']), pn: l(f['gru0.pn']), h: l(hOld) });
      rh.push(l(f['gru0.rh']));
      hNew.push(l(f['gru0.h']));
      side.push({ last: n % t.gw === t.gw - 1, user: n === 0 });
    }
  });
  return { hc, beats, rh, hNew, side };
}

function packBeat(mode: GruMode, lanes: number, b: GruBeat): bigint {
  return gruFields(mode).reduceRight((acc, f) => (acc << BigInt(8 * lanes)) | packLanes(b[f]!, 8), 0n);
}

describe('gru_update model', () => {
  it('gives the worked examples of docs/fixed-point.md 6 through the golden LUTs', () => {
    assert.deepEqual([SIG[-16 + 128], SIG[128], SIG[16 + 128], SIG[37 + 128], SIG[255], SIG[0]], [69, 128, 187, 233, 255, 0]);
    assert.deepEqual([TANH[-16 + 128], TANH[16 + 128], TANH[37 + 128], TANH[255], TANH[0]], [-59, 59, 105, 127, -127]);
    assert.equal(resetHidden(200, -77), -60);
    assert.equal(updateHidden(180, 90, -40), 51);
    // Through the LUTs: PR = 16 gives R = 187; PZ = 37, PN = 16 give Z = 233, N = 59.
    assert.equal(gruRhValue(16, -77), resetHidden(187, -77));
    assert.equal(gruUpdateValue(37, 16, -40), updateHidden(233, 59, -40));
  });

  it('RH fits int8 and H\' lies between H and N for every input', () => {
    for (let q = -128; q < 128; q++)
      for (let h = -128; h < 128; h++) {
        const rh = gruRhValue(q, h);
        assert.ok(rh >= -128 && rh <= 127);
        const hn = gruUpdateValue(q, (q * 37) % 128, h), n = TANH[((q * 37) % 128) + 128];
        assert.ok(hn >= Math.min(h, n) && hn <= Math.max(h, n), `pz ${q}, h ${h}: ${hn}`);
      }
  });

  it('equals the golden fixed-point model on real GRU tensors of a DAVIS frame pair', () => {
    const r = realGruBeats();
    assert.deepEqual(gruModel('rh', r.hc, r.beats), r.rh);
    assert.deepEqual(gruModel('update', r.hc, r.beats), r.hNew);
    const nonzeroH = r.beats.filter((b) => b.h.some((x) => x !== 0)).length;
    assert.ok(nonzeroH > r.beats.length / 4, `frame 2 has a non-trivial old state (${nonzeroH} cells)`);
  });

  it('rejects missing fields and out-of-range lanes', () => {
    assert.throws(() => gruModel('rh', 2, [{ h: [1, 2] }]), /beat 0: field pr has 0 lanes, expected 2/);
    assert.throws(() => gruModel('update', 1, [{ pz: [0], pn: [200], h: [0] }]), /beat 0 pn lane 0: 200 is not a signed 8-bit/);
  });
});

describe('gru_update RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean, synthesises, and reports latency and flops', async () => {
    for (const mode of ['rh', 'update'] as const) {
      for (const [lanes, stall] of [[1, true], [12, true], [16, true], [12, false]] as const) {
        const b = buildGruUpdate({ mode, lanes, stall });
        const e = emitToTemp(b.module, 'gru');
        assert.deepEqual(lintProblems(e), [], e.top);
        assert.equal(b.flops, countFlops(b.module), e.top);
        assert.equal(b.latency, GRU_LATENCY);
      }
      if (hasBinary('yosys'))
        for (const stall of [true, false]) {
          const e = emitToTemp(buildGruUpdate({ mode, lanes: 2, stall }).module, 'gruys');
          const r = await yosysSynthCheck(e.files, e.top);
          assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
        }
    }
  });

  it('rejects bad parameters, listing each', () => {
    assert.throws(() => buildGruUpdate({ mode: 'x' as never, lanes: 0 }), /2 invalid parameters[\s\S]*mode[\s\S]*lanes = 0/);
  });

  for (const mode of ['rh', 'update'] as const) {
    it(`${mode}: matches the golden model bit-exactly on real activations (2 frames, 12 lanes), under backpressure`, async () => {
      const r = realGruBeats();
      const e = emitToTemp(buildGruUpdate({ mode, lanes: r.hc }).module, `gru${mode}`);
      const golden = mode === 'rh' ? r.rh : r.hNew;
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: r.beats.map((b, n) => ({ data: packBeat(mode, r.hc, b), ...r.side[n] })) },
        model: () => ({ m_axis: gruModel(mode, r.hc, r.beats).map((o, n) => ({ data: packLanes(o, 8), ...r.side[n] })) }),
        compare: { label: `gru ${mode} real` },
        variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }],
      });
      const out = rep.runs[0].result.outputs.m_axis;
      out.forEach((b, n) => assert.deepEqual(unpackLanes(b.data, r.hc, 8, true), golden[n], `RTL vs traced ${mode}, beat ${n}`));
      assert.equal(out[out.length - 1].cycle - out[0].cycle, r.beats.length - 1, 'one beat per cycle without backpressure');
      assert.equal(out[0].cycle, 1 + GRU_LATENCY, 'first beat accepted in cycle 1');
    });

    it(`${mode}: free-running (stall: false) matches the golden model on real activations`, async () => {
      const r = realGruBeats();
      const e = emitToTemp(buildGruUpdate({ mode, lanes: r.hc, stall: false }).module, `grufree${mode}`);
      assert.equal(e.design.top.ports.some((x) => x.name.endsWith('_tready')), false, 'no tready ports');
      const golden = mode === 'rh' ? r.rh : r.hNew;
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: r.beats.map((b, n) => ({ data: packBeat(mode, r.hc, b), ...r.side[n] })) },
        model: () => ({ m_axis: golden.map((o, n) => ({ data: packLanes(o, 8), ...r.side[n] })) }),
        compare: { label: `gru ${mode} free-running` },
        variants: [{ seed: 5, backpressure: { inputGap: 0.4 } }],
      });
    });

    it(`${mode}: every LUT entry in every lane matches (all 256 pre-activations, random H, stalls)`, async () => {
      const lanes = 4, g = prng(mode === 'rh' ? 11 : 12);
      const beats: GruBeat[] = Array.from({ length: 512 }, (_, i) => {
        const q = (k: number, off: number) => ((i + 64 * k + off) % 256) - 128;
        const lane = (off: number) => Array.from({ length: lanes }, (_, k) => q(k, off));
        return { pr: lane(0), pz: lane(0), pn: lane(101 + (i >> 8)), h: Array.from({ length: lanes }, () => (i % 5 === 0 ? [-128, 127][g.int(0, 1)] : g.int(-128, 127))) };
      });
      const e = emitToTemp(buildGruUpdate({ mode, lanes }).module, `grulut${mode}`);
      const side = (i: number) => ({ last: i % 32 === 31, user: i % 256 === 0 });
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: beats.map((b, i) => ({ data: packBeat(mode, lanes, b), ...side(i) })) },
        model: () => ({ m_axis: gruModel(mode, lanes, beats).map((o, i) => ({ data: packLanes(o, 8), ...side(i) })) }),
        compare: { label: `gru ${mode} lut sweep` },
        variants: [{ seed: 3, backpressure: { inputGap: 0.2, outputStall: 0.7 } }],
      });
    });
  }
});
