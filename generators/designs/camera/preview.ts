// HDMI preview of the camera (issue 7, docs/camera.md §16; seed 003 "Working Backwards"): the four
// stage-2 codestreams of each frame -> cam_frame_decoder (output = 'll1': the four LL1 planes) ->
// cam_fetch (a ring of LL1 rows per colour; per viewport pixel the 2x2 neighbourhood of each
// colour) -> cam_scaler (bilinear scaler/debayer) -> 10-bit RGB at hdmi_timing's pixel request,
// `lead` clocks ahead of de, so the pixel leaves with its CEA-861 de / hsync / vsync. Exactly
// model/camera/preview.ts renderRgb10(decodeLL1(...), mode, 1, hActive, vActive, viewport) for
// every display frame that shows a frame; black outside the viewport.
//
// Frame pacing: each display frame starts at the vsync leading edge; cam_fetch then shows the
// frame whose first LL1 row has come in since (one frame of look-ahead), and the decoder is paced
// by the ring (its rows wait for room), so it decodes one frame per display frame. The scaler and
// the fetcher's output side are emptied at each start, so a frame that went wrong never shifts the
// next one. A viewport pixel the scaler has not delivered in time (`underrun`) or that is not the
// expected one (`sync`) makes the rest of that display frame black.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr, type Signal } from '../../core/index.ts';
import { connectStream, instSink, instSource, streamIn } from '../../blocks/axis/stream.ts';
import { CAM_FETCH_ERR_BITS, buildCamFetch } from '../../blocks/cam_fetch/index.ts';
import { DEQUANT_INV_BITS, FOCUS_BITS } from '../../blocks/cam_dequant/index.ts';
import { buildCamScaler } from '../../blocks/cam_scaler/index.ts';
import { SCALER_ERR_BITS } from '../../blocks/cam_scaler/model.ts';
import { buildHdmiTiming, HDMI_TIMING_SPECS, hdmiLeadCheck } from '../../blocks/hdmi_timing/index.ts';
import { ceilLog2 } from '../../blocks/mac_pe/widths.ts';
import { errBus } from './err_bus.ts';
import { buildCamFrameDecoder, frameDecoderErrBits } from './frame_decoder.ts';

const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
const SCALER_SAMPLE_BITS = 11; // 10-bit samples, zero-extended: positive for the scaler's signed clamp

export const camPreviewParams = defineParams(
  'cam_preview',
  {
    maxWidth: int({ min: 32, max: 16384, default: 2048, doc: 'widest colour field row (mosaic width / 2; multiple of 16); LL1 rows are half of it' }),
    rowsBits: int({ min: 4, max: 16, default: 12, doc: 'width of the `rows` input (field height, multiple of 4)' }),
    wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width' }),
    ...HDMI_TIMING_SPECS,
  },
  [(p) => (p.maxWidth % 16 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of 16`), hdmiLeadCheck],
);

export type CamPreviewConfig = ReturnType<typeof camPreviewParams.validate>;

/** Display-side events of the `err` stream. */
export const PREVIEW_DISPLAY_ERR_BITS = ['underrun', 'sync'] as const;

/** Bits of the passive `err` stream, bit 0 first: the LL1 decoder's, cam_fetch's, cam_scaler's, the display's. */
export const PREVIEW_ERR_BITS: readonly string[] = [
  ...frameDecoderErrBits('ll1').map((e) => `decoder.${e}`),
  ...CAM_FETCH_ERR_BITS.map((e) => `fetch.${e}`),
  ...SCALER_ERR_BITS.map((e) => `scaler.${e}`),
  ...PREVIEW_DISPLAY_ERR_BITS.map((e) => `display.${e}`),
];

export function buildCamPreview(config: Partial<CamPreviewConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camPreviewParams.validate(config);
  const { maxWidth, rowsBits: RB, wordBits, ...tcfg } = p;
  const XB = ceilLog2(maxWidth + 1);
  const ZB = ceilLog2(Math.max(p.hActive, p.vActive) + 1); // viewport registers
  const PB = ceilLog2(maxWidth / 2 + 1); // LL1 plane size registers
  const m = new Module(`cam_preview_w${maxWidth}_r${RB}_o${wordBits}_${p.hActive}x${p.vActive}_l${p.lead}`, {
    params: { design: 'cam_preview', ...p },
    doc: `camera HDMI preview: 4 stage-2 codestreams -> LL1 -> fetcher -> bilinear scaler/debayer -> ${p.hActive}x${p.vActive} RGB with CEA-861 timing`,
  });
  const width = m.input('width', XB, { doc: 'field width = mosaic width / 2 (multiple of 16)' });
  const rows = m.input('rows', RB, { doc: 'field height = mosaic height / 2 (multiple of 4)' });
  const subsampled = m.input('subsampled', 1, { doc: '1: 2x subsampled mosaics (asymmetric colour centres)' });
  const sx = m.input('sx', 32, { doc: 'round(2^32 / vw)' });
  const sy = m.input('sy', 32, { doc: 'round(2^32 / vh)' });
  const vx = m.input('vx', ZB, { doc: 'viewport left column' });
  const vy = m.input('vy', ZB, { doc: 'viewport top row' });
  const vw = m.input('vw', ZB, { doc: 'viewport width (>= 2)' });
  const vh = m.input('vh', ZB, { doc: 'viewport height (>= 2)' });
  const errs = errBus();

  // ---- decoder: the four LL1 planes ---------------------------------------------------------------
  const dec = buildCamFrameDecoder({ maxWidth, rowsBits: RB, wordBits, output: 'll1' });
  const ud = m.instantiate('u_decoder', dec.module);
  for (const b of S2) {
    connectStream(m, streamIn(m, { width: wordBits, user: false }, `s_axis_${b}`), instSink(ud, `s_axis_${b}`));
    ud.connect(`k_${b}`, m.input(`k_${b}`, 4, { doc: `${b} group-code k` }));
    ud.connect(`inv_${b}`, m.input(`inv_${b}`, DEQUANT_INV_BITS, { doc: `${b} inverse register round(2^24/mult)` }));
  }
  ud.connect('width', width);
  ud.connect('rows', rows);
  ud.connect('flush', m.input('flush', 1, { doc: 'the codestreams were coded with cam_vlc flush' }));
  ud.connect('focus', m.input('focus', FOCUS_BITS, { doc: 'focus-assist gain of the high-pass bands in sixteenths [16, 64]' }));
  errs.add(instSource(ud, 'err'));

  // ---- timing and the display frame start ---------------------------------------------------------
  const tm = buildHdmiTiming(tcfg);
  const ut = m.instantiate('u_timing', tm.module);
  const req = ut.out('req');
  const vsync = ut.out('vsync');
  m.output('de', 1, { doc: 'data enable' }).set(ut.out('de'));
  m.output('hsync', 1, { doc: `horizontal sync (active ${p.hsyncPositive ? 'high' : 'low'})` }).set(ut.out('hsync'));
  m.output('vsync', 1, { doc: `vertical sync (active ${p.vsyncPositive ? 'high' : 'low'})` }).set(vsync);
  ut.unused('x', 'the display keeps its own request position');
  ut.unused('y', 'the display keeps its own request position');
  const vsOn = p.vsyncPositive ? vsync : vsync.not();
  const vsPrev = m.regInit('vs_prev', 1, 0);
  vsPrev.set(vsOn);
  const start = m.wire('frame_start', vsOn.and(vsPrev.not()));
  const frameRstN = m.regInit('frame_rst_n', 1, 0, { doc: 'low the clock after a frame start: the scaler is emptied' });
  frameRstN.set(start.not());

  // ---- fetcher and scaler ------------------------------------------------------------------------
  const pw = m.wire('pw', width.slice(XB - 1, 1).resize(PB));
  const ph = m.wire('ph', rows.slice(RB - 1, 1).resize(PB));
  m.unused(width.bit(0), 'field widths are even');
  m.unused(rows.bit(0), 'field heights are even');
  const ft = buildCamFetch({ maxWidth: maxWidth / 2, planeBits: PB, sizeBits: ZB });
  const uf = m.instantiate('u_fetch', ft.module);
  connectStream(m, instSource(ud), instSink(uf));
  const regs: [string, Expr][] = [['sx', sx], ['sy', sy], ['vw', vw], ['vh', vh], ['pw', pw], ['ph', ph], ['subsampled', subsampled], ['level', lit(1, 1)]];
  for (const [n, v] of regs) uf.connect(n, v);
  uf.connect('start', start);
  const shown = uf.out('shown');
  errs.add(instSource(uf, 'err'));
  const sc = buildCamScaler({ sampleBits: SCALER_SAMPLE_BITS, sizeBits: ZB, planeBits: PB, outW: p.hActive, outH: p.vActive });
  const us = m.instantiate('u_scaler', sc.module);
  us.withReset(frameRstN);
  const fo = instSource(uf);
  const sk = instSink(us);
  sk.driveData(cat(...Array.from({ length: 16 }, (_, i) => fo.data.slice(10 * i + 9, 10 * i).zext(SCALER_SAMPLE_BITS)).reverse()));
  sk.driveValid(fo.valid);
  sk.driveLast(fo.lastSig!);
  sk.driveUser(fo.userSig!);
  fo.driveReady(sk.readySig!);
  for (const [n, v] of [...regs, ['vx', vx], ['vy', vy]] as [string, Expr][]) us.connect(n, v);
  errs.add(instSource(us, 'err'));

  // ---- display: request position, viewport pixels popped at req, `lead` clocks to de -----------
  const reqPrev = m.regInit('req_prev', 1, 0);
  const hx = m.regInit('hx', ZB, 0, { doc: 'requests seen in this line' });
  const hy = m.regInit('hy', ZB, 0, { doc: 'lines of requests since the frame start' });
  reqPrev.set(req);
  const hxNow = m.wire('hx_now', mux(reqPrev, hx, lit(0, ZB)));
  m.when(req, () => hx.set(hxNow.add(1, ZB)));
  m.when(start, () => hy.set(0)).elsewhen(reqPrev.and(req.not()), () => hy.set(hy.add(1, ZB)));
  const inVp = m.wire('in_viewport', req.and(hxNow.ge(vx)).and(hxNow.zext(ZB + 1).lt(vx.add(vw))).and(hy.ge(vy)).and(hy.zext(ZB + 1).lt(vy.add(vh))));
  const dx = m.wire('vp_x', hxNow.sub(vx, ZB));
  const dy = m.wire('vp_y', hy.sub(vy, ZB));
  const broken = m.regInit('broken', 1, 0, { doc: 'a viewport pixel went missing: black to the end of the display frame' });
  const so = instSource(us);
  const want = m.wire('want', inVp.and(shown).and(broken.not()));
  const pop = m.wire('pop', want.and(so.valid));
  so.driveReady(pop);
  const eUnder = m.wire('underrun', want.and(so.valid.not()));
  const eSync = m.wire('sync_bad', pop.and(so.userSig!.xor(dx.eq(0).and(dy.eq(0))).or(so.lastSig!.xor(dx.eq(vw.sub(1, ZB))))));
  m.when(start, () => broken.set(0)).elsewhen(eUnder.or(eSync), () => broken.set(1));
  const errD = m.regInit('err_display', 2, 0);
  errD.set(cat(eSync, eUnder));
  errs.add({ width: 2, last: false, user: false, ready: false, where: `${m.name}.display`, data: errD, valid: errD.orR(), lastSig: undefined, userSig: undefined, driveReady: () => {} });
  let pix: Expr = mux(pop.and(eSync.not()), so.data, lit(0, 30));
  const line: Signal[] = [];
  for (let j = 0; j < p.lead; j++) {
    const r = m.regInit(`pix_${j}`, 30, 0);
    r.set(pix);
    line.push(r);
    pix = r;
  }
  m.output('rgb10', 30, { doc: '{B, G, R}, 10 bits each (R low), with de' }).set(pix);
  m.output('rgb', 24, { doc: 'HDMI 24-bit {B, G, R}: the top 8 bits of each' }).set(cat(pix.slice(29, 22), pix.slice(19, 12), pix.slice(9, 2)));
  errs.drive(m, PREVIEW_ERR_BITS);

  const flops = dec.flops + tm.flops + ft.flops + sc.flops + 1 + 1 + 1 + 2 * ZB + 1 + 2 + 30 * p.lead;
  return { module: m, flops, ramBits: dec.ramBits + ft.ramBits };
}
