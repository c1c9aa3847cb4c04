// `screen_top`: the chip's top level = the AXI4-Lite register file (regs.ts) + `screen_core`
// (core.ts) + frame bookkeeping (busy, frames done, cycles and output stalls per frame) and a
// soft reset. Geometry registers are copied into shadow registers only while no frame is in
// flight, so the datapath's configuration never changes under a frame.
import { lit, Module, mux } from '../../core/index.ts';
import { buildRegFile } from '../../blocks/regfile/index.ts';
import { instSink, instSource, streamIn, streamOut, connectStream } from '../../blocks/axis/stream.ts';
import type { NetWeights } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';
import { buildScreenCore, DIM_BITS, ERROR_BITS } from './core.ts';
import { SCREEN_TOP_REGS } from './regs.ts';
import type { EnginePlan } from './plan.ts';

export interface TopInfo {
  module: Module;
  core: Module;
  plan: EnginePlan;
}

export function buildScreenTop(net: NetWeights, hw: HwConfig): TopInfo {
  const core = buildScreenCore(net, hw);
  const hc = net.config.hidden_c;
  const m = new Module('screen_top', { params: { design: 'screen_top', net: net.name, ...hw }, doc: `SCREEN video upscaler (${net.name}): AXI4-Lite registers, AXI4-Stream video in/out, hidden-state stream pair for an external DMA` });
  const regs = m.instantiate('u_regs', buildRegFile(SCREEN_TOP_REGS));
  const AB = SCREEN_TOP_REGS.addrBits;
  for (const [p, w] of [['awaddr', AB], ['awvalid', 1], ['wdata', 32], ['wstrb', 4], ['wvalid', 1], ['bready', 1], ['araddr', AB], ['arvalid', 1], ['rready', 1]] as const) regs.connect(`s_axil_${p}`, m.input(`s_axil_${p}`, w));
  for (const [p, w] of [['awready', 1], ['wready', 1], ['bresp', 2], ['bvalid', 1], ['arready', 1], ['rdata', 32], ['rresp', 2], ['rvalid', 1]] as const) m.output(`s_axil_${p}`, w).set(regs.out(`s_axil_${p}`));

  const c = m.instantiate('u_core', core.module);
  // Soft reset: a register, so the core's reset is glitch-free; it also holds the core in reset
  // during the chip's reset.
  const coreRst = m.regInit('core_rst_n', 1, 0, { doc: 'core reset (active low): chip reset or cmd.soft_reset' });
  coreRst.set(regs.out('cmd_wstb').and(regs.out('cmd_soft_reset')).not());
  c.withReset(coreRst);

  // ---- frame bookkeeping ------------------------------------------------------------------------
  const vin = streamIn(m, { width: 8 }, 's_axis_video');
  const vout = streamOut(m, { width: 8 }, 'm_axis_video');
  const enable = regs.out('ctrl_enable');
  const busy = m.regInit('busy', 1, 0, { doc: 'a frame is in flight' });
  const coreIn = instSink(c, 's_axis_video');
  coreIn.driveData(vin.data);
  coreIn.driveLast(vin.lastSig!);
  coreIn.driveUser(vin.userSig!);
  coreIn.driveValid(vin.valid.and(enable));
  vin.driveReady(coreIn.readySig!.and(enable));
  const coreOut = instSource(c, 'm_axis_video');
  connectStream(m, coreOut, vout);
  connectStream(m, streamIn(m, { width: hc * 8 }, 's_axis_hidden'), instSink(c, 's_axis_hidden'));
  connectStream(m, instSource(c, 'm_axis_hidden'), streamOut(m, { width: hc * 8 }, 'm_axis_hidden'));

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
  const sof = m.wire('sof_accepted', vin.valid.and(vin.userSig!).and(coreIn.readySig!).and(enable));
  const outFire = m.wire('out_fire', coreOut.valid.and(vout.readySig!));
  const lines = m.regInit('out_lines', DIM_BITS + 1, 0, { doc: 'HR lines sent in this frame' });
  const hrLines = m.wire('hr_lines', height.zext(DIM_BITS + 1).add(height.slice(DIM_BITS - 1, 1).zext(DIM_BITS + 1), DIM_BITS + 1));
  const frameEnd = m.wire('frame_end', outFire.and(vout.readySig!).and(coreOut.lastSig!).and(lines.add(1, DIM_BITS + 1).eq(hrLines)));
  const cyc = m.regInit('cycles', 32, 0);
  const stalls = m.regInit('stalls', 32, 0);
  const lastCycles = m.regInit('last_cycles', 32, 0);
  const lastStalls = m.regInit('last_stalls', 32, 0);
  const done = m.regInit('frames_done', 16, 0);
  m.when(frameEnd, () => {
    busy.set(0);
    lines.set(0);
    lastCycles.set(cyc.add(1, 32));
    lastStalls.set(stalls.add(mux(coreOut.valid.and(vout.readySig!.not()), lit(1, 32), lit(0, 32)), 32));
    done.set(done.add(1, 16));
  }).elsewhen(sof.and(busy.not()), () => {
    busy.set(1);
    cyc.set(0);
    stalls.set(0);
  }).otherwise(() => {
    m.when(outFire.and(coreOut.lastSig!), () => lines.set(lines.add(1, DIM_BITS + 1)));
    cyc.set(cyc.add(1, 32));
    m.when(coreOut.valid.and(vout.readySig!.not()), () => stalls.set(stalls.add(1, 32)));
  });
  regs.connect('status_busy', busy);
  regs.connect('status_frames_done', done);
  regs.connect('perf_cycles_count', lastCycles);
  regs.connect('perf_stalls_count', lastStalls);
  ERROR_BITS.forEach((e, i) => regs.connect(`errors_${e}_set`, c.out('err_tdata').bit(i).and(c.out('err_tvalid'))));
  m.output('irq_error', 1, { doc: 'any error flag set' }).set(regs.out('errors_eol_early').or(regs.out('errors_eol_late')).or(regs.out('errors_sof')).or(regs.out('errors_cfg')));
  return { module: m, core: core.module, plan: core.plan };
}
