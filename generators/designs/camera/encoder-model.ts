// Reference outputs of the cam_encoder design for a sequence of fields: per subband, the field's
// band (golden forwardDwt) quantized with model/camera/codec.ts quantize in raster order, coded by
// the cam_vlc reference (golden encodeGroup, continuous or flushed), plus the SOF contexts.
import { quantize } from '../../../model/camera/codec.ts';
import { forwardDwt } from '../../../model/camera/dwt.ts';
import { camVlcModel, packCtx, scanGroups } from '../../blocks/cam_vlc/model.ts';
import type { FieldFrame } from './dwt2d-model.ts';
import { ENCODER_BANDS } from './encoder.ts';

export type EncoderBand = (typeof ENCODER_BANDS)[number];

/** Quantized raster scan of band b of each field (one frame each), concatenated. */
export function fieldBandScans(fields: readonly FieldFrame[], b: EncoderBand, mult: number): Int32Array[] {
  return fields.map((f) => Int32Array.from(forwardDwt(f.data, f.width, f.height).bands[b], (x) => quantize(x, mult)));
}

export function camEncoderModel(fields: readonly FieldFrame[], mults: Record<EncoderBand, number>, ks: Record<EncoderBand, number>, flush: boolean) {
  const out: Record<string, { data: bigint; last?: boolean }[]> = { err_dwt: [], err_quant1: [], err_quant2: [] };
  for (const b of ENCODER_BANDS) {
    const groups = fieldBandScans(fields, b, mults[b]).flatMap((s) => scanGroups(s));
    const r = camVlcModel({ wordBits: 32 }, groups, ks[b], flush);
    out[`m_axis_${b}`] = r.words;
    out[`ctx_${b}`] = r.ctx.map((c) => ({ data: packCtx(c, 32) }));
    out[`err_${b}`] = [];
  }
  return out;
}
