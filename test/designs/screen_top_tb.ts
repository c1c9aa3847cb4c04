// A directed testbench for `screen_top` under Icarus Verilog: AXI4-Lite register accesses and
// video frames run as one scripted sequence on one instance, so register state, soft reset and
// the frame counters are exercised across frames (runStreamSim only drives streams with constant
// side inputs). Every event is printed as one line and parsed back:
//   R <tag> <rdata hex> <rresp>   register read       W <tag> <bresp>   register write
//   O <cycle> <data hex> <last> <user>                 accepted video-out pixel
//   S <cycle>                      accepted video-in beat with tuser (start of frame)
//   I <cycle> <n>                  the n-th accepted video-in beat (first beat of each `send`)
//   Q <cycle> <irq_error>          irq_error changed
//   M <tag> <cycle> <pixels out> <stall cycles>        marker
// Cycles count rising clock edges after reset; every handshake is sampled at the edge.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeatIn } from '../../sim/types.ts';

export type TopOp =
  | { op: 'write'; addr: number; data: number; tag: string }
  | { op: 'read'; addr: number; tag: string }
  /** Offer beats [from, from + count) of the video memory on s_axis_video, blocking until all are accepted. */
  | { op: 'send'; from: number; count: number }
  /** Offer words [from, from + count) of the weight memory on s_axis_weights (loaded-weights builds), blocking until all are accepted. */
  | { op: 'sendWeights'; from: number; count: number }
  /** Wait until `pixels` video-out pixels have been accepted in total, or since the last mark. */
  | { op: 'waitPixels'; pixels: number; sinceMark?: boolean }
  | { op: 'idle'; cycles: number }
  /** Print the cycle, pixel and stall counts (and remember the pixel count for `sinceMark`). */
  | { op: 'mark'; tag: string };

export interface TopTbOptions {
  verilogFiles: string[];
  /** Video beats (8-bit luma pixels) the `send` ops index into. */
  video: BeatIn[];
  /** Weight words (32-bit, tlast) the `sendWeights` ops index into; given = the DUT has s_axis_weights. */
  weights?: BeatIn[];
  ops: TopOp[];
  hiddenBits: number;
  addrBits: number;
  seed: number;
  /** Per mille of cycles in which the input driver holds tvalid low / video out holds tready low. */
  inputGapPm: number;
  outputStallPm: number;
  maxCycles: number;
  /** Cycles any one op may take (liveness). */
  opCycles: number;
}

export interface TopTbResult {
  reads: Map<string, { data: number; resp: number }>;
  writes: Map<string, number>;
  pixels: { cycle: number; data: number; last: boolean; user: boolean }[];
  sof: number[];
  firstBeat: { cycle: number; n: number }[];
  irq: { cycle: number; value: number }[];
  marks: Map<string, { cycle: number; pixels: number; stalls: number }>;
  lines: string[];
}

const h32 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

export function topTestbench(o: TopTbOptions): string {
  const AB = o.addrBits;
  const body: string[] = [];
  for (const [i, t] of o.ops.entries()) {
    body.push(`op_id = ${i}; op_start = cyc;`);
    if (t.op === 'write') body.push(`axi_write(${AB}'h${t.addr.toString(16)}, 32'h${h32(t.data)}); $display("W ${t.tag} %0d", bresp_q);`);
    else if (t.op === 'read') body.push(`axi_read(${AB}'h${t.addr.toString(16)}); $display("R ${t.tag} %h %0d", rdata_q, rresp_q);`);
    else if (t.op === 'send') body.push(`send(${t.from}, ${t.count});`);
    else if (t.op === 'sendWeights') {
      if (!o.weights) throw new Error('sendWeights needs TopTbOptions.weights');
      body.push(`send_weights(${t.from}, ${t.count});`);
    }
    else if (t.op === 'waitPixels') body.push(`while (npix < ${t.sinceMark ? 'pbase + ' : ''}${t.pixels}) @(posedge clk);`);
    else if (t.op === 'idle') body.push(`repeat (${t.cycles}) @(posedge clk);`);
    else body.push(`@(posedge clk); $display("M ${t.tag} %0d %0d %0d", cyc, npix, nstall); pbase = npix;`);
  }
  const HB = o.hiddenBits;
  const W = o.weights;
  const wPorts = W ? `
    .s_axis_weights_tdata(wwd), .s_axis_weights_tvalid(wwv), .s_axis_weights_tready(wwr), .s_axis_weights_tlast(wwl),` : '';
  const wDecl = W
    ? `
  reg [32:0] wmem [0:${Math.max(W.length, 1) - 1}];
  initial $readmemh("weights.hex", wmem);
  reg [31:0] wwd = 0; reg wwv = 0, wwl = 0; wire wwr;`
    : '';
  const wTask = W
    ? `
  task send_weights(input integer from, input integer count); integer i; reg acc; begin
    i = from; acc = 0;
    while (i < from + count) begin
      @(negedge clk);
      if (acc) begin i = i + 1; wwv = 0; end
      if (i < from + count && !wwv && ({$random(seed)} % 1000) >= ${o.inputGapPm}) begin
        wwv = 1; {wwl, wwd} = wmem[i];
      end
      @(posedge clk); acc = wwv && wwr;
    end
    @(negedge clk); wwv = 0;
  end endtask`
    : '';
  return `\`timescale 1ns/1ps
module tb;
  reg clk = 0; always #5 clk = ~clk;
  reg rst_n = 0;
  integer seed = ${o.seed};
  integer cyc = 0, npix = 0, nstall = 0, pbase = 0, op_id = -1, op_start = 0;
  reg [9:0] vmem [0:${Math.max(o.video.length, 1) - 1}];
  initial $readmemh("video.hex", vmem);${wDecl}

  reg [${AB - 1}:0] awaddr = 0, araddr = 0; reg awvalid = 0, wvalid = 0, bready = 0, arvalid = 0, rready = 0;
  reg [31:0] wdata = 0; reg [31:0] rdata_q = 0; reg [1:0] rresp_q = 0, bresp_q = 0;
  wire awready, wready, bvalid, arready, rvalid; wire [1:0] bresp, rresp; wire [31:0] rdata;
  reg [7:0] vdata = 0; reg vvalid = 0, vlast = 0, vuser = 0; wire vready;
  wire [7:0] odata; wire ovalid, olast, ouser; reg oready = 0;
  wire [${HB - 1}:0] hout; wire hvalid, hlast, huser, hready_in; wire irq;
  screen_top dut(.clk(clk), .rst_n(rst_n),
    .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
    .s_axil_wdata(wdata), .s_axil_wstrb(4'hf), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
    .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
    .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
    .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
    .s_axis_video_tdata(vdata), .s_axis_video_tvalid(vvalid), .s_axis_video_tready(vready),
    .s_axis_video_tlast(vlast), .s_axis_video_tuser(vuser),
    .m_axis_video_tdata(odata), .m_axis_video_tvalid(ovalid), .m_axis_video_tready(oready),
    .m_axis_video_tlast(olast), .m_axis_video_tuser(ouser),
    .s_axis_hidden_tdata(${HB}'d0), .s_axis_hidden_tvalid(1'b0), .s_axis_hidden_tready(hready_in),
    .s_axis_hidden_tlast(1'b0), .s_axis_hidden_tuser(1'b0),
    .m_axis_hidden_tdata(hout), .m_axis_hidden_tvalid(hvalid), .m_axis_hidden_tready(1'b1),
    .m_axis_hidden_tlast(hlast), .m_axis_hidden_tuser(huser),${wPorts}
    .irq_error(irq));

  // Monitors: sampled at the rising edge, before the design's registers update.
  reg irq_q = 0;
  always @(posedge clk) if (rst_n) begin
    cyc <= cyc + 1;
    if (ovalid && oready) begin $display("O %0d %h %0d %0d", cyc, odata, olast, ouser); npix <= npix + 1; end
    if (ovalid && !oready) nstall <= nstall + 1;
    if (vvalid && vready && vuser) $display("S %0d", cyc);
    if (irq !== irq_q) begin $display("Q %0d %0d", cyc, irq); irq_q <= irq; end
  end
  // Seeded random backpressure on video out, chosen between edges.
  always @(negedge clk) oready <= ({$random(seed)} % 1000) >= ${o.outputStallPm};
  initial begin #${o.maxCycles * 10}; $display("TIMEOUT %0d %0d", cyc, op_id); $finish; end
  // Liveness: no scripted step may take longer than this (a hung handshake or a frame that never ends).
  always @(posedge clk) if (cyc - op_start > ${o.opCycles}) begin $display("STUCK %0d %0d", cyc, op_id); $finish; end

  task send(input integer from, input integer count); integer i; reg acc; begin
    i = from; acc = 0;
    while (i < from + count) begin
      @(negedge clk);
      if (acc) begin i = i + 1; vvalid = 0; end
      if (i < from + count && !vvalid && ({$random(seed)} % 1000) >= ${o.inputGapPm}) begin
        vvalid = 1; {vuser, vlast, vdata} = vmem[i];
      end
      @(posedge clk); acc = vvalid && vready;
      if (acc && i == from) $display("I %0d %0d", cyc, i);
    end
    @(negedge clk); vvalid = 0;
  end endtask
${wTask}
  task axi_write(input [${AB - 1}:0] a, input [31:0] d); reg aw, w; begin
    @(negedge clk); awaddr = a; wdata = d; awvalid = 1; wvalid = 1; aw = 0; w = 0;
    while (!(aw && w)) begin
      @(posedge clk); if (awready) aw = 1; if (wready) w = 1;
      @(negedge clk); if (aw) awvalid = 0; if (w) wvalid = 0;
    end
    bready = 1; @(posedge clk); while (!bvalid) @(posedge clk); bresp_q = bresp;
    @(negedge clk); bready = 0;
  end endtask
  task axi_read(input [${AB - 1}:0] a); begin
    @(negedge clk); araddr = a; arvalid = 1;
    @(posedge clk); while (!arready) @(posedge clk);
    @(negedge clk); arvalid = 0; rready = 1;
    @(posedge clk); while (!rvalid) @(posedge clk); rdata_q = rdata; rresp_q = rresp;
    @(negedge clk); rready = 0;
  end endtask
  initial begin
    repeat (4) @(negedge clk); rst_n = 1;
    ${body.join('\n    ')}
    repeat (4) @(posedge clk);
    $display("END %0d", cyc);
    $finish;
  end
endmodule
`;
}

export class TopTbError extends Error {
  readonly code = 'E_TOP_TB';
  constructor(message: string, readonly lines: string[]) {
    super(message);
  }
}

export function runTopTestbench(o: TopTbOptions): TopTbResult {
  const dir = mkdtempSync(join(tmpdir(), 'screen-top-tb-'));
  try {
    writeFileSync(join(dir, 'tb.v'), topTestbench(o));
    const hex = o.video.map((b) => (((b.user ? 1 : 0) << 9) | ((b.last ? 1 : 0) << 8) | Number(b.data)).toString(16).padStart(3, '0'));
    writeFileSync(join(dir, 'video.hex'), hex.join('\n') + '\n');
    if (o.weights) writeFileSync(join(dir, 'weights.hex'), o.weights.map((b) => ((b.last ? 1n << 32n : 0n) | BigInt(b.data)).toString(16).padStart(9, '0')).join('\n') + '\n');
    execFileSync('iverilog', ['-g2005', '-o', join(dir, 'tb.vvp'), '-s', 'tb', join(dir, 'tb.v'), ...o.verilogFiles], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = execFileSync('nice', ['-n', '5', 'vvp', '-n', join(dir, 'tb.vvp')], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
    const lines = out.split('\n').filter((l) => /^([RWOSIQM] |END|TIMEOUT|STUCK)/.test(l));
    const hung = lines.find((l) => l.startsWith('TIMEOUT') || l.startsWith('STUCK'));
    if (hung) {
      const [kind, cyc, id] = hung.split(' ');
      const why = kind === 'STUCK' ? `op #${id} took more than ${o.opCycles} cycles` : `no end after ${o.maxCycles} cycles`;
      throw new TopTbError(`screen_top testbench: ${why} (cycle ${cyc}, op #${id} = ${JSON.stringify(o.ops[Number(id)])}); last events: ${lines.slice(-6, -1).join(' | ')}`, lines);
    }
    if (!lines.some((l) => l.startsWith('END'))) throw new TopTbError(`screen_top testbench ended without END; last events: ${lines.slice(-5).join(' | ')}`, lines);
    const r: TopTbResult = { reads: new Map(), writes: new Map(), pixels: [], sof: [], firstBeat: [], irq: [], marks: new Map(), lines };
    for (const l of lines) {
      const f = l.split(' ');
      if (f[0] === 'R') r.reads.set(f[1], { data: parseInt(f[2], 16), resp: Number(f[3]) });
      else if (f[0] === 'W') r.writes.set(f[1], Number(f[2]));
      else if (f[0] === 'O') r.pixels.push({ cycle: Number(f[1]), data: parseInt(f[2], 16), last: f[3] === '1', user: f[4] === '1' });
      else if (f[0] === 'S') r.sof.push(Number(f[1]));
      else if (f[0] === 'I') r.firstBeat.push({ cycle: Number(f[1]), n: Number(f[2]) });
      else if (f[0] === 'Q') r.irq.push({ cycle: Number(f[1]), value: Number(f[2]) });
      else if (f[0] === 'M') r.marks.set(f[1], { cycle: Number(f[2]), pixels: Number(f[3]), stalls: Number(f[4]) });
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
