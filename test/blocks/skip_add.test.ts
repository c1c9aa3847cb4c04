// skip_add: the model against the golden skip (model/net/skip.ts skipUpscale) over every cell
// of random and real frames, and the RTL against the model under random backpressure.
import assert from 'node:assert/strict';
import { buildSkipAdd, SKIP_ADD_LATENCY, skipAddParams } from '../../generators/blocks/skip_add/index.ts';
import { FLAG_BOTTOM, FLAG_LEFT, FLAG_RIGHT, FLAG_TOP, packSkipAddIn, packSkipAddOut, skipAddLayout, skipAddModel, skipCell, SKIP_ADD_IN_BITS, unpackSkipAddIn, type SkipAddBeat } from '../../generators/blocks/skip_add/model.ts';
import { rgbToYcbcrInt } from '../../model/color.ts';
import { skipUpscale } from '../../model/net/skip.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame, type BeatIn } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

/** Cell beats of a w x h luma frame (raster over the grid), as the head stage would deliver them, and the golden O9. */
function frameCells(y8: Uint8Array, w: number, h: number, res: (n: number) => number[]) {
  const gw = w / 2, gh = h / 2;
  const x0 = (r: number, c: number): number[] => {
    if (r < 0 || c < 0 || r >= gh || c >= gw) return [0, 0, 0, 0];
    const at = (yy: number, xx: number) => y8[yy * w + xx] - 128;
    return [at(2 * r, 2 * c), at(2 * r, 2 * c + 1), at(2 * r + 1, 2 * c), at(2 * r + 1, 2 * c + 1)];
  };
  const hr = skipUpscale(y8, w, h);
  const W = (3 * w) / 2;
  const beats: SkipAddBeat[] = [], golden: number[][] = [], side: { last: boolean; user: boolean }[] = [];
  for (let i = 0; i < gh; i++)
    for (let j = 0; j < gw; j++) {
      const n = i * gw + j;
      const win = Array.from({ length: 9 }, (_, l) => x0(i + Math.floor(l / 3) - 1, j + (l % 3) - 1));
      const flags = (i === 0 ? FLAG_TOP : 0) | (i === gh - 1 ? FLAG_BOTTOM : 0) | (j === 0 ? FLAG_LEFT : 0) | (j === gw - 1 ? FLAG_RIGHT : 0);
      const r = res(n);
      beats.push({ res: r, win, flags });
      golden.push(Array.from({ length: 9 }, (_, k) => Math.min(255, Math.max(0, hr[(3 * i + Math.floor(k / 3)) * W + 3 * j + (k % 3)] + r[k]))));
      side.push({ last: j === gw - 1, user: n === 0 });
    }
  return { beats, golden, side };
}

function randomRes(seed: number): (n: number) => number[] {
  const g = prng(seed);
  return () => Array.from({ length: 9 }, () => (g.bit(0.1) ? [-128, 127][g.int(0, 1)] : g.int(-128, 127)));
}

function davisCrop() {
  const img = loadFrame(davisFramePath(davisSequences('val')[1], 0), { format: 'y', crop: { x: 300, y: 180, width: 96, height: 64 } });
  return { y8: Uint8Array.from(img.data), w: img.width, h: img.height };
}

function randomBeats(n: number, seed: number): SkipAddBeat[] {
  const g = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    // Every 50th beat is a flat extreme patch with an extreme residual (both clamps).
    const ext = i % 50 === 7 ? 127 : i % 50 === 33 ? -128 : undefined;
    return {
      res: Array.from({ length: 9 }, () => (ext === undefined ? g.int(-128, 127) : ext)),
      win: Array.from({ length: 9 }, () => Array.from({ length: 4 }, () => ext ?? g.int(-128, 127))),
      flags: g.int(0, 15),
    };
  });
}

describe('skip_add model', () => {
  it('equals the golden skipUpscale + clamp on every cell of random frames, borders included (2x2 .. 14x10)', () => {
    const g = prng(5);
    for (const [w, h] of [[2, 2], [4, 2], [2, 6], [6, 4], [14, 10]]) {
      const y8 = Uint8Array.from({ length: w * h }, () => (g.bit(0.2) ? [0, 255][g.int(0, 1)] : g.int(0, 255)));
      const c = frameCells(y8, w, h, randomRes(w * 100 + h));
      assert.deepEqual(skipAddModel(c.beats), c.golden, `${w}x${h}`);
    }
  });

  it('equals the golden skip on every cell of a real DAVIS crop (96x64 LR, 1,536 cells)', () => {
    const f = davisCrop();
    const c = frameCells(f.y8, f.w, f.h, randomRes(9));
    assert.deepEqual(skipAddModel(c.beats), c.golden);
    // RES = 0 gives the skip itself.
    const z = frameCells(f.y8, f.w, f.h, () => new Array(9).fill(0));
    assert.deepEqual(skipAddModel(z.beats), z.golden);
  });

  it('packs the documented layout and rejects malformed beats', () => {
    const b: SkipAddBeat = { res: [1, -1, 0, 0, 0, 0, 0, 0, -128], win: Array.from({ length: 9 }, (_, l) => [l, l ? -l : 0, 0, 127]), flags: 9 };
    const x = packSkipAddIn(b);
    assert.ok(x < 1n << BigInt(SKIP_ADD_IN_BITS));
    assert.equal(Number(x & 0xffn), 1);
    assert.equal(Number((x >> 64n) & 0xffn), 0x80);
    assert.equal(Number((x >> 72n) & 0xffn), 0); // lane 0 ch 0
    assert.equal(Number((x >> BigInt(72 + 32 + 8)) & 0xffn), 0xff); // lane 1 ch 1 = -1
    assert.equal(Number(x >> 360n), 9);
    assert.deepEqual(unpackSkipAddIn(x), b);
    assert.throws(() => skipAddModel([{ ...b, flags: 16 }]), /beat 0 flags: 16 is not an unsigned 4-bit/);
    assert.throws(() => skipAddModel([{ ...b, res: [1] }]), /beat 0: 1 residuals, expected 9/);
  });
});

describe('skip_add RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean, reports its flops, no output depends on m_axis_tready', () => {
    for (const depth of [4, 2]) {
      const b = buildSkipAdd({ depth });
      const e = emitToTemp(b.module, 'skipadd');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module));
      assert.equal(b.latency, SKIP_ADD_LATENCY);
      for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends combinationally on m_axis_tready`);
    }
    assert.deepEqual(buildSkipAdd().module.ports.map((p) => `${p.name}:${p.width}`), ['s_axis_tdata:364', 's_axis_tvalid:1', 's_axis_tready:1', 's_axis_tlast:1', 's_axis_tuser:1', 'm_axis_tdata:72', 'm_axis_tvalid:1', 'm_axis_tready:1', 'm_axis_tlast:1', 'm_axis_tuser:1']);
    assert.throws(() => skipAddParams.validate({ depth: 1 }), /depth = 1/);
  });

  it('synthesises with Yosys without warnings', async function () {
    if (!hasBinary('yosys')) this.skip();
    const e = emitToTemp(buildSkipAdd().module, 'skipaddys');
    const r = await yosysSynthCheck(e.files, e.top);
    assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
  });

  it('matches the model on random windows, flags and residuals under backpressure (2,000 beats)', async () => {
    const beats = randomBeats(2000, 31);
    const side = (i: number) => ({ last: i % 40 === 39, user: i % 500 === 0 });
    const e = emitToTemp(buildSkipAdd().module, 'skipaddrand');
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats.map((b, i) => ({ data: packSkipAddIn(b), ...side(i) })) },
      model: (ins) => ({ m_axis: skipAddModel(ins.s_axis.map((b) => unpackSkipAddIn(BigInt(b.data)))).map((o, i) => ({ data: packSkipAddOut(o), ...side(i) })) }),
      compare: { label: 'skip_add random' },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, beats.length - 1, 'one beat per cycle without backpressure');
    assert.equal(out[0].cycle, 1 + SKIP_ADD_LATENCY, 'first beat accepted in cycle 1');
    // Both clamps were exercised: some SKIP + RES fall below 0 and some above 255.
    const raw = beats.flatMap((b) => skipCell(b).map((x, k) => x + b.res[k]));
    assert.ok(raw.some((x) => x < 0) && raw.some((x) => x > 255), 'both clamps exercised');
  });

  it('matches the golden skip + clamp on every cell of a real DAVIS crop, under backpressure', async () => {
    const f = davisCrop();
    const c = frameCells(f.y8, f.w, f.h, randomRes(9));
    const e = emitToTemp(buildSkipAdd().module, 'skipadddavis');
    const inputs: BeatIn[] = c.beats.map((b, n) => ({ data: packSkipAddIn(b), ...c.side[n] }));
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: inputs },
      model: () => ({ m_axis: c.golden.map((o, n) => ({ data: packSkipAddOut(o), ...c.side[n] })) }),
      compare: { label: 'skip_add DAVIS', image: { width: f.w / 2, height: f.h / 2 } },
      variants: [{ seed: 4, backpressure: { inputGap: 0.2, outputStall: 0.5 } }],
    });
  });
});

describe('skip_add, 3 planes (Y + residual, Cb and Cr bare skip: video rgb888)', () => {
  /** Cells of a real RGB crop in YCbCr, 12 channels per lane, and the golden pixel-major output. */
  function yccCells(res: (n: number) => number[]) {
    const img = loadFrame(davisFramePath(davisSequences('val')[2], 1), { format: 'rgb', crop: { x: 200, y: 150, width: 48, height: 32 } });
    const { y, cb, cr } = rgbToYcbcrInt(img);
    const w = img.width, h = img.height;
    const per = [y, cb, cr].map((pl, q) => frameCells(pl, w, h, q === 0 ? res : () => new Array(9).fill(0)));
    const beats: SkipAddBeat[] = per[0].beats.map((b, n) => ({ res: b.res, flags: b.flags, win: b.win.map((_, l) => per.flatMap((pp) => pp.beats[n].win[l])) }));
    const golden = per[0].golden.map((_, n) => Array.from({ length: 27 }, (_, k) => per[k % 3].golden[n][Math.floor(k / 3)]));
    return { beats, golden, side: per[0].side, w, h };
  }

  it('model: plane 0 = Y skip + residual, planes 1, 2 = skipUpscale of Cb, Cr, on every cell of a real crop', () => {
    const c = yccCells(randomRes(12));
    assert.deepEqual(skipAddModel(c.beats, 3), c.golden);
    assert.deepEqual(unpackSkipAddIn(packSkipAddIn(c.beats[5], 3), 3), c.beats[5]);
    assert.equal(skipAddLayout(3).inBits, 72 + 9 * 96 + 4);
    assert.throws(() => skipAddModel(c.beats, 1), /window lane 0 has 12 channels, expected 4/);
  });

  it('RTL: lint-clean, flops as reported; equals the golden on every cell of the crop under backpressure', async function () {
    if (!hasBinary('verilator')) this.skip();
    const b = buildSkipAdd({ planes: 3 });
    const e = emitToTemp(b.module, 'skipadd3');
    assert.deepEqual(lintProblems(e), [], e.top);
    assert.equal(b.flops, countFlops(b.module));
    assert.deepEqual(b.module.ports.filter((q) => q.name.endsWith('tdata')).map((q) => `${q.name}:${q.width}`), ['s_axis_tdata:940', 'm_axis_tdata:216']);
    const c = yccCells(randomRes(13));
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: c.beats.map((x, n) => ({ data: packSkipAddIn(x, 3), ...c.side[n] })) },
      model: () => ({ m_axis: c.golden.map((o, n) => ({ data: packSkipAddOut(o), ...c.side[n] })) }),
      compare: { label: 'skip_add 3 planes' },
      variants: [{ seed: 5, backpressure: { inputGap: 0.2, outputStall: 0.5 } }],
    });
  });
});
