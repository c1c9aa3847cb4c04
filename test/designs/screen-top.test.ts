// screen_top's register side, directed: one Icarus Verilog run of the whole chip (register file +
// datapath + frame bookkeeping) through a scripted sequence of AXI4-Lite accesses and real video
// frames (screen_top_tb.ts), then one check per behaviour on the recorded events. Icarus rather
// than Verilator: the testbench is a plain Verilog script (AXI4-Lite tasks interleaved with
// stream drivers) and there is no C++ build of the ~0.9 MB design to wait for; the run is
// ~30k cycles. The datapath's own bit-exactness under Verilator is upscaler-rtl.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elaborate, writeVerilog } from '../../generators/core/index.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { buildScreenTop } from '../../generators/designs/upscaler/top.ts';
import { SCREEN_TOP_REGS } from '../../generators/designs/upscaler/regs.ts';
import { ERROR_BITS } from '../../generators/designs/upscaler/core.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { davisFramePath, frameToBeats, loadFrame } from '../../sim/frames.ts';
import type { BeatIn } from '../../sim/types.ts';
import { hasBinary } from '../helpers/tools.ts';
import { runTopTestbench, type TopOp, type TopTbResult } from './screen_top_tb.ts';

// A tiny network (4 features, 4 hidden channels, head_x0): the register side does not depend on
// the network, and Icarus evaluates the default network's carry-save trees bit by bit (over 10
// minutes for this script); the default network's bit-exactness is upscaler-rtl.test.ts's job.
const net = loadNetWeights(fileURLToPath(new URL('../fixtures/net/tiny_x0_q8.json', import.meta.url)));
const narrow = hwParams.validate({ stripeCells: 16 });
const W = 32, H = 16; // LR crop
const HRW = (3 * W) / 2, HRH = (3 * H) / 2, HR = HRW * HRH;
const N = W * H;
const reg = (name: string) => {
  const r = SCREEN_TOP_REGS.registers.find((x) => x.name === name);
  if (!r) throw new Error(`SCREEN_TOP_REGS has no register '${name}'`);
  return r;
};
const A = { ctrl: reg('ctrl').offset, size: reg('frame_size').offset, own: reg('own_cols').offset, status: reg('status').offset, errors: reg('errors').offset, cycles: reg('perf_cycles').offset, stalls: reg('perf_stalls').offset, cmd: reg('cmd').offset };
const errBit = (e: (typeof ERROR_BITS)[number]) => 1 << reg('errors').fields.find((f) => f.name === e)!.lsb;
const resetValue = (name: string) => reg(name).fields.reduce((v, f) => v | ((f.reset ?? 0) << f.lsb), 0) >>> 0;
const status = (v: number) => ({ busy: v & 1, framesDone: v >>> 16 });

describe('screen_top: AXI4-Lite registers, frame counters, errors and soft reset around real frames (Icarus)', function () {
  this.timeout(600_000);
  let r: TopTbResult;
  let gold: Uint8Array[];
  /** Pixel index where each scripted frame's output starts. */
  const at = (tag: string) => r.marks.get(tag)!;
  const read = (tag: string) => {
    const v = r.reads.get(tag);
    assert.ok(v, `no read '${tag}' in the testbench log`);
    assert.equal(v.resp, 0, `read '${tag}': rresp ${v.resp}`);
    return v.data;
  };
  /** Output pixels [from, from + n) against a golden frame; framing bits included. */
  const exact = (from: number, g: Uint8Array, label: string) => {
    const px = r.pixels.slice(from, from + HR);
    assert.equal(px.length, HR, `${label}: ${px.length} pixels`);
    const bad = px.findIndex((p, i) => p.data !== g[i]);
    assert.equal(bad, -1, bad < 0 ? '' : `${label}: first mismatch at x=${bad % HRW}, y=${Math.floor(bad / HRW)}: rtl ${px[bad].data}, golden ${g[bad]}`);
    px.forEach((p, i) => {
      assert.equal(p.user, i === 0, `${label}: tuser at pixel ${i}`);
      assert.equal(p.last, i % HRW === HRW - 1, `${label}: tlast at pixel ${i}`);
    });
    return px;
  };

  before(function () {
    if (!hasBinary('iverilog')) this.skip(); // installed in CI (.ci/run)
    const dir = mkdtempSync(join(tmpdir(), 'screen-top-rtl-'));
    try {
      const files = writeVerilog(elaborate(buildScreenTop(net, narrow).module), dir);
      const imgs = Array.from({ length: 8 }, (_, i) => loadFrame(davisFramePath('car-shadow', i), { crop: { x: 300, y: 200, width: W, height: H } }));
      const golden = new FixedNet(net, true); // ctrl.hidden_reset = 1: every frame starts from a zero state
      gold = imgs.map((im) => golden.run(im.data, W, H));
      const video: BeatIn[] = imgs.flatMap((im, i) => {
        const b = frameToBeats(im);
        if (i === 1) b[3 * W + 10].last = true; // frame 1: tlast early on LR line 3
        return b;
      });
      const size = (w: number, h: number) => ((h << 16) | w) >>> 0;
      const ops: TopOp[] = [
        { op: 'read', addr: A.ctrl, tag: 'ctrl0' },
        { op: 'read', addr: A.size, tag: 'size0' },
        { op: 'read', addr: A.status, tag: 'status0' },
        // (a) geometry first, enable last
        { op: 'write', addr: A.size, data: size(W, H), tag: 'size' },
        { op: 'write', addr: A.own, data: ((W / 2) << 16) >>> 0, tag: 'own' },
        { op: 'write', addr: A.ctrl, data: 0b11, tag: 'ctrl' },
        // (b)-(d) a clean frame
        { op: 'mark', tag: 'f0' },
        { op: 'send', from: 0, count: N },
        { op: 'waitPixels', pixels: HR },
        { op: 'mark', tag: 'f0end' },
        { op: 'read', addr: A.status, tag: 'status1' },
        { op: 'read', addr: A.cycles, tag: 'cycles1' },
        { op: 'read', addr: A.stalls, tag: 'stalls1' },
        { op: 'read', addr: A.errors, tag: 'errors1' },
        // (e) early tlast: flagged, the frame is completed; W1C clears only the bits written
        { op: 'send', from: N, count: N },
        { op: 'waitPixels', pixels: 2 * HR },
        { op: 'idle', cycles: 8 },
        { op: 'read', addr: A.errors, tag: 'errors2' },
        { op: 'read', addr: A.status, tag: 'status2' },
        { op: 'write', addr: A.errors, data: errBit('sof'), tag: 'w1c_other' },
        { op: 'read', addr: A.errors, tag: 'errors2b' },
        { op: 'mark', tag: 'clear_eol' },
        { op: 'write', addr: A.errors, data: errBit('eol_early'), tag: 'w1c' },
        { op: 'read', addr: A.errors, tag: 'errors2c' },
        // register misuse: a stripe wider than the build's 2 * stripeCells LR pixels
        { op: 'write', addr: A.size, data: size(2 * narrow.stripeCells + 2, H), tag: 'size_bad' },
        { op: 'mark', tag: 'bad' },
        { op: 'send', from: 2 * N, count: N },
        { op: 'idle', cycles: 50 },
        { op: 'mark', tag: 'bad_end' },
        { op: 'read', addr: A.errors, tag: 'errors3' },
        { op: 'read', addr: A.status, tag: 'status3' },
        { op: 'write', addr: A.size, data: size(W, H), tag: 'size_fix' },
        { op: 'write', addr: A.errors, data: errBit('cfg'), tag: 'w1c_cfg' },
        // the chip recovers without a reset: a clean frame
        { op: 'mark', tag: 'f3' },
        { op: 'send', from: 3 * N, count: N },
        { op: 'waitPixels', pixels: 3 * HR },
        { op: 'mark', tag: 'f3end' },
        { op: 'read', addr: A.status, tag: 'status4' },
        { op: 'read', addr: A.cycles, tag: 'cycles4' },
        // (f) soft reset once the frame has output a grid row, then a clean frame
        { op: 'send', from: 4 * N, count: 12 * W },
        { op: 'waitPixels', pixels: 3 * HR + 3 * HRW },
        { op: 'mark', tag: 'srst' },
        { op: 'write', addr: A.cmd, data: 1, tag: 'soft_reset' },
        { op: 'idle', cycles: 100 },
        { op: 'read', addr: A.status, tag: 'status5' },
        { op: 'read', addr: A.errors, tag: 'errors5' },
        { op: 'mark', tag: 'f5' },
        { op: 'send', from: 5 * N, count: N },
        { op: 'waitPixels', pixels: HR, sinceMark: true },
        { op: 'mark', tag: 'f5end' },
        { op: 'read', addr: A.status, tag: 'status6' },
        { op: 'read', addr: A.cycles, tag: 'cycles6' },
        // back-to-back: the next start of frame is accepted while the previous frame drains
        { op: 'mark', tag: 'f6' },
        { op: 'send', from: 6 * N, count: 2 * N },
        { op: 'waitPixels', pixels: 2 * HR, sinceMark: true },
        { op: 'mark', tag: 'f7end' },
        { op: 'read', addr: A.status, tag: 'status7' },
        { op: 'read', addr: A.cycles, tag: 'cycles7' },
        { op: 'read', addr: A.stalls, tag: 'stalls7' },
        { op: 'idle', cycles: 50 },
        { op: 'mark', tag: 'end' },
      ];
      r = runTopTestbench({ verilogFiles: files, video, ops, hiddenBits: net.config.hidden_c * 8, addrBits: SCREEN_TOP_REGS.addrBits, seed: 7, inputGapPm: 100, outputStallPm: 200, maxCycles: 60_000, opCycles: 20_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Cycle of the last pixel of the frame whose output starts at pixel `from`. */
  const lastPixel = (from: number) => r.pixels[from + HR - 1].cycle;
  /** The start-of-frame beat accepted last at or before `cycle`. */
  const sofBefore = (cycle: number) => Math.max(...r.sof.filter((c) => c <= cycle));

  it('reset values read back as the register map says; the configuration writes are OKAY', () => {
    assert.equal(read('ctrl0'), resetValue('ctrl'));
    assert.equal(read('size0'), resetValue('frame_size'));
    assert.deepEqual(status(read('status0')), { busy: 0, framesDone: 0 });
    for (const t of ['size', 'own', 'ctrl']) assert.equal(r.writes.get(t), 0, `bresp of write '${t}'`);
  });

  it('a real 32x16 crop streamed over AXI4-Stream comes out bit-exact to the golden model (hidden_reset = 1)', () => {
    exact(at('f0').pixels, gold[0], 'frame 0');
    assert.equal(at('f0end').pixels, HR, 'extra pixels after the frame');
  });

  it('after the frame: busy = 0, frames_done = 1, perf_cycles = last pixel cycle - start-of-frame cycle, perf_stalls = stalled cycles', () => {
    assert.deepEqual(status(read('status1')), { busy: 0, framesDone: 1 });
    // The register counts edges from the start-of-frame handshake to the last pixel's handshake:
    // both cycles are handshake cycles of the same clock, so their difference, not difference + 1.
    const measured = lastPixel(at('f0').pixels) - r.sof[0];
    assert.ok(read('cycles1') > 0);
    assert.equal(read('cycles1'), measured);
    const stalls = at('f0end').stalls - at('f0').stalls;
    assert.ok(stalls > 0, 'the testbench stalled video out (20% per cycle)');
    assert.equal(read('stalls1'), stalls);
    assert.equal(read('errors1'), 0);
  });

  it('early tlast: errors.eol_early and irq_error set, the frame completed; W1C clears only the bits written', () => {
    assert.equal(read('errors2'), errBit('eol_early'));
    assert.deepEqual(status(read('status2')), { busy: 0, framesDone: 2 });
    const px = r.pixels.slice(HR, 2 * HR);
    assert.equal(px.length, HR);
    assert.ok(px[0].user && px.filter((p) => p.last).length === HRH, 'the padded frame keeps its framing');
    assert.equal(read('errors2b'), errBit('eol_early'), 'writing 1 to another bit must not clear eol_early');
    assert.equal(read('errors2c'), 0);
    const rise = r.irq[0], fall = r.irq[1];
    assert.equal(rise?.value, 1);
    assert.ok(rise.cycle > r.sof[1] && rise.cycle < r.pixels[2 * HR - 1].cycle, `irq_error rose at cycle ${rise.cycle}, during frame 1`);
    assert.equal(fall?.value, 0);
    assert.ok(fall.cycle > at('clear_eol').cycle && fall.cycle < at('bad').cycle, `irq_error fell at cycle ${fall.cycle}, after the W1C write`);
  });

  it('frame_size wider than the build allows: errors.cfg, the frame is dropped, busy returns to 0, the next frame is exact', () => {
    assert.equal(read('errors3'), errBit('cfg'));
    assert.deepEqual(status(read('status3')), { busy: 0, framesDone: 2 }, 'a dropped frame must not stay in flight (shadow registers would stay frozen)');
    assert.equal(at('bad_end').pixels, 2 * HR, 'the dropped frame produced pixels');
    assert.deepEqual(r.irq.slice(2).map((e) => e.value), [1, 0], 'irq_error for the cfg error, cleared by its W1C');
    exact(at('f3').pixels, gold[3], 'frame 3 after the cfg error');
    assert.deepEqual(status(read('status4')), { busy: 0, framesDone: 3 });
    assert.equal(read('cycles4'), lastPixel(at('f3').pixels) - sofBefore(lastPixel(at('f3').pixels)));
  });

  it('soft reset in the middle of a frame flushes it; the registers keep their values and the next frame is exact', () => {
    const partial = r.pixels.slice(at('f3end').pixels, at('f5').pixels);
    assert.ok(partial.length >= 3 * HRW && partial.length < HR, `${partial.length} pixels of the interrupted frame`);
    partial.forEach((p, i) => assert.equal(p.data, gold[4][i], `interrupted frame: pixel ${i} before the reset`));
    assert.deepEqual(status(read('status5')), { busy: 0, framesDone: 3 }, 'soft reset must end the frame in flight');
    assert.equal(read('errors5'), 0, 'no spurious error flag from the flush');
    exact(at('f5').pixels, gold[5], 'frame 5 after the soft reset');
    assert.equal(at('f5end').pixels - at('f5').pixels, HR);
    assert.deepEqual(status(read('status6')), { busy: 0, framesDone: 4 });
    const end = lastPixel(at('f5').pixels);
    assert.equal(read('cycles6'), end - sofBefore(end), 'perf_cycles must count from this frame\'s start, not the flushed one');
  });

  it('back-to-back frames: both exact, counted, and perf_cycles of the second counts from its own start', () => {
    const f6 = at('f6').pixels;
    exact(f6, gold[6], 'frame 6');
    exact(f6 + HR, gold[7], 'frame 7');
    const sof7 = r.sof[r.sof.length - 1];
    assert.ok(sof7 < lastPixel(f6), `frame 7 started (cycle ${sof7}) before frame 6 ended (cycle ${lastPixel(f6)}): the case this test is for`);
    assert.deepEqual(status(read('status7')), { busy: 0, framesDone: 6 });
    assert.equal(read('cycles7'), lastPixel(f6 + HR) - sof7);
    assert.ok(read('stalls7') > 0);
    assert.equal(at('end').pixels, f6 + 2 * HR, 'no pixels after the last frame');
  });
});
