// Camera HDMI preview (issue 7, docs/camera.md §16): the line-buffer fetcher cam_fetch alone (a
// ring of LL1 rows per colour; per viewport pixel the 2x2 neighbourhoods cam_scaler takes) and the
// preview top cam_preview (four stage-2 codestreams -> LL1 decoder -> cam_fetch -> cam_scaler ->
// RGB at hdmi_timing's pixel request) in Verilator on real DAVIS val mosaics, with a small video
// timing so a run is a few frames: every displayed pixel, at the clock of its de, equals the golden
// renderRgb10(decodeLL1(...)) of model/camera; black outside the viewport and in display frames
// without a decoded frame; bad input raises err and never hangs.
import assert from 'node:assert/strict';
import { mosaicFromImage, type Fields, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseK, groupHistogram, invRegister, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { decodeLL1 } from '../../model/camera/decode.ts';
import { normRegister, renderRgb10, type Viewport } from '../../model/camera/preview.ts';
import { analyzeMosaic } from '../../model/camera/pipeline.ts';
import { cat, Module } from '../../generators/core/index.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { buildCamFetch, CAM_FETCH_ERR_BITS } from '../../generators/blocks/cam_fetch/index.ts';
import { camFetchModel, planeBeats, type FetchBeat } from '../../generators/blocks/cam_fetch/model.ts';
import { scalerModel, scalerRegs } from '../../generators/blocks/cam_scaler/model.ts';
import { timingAt } from '../../generators/blocks/hdmi_timing/model.ts';
import { timingOf } from '../../generators/blocks/hdmi_timing/index.ts';
import { camVlcModel, closedContinuousWords, scanGroups } from '../../generators/blocks/cam_vlc/model.ts';
import { buildCamPreview, camPreviewParams, PREVIEW_ERR_BITS } from '../../generators/designs/camera/preview.ts';
import { runStreamSim, type Beat } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from '../blocks/rtl.ts';
import { davisCrop } from './helpers.ts';

const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
/** Two consecutive DAVIS val frames, 128x64 mosaics: 64x32 fields, 32x16 LL1 planes. */
const mosaics: Mosaic[] = [0, 1].map((f) => mosaicFromImage(davisCrop('blackswan', f, 128, 64), 'full'));
const ll1 = (mo: Mosaic, mults: BandParams, focus = 16): Fields => decodeLL1(analyzeMosaic(mo, mults), mults, { focusGainQ4: focus });

const errsOf = (beats: readonly Beat[], names: readonly string[]) => beats.map((x) => names.filter((_, i) => (BigInt(x.data) >> BigInt(i)) & 1n));
const fetchBeat = (x: Beat): FetchBeat => ({ data: x.data as bigint, last: Boolean(x.last), user: Boolean(x.user) });

/** cam_fetch under a bench whose `start` pulses every `period` clocks (the display frame start). */
function fetchBench(cfg: Parameters<typeof buildCamFetch>[0], period: number): Module {
  const f = buildCamFetch(cfg);
  const m = new Module(`cam_fetch_bench_p${period}`, { params: { bench: 'cam_fetch', period, ...cfg }, doc: 'cam_fetch with a periodic start' });
  const u = m.instantiate('u_fetch', f.module);
  connectStream(m, streamIn(m, { width: 80 }), instSink(u));
  for (const p of f.module.ports) if (p.kind === 'input' && !/_axis_/.test(p.name) && p.name !== 'start') u.connect(p.name, m.input(p.name, p.width));
  const bits = Math.ceil(Math.log2(period));
  const cnt = m.regInit('cnt', bits, 0);
  const fire = m.wire('fire', cnt.eq(period - 1));
  cnt.set(cnt.add(1, bits));
  m.when(fire, () => cnt.set(0));
  u.connect('start', fire);
  connectStream(m, instSource(u), streamOut(m, { width: 160 }));
  connectStream(m, instSource(u, 'err'), streamOut(m, { width: CAM_FETCH_ERR_BITS.length, ready: false, last: false, user: false }, 'err'));
  u.unused('shown', 'the bench checks the output beats');
  return m;
}

/** cam_preview with its video output as a passive stream: one beat per de clock, {hsync, vsync, rgb10}. */
function previewBench(cfg: Parameters<typeof buildCamPreview>[0]): Module {
  const b = buildCamPreview(cfg);
  const m = new Module(`cam_preview_bench_${b.module.name}`, { params: { bench: 'cam_preview', ...cfg }, doc: 'cam_preview with a video tap' });
  const u = m.instantiate('u_preview', b.module);
  for (const band of S2) connectStream(m, streamIn(m, { width: 32, user: false }, `s_axis_${band}`), instSink(u, `s_axis_${band}`));
  for (const p of b.module.ports) if (p.kind === 'input' && !/_axis_/.test(p.name)) u.connect(p.name, m.input(p.name, p.width));
  const v = streamOut(m, { width: 32, ready: false, last: false, user: false }, 'video');
  v.driveValid(u.out('de'));
  v.driveData(cat(u.out('hsync'), u.out('vsync'), u.out('rgb10')));
  u.unused('rgb', 'rgb10 carries the same pixels at 10 bits');
  connectStream(m, instSource(u, 'err'), streamOut(m, { width: PREVIEW_ERR_BITS.length, ready: false, last: false, user: false }, 'err'));
  return m;
}

describe('camera preview models', () => {
  it('cam_fetch model (clamped LL1 planes) through the scaler model = golden renderRgb10 of the decoded LL1 (focus assist 2x, values outside 0..1023)', () => {
    const planes = ll1(mosaics[0], multsForQuant(48), 32);
    assert.ok(planes.planes.some((p) => p.some((v) => v < 0 || v > 1023)), 'the decoded LL1 leaves 0..1023');
    const vp: Viewport = { x: 5, y: 3, width: 71, height: 37 };
    const beats = camFetchModel(planes, 'full', 1, vp);
    const r = scalerModel(scalerRegs(vp, planes, 'full', 1), beats.map((b) => ({ lanes: Array.from({ length: 16 }, (_, i) => Number((b.data >> BigInt(10 * i)) & 1023n)), last: b.last, user: b.user })), 80, 40);
    const g = renderRgb10(planes, 'full', 1, 80, 40, vp);
    r.out.forEach((o, i) => {
      const at = ((vp.y + Math.floor(i / vp.width)) * 80 + vp.x + (i % vp.width)) * 3;
      assert.deepEqual(o.rgb, [g[at], g[at + 1], g[at + 2]], `pixel ${i}`);
    });
    assert.throws(() => buildCamFetch({ maxWidth: 63 }), /maxWidth = 63 must be even/);
    assert.throws(() => camPreviewParams.validate({ lead: 9, hBack: 8 }), /lead = 9 needs hBack >= lead \+ 1/);
  });
});

describe('camera preview RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);
  // A small video timing: 80x40 active, 96x47 total (4512 clocks a display frame).
  const TIMING = { hActive: 80, hFront: 4, hSync: 4, hBack: 8, vActive: 40, vFront: 2, vSync: 2, vBack: 3, lead: 2 };
  const PCFG = { maxWidth: 64, rowsBits: 7, ...TIMING };
  const FCFG = { maxWidth: 32, planeBits: 6, sizeBits: 7 };

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    for (const b of [buildCamFetch(FCFG), buildCamFetch({}), buildCamPreview(PCFG), buildCamPreview({})]) {
      const e = emitToTemp(b.module, 'previewlint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
  });

  it('cam_fetch: three frames of real LL1 planes (one with an extra row and a long row) -> per display frame the scaler\'s neighbourhoods = the model; err events; backpressure', async () => {
    const A = ll1(mosaics[0], multsForQuant(48)), B = ll1(mosaics[1], multsForQuant(48));
    const vp: Viewport = { x: 0, y: 0, width: 48, height: 24 };
    const bad = planeBeats(B);
    bad.splice(16, 0, { ...bad[15] }); // row 0 one beat longer: its last pair comes twice, with tlast on the second
    bad[15] = { ...bad[15], last: false };
    bad.push(...planeBeats(B).slice(0, 16).map((x) => ({ ...x, user: false }))); // one row too many
    const period = 4000;
    const r = await runStreamSim({
      design: simDesign(emitToTemp(fetchBench(FCFG, period), 'fetchbench')),
      inputs: { s_axis: [...planeBeats(A), ...bad, ...planeBeats(A)] },
      constInputs: { sx: normRegister(vp.width), sy: normRegister(vp.height), vw: vp.width, vh: vp.height, pw: A.width, ph: A.height, subsampled: 0, level: 1 },
      expect: { m_axis: 3 * vp.width * vp.height },
      seed: 4,
      backpressure: { inputGap: 0.2, outputStall: 0.3 },
    });
    const got = r.outputs.m_axis.map(fetchBeat);
    const n = vp.width * vp.height;
    [A, B, A].forEach((f, i) => assert.deepEqual(got.slice(i * n, (i + 1) * n), camFetchModel(f, 'full', 1, vp), `display frame ${i + 1}`));
    const errs = errsOf(r.outputs.err, CAM_FETCH_ERR_BITS);
    // The long row: its last pair without tlast, then a beat past the row (dropped) with tlast.
    assert.deepEqual(errs.filter((e) => !e.includes('nodata')), [['row'], ['row'], ['rows']], 'the long row and the extra row are flagged');
    assert.ok(r.outputs.m_axis[0].cycle > period, 'nothing is fetched before the first start');
  });

  for (const c of [
    { name: 'the LL1 planes fill a centred 64x32 viewport (2x)', vp: { x: 8, y: 4, width: 64, height: 32 }, q: 48, focus: 16, flush: true },
    { name: 'an off-centre 71x37 viewport (non-integer scale), focus assist 1.5x, continuous codestreams', vp: { x: 3, y: 2, width: 71, height: 37 }, q: 24, focus: 24, flush: false },
  ])
    it(`cam_preview: two real mosaics\' codestreams -> CEA-861 video, ${c.name}: every pixel at its de clock = golden renderRgb10(decodeLL1)`, async () => {
      const mults = multsForQuant(c.q);
      const scans = mosaics.map((mo) => analyzeMosaic(mo, mults));
      const k = Object.fromEntries(S2.map((b) => [b, chooseK(groupHistogram(scans[0].scans[b]))]));
      const groups = (b: (typeof S2)[number]) => scans.flatMap((s) => scanGroups(s.scans[b]));
      const words = Object.fromEntries(S2.map((b) => [b, c.flush ? camVlcModel({ wordBits: 32 }, groups(b), k[b], true).words : closedContinuousWords(groups(b), k[b], 32)]));
      const t = timingOf({ ...camPreviewParams.validate(PCFG) });
      const frameClocks = t.h.total * t.v.total;
      const frames = 4; // display frame 0 has nothing yet (no start since reset); 1, 2 show the mosaics; 3 has no data
      const r = await runStreamSim({
        design: simDesign(emitToTemp(previewBench(PCFG), 'previewbench')),
        inputs: Object.fromEntries(S2.map((b) => [`s_axis_${b}`, words[b]])),
        constInputs: {
          width: 64, rows: 32, subsampled: 0, flush: c.flush ? 1 : 0, focus: c.focus,
          sx: normRegister(c.vp.width), sy: normRegister(c.vp.height), vx: c.vp.x, vy: c.vp.y, vw: c.vp.width, vh: c.vp.height,
          ...Object.fromEntries(S2.flatMap((b) => [[`k_${b}`, k[b]], [`inv_${b}`, invRegister(mults[b])]])),
        },
        expect: { video: frames * t.h.active * t.v.active },
        seed: 31,
        backpressure: { inputGap: 0.2 },
        livenessCycles: 3 * frameClocks,
      });
      const golden = scans.map((s) => renderRgb10(decodeLL1(s, mults, { focusGainQ4: c.focus }), 'full', 1, t.h.active, t.v.active, c.vp));
      const px = t.h.active * t.v.active;
      const shown: (Uint16Array | undefined)[] = [undefined, golden[0], golden[1], undefined];
      r.outputs.video.forEach((b, i) => {
        const f = Math.floor(i / px), at = i % px;
        const tm = timingAt(t, TIMING.lead, b.cycle);
        assert.ok(tm.de && tm.x === at % t.h.active && tm.y === Math.floor(at / t.h.active) && tm.hsync === false && tm.vsync === false, `beat ${i} at its de clock`);
        assert.equal(Math.floor((b.cycle - TIMING.lead - 1) / frameClocks), f, `beat ${i}: display frame ${f}`);
        const d = BigInt(b.data);
        assert.equal(Number((d >> 30n) & 3n), 0, 'syncs low during de');
        const g = shown[f];
        const want = g ? [g[3 * at], g[3 * at + 1], g[3 * at + 2]] : [0, 0, 0];
        assert.deepEqual([0, 1, 2].map((j) => Number((d >> BigInt(10 * j)) & 1023n)), want, `display frame ${f}, pixel (${at % t.h.active}, ${Math.floor(at / t.h.active)})`);
      });
      // Display frame 3 has no decoded frame. A continuous codestream has no end marker: the zero
      // padding that closes it decodes as the start of a third frame, an impossible code (cam_vld's
      // `code`, at most once per codestream), once the second frame is decoded.
      const names = errsOf(r.outputs.err, PREVIEW_ERR_BITS);
      const padding = names.filter((e) => !c.flush && e.length === 1 && /^decoder\.(LL2|HL2|LH2|HH2)\.vld\.code$/.test(e[0]));
      assert.ok(padding.length <= 4);
      assert.deepEqual(names.filter((e) => !padding.includes(e)), [['fetch.nodata']], `only the display frame without a decoded frame is flagged: ${JSON.stringify(names)}`);
    });

  it('cam_preview with a starved LL2 codestream: the decoder falls behind, `underrun` blanks the rest of a display frame, later frames are whole, nothing hangs', async () => {
    const mults = multsForQuant(48);
    const vp: Viewport = { x: 8, y: 4, width: 64, height: 32 };
    const scans = [0, 1, 0, 1].map((i) => analyzeMosaic(mosaics[i], mults));
    const k = Object.fromEntries(S2.map((b) => [b, chooseK(groupHistogram(scans[0].scans[b]))]));
    const words = Object.fromEntries(S2.map((b) => [b, camVlcModel({ wordBits: 32 }, scans.flatMap((s) => scanGroups(s.scans[b])), k[b], true).words]));
    const t = timingOf(camPreviewParams.validate(PCFG));
    const px = t.h.active * t.v.active, frames = 8;
    const r = await runStreamSim({
      design: simDesign(emitToTemp(previewBench(PCFG), 'previewbench')),
      inputs: Object.fromEntries(S2.map((b) => [`s_axis_${b}`, words[b]])),
      constInputs: {
        width: 64, rows: 32, subsampled: 0, flush: 1, focus: 16,
        sx: normRegister(vp.width), sy: normRegister(vp.height), vx: vp.x, vy: vp.y, vw: vp.width, vh: vp.height,
        ...Object.fromEntries(S2.flatMap((b) => [[`k_${b}`, k[b]], [`inv_${b}`, invRegister(mults[b])]])),
      },
      expect: { video: frames * px },
      seed: 8,
      // One LL2 word in ~40 clocks: a frame's 4-field LL2 codestream then takes longer than a display frame.
      backpressure: { inputGap: { s_axis_LL2: 0.975 } },
      livenessCycles: 4 * t.h.total * t.v.total,
    });
    const golden = [0, 1].map((i) => renderRgb10(ll1(mosaics[i], mults), 'full', 1, t.h.active, t.v.active, vp));
    const black = new Uint16Array(3 * px);
    // Each display frame: a whole golden frame, or a golden prefix then black (cut by an underrun), or black.
    const kinds = Array.from({ length: frames }, (_, f) => {
      const got = new Uint16Array(3 * px);
      r.outputs.video.slice(f * px, (f + 1) * px).forEach((b, i) => [0, 1, 2].forEach((j) => (got[3 * i + j] = Number((BigInt(b.data) >> BigInt(10 * j)) & 1023n))));
      for (const [gi, g] of golden.entries()) {
        if (got.every((v, i) => v === g[i])) return `frame ${gi}`;
        // The first viewport pixel that differs from g: from there on the frame must be black.
        let cut = -1;
        for (let y = vp.y; y < vp.y + vp.height && cut < 0; y++) for (let x = vp.x; x < vp.x + vp.width && cut < 0; x++) if ([0, 1, 2].some((j) => got[3 * (y * t.h.active + x) + j] !== g[3 * (y * t.h.active + x) + j])) cut = y * t.h.active + x;
        if (cut > vp.y * t.h.active + vp.x && got.every((v, i) => (i < 3 * cut ? v === g[i] : v === 0))) return `frame ${gi} cut`;
      }
      return got.every((v, i) => v === black[i]) ? 'black' : 'other';
    });
    const names = errsOf(r.outputs.err, PREVIEW_ERR_BITS).flat();
    process.stderr.write(`      starved LL2: display frames ${kinds.join(', ')}; err ${[...new Set(names)].join(' ')}\n`);
    assert.ok(!kinds.includes('other'), 'every display frame is golden, a golden prefix then black, or black');
    assert.ok(kinds.some((x) => x.endsWith('cut')) && names.includes('display.underrun'), 'an underrun cut a frame and was flagged');
    assert.equal(kinds.filter((x) => x.endsWith('cut')).length, names.filter((x) => x === 'display.underrun').length, 'one underrun per cut frame');
    assert.ok(kinds.some((x) => x === 'frame 0' || x === 'frame 1'), 'a later frame is whole');
    assert.ok(names.every((x) => ['display.underrun', 'fetch.nodata', 'fetch.abort'].includes(x)), `only pacing events: ${[...new Set(names)].join(' ')}`);
  });
});
