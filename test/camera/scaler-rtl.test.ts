// cam_scaler RTL (issue 7 item 4): the preview's bilinear scaler/debayer, bit-exact against the
// golden model/camera/preview.ts renderRgb10 in Verilator under random backpressure, on real
// Bayer fields and LL1 planes of DAVIS val frames (full and subsampled mode), with the
// full-frame viewport and a zoomed (upscaling) one; bad viewports and broken framing flagged.
import assert from 'node:assert/strict';
import { mosaicFromImage, splitFields, type BayerMode, type Fields } from '../../model/camera/bayer.ts';
import { forwardStage } from '../../model/camera/dwt.ts';
import { normRegister, renderRgb10, type Viewport } from '../../model/camera/preview.ts';
import { readImage } from '../../model/io/image-file.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import { buildCamScaler } from '../../generators/blocks/cam_scaler/index.ts';
import { SCALER_ERR_BITS, scalerInputs, scalerModel, scalerRegs, type ScalerInBeat, type ScalerOutBeat, type ScalerRegs } from '../../generators/blocks/cam_scaler/model.ts';
import { assertSimCompare, runStreamSim, type Backpressure } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from '../blocks/rtl.ts';
import { DAVIS_VAL } from './helpers.ts';

const SB = 13; // signed sample bits (LL1 planes may leave 0..1023: the block clamps)
const OUT = { w: 160, h: 96 }; // output frame of the test build (sizeBits 8)
const CFG = { sampleBits: SB, sizeBits: 8, planeBits: 9, outW: OUT.w, outH: OUT.h };

function davisFields(seq: string, frame: number, mode: BayerMode): Fields {
  return splitFields(mosaicFromImage(readImage(`${DAVIS_VAL}/${seq}/${String(frame).padStart(5, '0')}.jpg`), mode));
}

/** The LL1 planes (golden forward stage 1) of a frame's fields: the preview's real input. */
function ll1Of(f: Fields): Fields {
  const planes = f.planes.map((p) => forwardStage(p, f.width, f.height, 1).LL) as unknown as Fields['planes'];
  return { ...f, width: f.width / 2, height: f.height / 2, planes };
}

/** The golden render of the viewport, as the block's output beats (raster order in the viewport). */
function golden(planes: Fields, mode: BayerMode, level: 0 | 1, vp: Viewport): ScalerOutBeat[] {
  const rgb = renderRgb10(planes, mode, level, OUT.w, OUT.h, vp);
  const out: ScalerOutBeat[] = [];
  for (let y = 0; y < vp.height; y++)
    for (let x = 0; x < vp.width; x++) {
      const o = ((vp.y + y) * OUT.w + vp.x + x) * 3;
      out.push({ rgb: [rgb[o], rgb[o + 1], rgb[o + 2]], last: x === vp.width - 1, user: x === 0 && y === 0 });
    }
  return out;
}

const inBeat = (b: ScalerInBeat) => ({ data: packLanes(b.lanes, SB), last: b.last, user: b.user });
const outBeat = (b: ScalerOutBeat) => ({ data: packLanes(b.rgb, 10), last: b.last, user: b.user });
const consts = (r: ScalerRegs) => ({ ...r });

interface Case {
  name: string;
  planes: Fields;
  mode: BayerMode;
  level: 0 | 1;
  vp: Viewport;
}

function cases(): Case[] {
  const full = davisFields('blackswan', 0, 'full'); // 416 x 240 fields
  const sub = davisFields('kite-surf', 3, 'subsampled'); // 208 x 120 fields
  const ll1 = ll1Of(sub); // 104 x 60
  // Out-of-range samples (as a lossy decode can give) exercise the clamp to 0..1023.
  const g = prng(77);
  for (let i = 0; i < 200; i++) ll1.planes[g.int(0, 3)][g.int(0, ll1.width * ll1.height - 1)] = g.bit(0.5) ? g.int(-4096, -1) : g.int(1024, 4095);
  const fullLl1 = ll1Of(davisFields('car-shadow', 5, 'full'));
  return [
    { name: 'full-mode fields 416x240 -> full-frame viewport 160x96 (downscale)', planes: full, mode: 'full', level: 0, vp: { x: 0, y: 0, width: OUT.w, height: OUT.h } },
    { name: 'subsampled LL1 104x60 (+ out-of-range samples) -> zoomed viewport 150x86 at (5,4)', planes: ll1, mode: 'subsampled', level: 1, vp: { x: 5, y: 4, width: 150, height: 86 } },
    { name: 'subsampled fields 208x120 -> 37x23 at (100,50)', planes: sub, mode: 'subsampled', level: 0, vp: { x: 100, y: 50, width: 37, height: 23 } },
    { name: 'full-mode LL1 208x120 -> 61x40 at (99,56)', planes: fullLl1, mode: 'full', level: 1, vp: { x: 99, y: 56, width: 61, height: 40 } },
  ];
}

describe('camera cam_scaler model', () => {
  it('equals the golden renderRgb10 on real fields and LL1 planes (4 mode/level/viewport cases)', () => {
    for (const c of cases()) {
      const r = scalerRegs(c.vp, c.planes, c.mode, c.level);
      const m = scalerModel(r, scalerInputs(c.planes, c.mode, c.level, c.vp), OUT.w, OUT.h);
      assert.deepEqual(m.err, [], c.name);
      assert.deepEqual(m.out, golden(c.planes, c.mode, c.level, c.vp), c.name);
    }
  });

  it('flags impossible viewports and plane sizes', () => {
    const planes = { width: 64, height: 32 };
    const bad: Viewport[] = [{ x: 0, y: 0, width: 0, height: 10 }, { x: 0, y: 0, width: 1, height: 10 }, { x: 0, y: 0, width: 10, height: 1 }, { x: 151, y: 0, width: 10, height: 10 }, { x: 0, y: 90, width: 10, height: 10 }];
    for (const vp of bad) {
      const r = { ...scalerRegs({ ...vp, width: Math.max(vp.width, 2) }, planes, 'full', 0), vw: vp.width };
      const beats = [{ lanes: new Array(16).fill(0), last: false, user: true }];
      assert.deepEqual(scalerModel(r, beats, OUT.w, OUT.h).err[0] & 1, 1, JSON.stringify(vp));
    }
    const ok = scalerRegs({ x: 150, y: 86, width: 10, height: 10 }, planes, 'full', 0);
    assert.deepEqual(scalerModel(ok, [{ lanes: new Array(16).fill(0), last: false, user: true }], OUT.w, OUT.h).err, []);
    assert.deepEqual(scalerModel({ ...ok, pw: 0 }, [{ lanes: new Array(16).fill(0), last: false, user: true }], OUT.w, OUT.h).err, [1]);
  });
});

describe('camera cam_scaler RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(300_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    assert.throws(() => buildCamScaler({ sizeBits: 8, outW: 256 }), /must be < 2\^sizeBits = 256/);
    for (const c of [{}, CFG, { sampleBits: 10, sizeBits: 12, planeBits: 3, fifoDepth: 4 }, { sampleBits: 11, sizeBits: 16, planeBits: 16, outW: 4096, outH: 3072 }]) {
      const b = buildCamScaler(c);
      const e = emitToTemp(b.module, 'camscalerlint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
  });

  let e: ReturnType<typeof emitToTemp>;
  before(() => {
    e = emitToTemp(buildCamScaler(CFG).module, 'camscaler');
  });

  const VARIANTS: { seed: number; backpressure?: Backpressure }[][] = [
    [{ seed: 1 }],
    [{ seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }],
    [{ seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } }],
    [{ seed: 4, backpressure: { inputGap: 0.5, outputStall: 0.2 } }],
  ];
  cases().forEach((c, i) => {
    it(`is bit-exact with the golden render: ${c.name}`, async () => {
      const want = golden(c.planes, c.mode, c.level, c.vp);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: scalerInputs(c.planes, c.mode, c.level, c.vp).map(inBeat) },
        constInputs: consts(scalerRegs(c.vp, c.planes, c.mode, c.level)),
        model: () => ({ m_axis: want.map(outBeat), err: [] }),
        variants: VARIANTS[i],
      });
      if (i === 0) {
        const out = rep.runs[0].result.outputs.m_axis;
        assert.equal(out[out.length - 1].cycle - out[0].cycle, out.length - 1, 'full speed: one pixel per clock');
      }
    });
  });

  it('flags a bad viewport on every frame start and keeps streaming (never hangs)', async () => {
    const planes = davisFields('blackswan', 0, 'full');
    const vp = { x: 0, y: 0, width: 12, height: 6 };
    const ins = scalerInputs(planes, 'full', 0, vp);
    for (const bad of [{ vw: 0 }, { vw: 1 }, { vx: 149 }, { vy: 91 }, { ph: 0 }]) {
      const r = { ...scalerRegs(vp, planes, 'full', 0), ...bad };
      const want = scalerModel(r, [...ins, ...ins], OUT.w, OUT.h);
      const got = await runStreamSim({ design: simDesign(e), inputs: { s_axis: [...ins, ...ins].map(inBeat) }, constInputs: consts(r), expect: { m_axis: 2 * ins.length }, seed: 9, backpressure: { inputGap: 0.2, outputStall: 0.3 } });
      const flags = got.outputs.err.map((b) => SCALER_ERR_BITS.filter((_, k) => (b.data >> BigInt(k)) & 1n));
      assert.equal(got.outputs.m_axis.length, 2 * ins.length, JSON.stringify(bad));
      assert.deepEqual(flags, want.err.map((x) => SCALER_ERR_BITS.filter((_, k) => (x >> k) & 1)), JSON.stringify(bad));
      assert.equal(flags.filter((f) => f.includes('cfg')).length, 2, `${JSON.stringify(bad)}: cfg on each frame start: ${JSON.stringify(flags)}`);
    }
  });

  it('flags a short row and a truncated frame, and is exact again on the next frame', async () => {
    const planes = davisFields('blackswan', 0, 'full');
    const vp = { x: 20, y: 10, width: 12, height: 6 };
    const r = scalerRegs(vp, planes, 'full', 0);
    const frame = scalerInputs(planes, 'full', 0, vp);
    const short = frame.slice();
    short.splice(2 * 12 + 11, 1); // row 2 loses its last pixel
    short[2 * 12 + 10] = { ...short[2 * 12 + 10], last: true };
    const truncated = frame.slice(0, 3 * 12);
    const ins = [...frame, ...short, ...truncated, ...frame];
    const want = scalerModel(r, ins, OUT.w, OUT.h);
    assert.deepEqual(want.err.map((x) => SCALER_ERR_BITS.filter((_, k) => (x >> k) & 1)), [['row'], ['sof']]);
    const got = await runStreamSim({ design: simDesign(e), inputs: { s_axis: ins.map(inBeat) }, constInputs: consts(r), expect: { m_axis: ins.length }, seed: 11, backpressure: { inputGap: 0.2, outputStall: 0.4 } });
    assert.deepEqual(got.outputs.m_axis.map((b) => b.data), want.out.map((b) => outBeat(b).data));
    assert.deepEqual(got.outputs.err.map((b) => Number(b.data)), want.err);
    const gold = golden(planes, 'full', 0, vp).map((b) => outBeat(b).data);
    assert.deepEqual(got.outputs.m_axis.slice(0, 72).map((b) => b.data), gold, 'first frame');
    assert.deepEqual(got.outputs.m_axis.slice(-72).map((b) => b.data), gold, 'frame after the errors');
  });
});
