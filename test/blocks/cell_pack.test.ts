import assert from 'node:assert/strict';
import { buildCellPack, CELL_PACK_LATENCY, type CellPackConfig } from '../../generators/blocks/cell_pack/index.ts';
import { cellPackModel, errorBits, frameBeats, packCell, type CellBeat, type CellPackCfg, type CellPackParams, type PixelBeat } from '../../generators/blocks/cell_pack/model.ts';
import { streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { cat, Module } from '../../generators/core/index.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { rgbToYcbcrInt } from '../../model/color.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame, type BeatIn } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

/** An input beat with the configuration the test bench presents while it is decided on. */
type TbBeat = PixelBeat & { cfg: CellPackCfg };

const P: CellPackParams = { maxWidth: 64, dimBits: 8 };
const IDX_BITS = 20;

const frame = (w: number, h: number, seed: number, cfg: CellPackCfg = { width: w, height: h }): TbBeat[] => {
  const g = prng(seed);
  return frameBeats(Array.from({ length: w * h }, () => g.int(0, 255)), w, h).map((b) => ({ ...b, cfg }));
};
const stray = (n: number, cfg: CellPackCfg, seed: number): TbBeat[] => {
  const g = prng(seed);
  return Array.from({ length: n }, () => ({ pix: g.int(0, 255), last: g.bit(0.3), user: false, cfg }));
};
const run = (beats: readonly TbBeat[], p = P) => cellPackModel(p, beats, (i) => beats[i].cfg);

/** Split model cells into frames at tuser and check each is a complete, well-marked frame. */
function checkFraming(cells: readonly CellBeat[], sizes: readonly CellPackCfg[]): void {
  let k = 0;
  sizes.forEach((c, f) => {
    const gw = c.width / 2, n = gw * (c.height / 2);
    const fr = cells.slice(k, k + n);
    assert.equal(fr.length, n, `frame ${f}: ${n} cells`);
    fr.forEach((b, q) => {
      assert.equal(b.user, q === 0, `frame ${f} cell ${q}: tuser`);
      assert.equal(b.last, q % gw === gw - 1, `frame ${f} cell ${q}: tlast`);
    });
    k += n;
  });
  assert.equal(k, cells.length, 'no cells beyond the frames');
}

/** The golden model's X0 (docs/fixed-point.md 2) for a DAVIS crop. */
function davisX0(crop: { x: number; y: number; width: number; height: number }) {
  const img = loadFrame(davisFramePath(davisSequences('val')[1], 3), { crop });
  const tr: Record<string, Int32Array> = {};
  new FixedNet(loadNetWeights('weights/crnn_q8.json'), true).run(Uint8Array.from(img.data), img.width, img.height, tr);
  return { y8: Array.from(img.data), X0: tr.X0, gh: crop.height / 2, gw: crop.width / 2 };
}

describe('cell_pack model', () => {
  it('equals the golden model X0 (FixedNet trace) on a DAVIS crop, channel by channel', () => {
    const crop = { x: 210, y: 140, width: 48, height: 26 };
    const { y8, X0, gh, gw } = davisX0(crop);
    const r = cellPackModel(P, frameBeats(y8, crop.width, crop.height), { width: crop.width, height: crop.height });
    assert.deepEqual(r.errors, []);
    assert.equal(r.cells.length, gh * gw);
    const cells = gh * gw;
    r.cells.forEach((b, n) => assert.deepEqual(b.ch, [0, 1, 2, 3].map((c) => X0[c * cells + n]), `cell ${n}`));
    assert.ok(new Set(r.cells.map((b) => b.ch[0])).size > 30, 'a textured crop');
  });

  it('packs a 2x2 frame into one cell (Y - 128, channel 2*dy + dx) with tuser and tlast', () => {
    const r = cellPackModel(P, frameBeats([0, 255, 128, 7], 2, 2), { width: 2, height: 2 });
    assert.deepEqual(r.cells, [{ ch: [-128, 127, 0, -121], last: true, user: true }]);
    assert.equal(packCell(r.cells[0].ch), 0x87007f80n);
  });

  it('back-to-back frames of different sizes, each complete', () => {
    const sizes = [{ width: 6, height: 4 }, { width: 2, height: 2 }, { width: 64, height: 2 }, { width: 4, height: 8 }];
    const beats = sizes.flatMap((c, f) => frame(c.width, c.height, f + 1));
    const r = run(beats);
    assert.deepEqual(r.errors, []);
    assert.equal(r.framesStarted, 4);
    checkFraming(r.cells, sizes);
  });

  it('tlast early: err_eol_early at that beat, zero cells complete the frame, input dropped until tuser', () => {
    const c = { width: 4, height: 4 };
    const a = frame(4, 4, 1);
    // Line 1 ends after 2 pixels: beat 5 is pixel (1,1), which would have completed cell (0,0).
    const bad = [...a.slice(0, 5), { ...a[5], last: true }, ...a.slice(6)];
    const next = frame(4, 4, 2);
    const r = run([...bad, ...next]);
    assert.deepEqual(r.errors, [{ kind: 'eol_early', beat: 5 }]);
    checkFraming(r.cells, [c, c]);
    assert.ok(r.cells.slice(0, 4).every((b) => b.ch.every((v) => v === 0)), 'frame 0 is all padding');
    assert.deepEqual(r.cells.slice(4), run(next).cells, 'frame 1 unaffected');
  });

  it('tlast late: err_eol_late on pixel cfg_width-1 without tlast; finished cells keep their values', () => {
    const c = { width: 4, height: 4 };
    const a = frame(4, 4, 3);
    const bad = [...a.slice(0, 11), { ...a[11], last: false }, ...a.slice(12)];
    const r = run([...bad, ...frame(4, 4, 4)]);
    assert.deepEqual(r.errors, [{ kind: 'eol_late', beat: 11 }]);
    checkFraming(r.cells, [c, c]);
    const good = run(a).cells;
    assert.deepEqual(r.cells.slice(0, 2), good.slice(0, 2), 'grid row 0 was complete before the error');
    assert.ok(r.cells.slice(2, 4).every((b) => b.ch.every((v) => v === 0)), 'grid row 1 padded');
  });

  it('error on the very first and the very last pixel', () => {
    const c = { width: 4, height: 2 };
    const a = frame(4, 2, 5);
    const r1 = run([{ ...a[0], last: true }, ...a.slice(1)]);
    assert.deepEqual(r1.errors, [{ kind: 'eol_early', beat: 0 }]);
    assert.deepEqual(r1.cells, [{ ch: [0, 0, 0, 0], last: false, user: true }, { ch: [0, 0, 0, 0], last: true, user: false }]);
    const r2 = run([...a.slice(0, 7), { ...a[7], last: false }]);
    assert.deepEqual(r2.errors, [{ kind: 'eol_late', beat: 7 }]);
    checkFraming(r2.cells, [c]);
    assert.deepEqual(r2.cells[0], run(a).cells[0]);
    assert.deepEqual(r2.cells[1].ch, [0, 0, 0, 0]);
  });

  it('tuser inside a frame: err_sof, padding, and that beat starts the next frame', () => {
    const c = { width: 6, height: 4 };
    const a = frame(6, 4, 6);
    const b = frame(6, 4, 7);
    const r = run([...a.slice(0, 9), ...b]);
    assert.deepEqual(r.errors, [{ kind: 'sof', beat: 9 }]);
    checkFraming(r.cells, [c, c]);
    assert.deepEqual(r.cells.slice(6), run(b).cells);
  });

  it('pixels without a start of frame: err_sof once per run of dropped pixels, after reset and between frames', () => {
    const c = { width: 4, height: 2 };
    const beats = [...stray(3, c, 8), ...frame(4, 2, 9), ...stray(5, c, 10), ...frame(4, 2, 11), ...frame(4, 2, 12)];
    const r = run(beats);
    assert.deepEqual(r.errors, [{ kind: 'sof', beat: 0 }, { kind: 'sof', beat: 11 }]);
    checkFraming(r.cells, [c, c, c]);
    // A frame whose first pixel lacks tuser is dropped whole (one err_sof).
    const a = frame(4, 2, 13);
    const r2 = run([{ ...a[0], user: false }, ...a.slice(1), ...frame(4, 2, 14)]);
    assert.deepEqual(r2.errors, [{ kind: 'sof', beat: 0 }]);
    checkFraming(r2.cells, [c]);
  });

  it('err_cfg: odd, zero or too large sizes start no frame; pixels dropped silently until a valid start', () => {
    for (const bad of [{ width: 5, height: 2 }, { width: 4, height: 0 }, { width: 0, height: 2 }, { width: 66, height: 2 }, { width: 4, height: 3 }]) {
      const beats = [...frame(4, 2, 15, bad), ...frame(4, 2, 16)];
      const r = run(beats);
      assert.deepEqual(r.errors, [{ kind: 'cfg', beat: 0 }], JSON.stringify(bad));
      checkFraming(r.cells, [{ width: 4, height: 2 }]);
      assert.equal(r.framesStarted, 1);
    }
    assert.throws(() => run(frame(4, 2, 1, { width: 256, height: 2 })), /cfg width = 256 does not fit the 8-bit cfg input/);
  });

  it('random corrupted streams: every started frame completes with exactly its cells', () => {
    for (const seed of [1, 2, 3]) {
      const r = run(corruptedStream(seed, 60));
      for (const k of ['eol_early', 'eol_late', 'sof', 'cfg']) assert.ok(r.errors.some((e) => e.kind === k), `seed ${seed}: ${k} covered`);
      let k = 0, frames = 0;
      while (k < r.cells.length) {
        const fr = r.cells[k];
        assert.ok(fr.user, `cell ${k} starts a frame`);
        const end = r.cells.findIndex((b, q) => q > k && b.user);
        k = end < 0 ? r.cells.length : end;
        frames++;
      }
      assert.equal(frames, r.framesStarted, `seed ${seed}: every started frame is output`);
    }
  });
});

/** Random frames of random sizes, 6 in 10 corrupted: a flipped tlast, truncated, stray pixels before, odd or too wide cfg, no tuser. */
function corruptedStream(seed: number, nFrames: number, p = P): TbBeat[] {
  const g = prng(seed);
  const beats: TbBeat[] = [];
  for (let f = 0; f < nFrames; f++) {
    const w = 2 * g.int(1, Math.min(12, p.maxWidth / 2)), h = 2 * g.int(1, 4);
    const cfg = { width: w, height: h };
    let fr = frame(w, h, seed * 1000 + f, cfg);
    const kind = g.int(0, 9);
    const at = g.int(0, fr.length - 1);
    if (kind === 0) fr[at] = { ...fr[at], last: !fr[at].last };
    else if (kind === 1) fr = fr.slice(0, at + 1); // truncated: the next frame's tuser lands mid-frame
    else if (kind === 2) fr = [...stray(g.int(1, 4), cfg, seed * 77 + f), ...fr];
    else if (kind === 3) fr = fr.map((b) => ({ ...b, cfg: { width: w + 1, height: h } }));
    else if (kind === 4) fr = fr.map((b) => ({ ...b, cfg: { width: p.maxWidth + 2, height: h } }));
    else if (kind === 5) fr[0] = { ...fr[0], user: false };
    beats.push(...fr);
  }
  return beats;
}

/**
 * Test bench around cell_pack: s_axis carries {cfg_height, cfg_width, pixel} so the cfg can change
 * per frame (latched with each accepted beat: while the block decides on a beat, that beat is the
 * last one accepted), and a passive stream dbg_err reports each error pulse with the index of the
 * accepted beat it belongs to: {beat index, cfg, sof, eol_late, eol_early}.
 */
function packTb(cfg: Partial<CellPackConfig>) {
  const b = buildCellPack(cfg);
  const D = (b.module.params as { dimBits: number }).dimBits;
  const m = new Module(`cell_pack_tb_${b.module.name}`, { params: { block: 'cell_pack_tb', inner: b.module.name } });
  const s = streamIn(m, { width: 8 + 2 * D });
  const o = streamOut(m, { width: 32 });
  const u = m.instantiate('u_dut', b.module);
  const cw = m.regInit('cfg_w_q', D, 0);
  const ch = m.regInit('cfg_h_q', D, 0);
  const fire = m.wire('fire', s.valid.and(u.out('s_axis_tready')));
  m.when(fire, () => {
    cw.set(s.data.slice(8 + D - 1, 8));
    ch.set(s.data.slice(8 + 2 * D - 1, 8 + D));
  });
  const count = m.regInit('beat_count', IDX_BITS, 0);
  m.when(fire, () => count.set(count.add(1, IDX_BITS)));
  const idx = m.regInit('decided_idx', IDX_BITS, 0, { doc: 'index of the beat decided on in the previous cycle' });
  idx.set(count.sub(1, IDX_BITS));
  for (const [port, v] of Object.entries({ s_axis_tdata: s.data.slice(7, 0), s_axis_tvalid: s.valid, s_axis_tlast: s.lastSig!, s_axis_tuser: s.userSig!, m_axis_tready: o.readySig!, cfg_width: cw, cfg_height: ch }))
    u.connect(port, v);
  s.driveReady(u.out('s_axis_tready'));
  o.driveData(u.out('m_axis_tdata'));
  o.driveValid(u.out('m_axis_tvalid'));
  o.driveLast(u.out('m_axis_tlast'));
  o.driveUser(u.out('m_axis_tuser'));
  const errs = cat(u.out('err_cfg'), u.out('err_sof'), u.out('err_eol_late'), u.out('err_eol_early'));
  m.output('dbg_err_tdata', IDX_BITS + 4).set(cat(idx, errs));
  m.output('dbg_err_tvalid', 1).set(errs.orR());
  return { tb: m, block: b, D };
}

function tbInputs(beats: readonly TbBeat[], D: number): BeatIn[] {
  return beats.map((b) => ({ data: BigInt(b.pix) | (BigInt(b.cfg.width) << 8n) | (BigInt(b.cfg.height) << BigInt(8 + D)), last: b.last, user: b.user ? 1 : 0 }));
}

function tbExpected(beats: readonly TbBeat[], p: CellPackParams) {
  const r = cellPackModel(p, beats, (i) => beats[i].cfg);
  return {
    m_axis: r.cells.map((c) => ({ data: packCell(c.ch), last: c.last, user: c.user ? 1 : 0 })),
    dbg_err: r.errors.map((e) => ({ data: (BigInt(e.beat) << 4n) | BigInt(errorBits(e.kind)) })),
  };
}

describe('cell_pack RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean in several configurations, synthesises; flops as reported', async () => {
    for (const cfg of [{}, { maxWidth: 4, dimBits: 3 }, { maxWidth: 64, dimBits: 8 }, { maxWidth: 1920, dimBits: 11 }]) {
      const b = buildCellPack(cfg);
      const e = emitToTemp(b.module, 'cp');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), e.top);
    }
    assert.equal(buildCellPack().ramBits, 640 * 16);
    if (hasBinary('yosys')) {
      const e = emitToTemp(buildCellPack({ maxWidth: 16, dimBits: 6 }).module, 'cpys');
      const r = await yosysSynthCheck(e.files, e.top);
      assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
    }
  });

  it('rejects bad parameters, listing each', () => {
    assert.throws(() => buildCellPack({ maxWidth: 63, dimBits: 5 }), /2 invalid parameters[\s\S]*maxWidth = 63 must be even[\s\S]*does not fit dimBits = 5/);
  });

  const p: CellPackParams = P;
  const tb = packTb(p);
  const design = () => simDesign(emitToTemp(tb.tb, 'cptb'));
  const variants = [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.4, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.1, outputStall: 0.8 } }];

  it('matches the model and golden X0 on a DAVIS crop and back-to-back frames, under backpressure; latency', async () => {
    const crop = { x: 210, y: 140, width: 48, height: 26 };
    const { y8, X0 } = davisX0(crop);
    const cfg = { width: crop.width, height: crop.height };
    const beats: TbBeat[] = [...frameBeats(y8, crop.width, crop.height).map((b) => ({ ...b, cfg })), ...frame(2, 2, 1), ...frame(64, 4, 2), ...frame(6, 10, 3)];
    const rep = await assertSimCompare({ design: design(), inputs: { s_axis: tbInputs(beats, tb.D) }, model: () => tbExpected(beats, p), variants });
    const out = rep.runs[0].result.outputs.m_axis;
    const cells = (crop.width / 2) * (crop.height / 2);
    for (let n = 0; n < cells; n++) assert.equal(out[n].data, packCell([0, 1, 2, 3].map((c) => X0[c * cells + n])), `RTL cell ${n} vs golden X0`);
    // Full speed: beat n is offered in cycle n + 1, plus one cycle at the start of the frame (the
    // tuser beat waits in the input register while the cfg is latched): the first cell's last
    // pixel, beat crop.width + 1, is accepted in cycle crop.width + 3.
    assert.equal(out[0].cycle, crop.width + 3 + CELL_PACK_LATENCY);
  });

  it('matches the model on every error case and on random corrupted streams, with the error pulses', async () => {
    const c42 = { width: 4, height: 2 };
    const a = frame(4, 4, 20);
    const cases: TbBeat[] = [
      ...stray(3, c42, 21),
      ...frame(4, 2, 22),
      ...[...a.slice(0, 5), { ...a[5], last: true }, ...a.slice(6)], // eol_early
      ...frame(4, 4, 23).map((b, i) => (i === 11 ? { ...b, last: false } : b)), // eol_late
      ...frame(6, 4, 24).slice(0, 9), // truncated: next tuser is mid-frame (err_sof)
      ...frame(4, 2, 25, { width: 5, height: 2 }), // err_cfg
      ...frame(4, 2, 26, { width: 66, height: 2 }), // err_cfg (too wide)
      ...frame(4, 2, 27).map((b, i) => (i === 0 ? { ...b, last: true } : b)), // first pixel
      ...frame(4, 2, 28),
    ];
    const random = corruptedStream(9, 60);
    const beats = [...cases, ...random];
    const exp = tbExpected(beats, p);
    for (const k of ['eol_early', 'eol_late', 'sof', 'cfg'] as const)
      assert.ok(exp.dbg_err.some((e) => Number(e.data & 15n) === errorBits(k)), `stream covers ${k}`);
    await assertSimCompare({ design: design(), inputs: { s_axis: tbInputs(beats, tb.D) }, model: () => exp, variants });
  });
});

describe('cell_pack, 3 planes ({Cr, Cb, Y} pixels, video rgb888)', () => {
  const crop = { x: 210, y: 140, width: 48, height: 26 };
  const p3: CellPackParams = { maxWidth: 64, dimBits: 8, planes: 3 };
  /** A real crop as the chip's rgb_to_ycbcr emits it: Y in bits 7:0, Cb 15:8, Cr 23:16. */
  function yccCrop() {
    const img = loadFrame(davisFramePath(davisSequences('val')[1], 3), { format: 'rgb', crop });
    const { y, cb, cr } = rgbToYcbcrInt(img);
    return { planes: [y, cb, cr], pix: Array.from(y, (v, i) => v | (cb[i] << 8) | (cr[i] << 16)) };
  }

  it('model: plane q of every cell is the 1-plane model on plane q (Y = the golden X0)', () => {
    const c = yccCrop();
    const cfg = { width: crop.width, height: crop.height };
    const r3 = cellPackModel(p3, frameBeats(c.pix, crop.width, crop.height), cfg);
    const r1 = c.planes.map((pl) => cellPackModel(P, frameBeats(Array.from(pl), crop.width, crop.height), cfg));
    assert.equal(r3.cells.length, (crop.width / 2) * (crop.height / 2));
    r3.cells.forEach((b, n) => {
      assert.equal(b.ch.length, 12);
      for (let q = 0; q < 3; q++) assert.deepEqual(b.ch.slice(4 * q, 4 * q + 4), r1[q].cells[n].ch, `cell ${n} plane ${q}`);
    });
    const { X0 } = davisX0(crop);
    const cells = r3.cells.length;
    r3.cells.forEach((b, n) => assert.deepEqual(b.ch.slice(0, 4), [0, 1, 2, 3].map((k) => X0[k * cells + n])));
    assert.throws(() => cellPackModel(p3, [{ pix: 1 << 24, last: false, user: true }], cfg), /not an unsigned 24-bit value/);
  });

  it('RTL: lint-clean, flops and RAM as reported; matches the model on a real crop, a padded frame and a clean frame under backpressure', async function () {
    if (!hasBinary('verilator')) this.skip();
    const b = buildCellPack(p3);
    const e = emitToTemp(b.module, 'cp3');
    assert.deepEqual(lintProblems(e), [], e.top);
    assert.equal(b.flops, countFlops(b.module));
    assert.equal(b.ramBits, 32 * 48);
    assert.deepEqual(b.module.ports.filter((q) => q.name.endsWith('tdata')).map((q) => `${q.name}:${q.width}`), ['s_axis_tdata:24', 'm_axis_tdata:96']);
    const c = yccCrop();
    const g = prng(77);
    const rnd = (w: number, h: number) => frameBeats(Array.from({ length: w * h }, () => g.int(0, (1 << 24) - 1)), w, h);
    const cut = rnd(crop.width, crop.height).slice(0, 3 * crop.width + 5); // interrupted: padded, then err_sof
    const beats: PixelBeat[] = [...frameBeats(c.pix, crop.width, crop.height), ...cut, ...frameBeats(c.pix, crop.width, crop.height)];
    const cfg = { width: crop.width, height: crop.height };
    const r = cellPackModel(p3, beats, cfg);
    assert.deepEqual(r.errors.map((x) => x.kind), ['sof']);
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats.map((x) => ({ data: x.pix, last: x.last, user: x.user ? 1 : 0 })) },
      constInputs: { cfg_width: crop.width, cfg_height: crop.height },
      model: () => ({ m_axis: r.cells.map((x) => ({ data: packCell(x.ch), last: x.last, user: x.user ? 1 : 0 })) }),
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.4, outputStall: 0.5 } }],
    });
  });
});
