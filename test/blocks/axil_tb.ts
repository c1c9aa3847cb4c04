// A directed AXI4-Lite testbench for the generated register file, run with Icarus Verilog:
// executes a transaction list and prints one line per event, in the same format as
// `modelEvents` so the two can be compared line by line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldPort, type RegFileSpec } from '../../generators/blocks/regfile/index.ts';
import { RegFileModel } from '../../generators/blocks/regfile/model.ts';

export type Txn =
  | { op: 'write'; addr: number; data: number; strb: number }
  | { op: 'read'; addr: number }
  /** Hardware inputs: RO register value, or W1C bits set for one cycle. */
  | { op: 'hw'; reg: string; value: number };

const h32 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

export function modelEvents(spec: RegFileSpec, txns: Txn[]): string[] {
  const m = new RegFileModel(spec);
  const out: string[] = [];
  for (const t of txns) {
    if (t.op === 'write') {
      out.push(`W ${m.write(t.addr, t.data, t.strb)}`);
      for (const s of m.lastStrobes) out.push(`S ${s}`);
    } else if (t.op === 'read') {
      const r = m.read(t.addr);
      out.push(`R ${h32(r.data)} ${r.resp}`);
    } else {
      const reg = m.spec.registers.find((r) => r.name === t.reg)!;
      if (reg.access === 'RO') m.hwInputs.set(t.reg, t.value >>> 0);
      else m.hwSet(t.reg, t.value);
    }
  }
  return out;
}

export function rtlEvents(spec: RegFileSpec, verilogFiles: string[], top: string, txns: Txn[]): string[] {
  const AB = spec.addrBits;
  const hwRegs: string[] = [];
  const conns: string[] = [];
  const drive: Record<string, string[]> = {};
  for (const r of spec.registers) {
    for (const f of r.fields) {
      const w = f.msb - f.lsb + 1;
      const port = fieldPort(r, f);
      if (r.access === 'RO' || r.access === 'W1C') {
        const sig = r.access === 'RO' ? port : `${port}_set`;
        hwRegs.push(`reg [${w - 1}:0] ${sig} = 0;`);
        conns.push(`.${sig}(${sig})`);
        (drive[r.name] ??= []).push(`${sig} = v[${f.msb}:${f.lsb}];`);
      }
      if (r.access !== 'RO') conns.push(`.${port}()`);
    }
    if (r.access === 'WO') {
      hwRegs.push(`wire ${r.name}_wstb;`);
      conns.push(`.${r.name}_wstb(${r.name}_wstb)`);
    }
  }
  const body: string[] = [];
  for (const t of txns) {
    if (t.op === 'write') body.push(`axi_write(${AB}'h${t.addr.toString(16)}, 32'h${h32(t.data)}, 4'h${t.strb.toString(16)});`);
    else if (t.op === 'read') body.push(`axi_read(${AB}'h${t.addr.toString(16)});`);
    else {
      const reg = spec.registers.find((r) => r.name === t.reg)!;
      body.push(`v = 32'h${h32(t.value)};`, `@(negedge clk); ${drive[t.reg].join(' ')}`);
      if (reg.access === 'W1C') body.push(`@(negedge clk); v = 0; ${drive[t.reg].join(' ')}`);
    }
  }
  const strobes = spec.registers.filter((r) => r.access === 'WO').map((r) => `if (${r.name}_wstb) $display("S ${r.name}");`);
  const tb = `\`timescale 1ns/1ps
module tb;
  reg clk = 0; always #5 clk = ~clk;
  reg rst_n = 0;
  reg [${AB - 1}:0] awaddr = 0, araddr = 0; reg awvalid = 0, wvalid = 0, bready = 0, arvalid = 0, rready = 0;
  reg [31:0] wdata = 0; reg [3:0] wstrb = 0; reg [31:0] v = 0;
  wire awready, wready, bvalid, arready, rvalid; wire [1:0] bresp, rresp; wire [31:0] rdata;
  ${hwRegs.join('\n  ')}
  ${top} dut(.clk(clk), .rst_n(rst_n), .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
    .s_axil_wdata(wdata), .s_axil_wstrb(wstrb), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
    .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
    .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
    .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
    ${conns.join(', ')});
  always @(posedge clk) begin ${strobes.join(' ')} end
  // Watchdog: a handshake that never completes ends the run with a message instead of hanging.
  initial begin #${(txns.length * 20 + 100) * 10}; $display("TIMEOUT"); $finish; end
  task axi_write(input [${AB - 1}:0] a, input [31:0] d, input [3:0] s); begin
    @(negedge clk); awaddr = a; wdata = d; wstrb = s; awvalid = 1; wvalid = 1; #1;
    while (!(awready && wready)) @(negedge clk);
    @(negedge clk); awvalid = 0; wvalid = 0;
    while (!bvalid) @(negedge clk);
    $display("W %0d", bresp); bready = 1; @(negedge clk); bready = 0;
  end endtask
  task axi_read(input [${AB - 1}:0] a); begin
    @(negedge clk); araddr = a; arvalid = 1; #1;
    while (!arready) @(negedge clk);
    @(negedge clk); arvalid = 0;
    while (!rvalid) @(negedge clk);
    $display("R %h %0d", rdata, rresp); rready = 1; @(negedge clk); rready = 0;
  end endtask
  initial begin
    repeat (3) @(negedge clk); rst_n = 1;
    ${body.join('\n    ')}
    repeat (3) @(negedge clk);
    $finish;
  end
endmodule
`;
  const dir = mkdtempSync(join(tmpdir(), 'screen-regfile-tb-'));
  writeFileSync(join(dir, 'tb.v'), tb);
  execFileSync('iverilog', ['-g2005', '-o', join(dir, 'tb.vvp'), '-s', 'tb', join(dir, 'tb.v'), ...verilogFiles], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = execFileSync('vvp', ['-n', join(dir, 'tb.vvp')], { encoding: 'utf8', timeout: 120_000 });
  const lines = out.split('\n').filter((l) => /^([WRS] |TIMEOUT)/.test(l));
  if (lines.includes('TIMEOUT')) throw new Error(`${top}: AXI4-Lite handshake timed out after ${lines.length - 1} events (testbench ${join(dir, 'tb.v')})`);
  return lines;
}
