import assert from 'node:assert/strict';
import { buildCellUnpack, CELL_UNPACK_LATENCY, type CellUnpackConfig } from '../../generators/blocks/cell_unpack/index.ts';
import { cellUnpackModel, imageToHrCells, packHrCell, type CellUnpackCfg, type CellUnpackParams, type HrCellBeat } from '../../generators/blocks/cell_unpack/model.ts';
import { streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { Module } from '../../generators/core/index.ts';
import { stripeJobs, type EnginePlan } from '../../generators/designs/upscaler/plan.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame, type BeatIn } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

type TbCell = HrCellBeat & { cfg: CellUnpackCfg };

const P: CellUnpackParams = { maxCells: 16, dimBits: 6 };

const randomHr = (gw: number, gh: number, seed: number): number[] => {
  const g = prng(seed);
  return Array.from({ length: 9 * gw * gh }, () => g.int(0, 255));
};
const frameCells = (gw: number, gh: number, seed: number, cfg: CellUnpackCfg = { widthCells: gw, ownLo: 0, ownHi: gw }): TbCell[] =>
  imageToHrCells(randomHr(gw, gh, seed), gw, gh).map((b) => ({ ...b, cfg }));
const run = (cells: readonly TbCell[], p = P) => cellUnpackModel(p, cells, (i) => cells[i].cfg);

/** Columns [x0, x1) of an HR image of width W, row-major. */
const cropCols = (img: ArrayLike<number>, W: number, x0: number, x1: number): number[] => {
  const out: number[] = [];
  for (let y = 0; y < img.length / W; y++) for (let x = x0; x < x1; x++) out.push(img[y * W + x]);
  return out;
};

/** A DAVIS crop through the golden model: the HR output image and its grid size. */
function davisHr() {
  const crop = { x: 400, y: 200, width: 40, height: 12 };
  const img = loadFrame(davisFramePath(davisSequences('val')[2], 0), { crop });
  const hr = new FixedNet(loadNetWeights('weights/crnn_q8.json'), true).run(Uint8Array.from(img.data), img.width, img.height);
  return { hr: Array.from(hr), gw: crop.width / 2, gh: crop.height / 2 };
}

/** Stripe frames of the golden HR image, as plan.ts stripeJobs cuts it (halo 2, stripes of 8 cells). */
function davisStripes() {
  const { hr, gw, gh } = davisHr();
  const plan: EnginePlan = { stages: [], cellCycles: 1, macs: 0, halo: 2, stripeCells: 8, ownedCells: 4 };
  const jobs = stripeJobs(gw, plan);
  const cells = jobs.flatMap((j) => {
    const cfg = { widthCells: j.cells, ownLo: j.ownLo, ownHi: j.ownHi };
    return imageToHrCells(cropCols(hr, 3 * gw, 3 * j.first, 3 * (j.first + j.cells)), j.cells, gh).map((b) => ({ ...b, cfg }));
  });
  return { hr, gw, gh, jobs, cells };
}

describe('cell_unpack model', () => {
  it('whole rows (lo = 0, hi = width) give the HR image in raster order with tuser/tlast', () => {
    const hr = randomHr(5, 3, 1);
    const out = run(imageToHrCells(hr, 5, 3).map((b) => ({ ...b, cfg: { widthCells: 5, ownLo: 0, ownHi: 5 } })));
    assert.deepEqual(out.map((b) => b.pix), hr);
    out.forEach((b, n) => {
      assert.equal(b.user, n === 0, `pixel ${n} tuser`);
      assert.equal(b.last, n % 15 === 14, `pixel ${n} tlast`);
    });
  });

  it('owned columns only, including a 1-cell range at the edges', () => {
    const hr = randomHr(6, 2, 2);
    for (const [lo, hi] of [[2, 5], [0, 1], [5, 6], [3, 4]]) {
      const out = run(imageToHrCells(hr, 6, 2).map((b) => ({ ...b, cfg: { widthCells: 6, ownLo: lo, ownHi: hi } })));
      assert.deepEqual(out.map((b) => b.pix), cropCols(hr, 18, 3 * lo, 3 * hi), `[${lo}, ${hi})`);
      const w = 3 * (hi - lo);
      out.forEach((b, n) => assert.equal(b.last, n % w === w - 1, `[${lo}, ${hi}) pixel ${n} tlast`));
      assert.equal(out.filter((b) => b.user).length, 1);
    }
  });

  it('stripes of the golden model HR output (plan.ts stripeJobs) reassemble the whole frame', () => {
    const { hr, gw, gh, jobs, cells } = davisStripes();
    assert.ok(jobs.length >= 3, `${jobs.length} stripes`);
    const out = run(cells);
    const parts: number[][] = [];
    let k = 0;
    for (const j of jobs) {
      const n = 9 * gh * (j.ownHi - j.ownLo);
      parts.push(out.slice(k, k + n).map((b) => b.pix));
      k += n;
    }
    assert.equal(k, out.length);
    const W = 3 * gw;
    const joined: number[] = [];
    for (let y = 0; y < 3 * gh; y++) jobs.forEach((j, s) => joined.push(...parts[s].slice(y * 3 * (j.ownHi - j.ownLo), (y + 1) * 3 * (j.ownHi - j.ownLo))));
    assert.deepEqual(joined, hr, `stripes of ${W}x${3 * gh}`);
  });

  it('drops cells before the first tuser; a tuser inside a row abandons that row', () => {
    const cfg = { widthCells: 3, ownLo: 0, ownHi: 3 };
    const a = frameCells(3, 2, 3, cfg), b = frameCells(3, 2, 4, cfg);
    const ref = run(b);
    assert.deepEqual(run([...a.slice(1), ...b]), ref, 'stray cells before the first frame');
    assert.deepEqual(run([...a.slice(0, 4), ...b]).slice(27), ref, 'frame a: row 0 out, row 1 abandoned');
    assert.equal(run([...a.slice(0, 4), ...b]).length, 27 + ref.length);
  });

  it('rejects configurations outside 0 <= lo < hi <= width <= maxCells', () => {
    for (const c of [{ widthCells: 4, ownLo: 2, ownHi: 2 }, { widthCells: 4, ownLo: 0, ownHi: 5 }, { widthCells: 17, ownLo: 0, ownHi: 1 }])
      assert.throws(() => run(frameCells(4, 1, 5, c)), /cfg needs 0 <= ownLo < ownHi <= widthCells <= maxCells = 16/);
  });
});

/**
 * Test bench: s_axis carries {own_hi, own_lo, width_cells, cell} so the cfg can change per frame;
 * it is passed through combinationally, so it is the accepted beat's own cfg when the block samples it.
 */
function unpackTb(cfg: Partial<CellUnpackConfig>) {
  const b = buildCellUnpack(cfg);
  const { dimBits: D, pixelBits: PB } = b.module.params as { dimBits: number; pixelBits: number };
  const CW = 9 * PB;
  const m = new Module(`cell_unpack_tb_${b.module.name}`, { params: { block: 'cell_unpack_tb', inner: b.module.name } });
  const s = streamIn(m, { width: CW + 3 * D });
  const o = streamOut(m, { width: PB });
  const u = m.instantiate('u_dut', b.module);
  const field = (k: number) => s.data.slice(CW + (k + 1) * D - 1, CW + k * D);
  for (const [port, v] of Object.entries({ s_axis_tdata: s.data.slice(CW - 1, 0), s_axis_tvalid: s.valid, s_axis_tlast: s.lastSig!, s_axis_tuser: s.userSig!, m_axis_tready: o.readySig!, cfg_width_cells: field(0), cfg_own_lo: field(1), cfg_own_hi: field(2) }))
    u.connect(port, v);
  s.driveReady(u.out('s_axis_tready'));
  o.driveData(u.out('m_axis_tdata'));
  o.driveValid(u.out('m_axis_tvalid'));
  o.driveLast(u.out('m_axis_tlast'));
  o.driveUser(u.out('m_axis_tuser'));
  return { tb: m, D, PB };
}

const tbInputs = (cells: readonly TbCell[], D: number, PB = 8): BeatIn[] =>
  cells.map((b) => {
    const c = b.cfg;
    const cfgBits = BigInt(c.widthCells) | (BigInt(c.ownLo) << BigInt(D)) | (BigInt(c.ownHi) << BigInt(2 * D));
    return { data: packHrCell(b.ch, PB) | (cfgBits << BigInt(9 * PB)), last: !!b.last, user: b.user ? 1 : 0 };
  });
const tbExpected = (cells: readonly TbCell[], p: CellUnpackParams) => ({ m_axis: run(cells, p).map((b) => ({ data: b.pix, last: b.last, user: b.user ? 1 : 0 })) });

describe('cell_unpack RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean in several configurations, synthesises; flops and RAM bits as reported', async () => {
    for (const cfg of [{}, { maxCells: 2, dimBits: 2 }, { maxCells: 16, dimBits: 6 }, { maxCells: 100, dimBits: 12 }]) {
      const b = buildCellUnpack(cfg);
      const e = emitToTemp(b.module, 'cu');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), e.top);
    }
    assert.equal(buildCellUnpack({ maxCells: 100 }).ramBits, 2 * 100 * 72);
    if (hasBinary('yosys')) {
      const e = emitToTemp(buildCellUnpack({ maxCells: 4, dimBits: 4 }).module, 'cuys');
      const r = await yosysSynthCheck(e.files, e.top);
      assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
    }
  });

  it('rejects bad parameters, listing each', () => {
    assert.throws(() => buildCellUnpack({ maxCells: 1, dimBits: 1 }), /2 invalid parameters[\s\S]*maxCells = 1[\s\S]*dimBits = 1/);
    assert.throws(() => buildCellUnpack({ maxCells: 64, dimBits: 6 }), /maxCells = 64 does not fit dimBits = 6/);
  });

  const tb = unpackTb(P);
  const design = () => simDesign(emitToTemp(tb.tb, 'cutb'));
  const variants = [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.5, outputStall: 0.3 } }, { seed: 3, backpressure: { outputStall: 0.8 } }, { seed: 4, backpressure: { inputGap: 0.9 } }];

  it('matches the model on several widths and owned ranges, multi-frame, under backpressure; 1 px/cycle; latency', async () => {
    const cells: TbCell[] = [
      ...frameCells(16, 3, 10), // lo = 0, hi = width = maxCells
      ...frameCells(5, 2, 11, { widthCells: 5, ownLo: 2, ownHi: 3 }), // 1-cell owned range
      ...frameCells(1, 3, 12), // 1-cell frame
      ...frameCells(10, 2, 13, { widthCells: 10, ownLo: 3, ownHi: 8 }),
      ...frameCells(7, 2, 14, { widthCells: 7, ownLo: 0, ownHi: 1 }),
      ...frameCells(7, 2, 15, { widthCells: 7, ownLo: 6, ownHi: 7 }),
      ...frameCells(16, 1, 16, { widthCells: 16, ownLo: 2, ownHi: 14 }),
    ];
    const rep = await assertSimCompare({ design: design(), inputs: { s_axis: tbInputs(cells, tb.D) }, model: () => tbExpected(cells, P), variants });
    const out = rep.runs[0].result.outputs.m_axis;
    // Frame 0 (16 x 3 cells, all owned): 144 HR px per grid row against 16 input cycles, so the
    // reader never waits: 432 pixels in 432 consecutive cycles.
    assert.equal(out[431].cycle - out[0].cycle, 431, 'one pixel per cycle');
    // Cells are offered from cycle 1 at full speed: row 0's last cell is accepted in cycle 16.
    assert.equal(out[0].cycle, 16 + CELL_UNPACK_LATENCY);
  });

  it('matches the model on golden-model stripes (plan.ts stripeJobs), stray cells and a mid-row tuser', async () => {
    const { cells: stripes } = davisStripes();
    const cfg = { widthCells: 4, ownLo: 1, ownHi: 3 };
    const cells: TbCell[] = [...frameCells(4, 2, 20, cfg).slice(2), ...frameCells(4, 2, 21, cfg).slice(0, 6), ...stripes.map((b) => ({ ...b, last: b.last ?? false }))];
    await assertSimCompare({ design: design(), inputs: { s_axis: tbInputs(cells, tb.D) }, model: () => tbExpected(cells, P), variants });
  });

  it('80 random frames, widths and owned ranges (> 5000 pixels), heavy random backpressure', async () => {
    const g = prng(99);
    const cells: TbCell[] = [];
    for (let f = 0; f < 80; f++) {
      const w = g.int(1, 16), lo = g.int(0, w - 1), hi = g.int(lo + 1, w);
      cells.push(...frameCells(w, g.int(1, 6), 100 + f, { widthCells: w, ownLo: lo, ownHi: hi }));
    }
    const exp = tbExpected(cells, P);
    assert.ok(exp.m_axis.length > 5000, `${exp.m_axis.length} pixels`);
    await assertSimCompare({ design: design(), inputs: { s_axis: tbInputs(cells, tb.D) }, model: () => exp, variants: variants.slice(1) });
  });
});

describe('cell_unpack, 24-bit pixels ({Cr, Cb, Y}: video rgb888)', function () {
  const P24: CellUnpackParams = { maxCells: 16, dimBits: 6, pixelBits: 24 };
  const frame24 = (gw: number, gh: number, seed: number, cfg: CellUnpackCfg = { widthCells: gw, ownLo: 0, ownHi: gw }): TbCell[] => {
    const g = prng(seed);
    return imageToHrCells(Array.from({ length: 9 * gw * gh }, () => g.int(0, (1 << 24) - 1)), gw, gh).map((b) => ({ ...b, cfg }));
  };

  it('model: a 24-bit frame gives the same pixel order as its 8-bit planes', () => {
    const cells = frame24(6, 3, 40, { widthCells: 6, ownLo: 1, ownHi: 5 });
    const out = cellUnpackModel(P24, cells, (i) => cells[i].cfg);
    for (let q = 0; q < 3; q++) {
      const plane = cells.map((c) => ({ ...c, ch: c.ch.map((v) => (v >> (8 * q)) & 255) }));
      assert.deepEqual(out.map((b) => (b.pix >> (8 * q)) & 255), cellUnpackModel(P, plane, (i) => plane[i].cfg).map((b) => b.pix), `plane ${q}`);
    }
    assert.throws(() => cellUnpackModel(P, cells, (i) => cells[i].cfg), /expected 9 unsigned 8-bit channels/);
  });

  it('RTL: lint-clean, flops and RAM bits as reported; matches the model on several widths and owned ranges under backpressure', async function () {
    if (!hasBinary('verilator')) this.skip();
    const b = buildCellUnpack(P24);
    const e = emitToTemp(b.module, 'cu24');
    assert.deepEqual(lintProblems(e), [], e.top);
    assert.equal(b.flops, countFlops(b.module));
    assert.equal(b.ramBits, 2 * 16 * 216);
    const t = unpackTb(P24);
    const cells: TbCell[] = [
      ...frame24(16, 3, 41),
      ...frame24(5, 2, 42, { widthCells: 5, ownLo: 2, ownHi: 3 }),
      ...frame24(10, 2, 43, { widthCells: 10, ownLo: 3, ownHi: 8 }),
      ...frame24(7, 2, 44, { widthCells: 7, ownLo: 6, ownHi: 7 }),
    ];
    const rep = await assertSimCompare({
      design: simDesign(emitToTemp(t.tb, 'cutb24')),
      inputs: { s_axis: tbInputs(cells, t.D, 24) },
      model: () => tbExpected(cells, P24),
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.5, outputStall: 0.3 } }, { seed: 3, backpressure: { outputStall: 0.8 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[431].cycle - out[0].cycle, 431, 'one pixel per cycle');
  });
});
