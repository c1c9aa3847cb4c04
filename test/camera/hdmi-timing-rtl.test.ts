// hdmi_timing RTL (issue 7 item 4): clock-by-clock equal to the golden CEA-861 model
// (model/camera/hdmi-timing.ts via the block's cycle model) in Verilator, over whole frames of
// small timings and over the first and last lines of real 1080p30.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CEA861_1080P30, frameEvents } from '../../model/camera/hdmi-timing.ts';
import { buildHdmiTiming, type HdmiTimingConfig } from '../../generators/blocks/hdmi_timing/index.ts';
import { timingAt, TIMING_1080P30, type VideoTiming } from '../../generators/blocks/hdmi_timing/model.ts';
import { runStreamSim, assertBeatsEqual, type SimDesign } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems } from '../blocks/rtl.ts';

/** Output word {req, de, hsync, vsync, y, x} as the wrapper packs it. */
const pack = (o: ReturnType<typeof timingAt>, hb: number, vb: number): bigint =>
  BigInt(o.x) | (BigInt(o.y) << BigInt(hb)) | (BigInt(+o.vsync) << BigInt(hb + vb)) | (BigInt(+o.hsync) << BigInt(hb + vb + 1)) | (BigInt(+o.de) << BigInt(hb + vb + 2)) | (BigInt(+o.req) << BigInt(hb + vb + 3));

/**
 * The timing block under a test wrapper whose passive stream `dbg_axis` shows every output on
 * every clock 1 .. limit-1 where `keep` (a Verilog expression of y) holds; the beat's cycle
 * stamp says which clock it was.
 */
function wrapped(config: Partial<HdmiTimingConfig>, limit: number, keep: string): { design: SimDesign; hb: number; vb: number } {
  const b = buildHdmiTiming(config);
  const e = emitToTemp(b.module, 'hdmitiming');
  const { hBits: hb, vBits: vb } = b;
  const w = hb + vb + 4;
  const src = `module hdmi_timing_tb (
  input wire clk,
  input wire rst_n,
  output wire [${w - 1}:0] dbg_axis_tdata,
  output wire dbg_axis_tvalid
);
  wire req, de, hsync, vsync;
  wire [${hb - 1}:0] x;
  wire [${vb - 1}:0] y;
  ${e.top} u_t (.clk(clk), .rst_n(rst_n), .req(req), .de(de), .hsync(hsync), .vsync(vsync), .x(x), .y(y));
  reg [31:0] cyc;
  always @(posedge clk) cyc <= rst_n ? cyc + 32'd1 : 32'd0;
  assign dbg_axis_tdata = {req, de, hsync, vsync, y, x};
  assign dbg_axis_tvalid = rst_n && cyc != 32'd0 && cyc < 32'd${limit} && (${keep});
endmodule
`;
  const f = join(e.dir, 'hdmi_timing_tb.v');
  writeFileSync(f, src);
  return { design: { top: 'hdmi_timing_tb', files: [...e.files, f], ports: [{ name: 'clk', dir: 'input', width: 1 }, { name: 'rst_n', dir: 'input', width: 1 }, { name: 'dbg_axis_tdata', dir: 'output', width: w }, { name: 'dbg_axis_tvalid', dir: 'output', width: 1 }] }, hb, vb };
}

function expected(t: VideoTiming, lead: number, limit: number, keep: (y: number) => boolean, hb: number, vb: number) {
  const out: { data: bigint; cycle: number }[] = [];
  for (let c = 1; c < limit; c++) {
    const o = timingAt(t, lead, c);
    if (keep(o.y)) out.push({ data: pack(o, hb, vb), cycle: c });
  }
  return out;
}

async function check(config: Partial<HdmiTimingConfig>, t: VideoTiming, lead: number, limit: number, keepV: string, keep: (y: number) => boolean) {
  const { design, hb, vb } = wrapped(config, limit, keepV);
  const want = expected(t, lead, limit, keep, hb, vb);
  const r = await runStreamSim({ design, inputs: {}, expect: { dbg_axis: want.length }, livenessCycles: limit + 100, maxCycles: limit + 1000 });
  const got = r.outputs.dbg_axis;
  assertBeatsEqual(want.map((b) => ({ data: b.data })), got, { label: 'timing' });
  assert.deepEqual(got.map((b) => b.cycle), want.map((b) => b.cycle), 'every clock in order');
  return got;
}

const SMALL: Partial<HdmiTimingConfig> = { hActive: 12, hFront: 3, hSync: 4, hBack: 5, vActive: 6, vFront: 2, vSync: 3, vBack: 2, lead: 2 };
const smallTiming = (p: Partial<HdmiTimingConfig>): VideoTiming => buildHdmiTiming(p).timing;

describe('camera hdmi_timing model', () => {
  it('1080p30 cycle model: 74.25 MHz / (2200 x 1125) = 30 Hz, edges where frameEvents puts them, req = de `lead` clocks later', () => {
    const t = TIMING_1080P30;
    assert.equal(CEA861_1080P30.pixelClockHz / (t.h.total * t.v.total), 30);
    const lead = 3, base = lead + 1; // output clock base shows (0, 0)
    const at = (v: number, h: number) => timingAt(t, lead, base + v * 2200 + h);
    for (const ev of frameEvents()) {
      const now = at(ev.v, ev.h), before = timingAt(t, lead, base + ev.v * 2200 + ev.h - 1);
      const key = ev.signal === 'de' ? 'de' : ev.signal;
      assert.equal(+now[key], ev.level, `${ev.signal} at v=${ev.v} h=${ev.h}`);
      assert.equal(+before[key], 1 - ev.level, `${ev.signal} changes at v=${ev.v} h=${ev.h}`);
    }
    assert.deepEqual([at(0, 0).x, at(0, 0).y, at(1124, 2199).x, at(1124, 2199).y], [0, 0, 2199, 1124]);
    assert.equal(timingAt(t, lead, base - lead).req, true);
    assert.equal(timingAt(t, lead, base - lead - 1).req, false);
    // Negative polarity inverts the levels.
    const neg = { ...t, hsyncPositive: false };
    assert.equal(timingAt(neg, lead, base + 2008).hsync, false);
    assert.equal(timingAt(neg, lead, base + 2007).hsync, true);
  });

  it('rejects a lead that does not fit the back porch', () => {
    assert.throws(() => buildHdmiTiming({ hBack: 3, lead: 3 }), /lead = 3 needs hBack >= lead \+ 1/);
  });
});

describe('camera hdmi_timing RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(300_000);

  it('is lint-clean (-Wall) and counts its flip-flops (1080p30 and small timings)', () => {
    for (const c of [{}, SMALL, { ...SMALL, hsyncPositive: false, vsyncPositive: false, lead: 1 }]) {
      const b = buildHdmiTiming(c);
      const e = emitToTemp(b.module, 'hdmilint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
  });

  it('matches the golden timing clock by clock over 3 whole frames of small timings (both polarities, lead 1, 2, 4)', async () => {
    for (const c of [SMALL, { ...SMALL, hsyncPositive: false, vsyncPositive: false, lead: 1 }, { ...SMALL, vBack: 1, hBack: 5, lead: 4, vSync: 1 }]) {
      const t = smallTiming(c);
      const n = t.h.total * t.v.total;
      const got = await check(c, t, c.lead!, 3 * n + 7, '1', () => true);
      assert.equal(got.length, 3 * n + 6);
    }
  });

  it('matches the golden 1080p30 timing clock by clock on the first two and the last 47 lines (vertical blanking) of a frame and the next frame\'s first lines', async () => {
    const lead = 2, n = 2200 * 1125;
    const limit = n + 2 * 2200 + lead + 2;
    const got = await check({ lead }, TIMING_1080P30, lead, limit, 'y < 11\'d2 || y >= 11\'d1078', (y) => y < 2 || y >= 1078);
    // 2 clocks of the previous frame's last line, lines 0-1, lines 1078-1124, the next lines 0-1.
    assert.equal(got.length, 2 + 2 * 2200 + 47 * 2200 + 2 * 2200);
  });
});
