// The layer-pipeline profiler (plan.ts stages -> schedule.ts timing -> memory.ts storage and
// DRAM) on hand-computed configs, the default config recomputed here from the plan's stage list,
// and the CLI contract of `screen profile`.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { hwParams, netKnobs } from '../../generators/designs/upscaler/config.ts';
import { buildPlan, stripeJobs } from '../../generators/designs/upscaler/plan.ts';
import { frameTiming, STRIPE_PIPELINE_LATENCY } from '../../generators/designs/upscaler/schedule.ts';
import { profileUpscaler } from '../../generators/designs/upscaler/profile.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';

// feat0 4->4 3x3, gru0 (hidden 4, 1x1 gates), head 4->9 1x1: halo 1 cell.
const tinyNet = netKnobs({ name: 'tiny', feat_c: [4], feat_k: 3, n_gcr: 1, hidden_c: 4, gate_k: 1, cand_k: 1, head_k: 1, upsample_mode: 'pixelshuffle', quant_bits: 8 });
const tinyHw = (cellCycles: number, stripeCells: number) => hwParams.validate({ cellCycles, stripeCells, lrWidth: 16, lrHeight: 8 });
const defaultNet = () => netKnobs(loadNetWeights(DEFAULT_NET_WEIGHTS).config as unknown as Record<string, unknown>);

describe('designs: upscaler profile (layer pipeline)', () => {
  it('counts the cycles of a one-stripe frame by hand', () => {
    const hw = tinyHw(36, 8);
    const plan = buildPlan(tinyNet, hw);
    // Lanes for 36 cycles/cell: feat0 T=36 x4 -> 1x4 (4 ch x 9 groups), zr T=8 x8 -> 1x2 (8 x 4), n T=8 x4 -> 1x1 (4 x 8), head T=4 x9 -> 1x1 (9 x 4).
    assert.deepEqual(plan.stages.map((s) => [s.name, s.T, s.cpar, s.P, s.cycles]), [['feat0', 36, 1, 4, 36], ['gru0.zr', 8, 1, 2, 32], ['gru0.n', 8, 1, 1, 32], ['head', 4, 1, 1, 36]]);
    assert.equal(plan.halo, 1);
    const t = frameTiming(plan, hw);
    // Grid 8 x 4, one stripe of 8 cells. Row: 8 cells x 36 = 288 (> 32 input beats, > 72 output beats).
    assert.equal(t.stripes.length, 1);
    assert.equal(t.stripes[0].row.cycles, 288);
    assert.equal(t.stripes[0].row.bound, 'stages');
    // Fill/drain: 1 virtual row (8 x 36) + last output row (8 x 9) + the pipeline latency.
    assert.equal(t.stripes[0].fillCycles, 288 + 72 + STRIPE_PIPELINE_LATENCY);
    assert.equal(t.cyclesPerFrame, 4 * 288 + 288 + 72 + STRIPE_PIPELINE_LATENCY);
    const p = profileUpscaler(tinyNet, hw);
    // Useful MACs per cell: 4*4*9 + 2*8*4 + 8*4 + 4*9 = 276 -> 69 per LR px; 8 MACs built.
    assert.equal(p.macs_per_lr_pixel, 69);
    assert.equal(p.macs, 8);
    assert.equal(p.macs_per_frame, 276 * 32);
    assert.equal(p.utilisation, (276 * 32) / (p.cycles_per_frame * 8));
    assert.equal(p.fps, 180e6 / p.cycles_per_frame);
  });

  it('adds halo cells and a fill/drain per stripe when the frame is cut', () => {
    const hw = tinyHw(36, 5);
    const plan = buildPlan(tinyNet, hw);
    // Stripes [0,5) owning 0..3 and [3,8) owning 4..7: 10 cells computed per grid row for 8.
    assert.deepEqual(stripeJobs(8, plan), [{ first: 0, cells: 5, ownLo: 0, ownHi: 4 }, { first: 3, cells: 5, ownLo: 1, ownHi: 5 }]);
    const p = profileUpscaler(tinyNet, hw);
    const perStripe = 4 * (5 * 36) + (5 * 36 + 4 * 9 + STRIPE_PIPELINE_LATENCY);
    assert.equal(p.cycles_per_frame, 2 * perStripe);
    assert.equal(p.halo_overhead, 10 / 8 - 1);
    // DRAM: hidden read for 10 cells x 4 rows x 4 B, written for 8; video in 10 x 2 px x 8 rows; out 24 x 12.
    assert.deepEqual(p.dram, { hiddenReadBytes: 160, hiddenWriteBytes: 128, videoInBytes: 160, videoOutBytes: 288, totalBytes: 736, hiddenCapacityBytes: 256 });
    // RAMs sized for 5 cells: cell_pack 5 x 16, cell FIFO 5 x 34, feat0 lines 2 x 5 x 32 (X0
    // itself), the head's [H' | X0] lines 2 x 5 x (4 x 8 + 32) (built even for a 1x1 head: the
    // skip needs the X0 window), unpack 2 x 5 x 72.
    assert.equal(p.onchip_memory.sram_bits, 80 + 5 * 34 + 320 + 640 + 720);
    assert.ok(p.buffers.some((b) => b.name === 'head.lines'));
  });

  it('says when video out, not the stages, sets the rate (fewer than 9 cycles per cell)', () => {
    const p = profileUpscaler(tinyNet, tinyHw(4, 8));
    assert.ok(p.cell_cycles <= 4);
    assert.equal(p.bound, 'video_out');
    // 9 beats per owned cell per row: 4 rows x 72.
    assert.equal(p.cycles_per_frame, 4 * 72 + 1 * 8 * p.cell_cycles + 72 + STRIPE_PIPELINE_LATENCY);
    assert.match(p.verdict, /bound by video out \(9 HR px per owned cell/);
    // A narrow stripe of the default network owns 2 of 8 cells: then video in binds.
    assert.equal(profileUpscaler(defaultNet(), hwParams.validate({ cellCycles: 1, stripeCells: 8 })).bound, 'video_in');
  });

  it('reproduces the default config from the plan stage list', () => {
    const net = defaultNet();
    const hw = hwParams.validate({});
    const plan = buildPlan(net, hw);
    const p = profileUpscaler(net, hw);
    const gridW = 640, gridH = 360;
    assert.equal(p.macs, plan.stages.reduce((a, s) => a + s.cpar * s.P, 0));
    assert.equal(p.macs_per_lr_pixel, plan.stages.reduce((a, s) => a + s.usefulMacsPerCell, 0) / 4);
    assert.equal(p.macs_per_lr_pixel, 1215, 'the trained network: 1,215 MACs per LR px');
    assert.deepEqual(p.stages.map((s) => [s.name, s.macs, s.cycles_per_cell]), plan.stages.map((s) => [s.name, s.macs, s.cycles]));
    const jobs = stripeJobs(gridW, plan);
    let cycles = 0;
    let covered = 0;
    for (const j of jobs) {
      const owned = j.ownHi - j.ownLo;
      const row = Math.max(j.cells * plan.cellCycles, 4 * j.cells, 9 * owned);
      cycles += gridH * row + plan.halo * j.cells * plan.cellCycles + 9 * owned + STRIPE_PIPELINE_LATENCY;
      covered += j.cells;
    }
    assert.equal(p.cycles_per_frame, cycles);
    assert.equal(p.stripes, jobs.length);
    assert.equal(p.fps, 180e6 / cycles);
    assert.equal(p.meets_target, p.fps >= 30);
    // RAMs: cell_pack row, 2-row line buffers of the 3x3 stages (X0 | F+X0 | H+X0), unpack banks.
    const W = hw.stripeCells;
    const lines = plan.stages.filter((s) => s.k === 3).map((s, i) => 2 * W * (s.cin * 8 + (i === 0 ? 0 : 32)));
    assert.deepEqual(lines, [2 * W * 32, 2 * W * 160, 2 * W * 128]);
    assert.equal(p.onchip_memory.sram_bits, W * 16 + W * 34 + lines.reduce((a, b) => a + b, 0) + 2 * W * 72);
    assert.equal(p.onchip_memory_bits, p.onchip_memory.sram_bits + p.onchip_memory.flop_bits);
    assert.ok(p.buffers.filter((b) => b.impl === 'flops').every((b) => b.estimate), 'register sizes are marked as estimates');
    assert.equal(p.dram.hiddenReadBytes, covered * gridH * 12);
    assert.equal(p.dram.hiddenWriteBytes, gridW * gridH * 12);
    assert.equal(p.dram.videoInBytes, 2 * covered * 720);
    assert.equal(p.dram.videoOutBytes, 1920 * 1080);
    assert.equal(p.dram_gb_per_s, (p.dram_bytes_per_frame * p.fps) / 1e9);
  });

  it('keeps X0 once in the head line buffer when the head reads it as channels (head_x0)', () => {
    const base = loadNetWeights(DEFAULT_NET_WEIGHTS).config as unknown as Record<string, unknown>;
    const hw = hwParams.validate({});
    const p = profileUpscaler(netKnobs({ ...base, head_x0: true }), hw);
    const head = p.stages[p.stages.length - 1];
    assert.deepEqual([head.cin, head.T, head.useful_macs_per_cell], [16, 144, 16 * 9 * 9]);
    assert.equal(p.buffers.find((b) => b.name === 'head.lines')!.bits, 2 * hw.stripeCells * (16 * 8), '[H, X0] = 128 bits, no second X0');
  });

  it('trades MACs for cycles per cell, and halo for memory with the stripe width', () => {
    const net = defaultNet();
    const at = (cellCycles: number, stripeCells: number) => profileUpscaler(net, hwParams.validate({ cellCycles, stripeCells }));
    const byCycles = [4, 6, 9, 12, 16, 24, 32, 64].map((c) => at(c, 64));
    for (let i = 1; i < byCycles.length; i++) {
      const [a, b] = [byCycles[i - 1], byCycles[i]];
      assert.ok(b.macs <= a.macs, `MACs at ${b.cell_cycles} vs ${a.cell_cycles} cycles/cell`);
      assert.ok(b.fps <= a.fps, `fps at ${b.cell_cycles} vs ${a.cell_cycles} cycles/cell`);
      assert.equal(b.onchip_memory.sram_bits, a.onchip_memory.sram_bits, 'RAMs do not depend on the rate');
    }
    // 4 and 6 cycles/cell are both output-bound: 50% more MACs for the same fps (the fill term differs slightly).
    assert.equal(byCycles[0].bound, 'video_out');
    assert.equal(byCycles[1].bound, 'video_out');
    assert.ok(byCycles[0].macs >= 1.5 * byCycles[1].macs && byCycles[0].fps < 1.01 * byCycles[1].fps, 'below 9 cycles the extra MACs buy no fps');
    const byStripe = [8, 16, 32, 64, 128, 256, 640].map((s) => at(16, s));
    for (let i = 1; i < byStripe.length; i++) {
      const [a, b] = [byStripe[i - 1], byStripe[i]];
      assert.ok(b.halo_overhead <= a.halo_overhead && b.dram_bytes_per_frame <= a.dram_bytes_per_frame && b.fps >= a.fps, `stripe ${i}`);
      assert.ok(b.onchip_memory_bits > a.onchip_memory_bits, `memory grows with the stripe (${i})`);
    }
    assert.equal(byStripe[byStripe.length - 1].halo_overhead, 0, 'one stripe = the whole frame');
  });

  it('says plainly when a config cannot meet the frame rate', () => {
    const slow = profileUpscaler(defaultNet(), hwParams.validate({ cellCycles: 64 }), 30);
    assert.equal(slow.meets_target, false);
    assert.match(slow.verdict, /^CANNOT meet 30 fps: only \d+\.\d fps at 180 MHz with \d+ MACs at 64 cycles per cell/);
    const fast = profileUpscaler(defaultNet(), hwParams.validate({ cellCycles: 16 }), 30);
    assert.equal(fast.meets_target, true);
    assert.match(fast.verdict, /^meets 30 fps/);
  });

  it('rejects bad knobs with every violation listed, and stripes too narrow for the halo', () => {
    assert.throws(() => hwParams.validate({ cellCycles: 0, stripeCells: 2 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_INVALID_PARAM');
      assert.match(e.message, /cellCycles = 0: must be an integer in \[1, 4096\]/);
      assert.match(e.message, /stripeCells = 2: must be an integer in \[4, 1024\]/);
      return true;
    });
    assert.throws(() => hwParams.validate({ lrWidth: 1281 }), /lrWidth x lrHeight \(1281x720\) must both be even/);
    assert.throws(() => netKnobs({ hidden_c: 0, upsample_mode: 'nearest' as never }), /hidden_c = 0[\s\S]*upsample_mode = "nearest"/);
    assert.throws(() => profileUpscaler(defaultNet(), hwParams.validate({ stripeCells: 6 })), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_STRIPE_TOO_NARROW');
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /stripeCells = 6 leaves no owned cells: the network's halo is 3 cells on each side .* needs stripeCells >= 7/);
      return true;
    });
  });
});

describe('cli: screen profile', () => {
  const screen = (...args: string[]) => spawnSync('node', ['bin/screen.js', 'profile', ...args], { encoding: 'utf8' });

  it('prints one JSON document with the documented keys', () => {
    const r = screen('--width', '640', '--height', '360', '--cell-cycles', '12', '--stripe-cells', '48', '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['macs_per_lr_pixel', 'macs_per_frame', 'cycles_per_frame', 'utilisation', 'onchip_memory_bits', 'dram_bytes_per_frame', 'fps', 'stages', 'buffers', 'dram', 'halo', 'stripes']) assert.ok(k in j, k);
    assert.equal(j.macs_per_frame, j.macs_per_lr_pixel * 640 * 360);
    assert.equal(j.config.hw.cellCycles, 12);
    assert.equal(j.config.hw.stripeCells, 48);
  });

  it('prints the stage table and exits 1 when the target frame rate is missed, 2 on bad usage', () => {
    const slow = screen('--cell-cycles', '64');
    assert.equal(slow.status, 1);
    assert.match(slow.stdout, /^feat1 +16 +16 3 +144 /m);
    assert.match(slow.stdout, /CANNOT meet 30 fps/);
    const bad = screen('--upsample-mode', 'nearest');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--upsample-mode must be one of pixelshuffle, deconv; got 'nearest'/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
    const narrow = screen('--stripe-cells', '6');
    assert.equal(narrow.status, 2);
    assert.match(narrow.stderr, /stripeCells = 6 leaves no owned cells/);
    assert.doesNotMatch(narrow.stderr, /at .*\.ts:\d+/);
    assert.match(screen('--help').stdout, /--cell-cycles <N>[\s\S]*--stripe-cells <CELLS>/);
  });

  it('reads a network config file', () => {
    const out = execFileSync('node', ['bin/screen.js', 'profile', '--config', 'train/configs/tiny.json', '--json'], { encoding: 'utf8' });
    assert.equal(JSON.parse(out).config.net.name, 'tiny');
  });
});
