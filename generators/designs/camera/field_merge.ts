// One subband's codestream of the full camera (docs/camera.md §3): the four colour fields' group
// streams (cam_encoder with vlc = false, one per field) -> cam_merge (rows interleaved R, G1, G2, B)
// -> one cam_vlc -> codestream words, the golden codestream of the band (model/camera/codec.ts
// scanBand + encodeGroup).
import { defineParams, int, oneOf, Module } from '../../core/index.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { buildCamMerge, CAM_MERGE_FIELDS } from '../../blocks/cam_merge/index.ts';
import { buildCamVlc } from '../../blocks/cam_vlc/index.ts';

export const camFieldMergeParams = defineParams('cam_field_merge', {
  coefBits: int({ min: 2, max: 15, default: 13, doc: 'band coefficient width (stage 1: 12, stage 2: 13)' }),
  rowGroupsBits: int({ min: 1, max: 16, default: 10, doc: 'width of the `row_groups` input (groups per band row)' }),
  wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width' }),
});

export type CamFieldMergeConfig = ReturnType<typeof camFieldMergeParams.validate>;

export function buildCamFieldMerge(config: Partial<CamFieldMergeConfig> = {}): { module: Module; flops: number } {
  const p = camFieldMergeParams.validate(config);
  const m = new Module(`cam_field_merge_w${p.coefBits}_r${p.rowGroupsBits}_o${p.wordBits}`, {
    params: { design: 'cam_field_merge', ...p },
    doc: `four colour fields' groups of one subband -> one codestream (${p.wordBits}-bit words)`,
  });
  const mg = buildCamMerge({ coefBits: p.coefBits, rowGroupsBits: p.rowGroupsBits });
  const vlc = buildCamVlc({ coefBits: p.coefBits, wordBits: p.wordBits });
  const um = m.instantiate('u_merge', mg.module);
  for (let i = 0; i < CAM_MERGE_FIELDS; i++) connectStream(m, streamIn(m, { width: 4 * p.coefBits }, `s_axis_${i}`), instSink(um, `s_axis_${i}`));
  um.connect('row_groups', m.input('row_groups', p.rowGroupsBits, { doc: 'groups per band row (band width / 4)' }));
  const uv = m.instantiate('u_vlc', vlc.module);
  connectStream(m, instSource(um), instSink(uv));
  uv.connect('k', m.input('k', 4, { doc: 'group-code k of the band' }));
  uv.connect('flush', m.input('flush', 1, { doc: 'cam_vlc flush: frames end word-aligned' }));
  connectStream(m, instSource(uv), streamOut(m, { width: p.wordBits, user: false }));
  for (const [src, dst] of [['ctx', 'ctx'], ['err', 'err_vlc']] as const) connectStream(m, instSource(uv, src), streamOut(m, { width: instSource(uv, src).width, ready: false, last: false, user: false }, dst));
  connectStream(m, instSource(um, 'err'), streamOut(m, { width: instSource(um, 'err').width, ready: false, last: false, user: false }, 'err_merge'));
  return { module: m, flops: mg.flops + vlc.flops };
}
