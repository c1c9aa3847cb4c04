// Whole-frame camera encoder (issue 7, docs/camera.md §14): real DAVIS val Bayer mosaics as 2x8
// tiles through the RTL frame encoder (four field encoders, per band cam_merge + cam_vlc) in
// Verilator; the seven codestreams' words = the golden codestream words of the mosaics (golden
// scans + group code), and at q = 1 the golden decoder returns the mosaics from the RTL words.
import assert from 'node:assert/strict';
import { mosaicFromImage, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseK, groupHistogram, maxGroupBits, MULT_ONE, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { decodeMosaic } from '../../model/camera/decode.ts';
import { BANDS, type BandName } from '../../model/camera/dwt.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { camVlcModel, decodeFrameFromWords, scanGroups, unpackCtx } from '../../generators/blocks/cam_vlc/model.ts';
import { ENCODER_BANDS } from '../../generators/designs/camera/encoder.ts';
import { buildCamFrameEncoder, FRAME_ENCODER_ERR_BITS, FRAME_TILE, frameLane } from '../../generators/designs/camera/frame_encoder.ts';
import { mosaicTiles } from '../../generators/designs/camera/frame-model.ts';
import { runStreamSim } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from '../blocks/rtl.ts';
import { davisCrop } from './helpers.ts';

const UNITY: BandParams = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;
const W = 128, H = 64;
/** Two consecutive DAVIS val frames, 128x64 Bayer mosaics (four 64x32 fields each). */
const mosaics: Mosaic[] = [0, 1].map((f) => mosaicFromImage(davisCrop('blackswan', f, W, H), 'full'));

describe('camera frame encoder', () => {
  it('tile lanes: field f\'s sample j sits at its Bayer position (R even/even, G1 even/odd, G2 odd/even, B odd/odd)', () => {
    assert.deepEqual([0, 1, 2, 3].map((f) => [0, 1, 2, 3].map((j) => frameLane(f, j))), [[0, 2, 4, 6], [1, 3, 5, 7], [8, 10, 12, 14], [9, 11, 13, 15]]);
  });
});

describe('camera frame encoder RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);
  const built = buildCamFrameEncoder({ maxWidth: 64, rowsBits: 7 });
  let emitted: ReturnType<typeof emitToTemp> | undefined;
  const design = () => (emitted ??= emitToTemp(built.module, 'camframeenc'));

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    assert.deepEqual(lintProblems(design()), []);
    assert.equal(built.flops, countFlops(built.module));
  });

  for (const c of [
    { q: 1, flush: true },
    { q: 48, flush: false },
  ])
    it(`two real mosaics -> seven codestreams = the golden codestream words (q = ${c.q}, ${c.flush ? 'flushed' : 'continuous'}, backpressure)`, async () => {
      const mults = c.q === 1 ? UNITY : multsForQuant(c.q);
      const scans = mosaics.map((mo) => analyzeMosaic(mo, mults).scans);
      const k = Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(scans[0][b]))]));
      const want = Object.fromEntries(ENCODER_BANDS.map((b) => [b, camVlcModel({ wordBits: 32 }, scans.flatMap((s) => scanGroups(s[b])), k[b], c.flush).words]));
      const r = await runStreamSim({
        design: simDesign(design()),
        inputs: { s_axis: mosaics.flatMap(mosaicTiles) },
        constInputs: { rows: H / 2, width: W / 2, flush: c.flush ? 1 : 0, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, k[b]]])) },
        expect: Object.fromEntries(ENCODER_BANDS.map((b) => [`m_axis_${b}`, want[b].length])),
        seed: 7 + c.q,
        backpressure: { inputGap: 0.1, outputStall: 0.3 },
      });
      process.stderr.write(`      frame encoder q=${c.q}: ${mosaics.length * (W / 16) * (H / 2)} input beats, ${r.cycles} cycles with backpressure\n`);
      const errs = r.outputs.err.map((x) => FRAME_ENCODER_ERR_BITS.filter((_, i) => (x.data >> BigInt(i)) & 1n));
      assert.deepEqual(errs, [], 'no err events');
      const dec: Record<BandName, Int32Array>[] = mosaics.map(() => ({}) as Record<BandName, Int32Array>);
      for (const b of ENCODER_BANDS) {
        const words = r.outputs[`m_axis_${b}`];
        assert.deepEqual(
          words.map((x) => ({ data: x.data, last: Boolean(x.last) })),
          want[b].map((x) => ({ data: x.data, last: Boolean(x.last) })),
          `${b}: RTL codestream = golden codestream words`,
        );
        const ctx = r.outputs[`ctx_${b}`].map((x) => unpackCtx(x.data, 32));
        assert.equal(ctx.length, mosaics.length, `${b}: one SOF context per frame`);
        // Without flush the last frame's final partial word stays in the coder (as in the model).
        ctx.forEach((cx, f) => {
          if (!c.flush && f === ctx.length - 1) return;
          dec[f][b] = decodeFrameFromWords(words.map((x) => x.data), 32, cx, scans[f][b].length / 4, maxGroupBits(b));
          assert.deepEqual(dec[f][b], scans[f][b], `${b} frame ${f}: decoded alone from its SOF context`);
        });
      }
      if (c.q === 1)
        mosaics.forEach((mo, f) => {
          const back = decodeMosaic({ fieldWidth: W / 2, fieldHeight: H / 2, scans: dec[f] }, UNITY, 'full');
          assert.deepEqual(back.data, mo.data, `frame ${f}: golden decode of the RTL codestreams = the mosaic (lossless)`);
        });
    });

  it('256-wide fields (a band row is more than the encoders\' internal slack): no deadlock, golden words (q = 16, flushed)', async () => {
    // With 2-entry field FIFOs instead of one band row this run hangs (the mergers wait for rows
    // that the stalled fork cannot finish).
    const mo = mosaicFromImage(davisCrop('kite-surf', 2, 512, 16), 'full');
    const mults = multsForQuant(16);
    const scans = analyzeMosaic(mo, mults).scans;
    const k = Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(scans[b]))]));
    const r = await runStreamSim({
      design: simDesign(emitToTemp(buildCamFrameEncoder({ maxWidth: 256, rowsBits: 5 }).module, 'camframeenc256')),
      inputs: { s_axis: mosaicTiles(mo) },
      constInputs: { rows: 8, width: 256, flush: 1, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, k[b]]])) },
      expect: Object.fromEntries(ENCODER_BANDS.map((b) => [`ctx_${b}`, 1])),
      seed: 5,
      backpressure: { inputGap: 0.1, outputStall: 0.2 },
    });
    assert.equal(r.outputs.err.length, 0, 'no err events');
    for (const b of ENCODER_BANDS)
      assert.deepEqual(
        r.outputs[`m_axis_${b}`].map((x) => x.data),
        camVlcModel({ wordBits: 32 }, scanGroups(scans[b]), k[b], true).words.map((x) => x.data),
        `${b}: RTL codestream = golden codestream words`,
      );
  });

  it('a frame one row pair short: dwt and merger err events, no hang, the mergers resynchronise on tuser and the next two frames are exact', async () => {
    // The short frame's fields never end (no tlast); cam_merge sees the next frame's tuser where it
    // expects the short frame's last rows, drops what is left of those and starts the next merged
    // frame there: three SOF contexts, the second and third frame decode exactly.
    const mults = multsForQuant(48);
    const scans = mosaics.map((mo) => analyzeMosaic(mo, mults).scans);
    const short = mosaicTiles(mosaics[0]).slice(0, -W / FRAME_TILE.cols);
    const r = await runStreamSim({
      design: simDesign(design()),
      inputs: { s_axis: [...short, ...mosaicTiles(mosaics[1]), ...mosaicTiles(mosaics[0])] },
      constInputs: { rows: H / 2, width: W / 2, flush: 1, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, 0]])) },
      expect: Object.fromEntries(ENCODER_BANDS.map((b) => [`ctx_${b}`, 3])),
      seed: 3,
      backpressure: { inputGap: 0.1, outputStall: 0.2 },
    });
    const named = new Set(r.outputs.err.flatMap((x) => FRAME_ENCODER_ERR_BITS.filter((_, i) => (x.data >> BigInt(i)) & 1n)));
    for (const f of ['R', 'G1', 'G2', 'B']) assert.ok(named.has(`${f}.dwt.s1_sof`), `${f}: dwt s1_sof event (${[...named].join(' ')})`);
    for (const b of ENCODER_BANDS) {
      assert.ok(named.has(`${b}.merge.user`), `${b}: merger tuser event`);
      const words = r.outputs[`m_axis_${b}`].map((x) => x.data);
      const ctx = r.outputs[`ctx_${b}`].map((x) => unpackCtx(x.data, 32));
      assert.equal(ctx.length, 3, `${b}: three merged frames`);
      [1, 2].forEach((f) => assert.deepEqual(decodeFrameFromWords(words, 32, ctx[f], scans[f % 2][b].length / 4, maxGroupBits(b)), scans[f % 2][b], `${b}: frame ${f}`));
    }
  });
});
