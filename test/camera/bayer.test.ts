import assert from 'node:assert/strict';
import { checkMosaicSize, lvdsBeats, mergeFields, mosaicFromImage, splitFields, subsampleMosaic, transferLut } from '../../model/camera/bayer.ts';
import { davisCrop, synthImage, throwsCode } from './helpers.ts';

describe('camera Bayer input', () => {
  it('replicates 8-bit codes to 10 bits invertibly and linearises on request', () => {
    const r = transferLut('replicate');
    assert.equal(r[0], 0);
    assert.equal(r[255], 1023);
    assert.equal(r[128], 514);
    for (let v = 0; v < 256; v++) assert.equal(r[v] >> 2, v);
    const l = transferLut('linear');
    assert.equal(l[255], 1023);
    assert.ok(l[20] <= 7 && l[128] === 221, `linear 20→${l[20]}, 128→${l[128]}`);
  });

  it('lays out RGGB: R on even rows/cols, G1 even/odd, G2 odd/even, B odd/odd', () => {
    const img = synthImage(64, 16, (_x, _y, c) => [200, 100, 50][c]);
    const m = mosaicFromImage(img);
    assert.deepEqual([m.width, m.height, m.mode], [64, 16, 'full']);
    const lut = transferLut('replicate');
    assert.deepEqual([m.data[0], m.data[1], m.data[64], m.data[65]], [lut[200], lut[100], lut[100], lut[50]]);
    const f = splitFields(m);
    assert.deepEqual([f.width, f.height], [32, 8]);
    assert.ok(f.planes[0].every((v) => v === lut[200]) && f.planes[3].every((v) => v === lut[50]));
    assert.deepEqual(mergeFields(f, 'full').data, m.data);
  });

  it('centre-crops a DAVIS-sized frame to the tiling and subsamples every other Bayer group', () => {
    const img = synthImage(854, 480, (x, y, c) => (x * 7 + y * 3 + c * 50) & 255);
    const full = mosaicFromImage(img, 'full');
    const sub = mosaicFromImage(img, 'subsampled');
    assert.deepEqual([full.width, full.height, sub.width, sub.height], [832, 480, 416, 240]);
    // With a source that needs no crop, the sensor's subsampled readout equals subsampling the full mosaic.
    const src = davisCrop('blackswan', 0, 128, 64);
    assert.deepEqual(subsampleMosaic(mosaicFromImage(src, 'full')).data, mosaicFromImage(src, 'subsampled').data);
    // Kept groups: output (2,0) is source column 4, output (0,2) is source row 4.
    const fm = mosaicFromImage(src, 'full'), sm = mosaicFromImage(src, 'subsampled');
    assert.equal(sm.data[2], fm.data[4]);
    assert.equal(sm.data[3], fm.data[5]);
    assert.equal(sm.data[2 * 64], fm.data[4 * 128]);
  });

  it('delivers every pixel exactly once in the LVDS beat order, at any even parallelism', () => {
    for (const [mode, ppc] of [['full', 64], ['subsampled', 64], ['full', 8], ['subsampled', 16]] as const) {
      const w = 128, h = 16;
      const seen = new Uint8Array(w * h);
      let beats = 0;
      for (const b of lvdsBeats(w, h, mode, ppc)) {
        assert.equal(b.length, ppc);
        for (const i of b) seen[i]++;
        beats++;
      }
      assert.equal(beats, (w * h) / ppc);
      assert.ok(seen.every((v) => v === 1), `${mode} ppc ${ppc}`);
    }
    // Full mode, 64 channels, 128 wide: beat 0 = column 0 and 4 of rows 0 (lower half) and 1 (upper half).
    const b0 = lvdsBeats(128, 4, 'full', 64).next().value as Int32Array;
    assert.deepEqual([b0[0], b0[1], b0[32], b0[33]], [0, 4, 128, 132]);
    // Subsampled: a channel alternates between two rows of its parity (0 then 2).
    const it = lvdsBeats(128, 4, 'subsampled', 64);
    const s0 = it.next().value as Int32Array, s1 = it.next().value as Int32Array;
    assert.deepEqual([s0[0], s1[0], s0[32], s1[32]], [0, 256, 128, 384]);
  });

  it('rejects sizes and parallelism the pipeline cannot take', () => {
    throwsCode(() => checkMosaicSize(100, 64, 'test'), 'E_CAM_SIZE', '100x64', 'multiple of 32');
    throwsCode(() => mosaicFromImage(synthImage(20, 20, () => 0)), 'E_CAM_SIZE', '20x20');
    throwsCode(() => [...lvdsBeats(128, 16, 'full', 7)], 'E_CAM_PARAM', 'even integer');
    throwsCode(() => [...lvdsBeats(100, 16, 'full', 64)], 'E_CAM_PARAM', 'multiple of 32');
  });
});
