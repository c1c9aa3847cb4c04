// The accelerator with weights loaded at start-up (hwParams.weightSource 'loaded'): the words of
// screen_top_weights.hex streamed into screen_core's s_axis_weights under Verilator, then real
// DAVIS val crops bit-exact with the golden model (every HR pixel and hidden-state byte); a
// second network of the same shapes loaded over the first without a reset, and the first again;
// frames that start before the weights, truncated and over-long images flagged and recovered
// from. All on the tiny fixture networks (tiny_x0_q8 and tiny_x0b_q8, 60 MACs): one Verilator
// build serves every simulation here. The default (baked) build is checked unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elaborate, writeVerilog, type Module } from '../../generators/core/index.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { ERROR_BITS, errorBits, type ErrorBit } from '../../generators/designs/upscaler/core.ts';
import { profileUpscaler } from '../../generators/designs/upscaler/profile.ts';
import { SCREEN_TOP_REGS, screenTopRegs } from '../../generators/designs/upscaler/regs.ts';
import { buildScreenTop } from '../../generators/designs/upscaler/top.ts';
import { parseWeightHex, weightMemory, weightMemoryFiles } from '../../generators/designs/upscaler/weights_mem.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DAVIS_ROOT, davisFramePath, frameToBeats, loadFrame } from '../../sim/frames.ts';
import { runStreamSim } from '../../sim/run.ts';
import { simulateFrames, upscalerDesign, weightBeats, weightImageFor } from '../../sim/upscaler.ts';
import type { BeatIn } from '../../sim/types.ts';
import { hasBinary, verilatorLint } from '../helpers/tools.ts';
import { runTopTestbench, type TopOp, type TopTbResult } from './screen_top_tb.ts';

const fixture = (f: string) => loadNetWeights(fileURLToPath(new URL(`../fixtures/net/${f}`, import.meta.url)));
const netA = fixture('tiny_x0_q8.json');
const netB = fixture('tiny_x0b_q8.json');
const hw = hwParams.validate({ stripeCells: 16, weightSource: 'loaded' });

/** The image as `screen gen --design top` writes it: screen_top_weights.hex, parsed back. */
function hexImage(net: typeof netA): number[] {
  const { plan } = upscalerDesign(netA, hw);
  return parseWeightHex(weightMemoryFiles(net, plan).get('screen_top_weights.hex')!, `${net.name} screen_top_weights.hex`);
}

describe('screen_core with loaded weights (Verilator, tiny networks)', function () {
  this.timeout(900_000);
  before(function () {
    if (!hasBinary('verilator')) this.skip(); // installed in CI (.ci/run)
  });

  it('the hex image equals the plan\'s image; another network\'s image has the same shape but other words', () => {
    const { plan } = upscalerDesign(netA, hw);
    const a = hexImage(netA), b = hexImage(netB);
    assert.deepEqual(a, weightMemory(netA, plan).words);
    assert.equal(a.length, 301);
    assert.deepEqual(weightImageFor(netA, netB, plan), b);
    assert.equal(b.length, a.length);
    assert.ok(a.filter((w, i) => w !== b[i]).length > 200, 'the two networks differ in most words');
    // A network of other shapes is refused before any simulation.
    assert.throws(() => weightImageFor(netA, fixture('tiny_deconv_q8.json'), plan), /tiny_deconv_q8.json: \w+ = .*, but the RTL was built from .*tiny_x0_q8.json with /);
  });

  it('screen_top_weights.hex loaded through s_axis_weights: 2 frames of every val sequence, 2 stripes each, stalls: 0 pixel and 0 hidden-state mismatches', async () => {
    const r = await simulateFrames({ net: netA, hw, dir: join(DAVIS_ROOT, 'val'), lrWidth: 48, lrHeight: 32, maxFrames: 2, seed: 9, backpressure: { inputGap: 0.2, outputStall: 0.2 }, dramLatency: 50, weightWords: hexImage(netA) });
    assert.equal(r.frames, 8);
    assert.equal(r.stripes_per_frame, 2);
    assert.equal(r.weight_source, 'loaded');
    assert.equal(r.weight_load?.words, 301);
    // 301 words: the first unit's share at full rate, the rest at one word per two cycles through the chain.
    assert.ok(r.weight_load!.cycles_per_job > 301 && r.weight_load!.cycles_per_job < 2000, `load took ${r.weight_load!.cycles_per_job} cycles`);
    assert.equal(r.mismatches, 0, `first mismatch: ${JSON.stringify(r.first_mismatch)}`);
    assert.equal(r.hidden_mismatches, 0);
    assert.equal(r.psnr_y.rtl.toFixed(3), r.psnr_y.golden.toFixed(3));
    assert.ok(Math.abs(r.measured_over_model - 1) < 0.05, `Verilator / profiler cycles = ${r.measured_over_model}`);
  });

  // One run, no reset: frames and images interleaved by the harness's inputAfter gates.
  const W = 32, H = 16, HR = (3 * W * 3 * H) / 4, CELLS = (W / 2) * (H / 2), N = W * H;
  const frames = () => Array.from({ length: 4 }, (_, i) => loadFrame(davisFramePath('car-shadow', i), { crop: { x: 300, y: 200, width: W, height: H } }));
  /** Golden HR frame and hidden state (zero initial state: cfg_hidden_reset = 1) of `net` on a frame. */
  const golden = (net: typeof netA, y: Uint8Array) => {
    const trace: Record<string, Int32Array> = {};
    const px = new FixedNet(net, true).run(y, W, H, trace);
    return { px, h: trace['gru0.h'] };
  };
  const run = (inputs: { s_axis_weights: BeatIn[]; s_axis_video: BeatIn[] }, inputAfter: Parameters<typeof runStreamSim>[0]['inputAfter'], framesOut: number, seed: number) =>
    runStreamSim({
      design: upscalerDesign(netA, hw).design,
      inputs,
      inputAfter,
      expect: { m_axis_video: framesOut * HR, m_axis_hidden: framesOut * CELLS },
      constInputs: { cfg_width: W, cfg_height: H, cfg_own_lo: 0, cfg_own_hi: W / 2, cfg_hidden_reset: 1 },
      seed,
      backpressure: { inputGap: 0.1, outputStall: 0.2 },
    });
  const errorsOf = (err: { data: bigint }[]): ErrorBit[] => err.flatMap((b) => errorBits(hw).filter((_, i) => (b.data >> BigInt(i)) & 1n));
  /** Output frame k (pixels and hidden bytes) against a golden result; returns the mismatch counts. */
  const compare = (r: Awaited<ReturnType<typeof run>>, k: number, g: ReturnType<typeof golden>) => {
    const px = r.outputs.m_axis_video.slice(k * HR, (k + 1) * HR).map((b) => Number(b.data));
    const hid = r.outputs.m_axis_hidden.slice(k * CELLS, (k + 1) * CELLS);
    let hmis = 0;
    hid.forEach((b, cell) => {
      for (let c = 0; c < 4; c++) if ((Number((b.data >> BigInt(8 * c)) & 0xffn) << 24 >> 24) !== g.h[c * CELLS + cell]) hmis++;
    });
    return { pixels: px.filter((v, i) => v !== g.px[i]).length, hidden: hmis };
  };

  it('reload without reset: network A, then B (a different network, same shapes), then A again; each frame bit-exact with its own golden model', async () => {
    const f = frames();
    const A = hexImage(netA), B = hexImage(netB);
    const gA = [golden(netA, f[0].data), golden(netA, f[2].data)], gB = golden(netB, f[1].data);
    assert.ok(gB.px.some((v, i) => v !== golden(netA, f[1].data).px[i]), 'the two networks give different pixels on this frame (else the test proves nothing)');
    const weights = [...weightBeats(A), ...weightBeats(B), ...weightBeats(A)];
    const video = [0, 1, 2].flatMap((i) => frameToBeats(f[i]));
    const r = await run({ s_axis_weights: weights, s_axis_video: video }, {
      // Frame 0 after image A; frame 1 while image B is still loading (its start of frame must wait, not be dropped); frame 2 likewise for the second A.
      s_axis_video: [{ beat: 0, after: 's_axis_weights', count: A.length }, { beat: N, after: 's_axis_weights', count: A.length + 10 }, { beat: 2 * N, after: 's_axis_weights', count: A.length + B.length + 10 }],
      // Each reload is offered as soon as the previous frame's pixels are all in, while that frame is still in flight: the core must hold it until the frame's last output line.
      s_axis_weights: [{ beat: A.length, after: 's_axis_video', count: N }, { beat: A.length + B.length, after: 's_axis_video', count: 2 * N }],
    }, 3, 21);
    assert.deepEqual(errorsOf(r.outputs.err), [], 'no frame dropped, no bad image');
    assert.deepEqual(compare(r, 0, gA[0]), { pixels: 0, hidden: 0 }, 'frame 0, network A');
    assert.deepEqual(compare(r, 1, gB), { pixels: 0, hidden: 0 }, 'frame 1, network B loaded over A');
    assert.deepEqual(compare(r, 2, gA[1]), { pixels: 0, hidden: 0 }, 'frame 2, network A loaded over B');
  });

  it('bad input: a frame before any weights, a truncated image and an over-long image are flagged, their frames discarded; a complete image then works', async () => {
    const f = frames();
    const A = hexImage(netA);
    const truncated = weightBeats(A.slice(0, A.length - 3)); // tlast three words early (inside the head's share)
    const long = weightBeats([...A, 0x01020304, 0x7f7f7f7f]); // word 301 without tlast, two extra words
    const good = weightBeats(A);
    const weights = [...truncated, ...long, ...good];
    const video = [0, 1, 2, 3].flatMap((i) => frameToBeats(f[i]));
    const t = truncated.length, l = t + long.length;
    const r = await run({ s_axis_weights: weights, s_axis_video: video }, {
      // frame 0 at once (no weights yet); frames 1 and 2 after the bad images; frame 3 after the good one.
      s_axis_video: [{ beat: N, after: 's_axis_weights', count: t }, { beat: 2 * N, after: 's_axis_weights', count: l }, { beat: 3 * N, after: 's_axis_weights', count: weights.length }],
      // each image only once the frame before it has started (and been discarded)
      s_axis_weights: [{ beat: 0, after: 's_axis_video', count: 1 }, { beat: t, after: 's_axis_video', count: N + 1 }, { beat: l, after: 's_axis_video', count: 2 * N + 1 }],
    }, 1, 22);
    assert.deepEqual(errorsOf(r.outputs.err), ['no_weights', 'weights_len', 'no_weights', 'weights_len', 'no_weights']);
    assert.equal(r.outputs.m_axis_video.length, HR, 'only the frame after the complete image comes out');
    assert.deepEqual(compare(r, 0, golden(netA, f[3].data)), { pixels: 0, hidden: 0 });
  });
});

describe('screen sim --weight-source loaded (CLI)', function () {
  this.timeout(600_000);
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/screen.js', 'sim', ...args], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  const common = ['--frames', join(DAVIS_ROOT, 'val', 'blackswan'), '--crop', '32x16', '--max-frames', '1', '--weights', 'test/fixtures/net/tiny_x0_q8.json', '--stripe-cells', '16'];
  it('loads another network into the RTL built from --weights (--load-weights), bit-exact with its golden model; JSON reports the load', function () {
    if (!hasBinary('verilator')) this.skip();
    const r = cli([...common, '--weight-source', 'loaded', '--load-weights', 'test/fixtures/net/tiny_x0b_q8.json', '--json']);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, true);
    assert.equal(j.mismatches, 0);
    assert.equal(j.weight_source, 'loaded');
    assert.match(j.weight_load.net, /tiny_x0b_q8\.json$/);
    assert.equal(j.weight_load.words, 301);
  });
  it('--load-weights without --weight-source loaded, and a network of other shapes, exit 2 with a message', () => {
    const a = cli([...common, '--load-weights', 'test/fixtures/net/tiny_x0b_q8.json']);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /--load-weights needs --weight-source loaded/);
    const b = cli([...common, '--weight-source', 'loaded', '--load-weights', 'test/fixtures/net/tiny_deconv_q8.json']);
    assert.equal(b.status, 2, b.stderr.slice(-1000));
    assert.match(b.stderr, /tiny_deconv_q8\.json: \w+ = .* but the RTL was built from/);
  });
});

describe('loaded weights: ports, registers, profiler (no simulation)', function () {
  this.timeout(300_000);
  /** Bits of the registers of a module tree whose names match `re`. */
  const regBits = (m: Module, re: RegExp): number => m.signals.filter((r) => r.kind === 'reg' && re.test(r.name)).reduce((a, r) => a + r.width, 0) + m.instances.reduce((a, i) => a + regBits(i.child, re), 0);

  it('baked (the default) has no weight port, the four error bits and SCREEN_TOP_REGS; loaded adds s_axis_weights, status.weights_loaded and two error bits', () => {
    const baked = hwParams.validate({ stripeCells: 16 });
    assert.equal(baked.weightSource, 'baked');
    assert.deepEqual(errorBits(baked), ERROR_BITS);
    assert.equal(screenTopRegs(baked), SCREEN_TOP_REGS);
    assert.deepEqual(errorBits(hw), [...ERROR_BITS, 'no_weights', 'weights_len']);
    const regs = screenTopRegs(hw, 301);
    const fields = (r: string) => regs.registers.find((x) => x.name === r)!.fields.map((f) => `${f.name}@${f.lsb}`);
    assert.deepEqual(fields('status'), ['busy@0', 'weights_loaded@1', 'frames_done@16']);
    assert.deepEqual(fields('errors'), ['eol_early@0', 'eol_late@1', 'sof@2', 'cfg@3', 'no_weights@4', 'weights_len@5']);
    const ports = (h: typeof hw) => buildScreenTop(netA, h).module.ports.map((p) => p.name);
    assert.ok(!ports(baked).some((p) => p.startsWith('s_axis_weights')));
    assert.deepEqual(ports(hw).filter((p) => p.startsWith('s_axis_weights')), ['s_axis_weights_tdata', 's_axis_weights_tvalid', 's_axis_weights_tready', 's_axis_weights_tlast']);
  });

  it('screen_top with loaded weights lints clean with verilator -Wall (video y8 and rgb888)', function () {
    if (!hasBinary('verilator')) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'screen-top-loaded-'));
    try {
      for (const video of ['y8', 'rgb888'] as const) {
        const r = verilatorLint(writeVerilog(elaborate(buildScreenTop(netA, { ...hw, video }).module), join(dir, video)), 'screen_top');
        assert.ok(r.ok, `${video}: ${r.output.slice(0, 4000)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('screen profile counts each conv unit\'s weight table as flip-flops, equal to the RTL\'s table registers', () => {
    const top = buildScreenTop(netA, hw);
    const p = profileUpscaler(netA.config, hw);
    const base = profileUpscaler(netA.config, hwParams.validate({ stripeCells: 16 }));
    const tables = p.buffers.filter((b) => b.name.endsWith('.weights'));
    assert.deepEqual(tables.map((b) => b.name), top.plan.stages.map((s) => `${s.name}.weights`));
    assert.ok(tables.every((b) => b.impl === 'flops' && !b.estimate));
    assert.equal(base.buffers.filter((b) => b.name.endsWith('.weights')).length, 0, 'baked weights are logic, not memory');
    for (const st of top.plan.stages) {
      const u = top.core.instances.find((i) => i.name === `u_${st.name.replace('.', '_')}`)!;
      assert.equal(tables.find((b) => b.name === `${st.name}.weights`)!.bits, regBits(u.child, /^w_(weights|bias|M|S|clamp)_\d+$/), st.name);
    }
    // Beyond the tables, a loaded unit keeps its operand register (T x 8 + pass bits; baked units
    // read their operands in place): the rest of the on-chip flops are the same.
    const unitBits = (q: typeof p, name: string) => q.buffers.find((b) => b.name === `${name}.conv_unit`)!.bits;
    const operandRegs = top.plan.stages.reduce((a, st) => a + unitBits(p, st.name) - unitBits(base, st.name), 0);
    assert.ok(operandRegs >= top.plan.stages.reduce((a, st) => a + st.T * 8, 0), `operand registers ${operandRegs}`);
    assert.equal(p.onchip_memory.flop_bits - base.onchip_memory.flop_bits, tables.reduce((a, b) => a + b.bits, 0) + operandRegs);
  });
});

describe('screen_top with loaded weights: status.weights_loaded, errors.no_weights / weights_len, reload, soft reset (Icarus)', function () {
  this.timeout(600_000);
  // A small crop and one computed frame: Icarus evaluates the loaded tables' lane muxes bit by bit.
  const W = 16, H = 8, HR = (3 * W * 3 * H) / 4, N = W * H;
  const reg = (name: string) => screenTopRegs(hw, 301).registers.find((x) => x.name === name)!;
  const A = { ctrl: reg('ctrl').offset, size: reg('frame_size').offset, own: reg('own_cols').offset, status: reg('status').offset, errors: reg('errors').offset, cmd: reg('cmd').offset };
  const bit = (r: string, f: string) => 1 << reg(r).fields.find((x) => x.name === f)!.lsb;
  let r: TopTbResult;
  let goldB: Uint8Array, goldA: Uint8Array;
  const read = (tag: string) => {
    const v = r.reads.get(tag);
    assert.ok(v, `no read '${tag}'`);
    assert.equal(v.resp, 0, `read '${tag}': rresp ${v.resp}`);
    return v.data;
  };
  const st = (tag: string) => {
    const v = read(tag);
    return { busy: v & 1, loaded: (v & bit('status', 'weights_loaded')) ? 1 : 0, framesDone: v >>> 16 };
  };

  before(function () {
    if (!hasBinary('iverilog')) this.skip(); // installed in CI (.ci/run)
    const dir = mkdtempSync(join(tmpdir(), 'screen-top-loaded-'));
    try {
      const top = buildScreenTop(netA, hw);
      const files = writeVerilog(elaborate(top.module), dir);
      const imgs = [0, 1].map((i) => loadFrame(davisFramePath('car-shadow', i), { crop: { x: 300, y: 200, width: W, height: H } }));
      goldB = new FixedNet(netB, true).run(imgs[1].data, W, H);
      goldA = new FixedNet(netA, true).run(imgs[1].data, W, H);
      const a = hexImage(netA), b = hexImage(netB);
      const weights = [...weightBeats(a.slice(0, 100)), ...weightBeats(a), ...weightBeats(b)]; // a truncated image (100 words), A, B
      const size = ((H << 16) | W) >>> 0;
      const ops: TopOp[] = [
        { op: 'read', addr: A.status, tag: 'st0' },
        { op: 'write', addr: A.size, data: size, tag: 'size' },
        { op: 'write', addr: A.own, data: ((W / 2) << 16) >>> 0, tag: 'own' },
        { op: 'write', addr: A.ctrl, data: 0b11, tag: 'ctrl' },
        // a frame before any weights: discarded, errors.no_weights
        { op: 'send', from: 0, count: N },
        { op: 'idle', cycles: 50 },
        { op: 'read', addr: A.errors, tag: 'err1' },
        { op: 'read', addr: A.status, tag: 'st1' },
        { op: 'write', addr: A.errors, data: bit('errors', 'no_weights'), tag: 'w1c1' },
        // a truncated image: errors.weights_len, still not loaded
        { op: 'sendWeights', from: 0, count: 100 },
        { op: 'idle', cycles: 50 },
        { op: 'read', addr: A.errors, tag: 'err2' },
        { op: 'read', addr: A.status, tag: 'st2' },
        { op: 'write', addr: A.errors, data: bit('errors', 'weights_len'), tag: 'w1c2' },
        // network A, then network B over it without reset, then a frame
        { op: 'sendWeights', from: 100, count: 301 },
        { op: 'idle', cycles: 50 },
        { op: 'read', addr: A.status, tag: 'st3' },
        { op: 'sendWeights', from: 401, count: 301 },
        { op: 'idle', cycles: 50 },
        { op: 'read', addr: A.status, tag: 'st5' },
        { op: 'mark', tag: 'f2' },
        { op: 'send', from: N, count: N },
        { op: 'waitPixels', pixels: HR },
        { op: 'read', addr: A.errors, tag: 'err6' },
        { op: 'read', addr: A.status, tag: 'st6' },
        // soft reset clears the tables' status
        { op: 'write', addr: A.cmd, data: 1, tag: 'srst' },
        { op: 'idle', cycles: 20 },
        { op: 'read', addr: A.status, tag: 'st7' },
      ];
      const video = imgs.flatMap((im) => frameToBeats(im));
      r = runTopTestbench({ verilogFiles: files, video, weights, ops, hiddenBits: netA.config.hidden_c * 8, addrBits: SCREEN_TOP_REGS.addrBits, seed: 5, inputGapPm: 100, outputStallPm: 200, maxCycles: 20_000, opCycles: 10_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after reset weights_loaded = 0; a frame then is discarded with errors.no_weights and irq_error, and does not stay in flight', () => {
    assert.deepEqual(st('st0'), { busy: 0, loaded: 0, framesDone: 0 });
    assert.equal(read('err1'), bit('errors', 'no_weights'));
    assert.deepEqual(st('st1'), { busy: 0, loaded: 0, framesDone: 0 });
    assert.equal(r.marks.get('f2')!.pixels, 0, 'the discarded frame produced pixels');
    assert.equal(r.irq[0]?.value, 1);
    assert.equal(r.irq[1]?.value, 0, 'W1C clears irq_error');
  });

  it('a truncated image sets errors.weights_len and leaves weights_loaded at 0', () => {
    assert.equal(read('err2'), bit('errors', 'weights_len'));
    assert.deepEqual(st('st2'), { busy: 0, loaded: 0, framesDone: 0 });
  });

  it('network A loaded: weights_loaded = 1; network B loaded over it without reset: a real crop bit-exact with B', () => {
    assert.deepEqual(st('st3'), { busy: 0, loaded: 1, framesDone: 0 });
    assert.deepEqual(st('st5'), { busy: 0, loaded: 1, framesDone: 0 });
    assert.ok(goldB.some((v, i) => v !== goldA[i]), 'A and B differ on this crop');
    const f2 = r.marks.get('f2')!.pixels;
    assert.equal(r.pixels.length - f2, HR);
    assert.deepEqual(r.pixels.slice(f2).map((p) => p.data), Array.from(goldB), 'frame with network B');
    assert.equal(read('err6'), 0);
    assert.deepEqual(st('st6'), { busy: 0, loaded: 1, framesDone: 1 });
  });

  it('cmd.soft_reset clears weights_loaded (the host loads the weights again)', () => {
    assert.deepEqual(st('st7'), { busy: 0, loaded: 0, framesDone: 1 });
  });
});
