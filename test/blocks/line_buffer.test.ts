import assert from 'node:assert/strict';
import { frameToBeats, lineBufferModel, windowAt, type Frame, type LineBufferParams } from '../../generators/blocks/line_buffer/model.ts';
import { buildLineBuffer } from '../../generators/blocks/line_buffer/index.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

describe('line_buffer model', () => {
  // 3x4 frame with distinct pixels: value = 10*y + x
  const f: Frame = { width: 4, height: 3, pixels: [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23] };

  it('replicates the border at the corners and edges (k=3)', () => {
    assert.deepEqual(windowAt(f, 3, 0, 0), [0, 0, 1, 0, 0, 1, 10, 10, 11]);
    assert.deepEqual(windowAt(f, 3, 2, 3), [12, 13, 13, 22, 23, 23, 22, 23, 23]);
    assert.deepEqual(windowAt(f, 3, 1, 1), [0, 1, 2, 10, 11, 12, 20, 21, 22]);
  });

  it('k=5 clamps two pixels deep, also in a 1-pixel-wide frame', () => {
    assert.deepEqual(windowAt(f, 5, 0, 0).slice(0, 5), [0, 0, 0, 1, 2]);
    const col: Frame = { width: 1, height: 2, pixels: [5, 9] };
    assert.deepEqual(windowAt(col, 5, 0, 0), [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
  });

  it('emits one window per pixel with SOF on (0,0) and EOL on the last column', () => {
    const out = lineBufferModel({ k: 3, maxWidth: 8, pixelBits: 8 }, [f, f]);
    assert.equal(out.length, 24);
    assert.equal(out.map((o) => (o.user ? 'U' : '') + (o.last ? 'L' : '-')).join(''), 'U---L---L---L'.repeat(2));
    const beats = frameToBeats(f);
    assert.deepEqual([beats[0].user, beats[3].last, beats[4].user, beats[11].last], [true, true, false, true]);
  });

  it('rejects frames wider than maxWidth and pixels out of range', () => {
    assert.throws(() => lineBufferModel({ k: 3, maxWidth: 3, pixelBits: 8 }, [f]), /width 4 outside \[1, maxWidth=3\]/);
    assert.throws(() => lineBufferModel({ k: 3, maxWidth: 8, pixelBits: 4 }, [f]), /pixel 8: 20 is not an unsigned 4-bit/);
  });
});

describe('line_buffer RTL', function () {
  if (!hasBinary('verilator')) return;

  const toBeats = (frames: Frame[]) => frames.flatMap((f) => frameToBeats(f)).map((b) => ({ data: b.data, last: b.last, user: b.user }));
  const expected = (p: LineBufferParams, frames: Frame[]) => lineBufferModel(p, frames).map((b) => ({ data: packLanes(b.window, p.pixelBits), last: b.last, user: b.user }));

  function randomFrame(width: number, height: number, r: ReturnType<typeof prng>, bits = 8): Frame {
    return { width, height, pixels: Array.from({ length: width * height }, () => r.int(0, 2 ** bits - 1)) };
  }

  async function check(p: LineBufferParams, frames: Frame[], label: string, variants = [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.4 } }]) {
    const e = emitToTemp(buildLineBuffer({ ...p, k: p.k as 3 | 5 | 7, heightBits: 8 }).module, 'lb');
    return assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: toBeats(frames) },
      constInputs: { cfg_height: frames[0].height },
      model: () => ({ m_axis: expected(p, frames) }),
      compare: { label, image: { width: frames[0].width } },
      variants,
    });
  }

  it('is lint-clean for k = 3, 5, 7 and stores lines in one inferred RAM', () => {
    for (const k of [3, 5, 7] as const) {
      const info = buildLineBuffer({ k, maxWidth: 1280, pixelBits: 8 });
      const e = emitToTemp(info.module, 'lb_lint');
      assert.deepEqual(lintProblems(e), [], `k=${k}`);
      assert.equal(info.module.memories.length, 1);
      assert.equal(info.ramBits, 1280 * (k - 1) * 8);
      // The skid buffer between the stages cuts the ready path: no output follows an input combinationally.
      for (const [out, deps] of e.design.top.combDeps) assert.equal(deps.size, 0, `${out} depends on ${[...deps].join(', ')}`);
    }
    assert.throws(() => buildLineBuffer({ k: 4 as 3, maxWidth: 1, pixelBits: 200 }), /3 invalid parameters[\s\S]*k = 4[\s\S]*maxWidth = 1[\s\S]*pixelBits = 200/);
  });

  it('matches the model on random frames of many sizes, back to back, under backpressure', async () => {
    const r = prng(2024);
    for (const k of [3, 5, 7]) {
      const p = { k, maxWidth: 32, pixelBits: 8 };
      // Same height in one run (cfg_height is static); widths change from frame to frame.
      for (const h of [1, 2, 5]) await check(p, [randomFrame(32, h, r), randomFrame(1, h, r), randomFrame(7, h, r), randomFrame(2, h, r)], `line_buffer k=${k} h=${h}`);
    }
  });

  it('matches the model on a real DAVIS frame crop (k = 3 and 5)', async () => {
    const img = loadFrame(davisFramePath(davisSequences('val')[2], 0), { crop: { x: 300, y: 100, width: 64, height: 24 } });
    const f: Frame = { width: img.width, height: img.height, pixels: img.data };
    for (const k of [3, 5]) await check({ k, maxWidth: 64, pixelBits: 8 }, [f, f], `line_buffer k=${k} DAVIS`);
  });

  it('passes 10^5 pixels under random backpressure with no window lost or duplicated', async () => {
    const r = prng(77);
    const frames = [0, 1, 2].map(() => randomFrame(256, 131, r));
    const rep = await check({ k: 3, maxWidth: 256, pixelBits: 8 }, frames, 'line_buffer 10^5', [{ seed: 5, backpressure: { inputGap: 0.25, outputStall: 0.35 } }]);
    assert.equal(rep.runs[0].result.outputs.m_axis.length, 256 * 131 * 3);
    assert.ok(rep.runs[0].result.outputStats.m_axis.stallCycles > 10_000);
  });
});
