import assert from 'node:assert/strict';
import { mosaicFromImage } from '../../model/camera/bayer.ts';
import { chooseKs, multsForQuant } from '../../model/camera/codec.ts';
import { BANDS } from '../../model/camera/dwt.ts';
import { BitWriter } from '../../model/camera/bits.ts';
import { encodeGroups } from '../../model/camera/codec.ts';
import { decodeMosaic } from '../../model/camera/decode.ts';
import { analyzeMosaic, frameBits, frameQuality, psnr10, quantForRatio } from '../../model/camera/pipeline.ts';
import { davisCrop, throwsCode } from './helpers.ts';

describe('camera pipeline: rate and distortion', () => {
  const ms = [0, 7].map((i) => mosaicFromImage(davisCrop('car-shadow', i, 256, 128, 200, 200)));

  it('counts coded bits exactly as the group coder writes them', () => {
    const s = analyzeMosaic(ms[0], multsForQuant(8));
    const k = chooseKs(s);
    const bits = frameBits(s, k);
    for (const b of BANDS) {
      const w = new BitWriter();
      encodeGroups(w, s.scans[b], 0, s.scans[b].length / 4, k[b]);
      assert.equal(w.bits, bits[b], b);
    }
  });

  it('trades rate for distortion monotonically and hits a target ratio', () => {
    let prevBits = Infinity, prevPsnr = Infinity;
    for (const q of [1, 4, 16, 64]) {
      const mults = multsForQuant(q);
      const s = analyzeMosaic(ms[0], mults);
      const bits = Object.values(frameBits(s, chooseKs(s))).reduce((a, v) => a + v, 0);
      const p = psnr10(frameQuality(ms[0], decodeMosaic(s, mults, 'full')).mseRgb);
      assert.ok(bits < prevBits && (p < prevPsnr || (q === 1 && p === Infinity)), `q ${q}: ${bits} bits, ${p} dB`);
      [prevBits, prevPsnr] = [bits, p];
    }
    const t = quantForRatio(ms, 4);
    assert.ok(t.ratio >= 4 && t.ratio < 4.1 && t.q > 1, JSON.stringify(t));
    throwsCode(() => quantForRatio(ms, 0.5), 'E_CAM_PARAM', 'target ratio');
  });
});
