import assert from 'node:assert/strict';
import { mosaicFromImage, type BayerMode, type Mosaic } from '../../model/camera/bayer.ts';
import { chooseKs, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { BANDS } from '../../model/camera/dwt.ts';
import { decodeLL1, decodeMosaic } from '../../model/camera/decode.ts';
import { analyzeMosaic, frameQuality, psnr10 } from '../../model/camera/pipeline.ts';
import { SECTOR_BYTES, SECTOR_WORDS, StreamEncoder, bitsToDiscard, decodeStreamFrame, defaultLatency, readSof, readStreamInfo } from '../../model/camera/stream.ts';
import { davisCrop, throwsCode } from './helpers.ts';

function encodeStream(ms: Mosaic[], mode: BayerMode, q: number, burst = 4) {
  const mults = multsForQuant(q);
  const enc = new StreamEncoder({ mode, width: ms[0].width, height: ms[0].height, mults, latencyGroups: defaultLatency(ms[0].width, ms[0].height), burstWords: burst });
  const scans = ms.map((m) => analyzeMosaic(m, mults));
  const ks: BandParams[] = [];
  for (const s of scans) {
    ks.push(chooseKs(s));
    enc.addFrame(s, ks[ks.length - 1]);
  }
  return { bytes: enc.finish(), scans, mults };
}

describe('camera frame stream and start-of-frame context', () => {
  const frames = (mode: BayerMode, seq = 'kite-surf') => [0, 1, 2].map((i) => mosaicFromImage(davisCrop(seq, i * 5, 256, 128), mode));

  for (const mode of ['full', 'subsampled'] as const) {
    it(`round-trips real frames losslessly at quantizer 1 (${mode}), each frame decoded alone`, () => {
      const ms = frames(mode);
      const { bytes, mults } = encodeStream(ms, mode, 1);
      const info = readStreamInfo(bytes);
      assert.deepEqual([info.frames, info.mode, info.width], [3, mode, mode === 'full' ? 256 : 128]);
      for (const n of [2, 0, 1]) {
        const m = decodeMosaic(decodeStreamFrame(bytes, n, info), mults, mode);
        assert.deepEqual(m.data, ms[n].data, `frame ${n}`);
      }
    });
  }

  it('lets any frame decode alone from its header: bits to discard, pipeline tail, sector-aligned starts', () => {
    const ms = frames('full', 'scooter-black');
    const { bytes, scans } = encodeStream(ms, 'full', 6);
    const info = readStreamInfo(bytes);
    let discarding = 0;
    for (let n = 0; n < 3; n++) {
      const h = readSof(bytes, n, info, 't');
      for (const b of BANDS) {
        assert.equal(h.ctx[b].startWord % SECTOR_WORDS, 0);
        assert.equal(h.ctx[b].skipGroups, n === 0 ? 0 : info.latencyGroups[b]);
        assert.equal(bitsToDiscard(h.ctx[b]), h.ctx[b].eBufferIdx + 128 * h.ctx[b].fifoRdCount + 64 * (h.ctx[b].fifoWrCount & 1));
        if (bitsToDiscard(h.ctx[b]) > 0) discarding++;
      }
      const d = decodeStreamFrame(bytes, n, info);
      for (const b of BANDS) assert.deepEqual(d.scans[b], scans[n].scans[b], `frame ${n} ${b}`);
    }
    assert.ok(discarding > 0, 'some codestream starts a frame with bits of the previous one');
    const q = frameQuality(ms[1], decodeMosaic(decodeStreamFrame(bytes, 1, info), multsForQuant(6), 'full'));
    assert.ok(!q.lossless && psnr10(q.mseRgb) > 45, `PSNR ${psnr10(q.mseRgb)}`);
  });

  it('decodes LL1 for the preview from the stage-2 codestreams, with focus assist', () => {
    const ms = frames('full');
    const { bytes, mults } = encodeStream(ms, 'full', 1);
    const s = decodeStreamFrame(bytes, 1);
    const plain = decodeLL1(s, mults);
    const focus = decodeLL1(s, mults, { focusGainQ4: 32 });
    assert.deepEqual([plain.width, plain.height], [64, 32]);
    let diff = 0;
    for (let c = 0; c < 4; c++) for (let i = 0; i < plain.planes[c].length; i++) diff += Math.abs(plain.planes[c][i] - focus.planes[c][i]);
    assert.ok(diff > 0);
    throwsCode(() => decodeLL1(s, mults, { focusGainQ4: 8 }), 'E_CAM_PARAM', 'focus-assist');
  });

  it('reports truncated and corrupt containers and bad frame numbers with typed errors', () => {
    const { bytes } = encodeStream(frames('full'), 'full', 2);
    throwsCode(() => decodeStreamFrame(bytes.subarray(0, bytes.length - 700), 2), 'E_CAM_TRUNCATED', 'frame 2');
    throwsCode(() => readStreamInfo(bytes.subarray(0, 100)), 'E_CAM_TRUNCATED', 'sector 0');
    const badHeader = bytes.slice();
    badHeader[SECTOR_BYTES + 20] ^= 1;
    throwsCode(() => decodeStreamFrame(badHeader, 0), 'E_CAM_CORRUPT', 'CRC-32');
    throwsCode(() => readStreamInfo(new Uint8Array(1024)), 'E_CAM_CORRUPT', 'SCAM');
    // Wipe frame 1's region of the HL1 codestream: the decoder must notice, not misdecode.
    const info = readStreamInfo(bytes);
    const h1 = readSof(bytes, 1, info, 't'), h2 = readSof(bytes, 2, info, 't');
    const a = info.areas.HL1.sector * SECTOR_BYTES;
    const wiped = bytes.slice();
    wiped.fill(0, a + h1.ctx.HL1.startWord * 16, a + h2.ctx.HL1.prevEndWord * 16);
    throwsCode(() => decodeStreamFrame(wiped, 1), 'E_CAM_CORRUPT', 'HL1');
    throwsCode(() => decodeStreamFrame(bytes, 3), 'E_CAM_PARAM', 'holds 3');
  });

  it('never crashes or hangs on random corruption: either a typed error or a full-size frame', () => {
    const { bytes } = encodeStream(frames('full'), 'full', 8);
    const info = readStreamInfo(bytes);
    const dataStart = info.areas.LL2.sector * SECTOR_BYTES;
    let s = 99, typed = 0;
    for (let trial = 0; trial < 30; trial++) {
      const bad = bytes.slice();
      for (let j = 0; j < 4; j++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        bad[dataStart + (s % (bad.length - dataStart))] ^= 1 << (s >>> 29);
      }
      try {
        const d = decodeStreamFrame(bad, trial % 3, info);
        for (const b of BANDS) assert.equal(d.scans[b].length, info.width * info.height / (b.endsWith('2') ? 16 : 4));
      } catch (e) {
        assert.ok(['E_CAM_CORRUPT', 'E_CAM_TRUNCATED'].includes((e as { code?: string }).code ?? ''), String(e));
        typed++;
      }
    }
    assert.ok(typed > 0);
  });

  it('rejects frames of another size than the stream', () => {
    const ms = frames('full');
    const enc = new StreamEncoder({ mode: 'full', width: 256, height: 128, mults: multsForQuant(1), latencyGroups: defaultLatency(256, 128), burstWords: 4 });
    const other = analyzeMosaic(mosaicFromImage(davisCrop('kite-surf', 0, 128, 128)), multsForQuant(1));
    enc.addFrame(analyzeMosaic(ms[0], multsForQuant(1)), chooseKs(other));
    throwsCode(() => enc.addFrame(other, chooseKs(other)), 'E_CAM_SIZE', '256x128');
  });
});
