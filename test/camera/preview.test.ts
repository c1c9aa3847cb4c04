import assert from 'node:assert/strict';
import { mosaicFromImage, splitFields, subsampleMosaic, type Fields } from '../../model/camera/bayer.ts';
import { CEA861_1080P30, frameEvents, frameRate, opxSchedule, syncAt } from '../../model/camera/hdmi-timing.ts';
import { centreOffsetsQ16, checkViewport, fitViewport, hdmiPreview, maxColumnAdvance, normRegister, planeCoord, renderRgb10, vNorm } from '../../model/camera/preview.ts';
import { debayer } from '../../model/camera/pipeline.ts';
import { synthImage, throwsCode } from './helpers.ts';

describe('camera HDMI preview: bilinear debayer/scaler and CEA-861 timing', () => {
  it('has the exact 1080p30 timing table and sync positions', () => {
    const t = CEA861_1080P30;
    assert.equal(t.h.active + t.h.frontPorch + t.h.sync + t.h.backPorch, t.h.total);
    assert.equal(t.v.active + t.v.frontPorch + t.v.sync + t.v.backPorch, t.v.total);
    assert.deepEqual([t.h.total, t.v.total, t.pixelClockHz], [2200, 1125, 74_250_000]);
    assert.equal(frameRate(), 30);
    assert.deepEqual(syncAt(0, 0), { de: true, hsync: false, vsync: false });
    assert.deepEqual(syncAt(1919, 1079), { de: true, hsync: false, vsync: false });
    assert.equal(syncAt(1920, 0).de, false);
    assert.deepEqual([syncAt(2007, 5).hsync, syncAt(2008, 5).hsync, syncAt(2051, 5).hsync, syncAt(2052, 5).hsync], [false, true, true, false]);
    assert.deepEqual([syncAt(2007, 1084).vsync, syncAt(2008, 1084).vsync, syncAt(2007, 1089).vsync, syncAt(2008, 1089).vsync], [false, true, true, false]);
    const ev = frameEvents();
    assert.equal(ev.length, 1080 * 2 + 1125 * 2 + 2);
    assert.deepEqual(ev.filter((e) => e.signal === 'vsync').map((e) => [e.v, e.h, e.level]), [[1084, 2008, 1], [1089, 2008, 0]]);
  });

  it('advances the output pixel counter only on de inside the viewport', () => {
    const vp = { x: 240, y: 60, width: 1440, height: 960 };
    assert.deepEqual(opxSchedule(vp), { advances: 1440 * 960, firstClock: 60 * 2200 + 240, lastClock: (60 + 959) * 2200 + 240 + 1439 });
  });

  it('maps viewport pixels to 16-bit normalised centres and plane coordinates exactly', () => {
    const sx = normRegister(1920);
    assert.equal(sx, 2236962);
    assert.equal(vNorm(0, sx), 17);
    assert.equal(vNorm(1919, sx), 65519);
    assert.deepEqual(centreOffsetsQ16('full', 0), [[-16384, -16384], [16384, -16384], [-16384, 16384], [16384, 16384]]);
    assert.deepEqual(centreOffsetsQ16('subsampled', 0)[1], [-8192, -24576]);
    assert.deepEqual(centreOffsetsQ16('full', 1)[0], [-24576, -24576]);
    // Centre of output pixel 2 of a 8-wide grid over a 4-wide plane, R (delta -1/4): plane coordinate 1.0.
    assert.deepEqual(planeCoord(vNorm(2, normRegister(8)), 4, -16384), { j0: 1, frac: 0 });
  });

  it('reproduces each colour at its own sites at native size (full mode) and interpolates between them', () => {
    const img = synthImage(64, 32, (x, y, c) => (c === 0 ? 4 * x : c === 1 ? 3 * y + 20 : 100 + x + y));
    const m = mosaicFromImage(img);
    const rgb = debayer(m);
    for (let y = 2; y < 30; y++)
      for (let x = 2; x < 62; x++) {
        const i = y * 64 + x;
        const own = [(y & 1) === 0 && (x & 1) === 0 ? 0 : -1, (x + y) & 1 ? 1 : -1, (y & 1) === 1 && (x & 1) === 1 ? 2 : -1];
        for (const c of own) if (c >= 0 && c !== 1) assert.equal(rgb[3 * i + c], m.data[i], `(${x},${y}) ch ${c}`);
        // A linear ramp is reproduced by bilinear interpolation away from the borders (R = 4x in 8 bit → ×4 in 10 bit).
        assert.ok(Math.abs(rgb[3 * i] - (4 * x * 4 + ((4 * x) >> 6))) <= 2, `R at (${x},${y}) = ${rgb[3 * i]}`);
      }
  });

  it('needs the asymmetric centres in subsampled mode: symmetric ones fringe on a grey ramp', () => {
    const img = synthImage(256, 64, (x) => Math.min(255, 2 * x));
    const sub = subsampleMosaic(mosaicFromImage(img));
    const fields = splitFields(sub);
    const fringe = (rgb: Uint16Array) => {
      let worst = 0;
      for (let y = 4; y < sub.height - 4; y++)
        for (let x = 4; x < sub.width - 4; x++) {
          const i = 3 * (y * sub.width + x);
          worst = Math.max(worst, Math.abs(rgb[i] - rgb[i + 1]), Math.abs(rgb[i + 2] - rgb[i + 1]));
        }
      return worst;
    };
    const right = fringe(renderRgb10(fields, 'subsampled', 0, sub.width, sub.height));
    const wrong = fringe(renderRgb10(fields, 'full', 0, sub.width, sub.height));
    assert.ok(right <= 3 && wrong >= 2 * right + 3, `fringe with subsampled centres ${right}, with full-mode centres ${wrong}`);
  });

  it('reads at most one plane pixel per colour per HDMI clock when the viewport is at least as wide as the plane', () => {
    assert.equal(maxColumnAdvance(1024, 'full', 1, 1440), 1);
    assert.equal(maxColumnAdvance(1024, 'full', 1, 1024), 1);
    assert.equal(maxColumnAdvance(512, 'subsampled', 1, 1920), 1);
    assert.ok(maxColumnAdvance(1024, 'full', 1, 400) > 1);
  });

  it('renders a 1920x1080 frame, black outside the viewport, and rejects impossible viewports', () => {
    const planes: Fields = { width: 32, height: 16, planes: [0, 1, 2, 3].map((c) => new Int32Array(32 * 16).fill(200 * (c + 1))) as Fields['planes'] };
    const vp = fitViewport(32, 16);
    assert.deepEqual(vp, { x: 0, y: 60, width: 1920, height: 960 });
    const img = hdmiPreview(planes, 'full', vp);
    assert.deepEqual([img.width, img.height, img.data[0], img.data[(61 * 1920 + 5) * 3]], [1920, 1080, 0, 50]);
    assert.equal(img.data[(61 * 1920 + 5) * 3 + 1], (500 + 0) >> 2); // G = (400 + 600 + 1) >> 1 = 500
    throwsCode(() => checkViewport({ x: 1000, y: 0, width: 1000, height: 100 }, 1920, 1080), 'E_CAM_VIEWPORT', '1000x100+1000+0');
    throwsCode(() => checkViewport({ x: 0, y: 0, width: 1, height: 100 }, 1920, 1080), 'E_CAM_VIEWPORT');
    throwsCode(() => hdmiPreview(planes, 'full', { x: -2, y: 0, width: 10, height: 10 }), 'E_CAM_VIEWPORT');
  });
});
