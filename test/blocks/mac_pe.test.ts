import assert from 'node:assert/strict';
import { accWidth, ceilLog2, floorLog2, maxSumMagnitude } from '../../generators/blocks/mac_pe/widths.ts';
import { macPeModel, type MacBeat, type MacPeParams } from '../../generators/blocks/mac_pe/model.ts';
import { buildMacPe } from '../../generators/blocks/mac_pe/index.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame, type BeatIn } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

describe('mac_pe widths', () => {
  it('floor/ceil log2 on hand-picked values', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 8, 9, 144, 1024].map(floorLog2), [0, 1, 1, 2, 2, 3, 3, 7, 10]);
    assert.deepEqual([1, 2, 3, 4, 5, 8, 9, 144, 1024].map(ceilLog2), [0, 1, 2, 2, 3, 3, 4, 8, 10]);
    assert.throws(() => floorLog2(0), /integer >= 1/);
  });

  it('accW holds the worst-case sum and one bit less does not (all taps <= 4096, 8/6/4-bit weights)', () => {
    for (const wW of [8, 6, 4])
      for (let taps = 1; taps <= 4096; taps++) {
        const n = accWidth(8, wW, taps);
        const m = maxSumMagnitude(8, wW, taps);
        // exact worst case: taps products of the two most negative values
        assert.equal(m, BigInt(taps) * (1n << 7n) * (1n << BigInt(wW - 1)));
        assert.ok(m <= (1n << BigInt(n - 1)) - 1n, `taps=${taps} wW=${wW}: ${m} overflows ${n} bits`);
        assert.ok(m > (1n << BigInt(n - 2)) - 1n, `taps=${taps} wW=${wW}: ${n} bits is not minimal`);
      }
  });

  it('design points', () => {
    assert.equal(accWidth(8, 8, 9), 19);
    assert.equal(accWidth(8, 4, 144), 19);
    assert.equal(accWidth(8, 4, 16), 16);
  });
});

describe('mac_pe model', () => {
  const p = { actBits: 8, weightBits: 8, taps: 4, pipeMul: false };
  const b = (a: number, w: number, first = false, last = false): MacBeat => ({ a, w, first, last });

  it('sums products between first and last', () => {
    assert.deepEqual(macPeModel(p, [b(1, 2, true), b(3, 4), b(-5, 6, false, true), b(7, -8, true, true)]), [1 * 2 + 3 * 4 - 5 * 6, -56]);
  });

  it('reaches the worst case exactly', () => {
    const worst = Array.from({ length: 4 }, (_, i) => b(-128, -128, i === 0, i === 3));
    assert.deepEqual(macPeModel(p, worst), [4 * 16384]);
  });

  it('rejects too many taps, out-of-range operands and a missing first', () => {
    assert.throws(() => macPeModel(p, Array.from({ length: 5 }, (_, i) => b(1, 1, i === 0, i === 4))), /5 products in one sum exceed taps=4/);
    assert.throws(() => macPeModel(p, [b(128, 1, true, true)]), /beat 0 a: 128 is not a signed 8-bit value/);
    assert.throws(() => macPeModel({ ...p, weightBits: 4 }, [b(1, 8, true, true)]), /beat 0 w: 8 is not a signed 4-bit/);
    assert.throws(() => macPeModel(p, [b(1, 1)]), /first beat must have first=1/);
  });
});

describe('mac_pe RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean in both modes, with and without the multiplier register, for 8/6/4-bit weights', () => {
    for (const weightBits of [8, 6, 4] as const)
      for (const pipeMul of [false, true]) {
        for (const mode of ['accumulate', 'cascade'] as const)
          for (const taps of mode === 'cascade' ? [1, 5] : [9]) {
            const e = emitToTemp(buildMacPe({ mode, weightBits, pipeMul, taps }).module, 'pe');
            assert.deepEqual(lintProblems(e), [], `${mode} w${weightBits} taps${taps} pipe=${pipeMul}`);
          }
      }
  });

  it('reports every bad parameter at once', () => {
    assert.throws(() => buildMacPe({ weightBits: 5 as 8, taps: 0, actBits: 40 }), /3 invalid parameters[\s\S]*actBits = 40[\s\S]*weightBits = 5[\s\S]*taps = 0/);
  });

  /** Operand beats for the accumulate PE: {w, a} in tdata, tuser = first, tlast = last. */
  function toBeats(p: MacPeParams, beats: MacBeat[]): BeatIn[] {
    return beats.map((b) => ({ data: packLanes([b.a], p.actBits) | (packLanes([b.w], p.weightBits) << BigInt(p.actBits)), user: b.first, last: b.last }));
  }

  function randomSums(p: MacPeParams, n: number, seed: number, act: () => number): MacBeat[] {
    const r = prng(seed);
    const out: MacBeat[] = [];
    // The all-most-negative worst case first: the accumulator must hold it exactly.
    for (let i = 0; i < p.taps; i++) out.push({ a: -(2 ** (p.actBits - 1)), w: -(2 ** (p.weightBits - 1)), first: i === 0, last: i === p.taps - 1 });
    for (let s = 0; s < n; s++) {
      const len = r.int(1, p.taps);
      for (let i = 0; i < len; i++) out.push({ a: act(), w: r.int(-(2 ** (p.weightBits - 1)), 2 ** (p.weightBits - 1) - 1), first: i === 0, last: i === len - 1 });
    }
    return out;
  }

  async function check(p: MacPeParams, beats: MacBeat[], label: string) {
    const accW = accWidth(p.actBits, p.weightBits, p.taps);
    const e = emitToTemp(buildMacPe({ mode: 'accumulate', ...p, weightBits: p.weightBits as 8 | 6 | 4 }).module, 'pe_sim');
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: toBeats(p, beats) },
      model: () => ({ m_axis: macPeModel(p, beats).map((s) => ({ data: packLanes([s], accW) })) }),
      compare: { label, compareLast: false, compareUser: false },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.4 } }],
    });
  }

  it('matches the model bit-exactly on random operands (incl. the worst-case sum)', async () => {
    for (const [weightBits, pipeMul, taps] of [[8, true, 9], [4, false, 144], [6, true, 16]] as const) {
      const p = { actBits: 8, weightBits, taps, pipeMul };
      const r = prng(taps);
      await check(p, randomSums(p, 300, 17 + taps, () => r.int(-128, 127)), `mac_pe w${weightBits} taps${taps}`);
    }
  });

  it('matches the model with real DAVIS pixels (luma - 128) as activations', async () => {
    const img = loadFrame(davisFramePath(davisSequences('val')[0], 0), { crop: { x: 200, y: 180, width: 64, height: 8 } });
    let i = 0;
    const p = { actBits: 8, weightBits: 8, taps: 9, pipeMul: true };
    await check(p, randomSums(p, 200, 5, () => img.data[i++ % img.data.length] - 128), 'mac_pe real pixels');
  });
});
