// Four-field row merger (issue 7, docs/camera.md §3): the full camera's codestream of a band holds
// the four colour fields' rows interleaved (R, G1, G2, B per band row). The check: four fields of
// real DAVIS val mosaics through the RTL field encoder (cam_encoder, vlc = false: group streams),
// each band's four group streams through cam_merge + one cam_vlc (camera/field_merge.ts) in
// Verilator = the golden codestream words of the mosaic (analyzeMosaic scans, golden group code).
import assert from 'node:assert/strict';
import { mosaicFromImage, splitFields, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseK, groupHistogram, MULT_ONE, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { BANDS, bandSize, bandStage, STAGE_WIDTH } from '../../model/camera/dwt.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildCamMerge, CAM_MERGE_ERR_BITS } from '../../generators/blocks/cam_merge/index.ts';
import { camMergeModel } from '../../generators/blocks/cam_merge/model.ts';
import { camVlcModel, scanGroups, type GroupBeat } from '../../generators/blocks/cam_vlc/model.ts';
import { fieldBeats } from '../../generators/designs/camera/dwt2d-model.ts';
import { buildCamEncoder, ENCODER_BANDS } from '../../generators/designs/camera/encoder.ts';
import { fieldBandScans, type EncoderBand } from '../../generators/designs/camera/encoder-model.ts';
import { buildCamFieldMerge } from '../../generators/designs/camera/field_merge.ts';
import { runStreamSim, type Beat } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from '../blocks/rtl.ts';
import { davisCrop } from './helpers.ts';

const UNITY: BandParams = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;

/** Two 128x64 mosaics of DAVIS val frames (real content); four 64x32 fields each. */
const mosaics: Mosaic[] = [mosaicFromImage(davisCrop('blackswan', 0, 128, 64), 'full'), mosaicFromImage(davisCrop('kite-surf', 3, 128, 64, 200, 120), 'full')];
const fieldsOf = (m: Mosaic) => {
  const f = splitFields(m);
  return f.planes.map((data) => ({ width: f.width, height: f.height, data }));
};

const beat = (g: GroupBeat, bits: number) => ({ data: packLanes(g.values, bits), last: g.last, user: g.user });
const toGroups = (beats: readonly Beat[], bits: number): GroupBeat[] =>
  beats.map((x) => ({ values: unpackLanes(x.data, 4, bits, true), last: Boolean(x.last), user: Boolean(x.user) }));

/** Split a frame-framed group stream into frames (tlast ends one). */
function frames(g: GroupBeat[]): GroupBeat[][] {
  const out: GroupBeat[][] = [[]];
  for (const x of g) {
    out[out.length - 1].push(x);
    if (x.last) out.push([]);
  }
  return out.slice(0, -1);
}

describe('camera four-field row merger', () => {
  it('model: the four fields\' band groups merged by rows = the codestream scan (analyzeMosaic)', () => {
    for (const b of ENCODER_BANDS) {
      const fields = fieldsOf(mosaics[0]);
      const per = fields.map((f) => scanGroups(fieldBandScans([f], b, multsForQuant(48)[b])[0]));
      const r = camMergeModel(per, bandSize(b, 64, 32).width / 4);
      assert.deepEqual(r.errs, []);
      assert.deepEqual(r.groups, scanGroups(analyzeMosaic(mosaics[0], multsForQuant(48)).scans[b]), b);
    }
  });
});

describe('camera four-field row merger RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    for (const b of [buildCamMerge({ coefBits: 12, rowGroupsBits: 4 }), buildCamMerge(), buildCamFieldMerge({ coefBits: 12 }), buildCamEncoder({ maxWidth: 64, rowsBits: 7, vlc: false })]) {
      const e = emitToTemp(b.module, 'mergelint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
  });

  it('cam_merge: a truncated frame, a short row and a misplaced tuser are flagged and resynchronise on tuser; the frames after are exact, as the model says (backpressure)', async () => {
    const e = emitToTemp(buildCamMerge({ coefBits: 13, rowGroupsBits: 4 }).module, 'cammerge');
    const fields = fieldsOf(mosaics[1]);
    const frame = fields.map((f) => scanGroups(fieldBandScans([f], 'LH2', multsForQuant(48).LH2)[0])); // 32 groups = 8 rows of 4 per field
    // Frame 0: every field cut after 5 of its 8 rows (no tlast: a truncated mosaic). Frame 1: clean.
    // Frame 2: field 1 loses a group (its rows slip, its frame ends short). Frame 3: field 2 has a
    // tuser inside a row (the fields then disagree on the frame: all drop to the next one). Frame 4: clean.
    const per = frame.map((g, i) => [...g.slice(0, 20), ...g, ...(i === 1 ? [...g.slice(0, 11), ...g.slice(12)] : g), ...g.map((x, j) => (i === 2 && j === 13 ? { ...x, user: true } : x)), ...g]);
    const want = camMergeModel(per, 4);
    assert.deepEqual(want.errs, [['user'], ['short'], ['user']]);
    const clean = camMergeModel(frame, 4).groups;
    assert.equal(clean.length, 128);
    assert.deepEqual(want.groups.slice(0, 80), clean.slice(0, 80), 'the truncated frame\'s five rows pass');
    assert.deepEqual(want.groups.slice(80, 80 + 128), clean, 'tuser resynchronises after the truncated frame: the next frame is exact');
    assert.deepEqual(want.groups.slice(-128), clean, 'and after the misplaced tuser: the last frame is exact');
    for (const [seed, bp] of [[1, {}], [2, { inputGap: 0.3, outputStall: 0.4 }]] as const) {
      const r = await runStreamSim({
        design: simDesign(e),
        inputs: Object.fromEntries(per.map((g, i) => [`s_axis_${i}`, g.map((x) => beat(x, 13))])),
        constInputs: { row_groups: 4 },
        expect: { m_axis: want.groups.length },
        seed,
        backpressure: bp,
      });
      assert.deepEqual(toGroups(r.outputs.m_axis, 13), want.groups, `seed ${seed}`);
      assert.deepEqual(r.outputs.err.map((x) => CAM_MERGE_ERR_BITS.filter((_, i) => (x.data >> BigInt(i)) & 1n)), want.errs);
    }
  });

  for (const c of [
    { q: 1, flush: true },
    { q: 48, flush: false },
  ])
    it(`four RTL field encoders' group streams, merged and coded, = the golden codestream words of two real mosaics (q = ${c.q}, ${c.flush ? 'flushed' : 'continuous'})`, async () => {
      const mults = c.q === 1 ? UNITY : multsForQuant(c.q);
      const fields = mosaics.flatMap(fieldsOf); // R G1 G2 B of mosaic 0, then of mosaic 1
      const { width: W, height: H } = fields[0];
      // 1. The field encoder (one RTL instance, fields one after the other) -> group streams per band.
      const enc = emitToTemp(buildCamEncoder({ maxWidth: 64, rowsBits: 7, vlc: false }).module, 'camencg');
      const groupsOf = (b: EncoderBand) => fields.length * (bandSize(b, W, H).width * bandSize(b, W, H).height) / 4;
      const er = await runStreamSim({
        design: simDesign(enc),
        inputs: { s_axis: fields.flatMap((f) => fieldBeats(f, 4, 10)) },
        constInputs: { rows: H, ...Object.fromEntries(ENCODER_BANDS.map((b) => [`mult_${b}`, mults[b]])) },
        expect: Object.fromEntries(ENCODER_BANDS.map((b) => [`m_axis_${b}`, groupsOf(b)])),
        seed: 21,
        backpressure: { inputGap: 0.1, outputStall: 0.2 },
      });
      const merges = { 12: emitToTemp(buildCamFieldMerge({ coefBits: 12 }).module, 'fieldmerge12'), 13: emitToTemp(buildCamFieldMerge({ coefBits: 13 }).module, 'fieldmerge13') };
      for (const b of ENCODER_BANDS) {
        const bits = STAGE_WIDTH[bandStage(b)] as 12 | 13;
        const fr = frames(toGroups(er.outputs[`m_axis_${b}`], bits));
        assert.equal(fr.length, fields.length, `${b}: one frame per field`);
        assert.deepEqual(fr.flat(), fields.flatMap((f) => scanGroups(fieldBandScans([f], b, mults[b])[0])), `${b}: RTL field groups = quantized field scans`);
        // 2. Field i's stream = its frames of both mosaics; merged + coded by the RTL.
        const per = [0, 1, 2, 3].map((i) => [...fr[i], ...fr[4 + i]]);
        const golden = mosaics.flatMap((mo) => scanGroups(analyzeMosaic(mo, mults).scans[b]));
        const k = chooseK(groupHistogram(analyzeMosaic(mosaics[0], mults).scans[b]));
        const want = camVlcModel({ wordBits: 32 }, golden, k, c.flush).words;
        const r = await runStreamSim({
          design: simDesign(merges[bits]),
          inputs: Object.fromEntries(per.map((g, i) => [`s_axis_${i}`, g.map((x) => beat(x, bits))])),
          constInputs: { row_groups: bandSize(b, W, H).width / 4, k, flush: c.flush ? 1 : 0 },
          expect: { m_axis: want.length },
          seed: 22,
          backpressure: { inputGap: 0.2, outputStall: 0.3 },
        });
        assert.deepEqual(
          r.outputs.m_axis.map((x) => ({ data: x.data, last: Boolean(x.last) })),
          want.map((x) => ({ data: x.data, last: Boolean(x.last) })),
          `${b}: merged RTL codestream = golden codestream words`,
        );
        assert.equal(r.outputs.err_merge.length + r.outputs.err_vlc.length, 0, `${b}: no err`);
        assert.equal(r.outputs.ctx.length, mosaics.length, `${b}: one SOF context per mosaic`);
      }
    });
});
