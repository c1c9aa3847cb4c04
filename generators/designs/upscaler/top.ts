// `screen_top`: the chip's top level = the AXI4-Lite register file (regs.ts) + `screen_core`
// (core.ts) + frame bookkeeping (busy, frames done, cycles and output stalls per frame) and a
// soft reset. Geometry registers are copied into shadow registers only while no frame is in
// flight, so the datapath's configuration never changes under a frame.
import { lit, Module, mux } from '../../core/index.ts';
import { buildRegFile } from '../../blocks/regfile/index.ts';
import { instSink, instSource, streamIn, streamOut, connectStream } from '../../blocks/axis/stream.ts';
import type { NetWeights } from '../../../model/net/weights.ts';
import { hwHeaderParams, type HwConfig } from './config.ts';
import { buildScreenCore, DIM_BITS, ERROR_BITS, errorBits, videoPixelBits } from './core.ts';
import { SCREEN_TOP_REGS, screenTopRegs } from './regs.ts';
import { weightMemory } from './weights_mem.ts';
import type { EnginePlan } from './plan.ts';

export interface TopInfo {
  module: Module;
  core: Module;
  plan: EnginePlan;
}

export function buildScreenTop(net: NetWeights, hw: HwConfig): TopInfo {
  const core = buildScreenCore(net, hw);
  const hc = net.config.hidden_c;
  const m = new Module('screen_top', { params: { design: 'screen_top', net: net.name, ...hwHeaderParams(hw) }, doc: `SCREEN video upscaler (${net.name}): AXI4-Lite registers, AXI4-Stream video in/out, hidden-state stream pair for an external DMA` });
  const loaded = hw.weightSource === 'loaded';
  const regs = m.instantiate('u_regs', buildRegFile(loaded ? screenTopRegs(hw, weightMemory(net, core.plan).words.length) : SCREEN_TOP_REGS));
  const AB = SCREEN_TOP_REGS.addrBits;
  for (const [p, w] of [['awaddr', AB], ['awvalid', 1], ['wdata', 32], ['wstrb', 4], ['wvalid', 1], ['bready', 1], ['araddr', AB], ['arvalid', 1], ['rready', 1]] as const) regs.connect(`s_axil_${p}`, m.input(`s_axil_${p}`, w));
  for (const [p, w] of [['awready', 1], ['wready', 1], ['bresp', 2], ['bvalid', 1], ['arready', 1], ['rdata', 32], ['rresp', 2], ['rvalid', 1]] as const) m.output(`s_axil_${p}`, w).set(regs.out(`s_axil_${p}`));

  const c = m.instantiate('u_core', core.module);
  // Soft reset: a register, so the core's reset is glitch-free; it also holds the core in reset
  // during the chip's reset. The strobe also clears the frame bookkeeping below (the frames in
  // flight are flushed with the datapath).
  const softReset = m.wire('soft_reset', regs.out('cmd_wstb').and(regs.out('cmd_soft_reset')));
  const coreRst = m.regInit('core_rst_n', 1, 0, { doc: 'core reset (active low): chip reset or cmd.soft_reset' });
  coreRst.set(softReset.not());
  c.withReset(coreRst);

  // ---- frame bookkeeping ------------------------------------------------------------------------
  // Up to two frames are in flight: the next frame's start of frame may be accepted while the
  // previous frame's last rows are still in the pipeline (back-to-back frames). `cur_*` count
  // for the oldest frame, `nxt_*` for the newer one; a third start of frame is held off until
  // the oldest frame ends. A frame the core drops at its start (err cfg) leaves the count.
  // Video pixels: 8 bits (video y8) or 24 bits RGB888, R in bits 7:0, G 15:8, B 23:16 (video rgb888).
  const vin = streamIn(m, { width: videoPixelBits(hw) }, 's_axis_video');
  const vout = streamOut(m, { width: videoPixelBits(hw) }, 'm_axis_video');
  const enable = regs.out('ctrl_enable');
  const inFlight = m.regInit('in_flight', 2, 0, { doc: 'frames whose start of frame was accepted and whose last output pixel was not yet sent (0..2)' });
  const busy = m.wire('busy', inFlight.ne(0));
  const holdSof = m.wire('hold_sof', vin.userSig!.and(inFlight.eq(2)));
  const gate = m.wire('video_in_gate', enable.and(coreRst).and(holdSof.not()));
  const coreIn = instSink(c, 's_axis_video');
  coreIn.driveData(vin.data);
  coreIn.driveLast(vin.lastSig!);
  coreIn.driveUser(vin.userSig!);
  coreIn.driveValid(vin.valid.and(gate));
  vin.driveReady(coreIn.readySig!.and(gate));
  const coreOut = instSource(c, 'm_axis_video');
  connectStream(m, coreOut, vout);
  connectStream(m, streamIn(m, { width: hc * 8 }, 's_axis_hidden'), instSink(c, 's_axis_hidden'));
  connectStream(m, instSource(c, 'm_axis_hidden'), streamOut(m, { width: hc * 8 }, 'm_axis_hidden'));
  // Loaded weights: the image goes straight to the core's weight port (32-bit words, tlast on the last).
  if (loaded) connectStream(m, streamIn(m, { width: 32, user: false }, 's_axis_weights'), instSink(c, 's_axis_weights'));

  // Shadow geometry: follows the registers while idle, frozen while a frame is in flight.
  const shadow = (name: string, src: ReturnType<typeof regs.out>, width: number) => {
    const r = m.regInit(`cfg_${name}`, width, 0);
    // The register fields are 16 bits for every build; this build's datapath needs `width`.
    if (src.width > width) m.unused(src.slice(src.width - 1, width), `this build uses ${width} bits (larger values are outside its stripe/frame limits)`);
    m.when(busy.not(), () => r.set(src.trunc(width)));
    return r;
  };
  const height = shadow('height', regs.out('frame_size_height'), DIM_BITS);
  const cb = c.child.port('cfg_own_lo')!.width;
  c.connect('cfg_width', shadow('width', regs.out('frame_size_width'), DIM_BITS));
  c.connect('cfg_height', height);
  c.connect('cfg_own_lo', shadow('own_lo', regs.out('own_cols_lo'), cb));
  c.connect('cfg_own_hi', shadow('own_hi', regs.out('own_cols_hi'), cb));
  c.connect('cfg_hidden_reset', shadow('hidden_reset', regs.out('ctrl_hidden_reset'), 1));

  // A frame starts with an accepted start-of-frame beat and ends with its 1.5 * height-th
  // output line; cycles and output stalls are counted in between.
  const sof = m.wire('sof_accepted', vin.valid.and(vin.userSig!).and(coreIn.readySig!).and(gate));
  const outFire = m.wire('out_fire', coreOut.valid.and(vout.readySig!));
  const stall = m.wire('out_stall', coreOut.valid.and(vout.readySig!.not()));
  const cfgErr = m.wire('cfg_dropped', c.out('err_tvalid').and(c.out('err_tdata').bit(ERROR_BITS.indexOf('cfg'))));
  const lines = m.regInit('out_lines', DIM_BITS + 1, 0, { doc: 'HR lines sent in the oldest frame in flight' });
  const hrLines = m.wire('hr_lines', height.zext(DIM_BITS + 1).add(height.slice(DIM_BITS - 1, 1).zext(DIM_BITS + 1), DIM_BITS + 1));
  const frameEnd = m.wire('frame_end', busy.and(outFire).and(coreOut.lastSig!).and(lines.add(1, DIM_BITS + 1).eq(hrLines)));
  const curCyc = m.regInit('cur_cycles', 32, 0);
  const curStalls = m.regInit('cur_stalls', 32, 0);
  const nxtCyc = m.regInit('nxt_cycles', 32, 0);
  const nxtStalls = m.regInit('nxt_stalls', 32, 0);
  const lastCycles = m.regInit('last_cycles', 32, 0);
  const lastStalls = m.regInit('last_stalls', 32, 0);
  const done = m.regInit('frames_done', 16, 0);
  const stall32 = mux(stall, lit(1, 32), lit(0, 32));
  // Defaults: count; the branches below restart a counter or hand the newer frame's over.
  curCyc.set(curCyc.add(1, 32));
  curStalls.set(curStalls.add(stall32, 32));
  nxtCyc.set(nxtCyc.add(1, 32));
  nxtStalls.set(nxtStalls.add(stall32, 32));
  m.when(outFire.and(coreOut.lastSig!), () => lines.set(lines.add(1, DIM_BITS + 1)));
  // in_flight + sof - frame_end - cfg_dropped (never below 0; sof is held off at 2).
  const up = mux(sof, lit(1, 3), lit(0, 3));
  let downs = mux(frameEnd, lit(1, 3), lit(0, 3)).add(mux(cfgErr, lit(1, 3), lit(0, 3)), 3);
  // A frame the core discards for want of weights (err no_weights) leaves the count too.
  if (loaded) downs = downs.add(mux(m.wire('no_weights_dropped', c.out('err_tvalid').and(c.out('err_tdata').bit(errorBits(hw).indexOf('no_weights')))), lit(1, 3), lit(0, 3)), 3);
  const sum = inFlight.zext(3).add(up, 3);
  m.when(softReset, () => {
    inFlight.set(0);
    lines.set(0);
  }).otherwise(() => {
    inFlight.set(mux(sum.lt(downs), lit(0, 3), sum.sub(downs, 3)).trunc(2));
    m.when(frameEnd, () => {
      lines.set(0);
      lastCycles.set(curCyc.add(1, 32));
      lastStalls.set(curStalls.add(stall32, 32));
      done.set(done.add(1, 16));
      // The newer frame becomes the oldest; a start of frame in this very cycle restarts it.
      m.when(inFlight.eq(2), () => {
        curCyc.set(nxtCyc.add(1, 32));
        curStalls.set(nxtStalls.add(stall32, 32));
      }).elsewhen(sof, () => {
        curCyc.set(0);
        curStalls.set(0);
      });
    }).elsewhen(sof, () => {
      m.when(inFlight.eq(0), () => {
        curCyc.set(0);
        curStalls.set(0);
      }).otherwise(() => {
        nxtCyc.set(0);
        nxtStalls.set(0);
      });
    });
  });
  regs.connect('status_busy', busy);
  regs.connect('status_frames_done', done);
  regs.connect('perf_cycles_count', lastCycles);
  regs.connect('perf_stalls_count', lastStalls);
  errorBits(hw).forEach((e, i) => regs.connect(`errors_${e}_set`, c.out('err_tdata').bit(i).and(c.out('err_tvalid'))));
  let irq = regs.out('errors_eol_early').or(regs.out('errors_eol_late')).or(regs.out('errors_sof')).or(regs.out('errors_cfg'));
  if (loaded) {
    irq = irq.or(regs.out('errors_no_weights')).or(regs.out('errors_weights_len'));
    regs.connect('status_weights_loaded', c.out('weights_loaded'));
  }
  m.output('irq_error', 1, { doc: 'any error flag set' }).set(irq);
  return { module: m, core: core.module, plan: core.plan };
}
