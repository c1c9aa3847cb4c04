import assert from 'node:assert/strict';
import { frameToBeats, lineBufferModel, windowAt, windowBeatData, type Frame, type LineBufferParams, type Pixel } from '../../generators/blocks/line_buffer/model.ts';
import { buildLineBuffer, lineBufferName, type LineBufferConfig } from '../../generators/blocks/line_buffer/index.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { emitVerilog, elaborate, Module, mux } from '../../generators/core/index.ts';
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

  it('zero border: every lane outside the frame is 0, also for bigint cells', () => {
    const g: Frame = { ...f, pixels: Array.from(f.pixels, (v) => v + 100) };
    assert.deepEqual(windowAt(g, 3, 0, 0, 'zero'), [0, 0, 0, 0, 100, 101, 0, 110, 111]);
    assert.deepEqual(windowAt(g, 3, 2, 3, 'zero'), [112, 113, 0, 122, 123, 0, 0, 0, 0]);
    assert.deepEqual(windowAt(g, 3, 1, 1, 'zero'), windowAt(g, 3, 1, 1));
    const wide: Frame<bigint> = { width: 1, height: 1, pixels: [1n << 150n] };
    assert.deepEqual(windowAt(wide, 3, 0, 0, 'zero'), [0n, 0n, 0n, 0n, 1n << 150n, 0n, 0n, 0n, 0n]);
    assert.deepEqual(windowAt({ width: 1, height: 2, pixels: [5, 9] }, 5, 1, 0, 'zero'), [0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 9, 0, 0, ...Array(10).fill(0)]);
  });

  it('emits one window per pixel with SOF on (0,0) and EOL on the last column', () => {
    const out = lineBufferModel({ k: 3, maxWidth: 8, pixelBits: 8 }, [f, f]);
    assert.equal(out.length, 24);
    assert.equal(out.map((o) => (o.user ? 'U' : '') + (o.last ? 'L' : '-')).join(''), 'U---L---L---L'.repeat(2));
    const beats = frameToBeats(f);
    assert.deepEqual([beats[0].user, beats[3].last, beats[4].user, beats[11].last], [true, true, false, true]);
  });

  it('border flags mark the centre on the first/last row and column, packed above the window', () => {
    const p: LineBufferParams = { k: 3, maxWidth: 8, pixelBits: 8, border: 'zero', flags: true };
    const code = (b: ReturnType<typeof lineBufferModel>[number]) => Number(windowBeatData(b, p) >> 72n);
    // 4x3: top row T|L, T, T, T|R; middle L, -, -, R; bottom B|L ... (bits: 1 top, 2 bottom, 4 left, 8 right)
    assert.deepEqual(lineBufferModel(p, [f]).map(code), [5, 1, 1, 9, 4, 0, 0, 8, 6, 2, 2, 10]);
    // A 1x1 frame is on every border; a 1-row frame sets top and bottom.
    assert.deepEqual(lineBufferModel(p, [{ width: 1, height: 1, pixels: [7] }]).map(code), [15]);
    assert.deepEqual(lineBufferModel(p, [{ width: 2, height: 1, pixels: [7, 8] }]).map(code), [7, 11]);
    const one = lineBufferModel(p, [{ width: 1, height: 1, pixels: [7] }])[0];
    assert.equal(windowBeatData(one, p), (15n << 72n) | (7n << 32n));
    assert.equal(windowBeatData(one, { ...p, flags: false }), 7n << 32n);
  });

  it('rejects frames wider than maxWidth and pixels out of range', () => {
    assert.throws(() => lineBufferModel({ k: 3, maxWidth: 3, pixelBits: 8 }, [f]), /width 4 outside \[1, maxWidth=3\]/);
    assert.throws(() => lineBufferModel({ k: 3, maxWidth: 8, pixelBits: 4 }, [f]), /pixel 8: 20 is not an unsigned 4-bit/);
  });
});

describe('line_buffer parameters', () => {
  it('keeps the original name for replicate without flags and encodes border and flags otherwise', () => {
    const base = { k: 3 as const, maxWidth: 64, pixelBits: 160, heightBits: 8 };
    const names = [{}, { border: 'zero' as const }, { flags: true }, { border: 'zero' as const, flags: true }].map((x) => lineBufferName({ ...base, ...x }));
    assert.deepEqual(names, ['line_buffer_k3_w64_p160_h8', 'line_buffer_k3_w64_p160_h8_zero', 'line_buffer_k3_w64_p160_h8_flags', 'line_buffer_k3_w64_p160_h8_zero_flags']);
    assert.equal(buildLineBuffer({ ...base, border: 'zero', flags: true }).module.name, names[3]);
  });

  it('explicit defaults emit the same Verilog as the original (replicate, no flags) configuration', () => {
    const a = emitVerilog(elaborate(buildLineBuffer({ maxWidth: 100 }).module));
    const b = emitVerilog(elaborate(buildLineBuffer({ maxWidth: 100, border: 'replicate', flags: false }).module));
    assert.deepEqual([...b], [...a]);
    assert.ok(![...a.values()].some((t) => /config: .*("border"|"flags")/.test(t)), 'the default config header has no new parameter');
  });

  it('two instances with different border settings coexist in one design', () => {
    const top = new Module('lb_pair');
    for (const border of ['replicate', 'zero'] as const) {
      const u = top.instantiate(`u_${border}`, buildLineBuffer({ maxWidth: 16, pixelBits: 4, border }).module);
      connectStream(top, streamIn(top, { width: 4 }, `s_${border}`), instSink(u, 's_axis'));
      connectStream(top, instSource(u, 'm_axis'), streamOut(top, { width: 36 }, `m_${border}`));
      u.connect('cfg_height', top.input(`h_${border}`, 11));
    }
    assert.deepEqual([...emitVerilog(elaborate(top)).keys()].filter((n) => n.startsWith('line_buffer')).sort(), ['line_buffer_k3_w16_p4_h11.v', 'line_buffer_k3_w16_p4_h11_zero.v']);
  });

  it('limits k*k*pixelBits (+4 flag bits) to the core MAX_WIDTH, naming the widths', () => {
    assert.equal(buildLineBuffer({ k: 3, maxWidth: 64, pixelBits: 288, border: 'zero', flags: true }).dataBits, 9 * 288 + 4);
    assert.equal(buildLineBuffer({ k: 3, maxWidth: 8, pixelBits: 455 }).dataBits, 4095);
    assert.throws(() => buildLineBuffer({ k: 3, maxWidth: 8, pixelBits: 455, flags: true }), /k\*k\*pixelBits \+ 4 flag bits = 3\*3\*455 \+ 4 = 4099 bits, over the core's MAX_WIDTH = 4096 bits \(pixelBits <= 454 for k=3\)/);
    assert.throws(() => buildLineBuffer({ k: 7, maxWidth: 8, pixelBits: 84 }), /k\*k\*pixelBits = 7\*7\*84 = 4116 bits, over the core's MAX_WIDTH = 4096 bits \(pixelBits <= 83 for k=7\)/);
    assert.throws(() => buildLineBuffer({ k: 3, maxWidth: 8, pixelBits: 456 }), /pixelBits = 456: must be an integer in \[1, 455\]/);
    assert.throws(() => buildLineBuffer({ border: 'mirror' } as unknown as Partial<LineBufferConfig>), /border = "mirror": must be one of "replicate", "zero"/);
  });
});

describe('line_buffer RTL', function () {
  if (!hasBinary('verilator')) return;

  const toBeats = (frames: Frame<Pixel>[]) => frames.flatMap((f) => frameToBeats(f)).map((b) => ({ data: BigInt(b.data), last: b.last, user: b.user }));
  const expected = (p: LineBufferParams, frames: Frame<Pixel>[]) => lineBufferModel(p, frames).map((b) => ({ data: windowBeatData(b, p), last: b.last, user: b.user }));
  const build = (p: LineBufferParams) => buildLineBuffer({ k: p.k as 3 | 5 | 7, maxWidth: p.maxWidth, pixelBits: p.pixelBits, border: p.border, flags: p.flags, heightBits: 8 });

  function randomFrame(width: number, height: number, r: ReturnType<typeof prng>, bits = 8): Frame {
    return { width, height, pixels: Array.from({ length: width * height }, () => r.int(0, 2 ** bits - 1)) };
  }

  function randomCells(width: number, height: number, r: ReturnType<typeof prng>, bits: number): Frame<bigint> {
    const cell = () => {
      let v = 0n;
      for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(r.u32());
      return BigInt.asUintN(bits, v);
    };
    return { width, height, pixels: Array.from({ length: width * height }, cell) };
  }

  async function check(p: LineBufferParams, frames: Frame[], label: string, variants = [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.4 } }]) {
    const e = emitToTemp(build(p).module, 'lb');
    return assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: toBeats(frames) },
      constInputs: { cfg_height: frames[0].height },
      model: () => ({ m_axis: expected(p, frames) }),
      compare: { label, image: { width: frames[0].width } },
      variants,
    });
  }

  /**
   * The block under a test wrapper whose input beats carry {height, pixel}: cfg_height takes the
   * height of a frame's first pixel in the cycle it is accepted and holds it until the next frame
   * starts, so one run covers frames of different heights back to back.
   */
  function heightWrapper(p: LineBufferParams, HB = 8): Module {
    return heightWrapperOf(build(p), p, HB);
  }

  function heightWrapperOf(info: ReturnType<typeof buildLineBuffer>, p: LineBufferParams, HB = 8): Module {
    const m = new Module(`tb_${info.module.name}`, { params: { block: 'line_buffer_test_wrapper' } });
    const s = streamIn(m, { width: p.pixelBits + HB }, 's_axis');
    const u = m.instantiate('u_lb', info.module);
    const dst = instSink(u, 's_axis');
    dst.driveData(s.data.slice(p.pixelBits - 1, 0));
    dst.driveValid(s.valid);
    dst.driveLast(s.lastSig!);
    dst.driveUser(s.userSig!);
    s.driveReady(dst.readySig!);
    const held = m.regInit('held_height', HB, 1);
    const hIn = s.data.slice(p.pixelBits + HB - 1, p.pixelBits);
    const sofTake = m.wire('sof_take', s.valid.and(s.userSig!).and(dst.readySig!));
    m.when(sofTake, () => held.set(hIn));
    u.connect('cfg_height', mux(sofTake, hIn, held));
    connectStream(m, instSource(u, 'm_axis'), streamOut(m, { width: info.dataBits }, 'm_axis'));
    return m;
  }

  async function checkMixed(p: LineBufferParams, frames: Frame<Pixel>[], label: string) {
    const e = emitToTemp(heightWrapper(p), 'lbw');
    const beats = frames.flatMap((f) => frameToBeats(f).map((b) => ({ data: (BigInt(f.height) << BigInt(p.pixelBits)) | BigInt(b.data), last: b.last, user: b.user })));
    return assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats },
      model: () => ({ m_axis: expected(p, frames) }),
      compare: { label },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.4 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.7 } }],
    });
  }

  /**
   * Handshake cycle of the last window when nothing throttles the stream (first pixel offered in
   * cycle 1): one pixel per cycle, plus R bubbles per line and R*(W+R) per frame (README), plus
   * the 3-cycle pipeline.
   */
  const unthrottledLastBeat = (k: number, frames: Frame<Pixel>[]) => {
    const R = (k - 1) / 2;
    return frames.reduce((a, f) => a + f.width * f.height + R * f.height + R * (f.width + R), 0) + 3;
  };

  it('is lint-clean for k = 3, 5, 7, both borders, with and without flags, and stores lines in one inferred RAM', () => {
    const configs: Partial<LineBufferConfig>[] = [
      ...([3, 5, 7] as const).map((k) => ({ k, maxWidth: 1280, pixelBits: 8 })),
      { k: 3, maxWidth: 1280, pixelBits: 160, border: 'zero', flags: true },
      { k: 3, maxWidth: 64, pixelBits: 288, border: 'zero', flags: true },
      { k: 5, maxWidth: 100, pixelBits: 8, border: 'zero' },
      { k: 7, maxWidth: 100, pixelBits: 8, flags: true },
    ];
    for (const c of configs) {
      const info = buildLineBuffer(c);
      const e = emitToTemp(info.module, 'lb_lint');
      assert.deepEqual(lintProblems(e), [], JSON.stringify(c));
      assert.equal(info.module.memories.length, 1);
      assert.equal(info.ramBits, c.maxWidth! * (c.k! - 1) * c.pixelBits!);
      assert.equal(e.design.top.ports.find((q) => q.name === 'm_axis_tdata')!.width, c.k! * c.k! * c.pixelBits! + (c.flags ? 4 : 0));
      // The skid buffer between the stages cuts the ready path: no output follows an input combinationally.
      for (const [out, deps] of e.design.top.combDeps) assert.equal(deps.size, 0, `${out} depends on ${[...deps].join(', ')}`);
    }
    assert.throws(() => buildLineBuffer({ k: 4 as 3, maxWidth: 1, pixelBits: 500 }), /3 invalid parameters[\s\S]*k = 4[\s\S]*maxWidth = 1[\s\S]*pixelBits = 500/);
  });

  it('matches the model on random frames of many sizes, back to back, under backpressure', async () => {
    const r = prng(2024);
    for (const k of [3, 5, 7]) {
      const p = { k, maxWidth: 32, pixelBits: 8 };
      // Same height in one run (cfg_height is static); widths change from frame to frame.
      for (const h of [1, 2, 5]) await check(p, [randomFrame(32, h, r), randomFrame(1, h, r), randomFrame(7, h, r), randomFrame(2, h, r)], `line_buffer k=${k} h=${h}`);
    }
  });

  // Frame sizes W x H; heights change between frames through cfg_height.
  const sizes: [number, number][] = [[7, 4], [1, 1], [1, 5], [64, 3], [5, 1], [2, 2], [1, 1], [7, 4], [5, 1], [64, 3]];

  for (const P of [160, 32]) {
    it(`zero border with flags, ${P}-bit cells: frames ${[...new Set(sizes.map(([w, h]) => `${w}x${h}`))].join(', ')} back to back`, async () => {
      const r = prng(P);
      const frames = sizes.map(([w, h]) => randomCells(w, h, r, P));
      const p: LineBufferParams = { k: 3, maxWidth: 64, pixelBits: P, border: 'zero', flags: true };
      const rep = await checkMixed(p, frames, `line_buffer zero+flags P=${P}`);
      // One pixel per cycle apart from the documented bubbles when nothing throttles the stream.
      assert.equal(rep.runs[0].result.outputStats.m_axis.lastBeatCycle, unthrottledLastBeat(3, frames));
      assert.ok(rep.runs[2].result.outputStats.m_axis.stallCycles > 500);
    });
  }

  it("columnBuffer 'single' (one register entry between the stages): lint-clean, no combinational path, bit-exact with zero border and flags, 160-bit cells", async () => {
    const info = buildLineBuffer({ k: 3, maxWidth: 64, pixelBits: 160, border: 'zero', flags: true, columnBuffer: 'single', heightBits: 8 });
    assert.equal(info.module.name, 'line_buffer_k3_w64_p160_h8_zero_flags_c1');
    const e = emitToTemp(info.module, 'lb_c1');
    assert.deepEqual(lintProblems(e), []);
    for (const [out, deps] of e.design.top.combDeps) assert.equal(deps.size, 0, `${out} depends on ${[...deps].join(', ')}`);
    const r = prng(161);
    const frames = sizes.map(([w, h]) => randomCells(w, h, r, 160));
    const p = { k: 3, maxWidth: 64, pixelBits: 160, border: 'zero', flags: true } as LineBufferParams;
    const e2 = emitToTemp(heightWrapperOf(buildLineBuffer({ ...p, k: 3, border: 'zero', heightBits: 8, columnBuffer: 'single' }), p), 'lbw_c1');
    const beats = frames.flatMap((f) => frameToBeats(f).map((b) => ({ data: (BigInt(f.height) << 160n) | BigInt(b.data), last: b.last, user: b.user })));
    await assertSimCompare({
      design: simDesign(e2),
      inputs: { s_axis: beats },
      model: () => ({ m_axis: expected(p, frames) }),
      compare: { label: 'line_buffer single column register' },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.4 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.7 } }],
    });
  });

  it('zero border with flags, k = 5 and 7: mixed frame sizes back to back', async () => {
    const r = prng(57);
    for (const k of [5, 7]) {
      const frames = sizes.map(([w, h]) => randomFrame(w, h, r));
      await checkMixed({ k, maxWidth: 64, pixelBits: 8, border: 'zero', flags: true }, frames, `line_buffer zero+flags k=${k}`);
    }
  });

  it('matches the model on a real DAVIS frame crop (k = 3 and 5, both borders; flags with k = 3 zero)', async () => {
    const img = loadFrame(davisFramePath(davisSequences('val')[2], 0), { crop: { x: 300, y: 100, width: 64, height: 24 } });
    const f: Frame = { width: img.width, height: img.height, pixels: img.data };
    const last: number[] = [];
    for (const border of ['replicate', 'zero'] as const) {
      for (const k of [3, 5]) {
        const rep = await check({ k, maxWidth: 64, pixelBits: 8, border, flags: border === 'zero' && k === 3 }, [f, f], `line_buffer k=${k} ${border} DAVIS`);
        last.push(rep.runs[0].result.outputStats.m_axis.lastBeatCycle);
      }
    }
    // Zero borders cost no cycles: both modes run at one pixel per cycle plus the documented bubbles.
    assert.deepEqual(last, [unthrottledLastBeat(3, [f, f]), unthrottledLastBeat(5, [f, f]), unthrottledLastBeat(3, [f, f]), unthrottledLastBeat(5, [f, f])]);
  });

  it('passes 10^5 pixels under random backpressure with no window lost or duplicated', async () => {
    const r = prng(77);
    const frames = [0, 1, 2].map(() => randomFrame(256, 131, r));
    const rep = await check({ k: 3, maxWidth: 256, pixelBits: 8 }, frames, 'line_buffer 10^5', [{ seed: 5, backpressure: { inputGap: 0.25, outputStall: 0.35 } }]);
    assert.equal(rep.runs[0].result.outputs.m_axis.length, 256 * 131 * 3);
    assert.ok(rep.runs[0].result.outputStats.m_axis.stallCycles > 10_000);
  });
});
