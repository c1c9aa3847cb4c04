import assert from 'node:assert/strict';
import { checkGridValues, configId, expandGrid, gridArgs, parseList, synthPoints, type SweepGrid } from '../../flows/sweep/grid.ts';
import { uniqueJobs, jobKey, jobFileName, recordFromReport } from '../../flows/sweep/cache.ts';

const base = { feat_c: [16, 16], feat_k: 3, n_gcr: 1, hidden_c: 12, gate_k: 1, cand_k: 1, head_k: 3, upsample_mode: 'pixelshuffle', deconv_k: 5, quant_bits: 8, res_gain: 64, name: 't' };
const grid = (over: Partial<SweepGrid> = {}): SweepGrid => ({
  cell_cycles: [9, 16], stripe: [16, 46], quant_bits: [8, 4], hidden_c: [12], n_gcr: [1],
  corner: 'tt', clock_mhz: 180, target_fps: 30, lr_width: 1280, lr_height: 720, base_net: '/x/w.json', array_rows: 8, array_cols: 8, ...over,
});

describe('sweep grid', () => {
  it('parses lists, drops duplicates, sorts, and reports malformed items', () => {
    assert.deepEqual(parseList('cell-cycles', '16, 8,16'), { values: [8, 16], bad: [] });
    const p = parseList('stripe', '16,x,3.5');
    assert.deepEqual(p.values, [16]);
    assert.deepEqual(p.bad, ["--stripe 'x': not an integer", "--stripe '3.5': not an integer"]);
    assert.deepEqual(parseList('cell-cycles', ' ').bad, ['--cell-cycles is empty']);
    assert.deepEqual(parseList('cell-cycles', '8,,16').bad, ["--cell-cycles '': not an integer"]);
  });

  it('lists every out-of-range value of every knob in one error (exit 2)', () => {
    try {
      checkGridValues({ cell_cycles: [0, 8, 4097], stripe: [2], quant_bits: [8, 5], hidden_c: [12], n_gcr: [1] });
      assert.fail('no error');
    } catch (e) {
      const err = e as Error & { code: string; exitCode: number };
      assert.equal(err.code, 'E_SWEEP_KNOB');
      assert.equal(err.exitCode, 2);
      for (const s of ['--cell-cycles 0: must be an integer in [1, 4096]', '--cell-cycles 4097', '--stripe 2: must be an integer in [4, 1024]', '--quant-bits 5: must be one of 8, 6, 4']) assert.ok(err.message.includes(s), `${s} not in:\n${err.message}`);
      assert.ok(!err.message.includes('--cell-cycles 8'), 'a good value was listed');
    }
  });

  it('expands the cross product in a fixed order with stable ids', () => {
    const cs = expandGrid(grid(), base);
    assert.equal(cs.length, 2 * 1 * 2 * 2);
    assert.deepEqual(cs.map((c) => c.id).slice(0, 5), ['c9-s16-q8-h12-g1', 'c9-s46-q8-h12-g1', 'c16-s16-q8-h12-g1', 'c16-s46-q8-h12-g1', 'c9-s16-q4-h12-g1']);
    assert.equal(cs[4].net.quant_bits, 4);
    assert.equal(cs[1].hw.stripeCells, 46);
    assert.equal(cs[2].hw.cellCycles, 16);
    assert.equal(configId({ cell_cycles: 3, stripe: 4, quant_bits: 6, hidden_c: 7, n_gcr: 2 }), 'c3-s4-q6-h7-g2');
  });

  it('synthesises the reference array once per weight width, whatever the other knobs', () => {
    const g = grid({ hidden_c: [8, 12] });
    const cs = expandGrid(g, base);
    const jobs = uniqueJobs(synthPoints(g, cs), 'tt', 180);
    assert.equal(cs.length, 16);
    assert.deepEqual(jobs.map((j) => [j.rows, j.cols, j.quant_bits]), [[8, 8, 8], [8, 8, 4]]);
    assert.equal(new Set(jobs.map(jobKey)).size, 2);
    assert.equal(uniqueJobs(synthPoints({ ...g, array_rows: 4 }, cs), 'tt', 180)[0].rows, 4);
    // The key depends on corner and clock too.
    assert.notEqual(jobKey({ ...jobs[0], corner: 'ss' }), jobKey(jobs[0]));
    assert.notEqual(jobKey({ ...jobs[0], clock_mhz: 100 }), jobKey(jobs[0]));
    assert.match(jobFileName(jobs[0]), /^mac-array-r8c8-w8-tt-180MHz-[0-9a-f]{12}\.json$/);
  });

  it('reproduces the grid as flags for the merge step', () => {
    const a = gridArgs(grid());
    assert.deepEqual(a.slice(0, 4), ['--cell-cycles', '9,16', '--stripe', '16,46']);
    assert.ok(a.join(' ').includes('--quant-bits 4,8') || a.join(' ').includes('--quant-bits 8,4'));
    assert.ok(a.join(' ').endsWith('--array-rows 8 --array-cols 8'));
  });

  it('rejects a synth report of another job', () => {
    const j = { rows: 2, cols: 2, quant_bits: 8, corner: 'tt' as const, clock_mhz: 180 };
    const rep = { design: 'mac-array', config: { rows: 2, cols: 4, weightBits: 8 }, corner: 'tt', clock_mhz: 180, area_mm2: 0.01, fmax_mhz: 200, worst_slack_ns: 0.1, flops: 1, cells: 1, power_mw: 1, synth_seconds: 1 };
    assert.match(String(recordFromReport(j, rep, 'f.json')), /config\.cols is 4, expected 2/);
    assert.equal(typeof recordFromReport(j, { ...rep, config: { rows: 2, cols: 2, weightBits: 8 } }, 'f.json'), 'object');
    assert.match(String(recordFromReport(j, { error: { code: 'E_X' } }, 'f.json')), /holds an error/);
  });
});
