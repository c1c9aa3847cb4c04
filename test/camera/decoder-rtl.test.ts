// Camera decoder RTL (issue 7, decoder side): the group decoder cam_vld (the inverse of cam_vlc),
// cam_ungroup (groups -> band beats), the inverse quantizer cam_dequant (with focus assist) and the
// composed cam_decoder design (7 codestreams -> vld -> ungroup -> dequant -> idwt2d -> field). The
// issue's check: real DAVIS val frames through the RTL encoder, its codestream words through the
// RTL decoder; decoded coefficients and the reconstructed fields equal the golden decode
// (model/camera/codec.ts decodeGroup, decode.ts dequantize + inverse DWT) bit for bit, and with all
// quantizers at 1 the fields (and mosaic) come back exactly. Corrupt and truncated codestreams
// raise err and never hang.
import assert from 'node:assert/strict';
import { mergeFields, mosaicFromImage, splitFields, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseK, dequantize, emptyFieldBands, groupHistogram, invRegister, maxGroupBits, MULT_ONE, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { decodeMosaic } from '../../model/camera/decode.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { BANDS, bandStage, inverseDwt, isHighPass, STAGE_WIDTH, type BandName } from '../../model/camera/dwt.ts';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildCamDequant } from '../../generators/blocks/cam_dequant/index.ts';
import { camDequantModel, effectiveInv } from '../../generators/blocks/cam_dequant/model.ts';
import { camGroupModel } from '../../generators/blocks/cam_group/model.ts';
import { camQuantModel } from '../../generators/blocks/cam_quant/model.ts';
import { buildCamUngroup } from '../../generators/blocks/cam_ungroup/index.ts';
import { camUngroupModel } from '../../generators/blocks/cam_ungroup/model.ts';
import { camVlcModel, closedContinuousWords, decodeFrameFromWords, scanGroups, type GroupBeat } from '../../generators/blocks/cam_vlc/model.ts';
import { buildCamVld, CAM_VLD_ERR_BITS } from '../../generators/blocks/cam_vld/index.ts';
import { camVldModel, type VldGroup, type VldOut, type WordBeat } from '../../generators/blocks/cam_vld/model.ts';
import { dwt2dModel } from '../../generators/designs/camera/dwt2d-model.ts';
import { fieldBeats } from '../../generators/designs/camera/dwt2d-model.ts';
import { buildCamDecoder } from '../../generators/designs/camera/decoder.ts';
import { buildCamEncoder, ENCODER_BANDS } from '../../generators/designs/camera/encoder.ts';
import { camEncoderModel, fieldBandScans, type EncoderBand } from '../../generators/designs/camera/encoder-model.ts';
import { assertSimCompare, runStreamSim, type Backpressure } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign, type Emitted } from '../blocks/rtl.ts';
import { davisCrop } from './helpers.ts';

const VARIANTS: { seed: number; backpressure?: Backpressure }[] = [
  { seed: 1 },
  { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } },
];

const UNITY: BandParams = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;

interface Field {
  width: number;
  height: number;
  data: Int32Array;
}

/** 128x64 mosaics of two DAVIS val frames (real content), split into their four 64x32 fields. */
const mosaics: Mosaic[] = [mosaicFromImage(davisCrop('blackswan', 0, 128, 64), 'full'), mosaicFromImage(davisCrop('kite-surf', 3, 128, 64, 200, 120), 'full')];
const fieldsOf = (m: Mosaic): Field[] => {
  const f = splitFields(m);
  return f.planes.map((data) => ({ width: f.width, height: f.height, data }));
};

const vldBeat = (g: VldGroup, bits: number) => ({ data: packLanes(g.values, bits), last: g.last, user: g.user });
const words = (w: { data: bigint; last: boolean }[]): WordBeat[] => w.map((x) => ({ data: x.data, last: x.last }));
const scanToVld = (scans: Int32Array[]): VldGroup[] => scans.flatMap((s) => scanGroups(s).map((g) => ({ values: [...g.values], last: g.last, user: g.user })));

const continuousWords = (groups: GroupBeat[], k: number): WordBeat[] => closedContinuousWords(groups, k, 32);

/**
 * cam_vld in Verilator: the output must begin with the model's groups and err flags. Nothing marks
 * the end of a continuous codestream, so there the zero padding after the last frame may decode as
 * the start of another frame (extra beats); flushed codestreams must give exactly the model's.
 */
async function simVld(e: Emitted, w: WordBeat[], k: number, G: number, flush: boolean, want: VldOut, seed: number, backpressure: Backpressure) {
  const r = await runStreamSim({ design: simDesign(e), inputs: { s_axis: w }, constInputs: { k, groups: G, flush: flush ? 1 : 0 }, expect: { m_axis: want.groups.length }, seed, backpressure });
  const got = r.outputs.m_axis.map((x) => ({ data: x.data, last: x.last, user: Boolean(x.user) }));
  const bits = e.design.top.ports.find((x) => x.name === 'm_axis_tdata')!.width / 4;
  assert.deepEqual(got.slice(0, want.groups.length), want.groups.map((x) => vldBeat(x, bits)), `seed ${seed}: decoded groups`);
  const errs = r.outputs.err.map((x) => CAM_VLD_ERR_BITS.filter((_, i) => (x.data >> BigInt(i)) & 1n).join('+'));
  assert.deepEqual(errs.slice(0, want.errs.length), want.errs, `seed ${seed}: err flags`);
  if (flush) {
    assert.equal(got.length, want.groups.length, 'no extra groups');
    assert.equal(errs.length, want.errs.length, 'no extra errors');
  }
  return { got, cycles: r.cycles };
}

/** Real quantized LH2 groups of a field at q = 48 (13-bit), a few frames' worth. */
function lh2Frames(): Int32Array[] {
  return fieldsOf(mosaics[0]).map((f) => fieldBandScans([f], 'LH2', multsForQuant(48).LH2)[0]);
}

describe('camera decoder RTL models', () => {
  it('cam_vld model: the golden decode of cam_vlc words (flushed and continuous) is the scans; a wrong k is caught', () => {
    const scans = lh2Frames();
    const k = chooseK(groupHistogram(scans[0]));
    const groups = scans.flatMap((s) => scanGroups(s));
    for (const flush of [true, false]) {
      const w = flush ? words(camVlcModel({ wordBits: 32 }, groups, k, true).words) : continuousWords(groups, k);
      const r = camVldModel({ coefBits: 13, wordBits: 32 }, w, scans[0].length / 4, k, flush);
      assert.deepEqual(r.errs, []);
      assert.deepEqual(r.groups, scanToVld(scans), `flush ${flush}`);
    }
    const w = camVlcModel({ wordBits: 32 }, groups, 0, true).words;
    assert.ok(camVldModel({ coefBits: 13, wordBits: 32 }, w, scans[0].length / 4, 9, true).errs.length > 0, 'decoding with the wrong k fails');
  });

  it('cam_ungroup model inverts cam_group on real band beats; cam_dequant model = decode.ts registers incl. focus assist', () => {
    const f = fieldsOf(mosaics[1])[2];
    const d = dwt2dModel(4, 12, 13, [f]);
    const band = d.m_axis_s1.map((b) => ({ data: packLanes(unpackLanes(b.data, 6, 12, true).slice(2, 4), 12), last: b.last, user: b.user }));
    const grouped = camGroupModel({ lanes: 2, coefBits: 12 }, f.height / 2, band);
    assert.deepEqual(camUngroupModel({ lanes: 2, coefBits: 12 }, f.width / 2, grouped), band);
    const mults = multsForQuant(48);
    for (const gain of [16, 24, 64]) for (const b of BANDS) assert.equal(effectiveInv(invRegister(mults[b]), gain, isHighPass(b)), invRegister(mults[b], isHighPass(b) ? gain : 16), `${b} gain ${gain}`);
    const q = camQuantModel({ bands: 4, cols: 1, coefBits: 13 }, ['LL2', 'HL2', 'LH2', 'HH2'].map((b) => mults[b as BandName]), d.m_axis_s2);
    const inv = (['LL2', 'HL2', 'LH2', 'HH2'] as const).map((b) => invRegister(mults[b]));
    const x = camDequantModel({ bands: 4, cols: 1, coefBits: 13, lowPass0: true }, inv, 32, q);
    const lane = (beats: typeof q, i: number) => beats.map((b) => unpackLanes(b.data, 4, 13, true)[i]);
    assert.deepEqual(lane(x, 0), lane(q, 0).map((v) => dequantize(v, invRegister(mults.LL2), 13)), 'LL2: no focus gain');
    assert.deepEqual(lane(x, 3), lane(q, 3).map((v) => dequantize(v, invRegister(mults.HH2, 32), 13)), 'HH2: 2x focus gain');
  });
});

describe('camera decoder RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    const mods = [
      buildCamVld({ coefBits: 12 }),
      buildCamVld({ coefBits: 13, wordBits: 64, groupsBits: 8, outDepth: 2 }),
      buildCamVld({ coefBits: 15, wordBits: 128 }),
      buildCamUngroup({ lanes: 1, coefBits: 13 }),
      buildCamUngroup({ lanes: 2, coefBits: 12 }),
      buildCamUngroup({ lanes: 4, coefBits: 12, widthBits: 3 }),
      buildCamDequant({ bands: 3, cols: 2, coefBits: 12 }),
      buildCamDequant({ bands: 4, cols: 1, coefBits: 13, lowPass0: true }),
      buildCamDecoder({ maxWidth: 64, rowsBits: 7 }),
    ];
    for (const b of mods) {
      const e = emitToTemp(b.module, 'declint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
    assert.throws(() => buildCamVld({ coefBits: 16 }), /coefBits = 16/);
    assert.throws(() => buildCamDecoder({ maxWidth: 72 }), /maxWidth = 72 must be a multiple of 16/);
  });

  it('cam_vld decodes every (k, n) pair: 16 values of k x groups of every magnitude length 0..12, under backpressure', async () => {
    const e = emitToTemp(buildCamVld({ coefBits: 13 }).module, 'camvld');
    const g = prng(57);
    const groups: GroupBeat[] = [];
    for (let rep = 0; rep < 2; rep++)
      for (let n = 0; n <= 12; n++) {
        const top = n === 0 ? 0 : 1 << (n - 1);
        const vals = [0, 1, 2, 3].map(() => (n === 0 ? 0 : g.int(0, top - 1) * (g.bit(0.5) ? -1 : 1)) + 0); // + 0: no -0
        vals[g.int(0, 3)] = (g.bit(0.5) ? -1 : 1) * (n === 0 ? 0 : top + g.int(0, top - 1)) + 0;
        groups.push({ values: vals, last: groups.length === 12, user: groups.length === 0 || groups.length === 13 });
      }
    groups[groups.length - 1] = { ...groups[groups.length - 1], last: true };
    for (let k = 0; k < 16; k++) {
      const flush = k % 2 === 0;
      const w = flush ? words(camVlcModel({ wordBits: 32 }, groups, k, true).words) : continuousWords(groups, k);
      const want = camVldModel({ coefBits: 13, wordBits: 32 }, w, 13, k, flush);
      assert.deepEqual(want.errs, []);
      assert.deepEqual(want.groups.map((x) => x.values), groups.map((x) => x.values));
      await simVld(e, w, k, 13, flush, want, k, { inputGap: 0.2, outputStall: 0.3 });
    }
  });

  it('cam_vld at 12-bit / 64-bit words and 15-bit / 128-bit words: random groups of every magnitude length, flushed, under backpressure', async () => {
    for (const [coefBits, wordBits, k] of [[12, 64, 3], [15, 128, 11]] as [number, 32 | 64 | 128, number][]) {
      const e = emitToTemp(buildCamVld({ coefBits, wordBits }).module, 'camvld');
      const g = prng(coefBits);
      const G = 40;
      const groups: GroupBeat[] = [];
      for (let i = 0; i < 3 * G; i++) {
        const n = g.int(0, coefBits - 1);
        const top = n === 0 ? 0 : 1 << (n - 1);
        const vals = [0, 1, 2, 3].map(() => (n === 0 || g.bit(0.3) ? 0 : g.int(0, top - 1) * (g.bit(0.5) ? -1 : 1)) + 0);
        vals[g.int(0, 3)] = (g.bit(0.5) ? -1 : 1) * (n === 0 ? 0 : top + g.int(0, top - 1)) + 0;
        groups.push({ values: vals, last: i % G === G - 1, user: i % G === 0 });
      }
      const w = words(camVlcModel({ wordBits }, groups, k, true).words);
      const want = camVldModel({ coefBits, wordBits }, w, G, k, true);
      assert.deepEqual(want.errs, []);
      assert.deepEqual(want.groups.map((x) => x.values), groups.map((x) => x.values));
      await simVld(e, w, k, G, true, want, coefBits, { inputGap: 0.2, outputStall: 0.3 });
    }
  });

  it('cam_vld: a truncated frame, an impossible code and a frame ending before its tlast word raise err, finish the frame with zeros, and the next frame is exact (flushed and continuous)', async () => {
    const e = emitToTemp(buildCamVld({ coefBits: 13 }).module, 'camvld');
    const scans = lh2Frames(); // 4 frames of 32 groups
    const k = chooseK(groupHistogram(scans[0]));
    const G = scans[0].length / 4;
    // Flushed: frame A good, B truncated (last 2 words cut, tlast moved), C with a 13-bit magnitude
    // (n = 13 > 12: impossible in a 13-bit subband), D followed by an extra word before its tlast, A again.
    const frameWords = (s: Int32Array, edit?: (g: GroupBeat[]) => void) => {
      const g = scanGroups(s);
      edit?.(g);
      return words(camVlcModel({ wordBits: 32 }, g, k, true).words);
    };
    const A = frameWords(scans[0]);
    const B = frameWords(scans[1]).slice(0, -2);
    B[B.length - 1] = { ...B[B.length - 1], last: true };
    const C = frameWords(scans[2], (g) => (g[7] = { ...g[7], values: [1, -4096, 0, 2] }));
    const D = frameWords(scans[3]);
    D[D.length - 1] = { ...D[D.length - 1], last: false };
    D.push({ data: 0n, last: true });
    const flushed = [...A, ...B, ...C, ...D, ...A];
    const want = camVldModel({ coefBits: 13, wordBits: 32 }, flushed, G, k, true);
    assert.deepEqual(want.errs, ['trunc', 'code', 'long']);
    assert.equal(want.groups.length, 5 * G, 'every frame has all its groups');
    assert.deepEqual(want.groups.slice(4 * G).map((x) => x.values), scanToVld([scans[0]]).map((x) => x.values), 'the frame after the errors is exact');
    for (const v of VARIANTS) await simVld(e, flushed, k, G, true, want, v.seed, v.backpressure ?? {});

    // Continuous: B' carries an impossible code; decoding resumes at the word after its tlast word
    // (the next frame's context would be needed to do better), the model says what follows.
    const groups = [scans[0], scans[1], scans[2], scans[3], scans[0]].flatMap((s) => scanGroups(s));
    groups[G + 5] = { ...groups[G + 5], values: [0, 4096, 0, 0] };
    const cont = continuousWords(groups, k);
    const wc = camVldModel({ coefBits: 13, wordBits: 32 }, cont, G, k, false);
    assert.equal(wc.errs[0], 'code');
    assert.equal(wc.groups.length, 5 * G);
    assert.deepEqual(wc.groups.slice(0, G).map((x) => x.values), scanToVld([scans[0]]).map((x) => x.values));
    await simVld(e, cont, k, G, false, wc, 3, { inputGap: 0.3, outputStall: 0.5 });
  });

  it('cam_dequant on real quantized stage-2 beats: golden dequantize with focus assist (LL2 unboosted); bad registers -> err, clamped', async () => {
    const f = fieldsOf(mosaics[0])[1];
    const d = dwt2dModel(4, 12, 13, [f]);
    const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
    const mults = multsForQuant(48);
    const q = camQuantModel({ bands: 4, cols: 1, coefBits: 13 }, S2.map((b) => mults[b]), d.m_axis_s2);
    const ins = [...q, ...q];
    const e = emitToTemp(buildCamDequant({ bands: 4, cols: 1, coefBits: 13, lowPass0: true }).module, 'camdq');
    const cfg = { bands: 4, cols: 1, coefBits: 13, lowPass0: true };
    for (const [invs, focus, errs] of [
      [S2.map((b) => invRegister(mults[b])), 40, []],
      [[100, 70000, 256, 4000], 70, [0b10011n, 0b10011n]],
    ] as [number[], number, bigint[]][]) {
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: ins },
        constInputs: { focus, ...Object.fromEntries(invs.map((x, i) => [`inv_${i}`, x])) },
        model: () => ({ m_axis: camDequantModel(cfg, invs, focus, ins), err: errs.map((x) => ({ data: x })) }),
        variants: VARIANTS,
      });
    }
  });

  describe('RTL encode -> RTL decode of real DAVIS val fields (2 frames of 128x64 mosaic = 8 fields of 64x32)', () => {
    const fields = mosaics.flatMap(fieldsOf);
    const W = fields[0].width, H = fields[0].height;
    let enc: ReturnType<typeof emitToTemp>, dec: ReturnType<typeof emitToTemp>;
    before(() => {
      enc = emitToTemp(buildCamEncoder({ maxWidth: 64, rowsBits: 7 }).module, 'camenc');
      dec = emitToTemp(buildCamDecoder({ maxWidth: 64, rowsBits: 7 }).module, 'camdec');
    });

    const cases = [
      { name: 'q = 1, continuous codestreams: lossless, fields and mosaics back exactly', q: 1, flush: false, focus: 16 },
      { name: 'q = 48, flushed codestreams, focus assist 1.5x: equal to the golden decode', q: 48, flush: true, focus: 24 },
    ];
    for (const c of cases)
      it(c.name, async () => {
        const mults = c.q === 1 ? UNITY : multsForQuant(c.q);
        const scans = Object.fromEntries(ENCODER_BANDS.map((b) => [b, fieldBandScans(fields, b, mults[b])])) as Record<EncoderBand, Int32Array[]>;
        const ks = Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(scans[b][0]))])) as Record<EncoderBand, number>;
        // 1. The RTL encoder codes the eight fields (seven codestreams each). A continuous codestream
        // leaves a frame's last word only when the next frame's bits fill it: code field 0 once more
        // and cut each codestream after the eighth frame's tlast word.
        const coded = c.flush ? fields : [...fields, fields[0]];
        const encWant = camEncoderModel(coded, mults, ks, c.flush);
        const er = await runStreamSim({
          design: simDesign(enc),
          inputs: { s_axis: coded.flatMap((f) => fieldBeats(f, 4, 10)) },
          constInputs: { rows: H, flush: c.flush ? 1 : 0, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, ks[b]]])) },
          expect: Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`m_axis_${b}`, encWant[`m_axis_${b}`].length], [`ctx_${b}`, coded.length]])),
          seed: 11,
          backpressure: { inputGap: 0.1, outputStall: 0.2 },
        });
        const cutAfter = (w: WordBeat[], n: number) => {
          let seen = 0;
          const i = w.findIndex((x) => x.last && ++seen === n);
          return w.slice(0, i + 1);
        };
        const cw = Object.fromEntries(ENCODER_BANDS.map((b) => [b, cutAfter(words(er.outputs[`m_axis_${b}`]), fields.length)])) as Record<EncoderBand, WordBeat[]>;
        for (const b of ENCODER_BANDS) assert.equal(cw[b].filter((x) => x.last).length, fields.length, `${b}: one tlast word per field`);

        // 2. RTL decompressor alone: each codestream's groups = the golden decode of the RTL words = the quantized scans.
        const vlds = { 12: emitToTemp(buildCamVld({ coefBits: 12 }).module, 'camvld12'), 13: emitToTemp(buildCamVld({ coefBits: 13 }).module, 'camvld13') };
        for (const b of ENCODER_BANDS) {
          const bits = STAGE_WIDTH[bandStage(b)] as 12 | 13;
          const G = scans[b][0].length / 4;
          const want = camVldModel({ coefBits: bits, wordBits: 32 }, cw[b], G, ks[b], c.flush);
          assert.deepEqual(want.errs, [], b);
          assert.deepEqual(want.groups, scanToVld(scans[b]), `${b}: golden decode of the RTL words = the quantized scans`);
          if (c.flush) assert.deepEqual(decodeFrameFromWords(cw[b].map((x) => x.data), 32, { word: cw[b].findIndex((x) => x.last) + 1, offset: 0, k: ks[b] }, G, maxGroupBits(b)), scans[b][1], `${b}: golden decodeGroups of field 1`);
          const r = await runStreamSim({
            design: simDesign(vlds[bits]),
            inputs: { s_axis: cw[b] },
            constInputs: { k: ks[b], groups: G, flush: c.flush ? 1 : 0 },
            expect: { m_axis: want.groups.length },
            seed: 12,
            backpressure: { inputGap: 0.1, outputStall: 0.3 },
          });
          const got = r.outputs.m_axis.map((x) => ({ data: x.data, last: x.last, user: Boolean(x.user) }));
          assert.deepEqual(got.slice(0, want.groups.length), want.groups.map((x) => vldBeat(x, bits)), `${b}: RTL decoded coefficients`);
          // Continuous: groups of the next frame whose bits are already in the last word may follow.
          const next = scanToVld([scans[b][0]]).map((x) => vldBeat(x, bits));
          assert.deepEqual(got.slice(want.groups.length), c.flush ? [] : next.slice(0, got.length - want.groups.length));
          assert.equal(r.outputs.err.length, 0);
        }

        // 3. The composed RTL decoder: words -> field, against the golden dequantize + inverse DWT.
        const dr = await runStreamSim({
          design: simDesign(dec),
          inputs: Object.fromEntries(ENCODER_BANDS.map((b) => [`s_axis_${b}`, cw[b]])),
          constInputs: { width: W, rows: H, flush: c.flush ? 1 : 0, focus: c.focus, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`k_${b}`, ks[b]], [`inv_${b}`, invRegister(mults[b])]])) },
          expect: { m_axis: fields.length * (W / 4) * H },
          seed: 13,
          backpressure: { inputGap: 0.1, outputStall: 0.3 },
        });
        for (const x of ['err_idwt', 'err_dequant1', 'err_dequant2', ...ENCODER_BANDS.map((b) => `err_vld_${b}`)]) assert.equal(dr.outputs[x].length, 0, x);
        const got = dr.outputs.m_axis.flatMap((x) => unpackLanes(x.data, 4, 12, true));
        const golden = fields.map((_, i) => {
          const fb = emptyFieldBands(W, H);
          for (const b of BANDS) {
            const inv = invRegister(mults[b], isHighPass(b) ? c.focus : 16);
            fb.bands[b].set(scans[b as EncoderBand][i].map((v) => dequantize(v, inv, STAGE_WIDTH[bandStage(b)])));
          }
          return inverseDwt(fb);
        });
        assert.deepEqual(got, golden.flatMap((x) => [...x]), 'RTL decoded fields = golden dequantize + inverseDwt');
        // The whole mosaic as decode.ts decodes it (four fields, interleaved scans, clamped to 10 bits).
        mosaics.forEach((mos, j) => {
          const planes = [0, 1, 2, 3].map((f) => Int32Array.from(golden[4 * j + f], (v) => Math.min(1023, Math.max(0, v))));
          const merged = mergeFields({ width: W, height: H, planes: planes as [Int32Array, Int32Array, Int32Array, Int32Array] }, 'full');
          assert.deepEqual(merged.data, decodeMosaic(analyzeMosaic(mos, mults), mults, 'full', { focusGainQ4: c.focus }).data, `mosaic ${j} = decode.ts decodeMosaic`);
          if (c.q === 1) assert.deepEqual(merged.data, mos.data, `mosaic ${j}: lossless`);
        });
        if (c.q === 1) assert.deepEqual(got, fields.flatMap((f) => [...f.data]), 'q = 1: the RTL round trip returns the fields exactly');
        else assert.notDeepEqual(got, fields.flatMap((f) => [...f.data]), 'q = 48 is lossy');
        process.stderr.write(`      cam_decoder ${fields.length} fields ${W}x${H}, q=${c.q}: ${dr.cycles} cycles (encoder ${er.cycles})\n`);
      });
  });
});
