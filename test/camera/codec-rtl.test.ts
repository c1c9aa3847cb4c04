// Camera encoder RTL (issue 7 item 3): the per-subband quantizer (cam_quant) and the
// group-of-four variable-length encoder (cam_vlc), bit-exact in Verilator against the golden
// codec (model/camera/codec.ts quantize / encodeGroup) on real Bayer fields of DAVIS val frames,
// under random backpressure; the RTL's codestream decodes with the golden decoder, and with all
// quantizers at 1 the mosaic comes back exactly.
import assert from 'node:assert/strict';
import { mosaicFromImage, splitFields, type Mosaic } from '../../model/camera/bayer.ts';
import { BitWriter } from '../../model/camera/bits.ts';
import { analyzeFrame, chooseK, emptyFieldBands, encodeGroups, groupHistogram, maxGroupBits, MULT_ONE, multsForQuant, type BandParams, type FrameScans } from '../../model/camera/codec.ts';
import { decodeMosaic } from '../../model/camera/decode.ts';
import { BANDS, bandSize, forwardDwt, inverseDwt, type BandName, type FieldBands } from '../../model/camera/dwt.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { bitsToDiscard, readSof, readStreamInfo, StreamEncoder } from '../../model/camera/stream.ts';
import { readImage } from '../../model/io/image-file.ts';
import { unpackLanes } from '../../generators/blocks/bits.ts';
import { buildCamQuant } from '../../generators/blocks/cam_quant/index.ts';
import { camQuantErrModel, camQuantModel } from '../../generators/blocks/cam_quant/model.ts';
import { buildCamVlc, CAM_VLC_ERR_BITS } from '../../generators/blocks/cam_vlc/index.ts';
import { camVlcModel, decodeFrameFromWords, groupData, packCtx, scanGroups, unpackCtx, type GroupBeat } from '../../generators/blocks/cam_vlc/model.ts';
import { buildCamGroup } from '../../generators/blocks/cam_group/index.ts';
import { camGroupModel, type BandBeat } from '../../generators/blocks/cam_group/model.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import { dwt2dGeometry } from '../../generators/designs/camera/dwt2d.ts';
import { dwt2dModel, fieldBeats } from '../../generators/designs/camera/dwt2d-model.ts';
import { buildCamEncoder, ENCODER_BANDS } from '../../generators/designs/camera/encoder.ts';
import { camEncoderModel, fieldBandScans, type EncoderBand } from '../../generators/designs/camera/encoder-model.ts';
import { assertSimCompare, runStreamSim, type Backpressure } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from '../blocks/rtl.ts';
import { DAVIS_VAL, davisCrop } from './helpers.ts';

const VARIANTS: { seed: number; backpressure?: Backpressure }[] = [
  { seed: 1 },
  { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } },
  { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } },
];

const davisMosaic = (seq: string, frame: number): Mosaic => mosaicFromImage(readImage(`${DAVIS_VAL}/${seq}/${String(frame).padStart(5, '0')}.jpg`), 'full');

function fieldBandsOf(m: Mosaic): FieldBands[] {
  const f = splitFields(m);
  return f.planes.map((p) => forwardDwt(p, f.width, f.height));
}

const UNITY: BandParams = Object.fromEntries(BANDS.map((b) => [b, MULT_ONE])) as BandParams;
const S1: BandName[] = ['HL1', 'LH1', 'HH1'];
const S2: BandName[] = ['LL2', 'HL2', 'LH2', 'HH2'];

/**
 * The quantized scan of band b rebuilt from per-field quantizer output beats (dwt2d lane layout:
 * bands side by side, `cols` columns each): for each band row, for R, G1, G2, B, the row.
 */
function scanFromBeats(perField: bigint[][], bands: BandName[], b: BandName, cols: number, bits: number, fw: number, fh: number): Int32Array {
  const { width, height } = bandSize(b, fw, fh);
  const bi = bands.indexOf(b);
  const planes = perField.map((beats) => beats.flatMap((d) => unpackLanes(d, bands.length * cols, bits, true).slice(bi * cols, bi * cols + cols)));
  const out = new Int32Array(4 * width * height);
  let i = 0;
  for (let y = 0; y < height; y++) for (let f = 0; f < 4; f++) for (let x = 0; x < width; x++) out[i++] = planes[f][y * width + x];
  return out;
}

describe('camera codec RTL models', () => {
  it('cam_vlc model = the golden continuous codestream; its SOF context = StreamEncoder bits to discard', () => {
    const a = analyzeMosaic(mosaicFromImage(davisCrop('blackswan', 0, 128, 64), 'full'), multsForQuant(8));
    const b = analyzeMosaic(mosaicFromImage(davisCrop('car-shadow', 3, 128, 64), 'full'), multsForQuant(8));
    const k = chooseK(groupHistogram(a.scans.HL1));
    const groups = [...scanGroups(a.scans.HL1), ...scanGroups(b.scans.HL1)];
    const w = new BitWriter();
    encodeGroups(w, a.scans.HL1, 0, a.scans.HL1.length / 4, k);
    encodeGroups(w, b.scans.HL1, 0, b.scans.HL1.length / 4, k);
    const m = camVlcModel({ wordBits: 32 }, groups, k, false);
    assert.equal(m.bits, w.bits);
    assert.deepEqual(Buffer.from(m.words.map((x) => x.data.toString(16).padStart(8, '0')).join(''), 'hex'), Buffer.from(w.bytes().subarray(0, 4 * m.words.length)));
    // StreamEncoder with no pipeline latency and one-word bursts: bits to discard at frame 1's SOF
    // are the coded bits mod 128, i.e. the model's word/offset context seen with 128-bit words.
    const ks = Object.fromEntries(BANDS.map((x) => [x, k])) as BandParams;
    const se = new StreamEncoder({ mode: 'full', width: 128, height: 64, mults: multsForQuant(8), latencyGroups: Object.fromEntries(BANDS.map((x) => [x, 0])) as BandParams, burstWords: 1 });
    se.addFrame(a, ks);
    se.addFrame(b, ks);
    const bytes = se.finish();
    const sof1 = readSof(bytes, 1, readStreamInfo(bytes), 't').ctx.HL1;
    const c1 = m.ctx[1];
    assert.equal((c1.word * 32 + c1.offset) % 128, bitsToDiscard(sof1));
    assert.ok(c1.offset > 0, 'frame 1 does not start on a word boundary (the context matters)');
  });

  it('quantizer beats of the four fields, put in codestream order, are the golden scans (q = 1 and q = 48)', () => {
    const fb = fieldBandsOf(mosaicFromImage(davisCrop('kite-surf', 1, 256, 128), 'full'));
    const fw = fb[0].width, fh = fb[0].height;
    for (const q of [1, 48]) {
      const mults = q === 1 ? UNITY : multsForQuant(q);
      const gold = analyzeFrame(fb, mults);
      const g = dwt2dGeometry(4);
      const fields = [0, 1, 2, 3].map((f) => ({ width: fw, height: fh, data: splitFields(mosaicFromImage(davisCrop('kite-surf', 1, 256, 128), 'full')).planes[f] }));
      const d = fields.map((f) => dwt2dModel(4, 12, 13, [f]));
      const q1 = d.map((x) => camQuantModel({ bands: 3, cols: g.q1, coefBits: 12 }, S1.map((b) => mults[b]), x.m_axis_s1).map((y) => y.data));
      const q2 = d.map((x) => camQuantModel({ bands: 4, cols: g.q2, coefBits: 13 }, S2.map((b) => mults[b]), x.m_axis_s2).map((y) => y.data));
      for (const b of S1) assert.deepEqual(scanFromBeats(q1, S1, b, g.q1, 12, fw, fh), gold.scans[b], `q=${q} ${b}`);
      for (const b of S2) assert.deepEqual(scanFromBeats(q2, S2, b, g.q2, 13, fw, fh), gold.scans[b], `q=${q} ${b}`);
    }
  });
});

describe('camera codec RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    const mods = [
      buildCamQuant({ bands: 3, cols: 2, coefBits: 12 }),
      buildCamQuant({ bands: 4, cols: 1, coefBits: 13 }),
      buildCamQuant({ bands: 1, cols: 1, coefBits: 8, fifoDepth: 5 }),
      buildCamVlc({ coefBits: 12 }),
      buildCamVlc({ coefBits: 13, wordBits: 64 }),
      buildCamVlc({ coefBits: 15, wordBits: 128, codeDepth: 6, outDepth: 3 }),
      buildCamGroup({ lanes: 1, coefBits: 13 }),
      buildCamGroup({ lanes: 2, coefBits: 12 }),
      buildCamGroup({ lanes: 4, coefBits: 12, rowsBits: 3 }),
    ];
    for (const b of mods) {
      const e = emitToTemp(b.module, 'codeclint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
    assert.throws(() => buildCamVlc({ coefBits: 16 }), /coefBits = 16/);
    assert.throws(() => buildCamVlc({ wordBits: 48 as 32 }), /wordBits/);
  });

  describe('cam_quant on the real dwt2d streams of a DAVIS val field (416x240, P = 4)', () => {
    const g = dwt2dGeometry(4);
    const m = davisMosaic('blackswan', 0);
    const field = { width: m.width / 2, height: m.height / 2, data: splitFields(m).planes[0] };
    const d = dwt2dModel(4, 12, 13, [field]);
    const cases = [
      { name: 'stage 1 {HL1, LH1, HH1} x 2 columns, 12-bit', bands: S1, cols: g.q1, bits: 12, beats: d.m_axis_s1 },
      { name: 'stage 2 {LL2, HL2, LH2, HH2} x 1 column, 13-bit', bands: S2, cols: g.q2, bits: 13, beats: d.m_axis_s2 },
    ];
    for (const c of cases)
      it(`${c.name}: bit-exact at q = 1 (lossless) and q = 48 under backpressure`, async () => {
        const e = emitToTemp(buildCamQuant({ bands: c.bands.length, cols: c.cols, coefBits: c.bits }).module, 'camq');
        const ins = c.beats.map((b) => ({ data: b.data, last: b.last, user: b.user }));
        for (const q of [1, 48]) {
          const mults = c.bands.map((b) => (q === 1 ? MULT_ONE : multsForQuant(q)[b]));
          const want = camQuantModel({ bands: c.bands.length, cols: c.cols, coefBits: c.bits }, mults, ins);
          if (q === 1) assert.deepEqual(want.map((b) => b.data), ins.map((b) => b.data), 'q = 1 is the identity');
          else assert.ok(want.some((b, i) => b.data !== ins[i].data), 'q = 48 changes coefficients');
          await assertSimCompare({
            design: simDesign(e),
            inputs: { s_axis: ins },
            constInputs: Object.fromEntries(mults.map((x, i) => [`mult_${i}`, x])),
            model: () => ({ m_axis: want, err: [] }),
            variants: q === 1 ? VARIANTS.slice(0, 2) : VARIANTS,
          });
        }
      });

    it('an out-of-range multiplier raises err (band mask) at each frame start and is clamped', async () => {
      const e = emitToTemp(buildCamQuant({ bands: 4, cols: 1, coefBits: 13 }).module, 'camq');
      const ins = [...d.m_axis_s2, ...d.m_axis_s2].map((b) => ({ data: b.data, last: b.last, user: b.user }));
      const mults = [300, 255, 70000, 65536];
      const errs = camQuantErrModel(mults, ins);
      assert.deepEqual(errs.map((x) => x.data), [0b0110n, 0b0110n]);
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: ins },
        constInputs: { mult_0: 300, mult_1: 255, mult_2: 70000, mult_3: 65536 },
        model: () => ({ m_axis: camQuantModel({ bands: 4, cols: 1, coefBits: 13 }, mults, ins), err: errs }),
        variants: VARIANTS.slice(1, 2),
      });
    });
  });

  it('cam_group (1 and 2 lanes) turns real row-framed band beats into frame-framed groups; a truncated frame does not shift the next', async () => {
    const m = davisMosaic('scooter-black', 1);
    const field = { width: m.width / 2, height: m.height / 2, data: splitFields(m).planes[1] };
    const d = dwt2dModel(4, 12, 13, [field]);
    for (const [lanes, bits, beats, rows] of [[2, 12, d.m_axis_s1, field.height / 2], [1, 13, d.m_axis_s2, field.height / 4]] as const) {
      // One band's lanes (the second band of the stage), two frames, the first cut after 3 rows and one beat.
      const band: BandBeat[] = beats.map((b) => ({ data: packLanes(unpackLanes(b.data, (lanes === 2 ? 3 : 4) * lanes, bits, true).slice(lanes, 2 * lanes), bits), last: b.last, user: b.user }));
      const perRow = band.length / rows;
      const ins = [...band.slice(0, 3 * perRow + 1), ...band, ...band];
      const want = camGroupModel({ lanes, coefBits: bits }, rows, ins);
      assert.equal(want.filter((b) => b.last).length, 2, 'the two whole frames end in tlast');
      assert.equal(want.filter((b) => b.user).length, 3);
      const e = emitToTemp(buildCamGroup({ lanes, coefBits: bits, rowsBits: 9 }).module, 'camgroup');
      await assertSimCompare({ design: simDesign(e), inputs: { s_axis: ins }, constInputs: { rows }, model: () => ({ m_axis: want }), variants: VARIANTS });
    }
  });

  describe('cam_vlc on real codestreams (DAVIS val 832x480 frames)', () => {
    const frames = [davisMosaic('blackswan', 0), davisMosaic('car-shadow', 5)];
    const scansAt = (q: number): FrameScans[] => frames.map((f) => analyzeMosaic(f, q === 1 ? UNITY : multsForQuant(q)));
    const lossless = scansAt(1), lossy = scansAt(48);

    const runVlc = async (bits: number, wordBits: 32 | 64, fr: FrameScans[], b: BandName, flush: boolean, variants = VARIANTS) => {
      const e = emitToTemp(buildCamVlc({ coefBits: bits, wordBits }).module, 'camvlc');
      const k = chooseK(groupHistogram(fr[0].scans[b]));
      const groups = fr.flatMap((f) => scanGroups(f.scans[b]));
      const want = camVlcModel({ wordBits }, groups, k, flush);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: groups.map((x) => ({ data: groupData(x, bits), last: x.last, user: x.user })) },
        constInputs: { k, flush: flush ? 1 : 0 },
        livenessCycles: 200_000, // the next frame's context comes one frame (~25k groups) later
        model: () => ({ m_axis: want.words, ctx: want.ctx.map((c) => ({ data: packCtx(c, wordBits) })), err: [] }),
        variants,
      });
      const words = rep.runs[0].result.outputs.m_axis.map((x) => x.data);
      const ctx = rep.runs[0].result.outputs.ctx.map((x) => unpackCtx(x.data, wordBits));
      return { words, ctx, k, groups: groups.length, cycles: rep.runs[0].result.cycles, want };
    };

    it('HL1 at q = 1, continuous codestream (32-bit words): bit-exact, tlast at frame ends, SOF context; frame 0 decodes alone', async () => {
      const r = await runVlc(12, 32, lossless, 'HL1', false);
      process.stderr.write(`      cam_vlc 32-bit words, HL1 q=1: ${r.groups} groups, ${(r.want.bits / r.groups).toFixed(2)} bits/group, ${r.cycles} cycles without backpressure\n`);
      assert.equal(r.ctx.length, 2);
      assert.ok(r.ctx[1].offset > 0, 'frame 1 starts inside a word: the bits to discard matter');
      const n = lossless[0].scans.HL1.length / 4;
      assert.deepEqual(decodeFrameFromWords(r.words, 32, r.ctx[0], n, maxGroupBits('HL1')), lossless[0].scans.HL1);
      assert.equal(r.words.filter((_, i) => r.want.words[i].last).length, 1, 'frame 0 ends in one tlast word (frame 1 is still open)');
    });

    it('LL2 and HH1 at q = 48, frames flushed (64-bit words): bit-exact; each frame decodes alone from its context; one group per clock', async () => {
      for (const b of ['LL2', 'HH1'] as const) {
        const r = await runVlc(13, 64, lossy, b, true, b === 'LL2' ? VARIANTS : VARIANTS.slice(0, 2));
        for (let f = 0; f < 2; f++) {
          assert.equal(r.ctx[f].offset, 0, 'flushed frames start word-aligned');
          assert.deepEqual(decodeFrameFromWords(r.words, 64, r.ctx[f], lossy[f].scans[b].length / 4, maxGroupBits(b)), lossy[f].scans[b], `${b} frame ${f}`);
        }
        // runs[0] has no backpressure: codes shorter than a word on average leave one group per clock.
        const bitsPer = r.want.bits / r.groups;
        process.stderr.write(`      cam_vlc 64-bit words, ${b} q=48: ${r.groups} groups, ${bitsPer.toFixed(2)} bits/group, ${r.cycles} cycles without backpressure\n`);
        assert.ok(r.cycles < r.groups + 64, `${r.cycles} cycles for ${r.groups} groups`);
      }
    });

    it('lossless round trip: all seven codestreams of a real mosaic through the RTL, golden decode = the mosaic', async () => {
      const mos = mosaicFromImage(davisCrop('scooter-black', 4, 256, 128), 'full');
      const a = analyzeMosaic(mos, UNITY);
      const e = emitToTemp(buildCamVlc({ coefBits: 13 }).module, 'camvlc');
      const dec = {} as Record<BandName, Int32Array>;
      for (const b of BANDS) {
        const k = chooseK(groupHistogram(a.scans[b]));
        const groups = scanGroups(a.scans[b]);
        const r = await runStreamSim({
          design: simDesign(e),
          inputs: { s_axis: groups.map((x) => ({ data: groupData(x, 13), last: x.last, user: x.user })) },
          constInputs: { k, flush: 1 },
          expect: { m_axis: camVlcModel({ wordBits: 32 }, groups, k, true).words.length },
          seed: 5,
          backpressure: { inputGap: 0.2, outputStall: 0.4 },
        });
        assert.equal(r.outputs.ctx.length, 1);
        assert.equal(r.outputs.err.length, 0);
        dec[b] = decodeFrameFromWords(r.outputs.m_axis.map((x) => x.data), 32, unpackCtx(r.outputs.ctx[0].data, 32), groups.length, maxGroupBits(b));
      }
      const back = decodeMosaic({ fieldWidth: a.fieldWidth, fieldHeight: a.fieldHeight, scans: dec }, UNITY, 'full');
      assert.deepEqual(back.data, mos.data);
    });

    it('every (k, n) pair: 16 values of k x groups of every magnitude length 0..12 (the rank in closed form)', async () => {
      const e = emitToTemp(buildCamVlc({ coefBits: 13 }).module, 'camvlc');
      const g = prng(31);
      const groups: GroupBeat[] = [];
      for (let rep = 0; rep < 3; rep++)
        for (let n = 0; n <= 12; n++) {
          const top = n === 0 ? 0 : 1 << (n - 1);
          const vals = [0, 1, 2, 3].map(() => (n === 0 ? 0 : g.int(0, top - 1) * (g.bit(0.5) ? -1 : 1)));
          vals[g.int(0, 3)] = (g.bit(0.5) ? -1 : 1) * (n === 0 ? 0 : top + g.int(0, top - 1));
          groups.push({ values: vals, last: false, user: groups.length === 0 });
        }
      groups[groups.length - 1] = { ...groups[groups.length - 1], last: true };
      for (let k = 0; k < 16; k++) {
        const want = camVlcModel({ wordBits: 32 }, groups, k, true);
        await assertSimCompare({
          design: simDesign(e),
          inputs: { s_axis: groups.map((x) => ({ data: groupData(x, 13), last: x.last, user: x.user })) },
          constInputs: { k, flush: 1 },
          model: () => ({ m_axis: want.words, ctx: want.ctx.map((c) => ({ data: packCtx(c, 32) })), err: [] }),
          variants: [{ seed: k, backpressure: { inputGap: 0.2, outputStall: 0.2 } }],
        });
      }
    });

    it('bad input: a magnitude the subband cannot hold, tuser inside a frame, a group outside a frame -> err, coding goes on', async () => {
      const e = emitToTemp(buildCamVlc({ coefBits: 13 }).module, 'camvlc');
      const base = scanGroups(lossy[0].scans.LH2).slice(0, 40);
      const groups: GroupBeat[] = base.map((x, i) => (i === 5 ? { ...x, values: [3, -4096, 0, 1] } : i === 20 ? { ...x, user: true } : i === 39 ? { ...x, last: true } : x));
      groups.push({ values: [1, 2, 3, 4], last: false, user: false }); // after tlast: outside a frame
      groups.push(...scanGroups(lossy[0].scans.LH2).slice(0, 12).map((x, i, arr) => ({ ...x, last: i === arr.length - 1 })));
      const k = 2;
      const want = camVlcModel({ wordBits: 32 }, groups, k, true);
      const errAt = (bits: string[]) => ({ data: BigInt(bits.reduce((a, x) => a | (1 << CAM_VLC_ERR_BITS.indexOf(x as (typeof CAM_VLC_ERR_BITS)[number])), 0)) });
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: groups.map((x) => ({ data: groupData(x, 13), last: x.last, user: x.user })) },
        constInputs: { k, flush: 1 },
        model: () => ({ m_axis: want.words, ctx: want.ctx.map((c) => ({ data: packCtx(c, 32) })) }),
        variants: VARIANTS.slice(0, 2),
      });
      for (const run of rep.runs) {
        const flags = run.result.outputs.err.map((x) => x.data);
        assert.deepEqual([...flags].sort(), [errAt(['mag']), errAt(['sof']), errAt(['orphan'])].map((x) => x.data).sort(), `err beats ${flags}`);
      }
      // The golden decoder refuses the 13-bit magnitude in a 13-bit subband (n = 13 > 12).
      assert.throws(() => decodeFrameFromWords(want.words.map((x) => x.data), 32, want.ctx[0], 40, maxGroupBits('LH2')), /claims 13-bit magnitudes/);
    });
  });
});

describe('camera encoder design (one field: dwt2d + quantizers + group coders)', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    const b = buildCamEncoder({ maxWidth: 64, rowsBits: 7 });
    const e = emitToTemp(b.module, 'camenc');
    assert.deepEqual(lintProblems(e), [], e.top);
    assert.equal(b.flops, countFlops(b.module));
    assert.throws(() => buildCamEncoder({ maxWidth: 72 }), /maxWidth = 72 must be a multiple of 16/);
  });

  it('codes a real 416x240 field bit-exactly (7 codestreams + SOF contexts) at q = 48 and q = 1; q = 1 decodes back to the field', async () => {
    const m = davisMosaic('kite-surf', 2);
    const field = { width: m.width / 2, height: m.height / 2, data: splitFields(m).planes[3] };
    const e = emitToTemp(buildCamEncoder({ maxWidth: 512, rowsBits: 9 }).module, 'camenc');
    for (const q of [48, 1]) {
      const mults = q === 1 ? UNITY : multsForQuant(q);
      const ks = Object.fromEntries(ENCODER_BANDS.map((b) => [b, chooseK(groupHistogram(fieldBandScans([field], b, mults[b])[0]))])) as Record<EncoderBand, number>;
      const want = camEncoderModel([field], mults, ks, true);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: fieldBeats(field, 4, 10) },
        constInputs: { rows: field.height, flush: 1, ...Object.fromEntries(ENCODER_BANDS.flatMap((b) => [[`mult_${b}`, mults[b]], [`k_${b}`, ks[b]]])) },
        model: () => want,
        variants: [{ seed: 7, backpressure: { inputGap: 0.1, outputStall: 0.3 } }],
      });
      if (q !== 1) continue;
      const out = rep.runs[0].result.outputs;
      const fb = emptyFieldBands(field.width, field.height);
      for (const b of ENCODER_BANDS) {
        const n = fb.bands[b].length / 4;
        fb.bands[b].set(decodeFrameFromWords(out[`m_axis_${b}`].map((x) => x.data), 32, unpackCtx(out[`ctx_${b}`][0].data, 32), n, maxGroupBits(b)));
      }
      assert.deepEqual(inverseDwt(fb), field.data, 'lossless: golden decode + inverse DWT of the RTL codestreams = the field');
    }
  });
});
