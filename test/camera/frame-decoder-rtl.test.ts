// Whole-frame camera decoder (issue 7, docs/camera.md §15), the inverse of the frame encoder: the
// seven codestreams of real DAVIS val mosaics (RTL frame encoder words) through the RTL frame
// decoder in Verilator (per band cam_vld -> cam_split distributor -> four field decoders -> join)
// give the golden decode (model/camera/decode.ts decodeMosaic) as 2x8 tiles bit for bit, and at
// q = 1 the mosaics themselves. The distributor alone against its model; bad codestreams raise
// err, frames stay whole, nothing hangs.
import assert from 'node:assert/strict';
import { mosaicFromImage, splitFields, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseK, groupHistogram, invRegister, MULT_ONE, multsForQuant, type BandParams, type FrameScans } from '../../model/camera/codec.ts';
import { decodeMosaic } from '../../model/camera/decode.ts';
import { BANDS, bandSize, bandStage, STAGE_WIDTH, type BandName } from '../../model/camera/dwt.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import { buildCamSplit, CAM_SPLIT_ERR_BITS } from '../../generators/blocks/cam_split/index.ts';
import { camSplitModel } from '../../generators/blocks/cam_split/model.ts';
import { camVlcModel, scanGroups, type GroupBeat } from '../../generators/blocks/cam_vlc/model.ts';
import { camVldModel, type WordBeat } from '../../generators/blocks/cam_vld/model.ts';
import { buildCamDecoder } from '../../generators/designs/camera/decoder.ts';
import { ENCODER_BANDS } from '../../generators/designs/camera/encoder.ts';
import { fieldBandScans } from '../../generators/designs/camera/encoder-model.ts';
import { buildCamFrameDecoder, FRAME_DECODER_ERR_BITS } from '../../generators/designs/camera/frame_decoder.ts';
import { buildCamFrameEncoder } from '../../generators/designs/camera/frame_encoder.ts';
import { mosaicTiles, type TileBeat } from '../../generators/designs/camera/frame-model.ts';
import { assertSimCompare, runStreamSim, type Beat } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from '../blocks/rtl.ts';
import { davisCrop } from './helpers.ts';

const UNITY: BandParams = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;
const W = 128, H = 64;
/** Two consecutive DAVIS val frames, 128x64 Bayer mosaics (four 64x32 fields each). */
const mosaics: Mosaic[] = [0, 1].map((f) => mosaicFromImage(davisCrop('blackswan', f, W, H), 'full'));

const kOf = (scans: FrameScans['scans']) => Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(scans[b]))])) as Record<BandName, number>;
const tiles = (beats: readonly Beat[]): TileBeat[] => beats.map((x) => ({ data: x.data as bigint, last: Boolean(x.last), user: Boolean(x.user) }));
const errNames = (beats: readonly Beat[]) => beats.map((x) => FRAME_DECODER_ERR_BITS.filter((_, i) => (BigInt(x.data) >> BigInt(i)) & 1n));
/** The frame decoder's constant inputs for field size fw x fh. */
const decInputs = (fw: number, fh: number, flush: boolean, focus: number, mults: BandParams, k: Record<BandName, number>) => ({
  width: fw,
  rows: fh,
  flush: flush ? 1 : 0,
  focus,
  ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`k_${b}`, k[b]], [`inv_${b}`, invRegister(mults[b])]])),
});

describe('camera frame decoder models', () => {
  it('cam_split model: each band\'s codestream scan split by rows = the four fields\' band scans in raster order', () => {
    const mults = multsForQuant(48);
    const scans = analyzeMosaic(mosaics[0], mults).scans;
    const f = splitFields(mosaics[0]);
    const fields = f.planes.map((data) => ({ width: f.width, height: f.height, data }));
    for (const b of ENCODER_BANDS) {
      const s = bandSize(b, f.width, f.height);
      const r = camSplitModel(scanGroups(scans[b]), s.width / 4, s.height);
      assert.deepEqual(r.errs, [], b);
      assert.deepEqual(r.fields, fields.map((x) => scanGroups(fieldBandScans([x], b, mults[b])[0])), b);
    }
    assert.throws(() => camSplitModel([], 0, 4), /rowGroups = 0/);
  });
});

describe('camera frame decoder RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);
  // One build serves 64- and 256-wide fields (width and rows are inputs); its distributors hold
  // one 256-wide band row per field.
  const built = buildCamFrameDecoder({ maxWidth: 256, rowsBits: 7 });
  let emitted: ReturnType<typeof emitToTemp> | undefined;
  const design = () => (emitted ??= emitToTemp(built.module, 'camframedec'));

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    for (const b of [buildCamSplit({ coefBits: 12, rowGroupsBits: 4, rowsBits: 5 }), buildCamSplit({ coefBits: 13, depth: 5 }), buildCamDecoder({ maxWidth: 64, rowsBits: 7, vld: false }), built]) {
      const e = b === built ? design() : emitToTemp(b.module, 'framedeclint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
    assert.throws(() => buildCamFrameDecoder({ maxWidth: 200 }), /maxWidth = 200 must be a multiple of 16/);
    assert.throws(() => buildCamSplit({ depth: 1 }), /depth = 1/);
  });

  it('cam_split: a tuser inside a frame, an early tlast and a missing tlast are flagged and resynchronise, as the model says (backpressure)', async () => {
    // LH2 of a real 128x64 mosaic: 16x8 per field, 4 groups per row, 8 rows.
    const g = scanGroups(analyzeMosaic(mosaics[1], multsForQuant(48)).scans.LH2);
    const cut = g.slice(0, 50).map((x, i) => ({ ...x, last: i === 49 })); // ends early with tlast
    const open = g.slice(0, 70).map((x) => ({ ...x, last: false })); // ends without tlast: the next tuser resyncs
    const noLast = g.map((x) => ({ ...x, last: false })); // whole frame, tlast missing
    const seq: GroupBeat[] = [...g, ...cut, ...open, ...noLast, ...g];
    const want = camSplitModel(seq, 4, 8);
    assert.deepEqual(want.errs, [['last'], ['user'], ['last']]);
    assert.deepEqual(want.fields.map((f) => f.slice(-32)), camSplitModel(g, 4, 8).fields, 'the last frame is exact');
    const beat = (x: GroupBeat) => ({ data: packLanes(x.values, 13), last: x.last, user: x.user });
    await assertSimCompare({
      design: simDesign(emitToTemp(buildCamSplit({ coefBits: 13, rowGroupsBits: 3, rowsBits: 4, depth: 3 }).module, 'camsplit')),
      inputs: { s_axis: seq.map(beat) },
      constInputs: { row_groups: 4, rows: 8 },
      model: () => ({
        ...Object.fromEntries(want.fields.map((f, i) => [`m_axis_${i}`, f.map(beat)])),
        err: want.errs.map((e) => ({ data: BigInt(CAM_SPLIT_ERR_BITS.reduce((a, n, i) => a | (e.includes(n) ? 1 << i : 0), 0)) })),
      }),
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }],
    });
  });

  for (const c of [
    { q: 1, flush: false, focus: 16 },
    { q: 48, flush: true, focus: 24 },
  ])
    it(`RTL frame encoder -> RTL frame decoder, two real mosaics: = golden decodeMosaic (q = ${c.q}, ${c.flush ? 'flushed' : 'continuous'}, focus ${c.focus / 16}x, backpressure)${c.q === 1 ? ', lossless' : ''}`, async () => {
      const mults = c.q === 1 ? UNITY : multsForQuant(c.q);
      const scans = mosaics.map((mo) => analyzeMosaic(mo, mults));
      const k = kOf(scans[0].scans);
      // 1. The RTL frame encoder (the build of frame-encoder-rtl.test.ts). A continuous codestream
      // leaves a frame's last word only when the next frame's bits fill it: code frame 0 once more
      // and cut each codestream after the second frame's tlast word.
      const coded = c.flush ? mosaics : [...mosaics, mosaics[0]];
      const er = await runStreamSim({
        design: simDesign(emitToTemp(buildCamFrameEncoder({ maxWidth: 64, rowsBits: 7 }).module, 'camframeenc')),
        inputs: { s_axis: coded.flatMap(mosaicTiles) },
        constInputs: { rows: H / 2, width: W / 2, flush: c.flush ? 1 : 0, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, k[b]]])) },
        expect: Object.fromEntries(ENCODER_BANDS.map((b) => [`ctx_${b}`, coded.length])),
        seed: 21,
      });
      const words: Record<string, WordBeat[]> = {};
      for (const b of ENCODER_BANDS) {
        const w = er.outputs[`m_axis_${b}`].map((x) => ({ data: x.data as bigint, last: Boolean(x.last) }));
        let seen = 0;
        words[b] = w.slice(0, w.findIndex((x) => x.last && ++seen === mosaics.length) + 1);
      }
      // 2. The RTL frame decoder.
      const beats = (W / 8) * (H / 2); // 2x8 tiles
      const r = await runStreamSim({
        design: simDesign(design()),
        inputs: Object.fromEntries(ENCODER_BANDS.map((b) => [`s_axis_${b}`, words[b]])),
        constInputs: decInputs(W / 2, H / 2, c.flush, c.focus, mults, k),
        expect: { m_axis: mosaics.length * beats },
        seed: 22 + c.q,
        backpressure: { inputGap: 0.1, outputStall: 0.3 },
      });
      assert.deepEqual(errNames(r.outputs.err), [], 'no err events');
      const got = tiles(r.outputs.m_axis);
      scans.forEach((s, f) => {
        const golden = decodeMosaic(s, mults, 'full', { focusGainQ4: c.focus });
        assert.deepEqual(got.slice(f * beats, (f + 1) * beats), mosaicTiles(golden), `frame ${f}: RTL = golden decodeMosaic`);
        if (c.q === 1) assert.deepEqual(golden.data, mosaics[f].data, `frame ${f}: lossless`);
      });
      process.stderr.write(`      frame decoder q=${c.q}: ${mosaics.length * beats} tiles in ${r.cycles} cycles with backpressure (encoder ${er.cycles})\n`);
    });

  it('256-wide fields (a band row per field in each distributor FIFO): no deadlock, = golden decodeMosaic (q = 16, flushed, backpressure)', async () => {
    const mo = mosaicFromImage(davisCrop('kite-surf', 2, 512, 16), 'full');
    const mults = multsForQuant(16);
    const s = analyzeMosaic(mo, mults);
    const k = kOf(s.scans);
    const r = await runStreamSim({
      design: simDesign(design()),
      inputs: Object.fromEntries(ENCODER_BANDS.map((b) => [`s_axis_${b}`, camVlcModel({ wordBits: 32 }, scanGroups(s.scans[b]), k[b], true).words])),
      constInputs: decInputs(256, 8, true, 16, mults, k),
      expect: { m_axis: (512 / 8) * 8 },
      seed: 5,
      backpressure: { inputGap: 0.1, outputStall: 0.2 },
    });
    assert.deepEqual(errNames(r.outputs.err), [], 'no err events');
    assert.deepEqual(tiles(r.outputs.m_axis), mosaicTiles(decodeMosaic(s, mults, 'full')), 'RTL = golden decodeMosaic');
  });

  it('a truncated HL1 codestream and an impossible LL2 code: err flags, frames stay whole (zero-filled groups), the next frame is exact', async () => {
    const mults = multsForQuant(48);
    const scans = mosaics.map((mo) => analyzeMosaic(mo, mults));
    const k = kOf(scans[0].scans);
    const words: Record<string, WordBeat[]> = {};
    for (const b of ENCODER_BANDS) {
      const frames = scans.map((s, f) => {
        const g = scanGroups(s.scans[b]);
        if (b === 'LL2' && f === 0) g[3] = { ...g[3], values: [0, 4096, 0, 0] }; // n = 13 > 12: impossible in a 13-bit band
        return camVlcModel({ wordBits: 32 }, g, k[b], true).words;
      });
      if (b === 'HL1') {
        frames[0] = frames[0].slice(0, -3); // frame 0 loses its last three words
        frames[0][frames[0].length - 1] = { ...frames[0][frames[0].length - 1], last: true };
      }
      words[b] = frames.flat();
    }
    // Golden: what the group decoder (reference) makes of each codestream, then the golden decode.
    const fw = W / 2, fh = H / 2;
    const got = ENCODER_BANDS.map((b) => camVldModel({ coefBits: STAGE_WIDTH[bandStage(b)], wordBits: 32 }, words[b], scans[0].scans[b].length / 4, k[b], true));
    const want = mosaics.map((_, f) => {
      const sc = Object.fromEntries(ENCODER_BANDS.map((b, i) => {
        const G = scans[0].scans[b].length / 4;
        return [b, Int32Array.from(got[i].groups.slice(f * G, (f + 1) * G).flatMap((x) => x.values))];
      })) as FrameScans['scans'];
      return decodeMosaic({ fieldWidth: fw, fieldHeight: fh, scans: sc }, mults, 'full');
    });
    assert.deepEqual(got.map((x) => x.errs), ENCODER_BANDS.map((b) => (b === 'HL1' ? ['trunc'] : b === 'LL2' ? ['code'] : [])));
    assert.notDeepEqual(want[0].data, decodeMosaic(scans[0], mults, 'full').data, 'frame 0 is damaged');
    assert.deepEqual(want[1].data, decodeMosaic(scans[1], mults, 'full').data, 'frame 1 decodes exactly');
    const beats = (W / 8) * fh;
    const r = await runStreamSim({
      design: simDesign(design()),
      inputs: Object.fromEntries(ENCODER_BANDS.map((b) => [`s_axis_${b}`, words[b]])),
      constInputs: decInputs(fw, fh, true, 16, mults, k),
      expect: { m_axis: 2 * beats },
      seed: 9,
      backpressure: { inputGap: 0.2, outputStall: 0.3 },
    });
    const named = errNames(r.outputs.err).flat();
    assert.deepEqual([...new Set(named)].sort(), ['HL1.vld.trunc', 'LL2.vld.code']);
    assert.deepEqual(tiles(r.outputs.m_axis), [...mosaicTiles(want[0]), ...mosaicTiles(want[1])], 'RTL = golden decode of what the group decoder reads');
  });
});
