import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildBilinearX15, bilinearX15Params, type BilinearX15Config } from '../../generators/blocks/bilinear_x15/index.ts';
import { bilinearX15Model, upscaleFrame } from '../../generators/blocks/bilinear_x15/model.ts';
import type { Image } from '../../model/image.ts';
import { assertSimCompare, davisFramePath, davisSequences, framesToBeats, loadFrame } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

const img = (width: number, height: number, channels: number, data: number[]): Image => ({ width, height, channels, data: Uint8Array.from(data) });

function randomImage(width: number, height: number, channels: number, r: ReturnType<typeof prng>): Image {
  return img(width, height, channels, Array.from({ length: width * height * channels }, () => r.int(0, 255)));
}

describe('bilinear_x15 model', () => {
  it('reproduces the worked 1-D example of docs/fixed-point.md (x = 10, 20, 30, 40)', () => {
    // Both LR rows equal, so every HR row is the horizontal pass of 64·x: (64·(w0·l + w1·r) + 2048) >> 12.
    const hr = upscaleFrame(img(4, 2, 1, [10, 20, 30, 40, 10, 20, 30, 40]));
    assert.deepEqual([hr.width, hr.height], [6, 3]);
    for (let y = 0; y < 3; y++) assert.deepEqual([...hr.data.subarray(y * 6, y * 6 + 6)], [10, 15, 22, 28, 35, 40]);
  });

  it('2x2 RGB: channels are independent, a constant channel stays constant, beats carry SOF/EOL', () => {
    const f = img(2, 2, 3, [0, 7, 200, 64, 7, 200, 128, 7, 200, 255, 7, 200]);
    const beats = bilinearX15Model({ channels: 3, maxWidth: 8 }, [f]);
    assert.equal(beats.length, 9);
    assert.equal(beats.map((b) => (b.user ? 'U' : '') + (b.last ? 'L' : '-')).join(''), 'U--L--L--L');
    // Red: rows (0, 64) and (128, 255); HR (0,0) = 0, HR (2,2) = 255 (corner replicate); G, B constant.
    const red = beats.map((b) => Number(b.data & 0xffn));
    assert.equal(red[0], 0);
    assert.equal(red[8], 255);
    // HR (1,1): 32/32 both ways = (32·32·(0 + 64 + 128 + 255) + 2048) >> 12 = 112.
    assert.equal(red[4], (32 * 32 * (0 + 64 + 128 + 255) + 2048) >> 12);
    for (const b of beats) assert.equal(b.data >> 8n, (200n << 8n) | 7n);
  });

  it('rejects frames the block cannot take, naming the frame', () => {
    const p = { channels: 1, maxWidth: 8 };
    assert.throws(() => bilinearX15Model(p, [img(3, 2, 1, [1, 2, 3, 4, 5, 6])]), /frame 0 \(3x2x1\): width must be even/);
    assert.throws(() => bilinearX15Model(p, [img(2, 2, 1, [1, 2, 3, 4]), img(10, 2, 1, new Array(20).fill(0))]), /frame 1 \(10x2x1\): width must be even and in \[2, maxWidth=8\]/);
    assert.throws(() => bilinearX15Model(p, [img(2, 3, 1, [1, 2, 3, 4, 5, 6])]), /height must be even/);
    assert.throws(() => bilinearX15Model(p, [img(2, 2, 3, new Array(12).fill(0))]), /has 3 channels, the block has 1/);
  });
});

describe('bilinear_x15 RTL', function () {
  if (!hasBinary('verilator')) return;

  const RGB: BilinearX15Config = bilinearX15Params.validate({ channels: 3, maxWidth: 64, heightBits: 8 });
  const LUMA: BilinearX15Config = bilinearX15Params.validate({ channels: 1, maxWidth: 64, heightBits: 8 });
  const emitted = new Map<string, ReturnType<typeof emitToTemp>>();
  const emitFor = (p: BilinearX15Config) => {
    const key = JSON.stringify(p);
    if (!emitted.has(key)) emitted.set(key, emitToTemp(buildBilinearX15(p).module, 'bx15'));
    return emitted.get(key)!;
  };
  const stress = { inputGap: 0.3, outputStall: 0.5 };

  async function check(p: BilinearX15Config, frames: Image[], label: string, variants: { seed: number; backpressure?: { inputGap: number; outputStall: number } }[] = [{ seed: 1 }, { seed: 2, backpressure: stress }]) {
    return assertSimCompare({
      design: simDesign(emitFor(p)),
      inputs: { s_axis: framesToBeats(frames) },
      constInputs: { cfg_height: frames[0].height },
      model: () => ({ m_axis: bilinearX15Model(p, frames) }),
      compare: { label, image: { width: (frames[0].width * 3) / 2 } },
      variants,
    });
  }

  it('is lint-clean, keeps the rows in three inferred RAMs and reports its flops', () => {
    for (const p of [RGB, LUMA, bilinearX15Params.validate({ channels: 3, maxWidth: 1280 }), bilinearX15Params.validate({ channels: 2, maxWidth: 2, heightBits: 2 })]) {
      const info = buildBilinearX15(p);
      assert.deepEqual(lintProblems(emitToTemp(info.module, 'bx15_lint')), [], JSON.stringify(p));
      assert.equal(info.module.memories.length, 3);
      assert.equal(info.ramBits, 3 * p.maxWidth * 8 * p.channels);
      assert.equal(info.flops, countFlops(info.module));
    }
    const e = emitFor(RGB);
    // No output follows any input combinationally: s_axis_tready comes from the ring's
    // registers, m_axis_* from the output FIFO's registers (credits replace a stall enable).
    for (const [out, deps] of e.design.top.combDeps) assert.equal(deps.size, 0, `${out} depends on ${[...deps].join(', ')}`);
    assert.throws(() => buildBilinearX15({ channels: 0, heightBits: 1 }), /2 invalid parameters[\s\S]*channels = 0[\s\S]*heightBits = 1/);
    assert.throws(() => buildBilinearX15({ maxWidth: 7 }), /maxWidth = 7 must be even/);
  });

  it('synthesises with Yosys without warnings; the three rows stay inferred memories', async function () {
    if (!hasBinary('yosys')) this.skip();
    const e = emitToTemp(buildBilinearX15(bilinearX15Params.validate({ channels: 1, maxWidth: 16, heightBits: 6 })).module, 'bx15_ys');
    const r = await yosysSynthCheck(e.files, e.top);
    assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
    const m = spawnSync('nice', ['yosys', '-p', `read_verilog ${e.files.join(' ')}; hierarchy -top ${e.top}; proc; memory -nomap; stat`], { encoding: 'utf8' });
    assert.equal(m.status, 0, m.stderr);
    const top = m.stdout.slice(m.stdout.lastIndexOf(`=== ${e.top} ===`));
    assert.match(top.split('\n=== ')[0], /\$mem_v2\s+3\b/, top);
  });

  it('hand cases: 2x2, 4x2 and a 1-cell-wide (2 px) column frame, back to back per height', async () => {
    await check(LUMA, [img(2, 2, 1, [0, 64, 128, 255]), img(4, 2, 1, [10, 20, 30, 40, 10, 20, 30, 40]), img(2, 2, 1, [255, 255, 0, 0])], 'h=2 hand');
    await check(RGB, [img(2, 6, 3, Array.from({ length: 36 }, (_, i) => (i * 37) % 256))], '1-cell-wide RGB');
    // The smallest block (2-pixel lines, 1-bit column counters) on 1-cell-wide frames.
    const tiny = bilinearX15Params.validate({ channels: 1, maxWidth: 2, heightBits: 4 });
    const r = prng(3);
    await check(tiny, [randomImage(2, 14, 1, r), randomImage(2, 14, 1, r)], 'maxWidth=2 h=14');
    await check(tiny, [randomImage(2, 2, 1, r), randomImage(2, 2, 1, r), randomImage(2, 2, 1, r)], 'maxWidth=2 h=2');
  });

  it('random RGB frames of several sizes back to back, bit-exact under backpressure', async () => {
    const r = prng(15);
    for (const h of [2, 4, 10]) {
      const frames = [64, 2, 18, 6].map((w) => randomImage(w, h, 3, r));
      await check(RGB, frames, `random RGB h=${h}`);
    }
  });

  it('real DAVIS val crops (RGB and luma) under random backpressure, bit-exact', async () => {
    const seqs = davisSequences('val');
    const crops = [0, 3].map((s) => loadFrame(davisFramePath(seqs[s], 0), { format: 'rgb', crop: { x: 400, y: 200, width: 64, height: 24 } }));
    const rep = await check(RGB, crops, 'DAVIS RGB', [{ seed: 3, backpressure: stress }, { seed: 4, backpressure: { inputGap: 0.05, outputStall: 0.8 } }]);
    assert.equal(rep.runs[0].result.outputs.m_axis.length, 2 * 96 * 36);
    const luma = loadFrame(davisFramePath(seqs[1], 5), { format: 'y', crop: { x: 100, y: 120, width: 48, height: 32 } });
    await check(LUMA, [luma, luma], 'DAVIS luma');
  });

  it('streams 3 real 64x48 RGB frames (20736 HR beats) with no beat lost or duplicated under heavy backpressure', async () => {
    const frames = davisSequences('val').slice(1, 4).map((seq) => loadFrame(davisFramePath(seq, 10), { format: 'rgb', crop: { x: 300, y: 150, width: 64, height: 48 } }));
    const rep = await check(RGB, frames, 'DAVIS RGB 64x48', [{ seed: 11, backpressure: { inputGap: 0.4, outputStall: 0.6 } }]);
    const res = rep.runs[0].result;
    assert.equal(res.outputs.m_axis.length, 3 * 96 * 72);
    assert.ok(res.outputStats.m_axis.stallCycles > 10_000, `stalls ${res.outputStats.m_axis.stallCycles}`);
  });

  it('sustains one HR pixel per cycle plus two cycles per HR row when nothing stalls', async () => {
    const r = prng(9);
    const w = 64, h = 8;
    const rep = await check(RGB, [randomImage(w, h, 3, r), randomImage(w, h, 3, r)], 'throughput', [{ seed: 7 }]);
    const out = rep.runs[0].result.outputs.m_axis;
    const W = (w * 3) / 2;
    // Every HR row after the first starts exactly W + 2 cycles after the previous one,
    // across the frame boundary too: the 3-row ring never starves the output.
    for (let row = 2; row < out.length / W; row++) assert.equal(out[row * W].cycle - out[(row - 1) * W].cycle, W + 2, `row ${row}`);
    for (let i = 1; i < out.length; i++) if (i % W) assert.equal(out[i].cycle - out[i - 1].cycle, 1, `beat ${i}`);
  });
});
