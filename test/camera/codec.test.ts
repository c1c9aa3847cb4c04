import assert from 'node:assert/strict';
import { BitReader, BitWriter } from '../../model/camera/bits.ts';
import { MULT_ONE, chooseK, decodeGroup, dequantize, encodeGroup, groupHistogram, invRegister, multsForQuant, prefixLength, quantize, rankOrder, synthesisGains } from '../../model/camera/codec.ts';
import { BANDS } from '../../model/camera/dwt.ts';
import { throwsCode } from './helpers.ts';

const reader = (w: BitWriter) => new BitReader([{ bytes: w.bytes(), start: 0, end: w.bits }], 'test');

describe('camera quantizer and group coder', () => {
  it('quantizes with a rounding offset of 0x7000 and dequantizes through the Q8 inverse register', () => {
    for (let x = -4095; x <= 4095; x += 7) assert.equal(dequantize(quantize(x, MULT_ONE), invRegister(MULT_ONE), 13), x);
    assert.equal(invRegister(MULT_ONE), 256);
    assert.equal(quantize(100, 32768), 50); // (3276800 + 28672) >> 16
    assert.equal(quantize(-101, 32768), -50); // (3309568 + 28672) >> 16 = 50 (0.5 < 0.5625 rounds down)
    assert.equal(quantize(102, 16384), 25); // 25.5 stays below the 0.5625 threshold
    assert.equal(quantize(-103, 16384), -26); // 25.75 rounds up
    assert.equal(invRegister(32768), 512);
    assert.equal(dequantize(-50, 512, 12), -100);
    // Saturation at the stage width and the focus-assist register (gain in sixteenths).
    assert.equal(dequantize(3000, 512, 12), 2047);
    assert.equal(invRegister(32768, 24), 768);
  });

  it('orders n around k and codes a group MSB-first, bit for bit', () => {
    assert.deepEqual([...rankOrder(5)], [5, 6, 4, 7, 3, 8, 2, 9, 1, 10, 0, 11, 12, 13, 14, 15]);
    assert.deepEqual([...rankOrder(0)], [...Array(16).keys()]);
    assert.equal(prefixLength(15, 0), 15); // last rank has no terminating 1
    const w = new BitWriter();
    encodeGroup(w, Int32Array.from([0, -3, 1, 2]), 0, 0);
    // n = 2, rank 2 → 001; 0 → 00; -3 → 11 1; 1 → 01 0; 2 → 10 0
    assert.equal(w.bits, 14);
    assert.deepEqual([...w.bytes()], [0b00100111, 0b01010000]);
    const zero = new BitWriter();
    encodeGroup(zero, new Int32Array(4), 0, 0);
    assert.equal(zero.bits, 1);
  });

  it('decodes what it encodes for every k, and picks the cheapest k', () => {
    let s = 12345;
    const vals = new Int32Array(4 * 500);
    for (let i = 0; i < vals.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const mag = (s >>> 8) & ((1 << ((s >>> 3) % 12)) - 1);
      vals[i] = s & 1 ? -mag : mag;
    }
    for (const k of [0, 3, 9, 15]) {
      const w = new BitWriter();
      for (let g = 0; g < vals.length; g += 4) encodeGroup(w, vals, g, k);
      const out = new Int32Array(vals.length);
      const r = reader(w);
      for (let g = 0; g < vals.length; g += 4) decodeGroup(r, out, g, k, 12, 'test');
      assert.deepEqual(out, vals);
      assert.equal(r.consumed, w.bits);
    }
    const h = new Float64Array(16);
    h[9] = 100;
    h[10] = 60;
    h[8] = 10;
    assert.equal(chooseK(h), 9);
    assert.equal(groupHistogram(Int32Array.from([0, 0, 0, 0, 5, -1, 0, 0]))[3], 1);
  });

  it('reports corrupt and truncated codestreams with typed errors', () => {
    const w = new BitWriter();
    encodeGroup(w, Int32Array.from([4000, 0, 0, 0]), 0, 12);
    throwsCode(() => decodeGroup(reader(w), new Int32Array(4), 0, 12, 11, 'band HL1'), 'E_CAM_CORRUPT', 'band HL1', '12-bit');
    const t = new BitReader([{ bytes: w.bytes(), start: 0, end: 5 }], 'short stream');
    throwsCode(() => decodeGroup(t, new Int32Array(4), 0, 12, 12, 'x'), 'E_CAM_TRUNCATED', 'short stream');
  });

  it('derives per-subband multipliers from one step via the synthesis gains', () => {
    const g = synthesisGains();
    assert.ok(Math.abs(g.LL2 - 7.5625) < 1e-9 && Math.abs(g.HH1 - 0.5166) < 1e-3, JSON.stringify(g));
    const m1 = multsForQuant(1);
    for (const b of BANDS) assert.equal(m1[b], MULT_ONE);
    const m = multsForQuant(16);
    assert.equal(m.HH1, 4096);
    assert.ok(m.LL2 > m.HL2 && m.HL2 > m.HH2 && m.HH2 > m.HH1);
    throwsCode(() => multsForQuant(0.5), 'E_CAM_PARAM', 'quantizer step');
  });
});
