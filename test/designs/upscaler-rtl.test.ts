// The accelerator RTL against the golden model on real frames: the CI PSNR-parity gate, the
// default configuration, input-stream errors and recovery, and the profiler's cycle model
// against Verilator's cycle counts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DAVIS_ROOT, loadFrame, davisFramePath } from '../../sim/frames.ts';
import { runStreamSim } from '../../sim/run.ts';
import { simulateFrames, upscalerDesign } from '../../sim/upscaler.ts';
import type { BeatIn } from '../../sim/types.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { buildScreenCore, ERROR_BITS } from '../../generators/designs/upscaler/core.ts';
import { profileUpscaler } from '../../generators/designs/upscaler/profile.ts';
import { buildScreenTop } from '../../generators/designs/upscaler/top.ts';
import { rowTiming, stripeFillCycles } from '../../generators/designs/upscaler/schedule.ts';
import { stripeJobs } from '../../generators/designs/upscaler/plan.ts';
import { elaborate, writeVerilog, type Module } from '../../generators/core/index.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { hasBinary, verilatorLint } from '../helpers/tools.ts';
import { itFull } from '../helpers/tier.ts';

const net = loadNetWeights(DEFAULT_NET_WEIGHTS);
/** Narrow stripes so every frame is cut into several stripes with halos. */
const narrow = hwParams.validate({ stripeCells: 16 });

describe('accelerator RTL (screen_core) vs golden model on real frames', function () {
  this.timeout(900_000);
  before(function () {
    if (!hasBinary('verilator')) this.skip(); // installed in CI (.ci/run)
  });

  it('CI gate: 8 frames of each val sequence, 3 stripes per frame, DRAM latency and random stalls: 0 mismatches, PSNR parity', async () => {
    const r = await simulateFrames({ net, hw: narrow, dir: join(DAVIS_ROOT, 'val'), lrWidth: 64, lrHeight: 48, maxFrames: 8, seed: 11, backpressure: { inputGap: 0.2, outputStall: 0.2 }, dramLatency: 300 });
    assert.equal(r.sequences.length, 4);
    assert.equal(r.frames, 32);
    assert.equal(r.stripes_per_frame, 3);
    assert.equal(r.mismatches, 0, `first mismatch: ${JSON.stringify(r.first_mismatch)}`);
    assert.equal(r.hidden_mismatches, 0);
    assert.equal(r.psnr_y.rtl.toFixed(3), r.psnr_y.golden.toFixed(3));
    assert.ok(r.psnr_y.rtl - r.psnr_y.bicubic >= r.psnr_y.golden - r.psnr_y.bicubic);
    // The network must actually help on these crops, or the gate would pass for a broken model too.
    assert.ok(r.psnr_y.golden > r.psnr_y.bicubic + 0.5, `golden ${r.psnr_y.golden} vs bicubic ${r.psnr_y.bicubic}`);
    // The profiler's cycle model holds for multi-stripe jobs too (stalls included, so a few % over).
    assert.ok(Math.abs(r.measured_over_model - 1) < 0.05, `Verilator / profiler cycles = ${r.measured_over_model}`);
  });

  it('default configuration: bit-exact on two frames, within the profiler cycle model', async () => {
    const hw = hwParams.validate({});
    const r = await simulateFrames({ net, hw, dir: join(DAVIS_ROOT, 'val', 'blackswan'), lrWidth: 128, lrHeight: 64, maxFrames: 2, seed: 5 });
    assert.equal(r.mismatches, 0);
    assert.equal(r.hidden_mismatches, 0);
    // The stripes of a 64-cell x 32-row frame, no backpressure: the profiler's prediction, stripe by stripe.
    const plan = upscalerDesign(net, hw).plan;
    const predicted = stripeJobs(64, plan).reduce((a, j) => a + 32 * rowTiming(j.cells, j.ownHi - j.ownLo, plan, hw).cycles + stripeFillCycles(j.cells, j.ownHi - j.ownLo, plan), 0);
    assert.equal(r.stripes_per_frame, stripeJobs(64, plan).length);
    const err = Math.abs(r.cycles_per_frame - predicted) / r.cycles_per_frame;
    assert.ok(err < 0.03, `Verilator ${r.cycles_per_frame} cycles/frame, profiler ${predicted} (${(100 * err).toFixed(1)}% apart)`);
  });

  // head_x0 on the tiny fixture network (head over [H, X0] = 8 channels, 72 operands): the same
  // generator paths as crnn_x0_q8 (144 operands), whose Verilator build alone took ~150 s of CI.
  it('the head_x0 network (tiny_x0_q8: head over [H, X0]): bit-exact on 2 frames of every val sequence', async () => {
    const x0net = loadNetWeights(join(DEFAULT_NET_WEIGHTS, '..', '../test/fixtures/net/tiny_x0_q8.json'));
    assert.equal(x0net.config.head_x0, true);
    const r = await simulateFrames({ net: x0net, hw: narrow, dir: join(DAVIS_ROOT, 'val'), lrWidth: 48, lrHeight: 32, maxFrames: 2, seed: 4, backpressure: { inputGap: 0.1, outputStall: 0.3 } });
    assert.equal(r.frames, 8);
    assert.equal(r.mismatches, 0, `first mismatch: ${JSON.stringify(r.first_mismatch)}`);
    assert.equal(r.hidden_mismatches, 0);
  });

  for (const [label, file] of [
    ['UPSAMPLE_MODE deconv (stride-3, 5x5 kernel, tiny_deconv_q8)', '../test/fixtures/net/tiny_deconv_q8.json'],
    ['QUANT_BITS 4 (crnn_q4)', 'crnn_q4.json'],
  ] as const) {
    // QUANT_BITS 4 is a real-network build (~70 s cold): the full tier; the tiny deconv stays in CI.
    (file === 'crnn_q4.json' ? itFull : it)(`${label}: bit-exact on 2 frames of every val sequence`, async () => {
      const other = loadNetWeights(join(DEFAULT_NET_WEIGHTS, '..', file));
      const r = await simulateFrames({ net: other, hw: narrow, dir: join(DAVIS_ROOT, 'val'), lrWidth: 48, lrHeight: 32, maxFrames: 2, seed: 6, backpressure: { inputGap: 0.2, outputStall: 0.2 } });
      assert.equal(r.frames, 8);
      assert.equal(r.mismatches, 0, `first mismatch: ${JSON.stringify(r.first_mismatch)}`);
      assert.equal(r.hidden_mismatches, 0);
    });
  }

  it('video rgb888 (RGB888 in and out, chroma by the bilinear skip): 2 frames of every val sequence, 2 stripes, stalls: 0 RGB and 0 hidden mismatches, PSNR parity', async () => {
    // cellCycles 64: a quarter of the MACs, so the Verilator build is faster; the colour path does not depend on it.
    const hw = hwParams.validate({ stripeCells: 12, cellCycles: 64, video: 'rgb888' });
    const r = await simulateFrames({ net, hw, dir: join(DAVIS_ROOT, 'val'), lrWidth: 32, lrHeight: 24, maxFrames: 2, seed: 8, backpressure: { inputGap: 0.2, outputStall: 0.3 }, dramLatency: 100 });
    assert.equal(r.video, 'rgb888');
    assert.equal(r.frames, 8);
    assert.equal(r.stripes_per_frame, 2);
    assert.equal(r.pixels, 8 * 48 * 36);
    assert.equal(r.mismatches, 0, `first mismatch: ${JSON.stringify(r.first_mismatch)}`);
    assert.equal(r.hidden_mismatches, 0);
    assert.equal(r.psnr_y.rtl.toFixed(3), r.psnr_y.golden.toFixed(3));
    assert.ok(r.psnr_rgb, 'rgb888 reports an RGB PSNR');
    assert.equal(r.psnr_rgb.rtl.toFixed(3), r.psnr_rgb.golden.toFixed(3));
    // The network still helps once colour is converted in and out (chroma is only bilinear).
    assert.ok(r.psnr_y.golden > r.psnr_y.bicubic, `Y: golden ${r.psnr_y.golden} vs bicubic ${r.psnr_y.bicubic}`);
    assert.ok(r.psnr_rgb.golden > r.psnr_rgb.bicubic, `RGB: golden ${r.psnr_rgb.golden} vs bicubic ${r.psnr_rgb.bicubic}`);
  });

  describe('input-stream errors: flagged, and the next frame is exact without a reset', () => {
    const W = 32, H = 16; // LR
    let y: Uint8Array, y2: Uint8Array, golden2: Uint8Array;
    before(() => {
      y = loadFrame(davisFramePath('car-shadow', 0), { crop: { x: 300, y: 200, width: W, height: H } }).data;
      y2 = loadFrame(davisFramePath('car-shadow', 1), { crop: { x: 300, y: 200, width: W, height: H } }).data;
      golden2 = new FixedNet(net, true).run(y2, W, H);
    });
    const frameBeats = (img: Uint8Array, mutate?: (b: BeatIn[]) => BeatIn[]): BeatIn[] => {
      const b: BeatIn[] = [];
      for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) b.push({ data: img[r * W + c], user: r === 0 && c === 0, last: c === W - 1 });
      return mutate ? mutate(b) : b;
    };
    const HR = (3 * W * 3 * H) / 4;

    async function run(first: BeatIn[], framesOut: number, cfg: Partial<Record<string, number>> = {}) {
      const { design } = upscalerDesign(net, narrow);
      const r = await runStreamSim({
        design,
        inputs: { s_axis_video: [...first, ...frameBeats(y2)] },
        expect: { m_axis_video: framesOut * HR, m_axis_hidden: framesOut * (W / 2) * (H / 2) },
        constInputs: { cfg_width: W, cfg_height: H, cfg_own_lo: 0, cfg_own_hi: W / 2, cfg_hidden_reset: 1, ...cfg },
        seed: 3,
        backpressure: { inputGap: 0.1, outputStall: 0.2 },
      });
      const errs = r.outputs.err.map((b) => ERROR_BITS.filter((_, i) => (b.data >> BigInt(i)) & 1n));
      const last = r.outputs.m_axis_video.slice(-HR).map((b) => Number(b.data));
      return { errs: errs.flat(), lastFrameExact: last.every((v, i) => v === golden2[i]), frames: r.outputs.m_axis_video.length / HR };
    }

    it('tlast early: eol_early, frame completed, next frame exact', async () => {
      const r = await run(frameBeats(y, (b) => { b[3 * W + 10].last = true; return b; }), 2);
      assert.deepEqual(r.errs, ['eol_early']);
      assert.equal(r.frames, 2);
      assert.ok(r.lastFrameExact);
    });
    it('tlast missing (line too long): eol_late, next frame exact', async () => {
      const r = await run(frameBeats(y, (b) => { b[5 * W + W - 1].last = false; return b; }), 2);
      assert.deepEqual(r.errs, ['eol_late']);
      assert.ok(r.lastFrameExact);
    });
    it('start of frame missing: the frame is dropped with sof, the next frame exact', async () => {
      const r = await run(frameBeats(y, (b) => { b[0].user = false; return b; }), 1);
      assert.deepEqual(r.errs, ['sof']);
      assert.equal(r.frames, 1);
      assert.ok(r.lastFrameExact);
    });
    it('a frame wider than the build allows: cfg error, the input is discarded, no output and no hang', async () => {
      const { design } = upscalerDesign(net, narrow); // stripes of at most 16 cells = 32 LR px
      const wide = 34;
      const beats: BeatIn[] = [];
      for (let r = 0; r < 4; r++) for (let c = 0; c < wide; c++) beats.push({ data: 100, user: r === 0 && c === 0, last: c === wide - 1 });
      const r = await runStreamSim({ design, inputs: { s_axis_video: beats }, expect: { m_axis_video: 0, m_axis_hidden: 0 }, constInputs: { cfg_width: wide, cfg_height: 4, cfg_own_lo: 0, cfg_own_hi: 16, cfg_hidden_reset: 1 }, seed: 1 });
      assert.equal(r.outputs.m_axis_video.length, 0);
      const errs = r.outputs.err.flatMap((b) => ERROR_BITS.filter((_, i) => (b.data >> BigInt(i)) & 1n));
      assert.ok(errs.includes('cfg'), `errors seen: ${errs.join(', ')}`);
    });
    it('tuser inside a frame: sof, the interrupted frame is padded, the new frame exact', async () => {
      const cut = frameBeats(y).slice(0, 7 * W + 3);
      const r = await run(cut, 2);
      assert.deepEqual(r.errs, ['sof']);
      assert.equal(r.frames, 2);
      assert.ok(r.lastFrameExact);
    });
  });

  it('screen_top (registers + core) lints clean with verilator -Wall for video y8 and rgb888; video port widths 8 / 24', function () {
    const dir = mkdtempSync(join(tmpdir(), 'screen-top-'));
    try {
      for (const video of ['y8', 'rgb888'] as const) {
        const top = buildScreenTop(net, { ...narrow, video });
        const d = elaborate(top.module);
        const r = verilatorLint(writeVerilog(d, join(dir, video)), 'screen_top');
        assert.ok(r.ok, `${video}: ${r.output.slice(0, 4000)}`);
        const w = video === 'y8' ? 8 : 24;
        for (const p of ['s_axis_video_tdata', 'm_axis_video_tdata']) assert.equal(top.module.ports.find((q) => q.name === p)?.width, w, `${video} ${p}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('profiler on-chip RAM vs the RTL memories (video y8 and rgb888)', () => {
  /** Bits of every memory in a module tree, by instance path. */
  const memories = (m: Module, path: string, out: Map<string, number>): Map<string, number> => {
    for (const x of m.memories) out.set(`${path}${x.name}`, x.depth * x.width);
    for (const i of m.instances) memories(i.child, `${path}${i.name}.`, out);
    return out;
  };
  // Profiler buffer -> the RTL memories it stands for (the small output FIFOs of blocks are not modelled).
  const MAP: Record<string, string[]> = {
    'cell_pack.row': ['u_pack.even_row'],
    cell_fifo: ['u_cell_fifo.mem'],
    'feat0.lines': ['u_lb_feat0.lines'],
    'feat1.lines': ['u_lb_feat1.lines'],
    'head.lines': ['u_lb_head.lines'],
    'cell_unpack.banks': ['u_unpack.bank0', 'u_unpack.bank1'],
  };
  for (const video of ['y8', 'rgb888'] as const) {
    it(`${video}: every SRAM buffer of screen profile equals the RTL's memory bits`, () => {
      const hw = hwParams.validate({ video });
      const rtl = memories(buildScreenCore(net, hw).module, '', new Map());
      const p = profileUpscaler(net.config, hw);
      const sram = p.buffers.filter((b) => b.impl === 'sram');
      assert.deepEqual(sram.map((b) => b.name).sort(), Object.keys(MAP).sort());
      for (const b of sram) assert.equal(b.bits, MAP[b.name].reduce((a, k) => a + (rtl.get(k) ?? NaN), 0), `${video} ${b.name}`);
    });
  }
  it('rgb888 costs 3x the pack row and unpack banks, 64 more bits per cell on every X0-carrying line buffer', () => {
    const y = profileUpscaler(net.config, hwParams.validate({}));
    const c = profileUpscaler(net.config, hwParams.validate({ video: 'rgb888' }));
    const bits = (p: typeof y, n: string) => p.buffers.find((b) => b.name === n)!.bits;
    assert.equal(bits(c, 'cell_pack.row'), 3 * bits(y, 'cell_pack.row'));
    assert.equal(bits(c, 'cell_unpack.banks'), 3 * bits(y, 'cell_unpack.banks'));
    for (const n of ['feat0.lines', 'feat1.lines', 'head.lines']) assert.equal(bits(c, n) - bits(y, n), 2 * 64 * 64, n);
    assert.equal(c.dram.videoInBytes, 3 * y.dram.videoInBytes);
    assert.equal(c.dram.videoOutBytes, 3 * y.dram.videoOutBytes);
  });
});
