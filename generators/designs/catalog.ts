// Everything `screen gen` can emit: the blocks' catalog plus the composed designs (the
// upscaler's `screen_top` and its datapath `screen_core`), each built from one typed config.
import { elaborate } from '../core/index.ts';
import { CATALOG, type CatalogEntry } from '../blocks/catalog.ts';
import { regfileArtifacts } from '../blocks/regfile/index.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';
import { hwParams } from './upscaler/config.ts';
import { buildScreenTop } from './upscaler/top.ts';
import { buildScreenCore } from './upscaler/core.ts';
import { screenTopRegs } from './upscaler/regs.ts';
import { buildDwt2d, dwt2dParams } from './camera/dwt2d.ts';
import { buildCamEncoder, camEncoderParams } from './camera/encoder.ts';
import { buildCamDecoder, camDecoderParams } from './camera/decoder.ts';
import { buildCamFieldMerge, camFieldMergeParams } from './camera/field_merge.ts';
import { buildCamFrameEncoder, camFrameEncoderParams } from './camera/frame_encoder.ts';
import { buildCamFrameDecoder, camFrameDecoderParams } from './camera/frame_decoder.ts';
import { buildIdwt2d, idwt2dParams } from './camera/idwt2d.ts';
import { buildHdmiTiming, hdmiTimingParams } from '../blocks/hdmi_timing/index.ts';
import { buildCamScaler, camScalerParams } from '../blocks/cam_scaler/index.ts';
import { buildCamFetch, camFetchParams } from '../blocks/cam_fetch/index.ts';
import { buildCamPreview, camPreviewParams } from './camera/preview.ts';
import { weightMemory, weightMemoryFiles } from './upscaler/weights_mem.ts';

const HW_KEYS = ['cellCycles', 'stripeCells', 'video', 'weightSource'] as const;

function upscalerConfig(c: Record<string, unknown>) {
  const { weights, ...rest } = c;
  const hw = hwParams.validate(rest);
  const path = typeof weights === 'string' ? weights : DEFAULT_NET_WEIGHTS;
  return { hw, net: loadNetWeights(path), path };
}

const upscaler = (which: 'top' | 'core'): CatalogEntry => ({
  summary: which === 'top' ? 'the upscaler chip: AXI4-Lite registers + datapath (+ C header, TS driver, register table, weights .hex + manifest)' : 'the upscaler datapath for one stripe-frame (cfg inputs instead of registers)',
  keys: [...HW_KEYS, 'weights'],
  params: [...hwParams.describe().filter((l) => HW_KEYS.some((k) => l.startsWith(k))), 'weights: network weights JSON (default weights/crnn_q8.json); the integer weights become constants in the RTL (weightSource baked) or only set the shapes and the default image (loaded)'],
  build: (c) => {
    const { hw, net } = upscalerConfig(c);
    const built = which === 'top' ? buildScreenTop(net, hw) : buildScreenCore(net, hw);
    const design = elaborate(built.module);
    const config = { weights: net.name, cellCycles: hw.cellCycles, stripeCells: hw.stripeCells, video: hw.video, weightSource: hw.weightSource, macs: built.plan.macs };
    // top: the register map's C/TS/markdown and the default weights as a memory init file + manifest.
    const extraFiles = which === 'top' ? new Map([...regfileArtifacts(screenTopRegs(hw, weightMemory(net, built.plan).words.length)).files, ...weightMemoryFiles(net, built.plan)]) : new Map<string, string>();
    return { design, config, configHash: design.top.configHash, extraFiles };
  },
});

/** A design built from one validated parameter set, with no extra output files. */
function paramEntry<P>(summary: string, params: { specs: object; describe(): string[]; validate(c: Record<string, unknown>): P }, build: (p: P) => { module: Parameters<typeof elaborate>[0] }): CatalogEntry {
  return {
    summary,
    keys: Object.keys(params.specs),
    params: params.describe(),
    build: (c) => {
      const p = params.validate(c);
      const design = elaborate(build(p).module);
      return { design, config: p as Record<string, unknown>, configHash: design.top.configHash, extraFiles: new Map() };
    },
  };
}

const cameraDwt2d = paramEntry('camera: 2-stage 5/3 forward DWT of one colour field (HL1/LH1/HH1 and LL2/HL2/LH2/HH2 streams, err events)', dwt2dParams, buildDwt2d);
const cameraIdwt2d = paramEntry('camera: inverse 2-stage 5/3 DWT of one colour field (LL2|HL2|LH2|HH2 + HL1|LH1|HH1 -> field; ll1Only: LL1 for the preview; err events)', idwt2dParams, buildIdwt2d);
const cameraHdmiTiming = paramEntry('camera: CEA-861 video timing (default 1080p30 at 74.25 MHz) with a pixel request `lead` clocks ahead of de', hdmiTimingParams, buildHdmiTiming);
const cameraScaler = paramEntry('camera: preview bilinear scaler/debayer (4 colours x 2x2 samples per pixel -> 10-bit RGB; normalised viewport coordinates, per-colour centres incl. subsampled mode; err events)', camScalerParams, buildCamScaler);
const cameraFetch = paramEntry('camera: preview line-buffer fetcher (four colour planes in, a ring of rows each; per viewport pixel the 2x2 neighbourhood of each colour for cam_scaler; display frame start, err events)', camFetchParams, buildCamFetch);
const cameraPreview = paramEntry('camera: HDMI preview top (4 stage-2 codestreams -> LL1 decoder -> fetcher -> bilinear scaler/debayer -> RGB with CEA-861 timing, default 1080p30; err events)', camPreviewParams, buildCamPreview);
const cameraEncoder = paramEntry('camera: one colour field -> 7 subband codestreams (5/3 DWT, per-subband quantizer, group-of-four VLC; ctx/err events)', camEncoderParams, buildCamEncoder);
const cameraFieldMerge = paramEntry('camera: one subband of four colour fields (cam_encoder vlc=false group streams) -> rows interleaved R G1 G2 B -> one codestream (cam_merge + cam_vlc; ctx/err events)', camFieldMergeParams, buildCamFieldMerge);
const cameraFrameEncoder = paramEntry('camera: Bayer RGGB mosaic (2x8 tile per beat) -> 7 subband codestreams of all four colour fields (4 x cam_encoder vlc=false, per band cam_merge + cam_vlc; ctx/err events)', camFrameEncoderParams, buildCamFrameEncoder);
const cameraFrameDecoder = paramEntry('camera: 7 subband codestreams of all four colour fields -> Bayer RGGB mosaic (2x8 tile per beat; per band cam_vld + cam_split distributor, 4 x cam_decoder vld=false; err events)', camFrameDecoderParams, buildCamFrameDecoder);
const cameraDecoder = paramEntry('camera: 7 subband codestreams -> one colour field (group-of-four VLD, inverse quantizer with focus assist, inverse 5/3 DWT; err events)', camDecoderParams, buildCamDecoder);

export const DESIGN_CATALOG: Record<string, CatalogEntry> = { ...CATALOG, top: upscaler('top'), 'screen-core': upscaler('core'), 'camera-dwt2d': cameraDwt2d, 'camera-encoder': cameraEncoder, 'camera-decoder': cameraDecoder, 'camera-field-merge': cameraFieldMerge, 'camera-frame-encoder': cameraFrameEncoder, 'camera-frame-decoder': cameraFrameDecoder, 'camera-idwt2d': cameraIdwt2d, 'camera-hdmi-timing': cameraHdmiTiming, 'camera-scaler': cameraScaler, 'camera-fetch': cameraFetch, 'camera-preview': cameraPreview };
export const ALL_DESIGN_NAMES = Object.keys(DESIGN_CATALOG);
