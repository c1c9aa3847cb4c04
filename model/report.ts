// HTML evaluation report: per sequence, side-by-side crops (bicubic / best model /
// ground truth) saved as PNGs, and a per-frame Y-PSNR plot as inline SVG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelInputError, E } from './errors.ts';
import type { Image } from './image.ts';
import { crop } from './image.ts';
import { writePng } from './io/image-file.ts';
import type { Upscaled } from './protocol.ts';
import type { SequenceResult, Scores } from './evaluate.ts';

const CROP_W = 240, CROP_H = 160;
const COLORS = ['#888', '#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#ff7f0e', '#8c564b'];
/** Which method's crop represents "the model", best first. */
const MODEL_PREFERENCE = ['fixed', 'float', 'single_frame', 'linear', 'bicubic'];

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const fmt = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(d) : 'inf');

interface Capture {
  index: number;
  files: { label: string; file: string }[];
}

export class Report {
  private captures = new Map<string, Capture>();
  constructor(private dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new ModelInputError(E.UNREADABLE, `cannot create report folder ${dir}: ${(e as Error).message}`);
    }
  }

  /** Saves crops of frame `index` if it is the chosen one (`pick`, the middle scored frame). */
  offer(seq: string, index: number, pick: number, hr: Image, outs: Record<string, Upscaled>): void {
    if (index !== pick || this.captures.has(seq)) return;
    const w = Math.min(CROP_W, hr.width), h = Math.min(CROP_H, hr.height);
    const x = (hr.width - w) >> 1, y = (hr.height - h) >> 1;
    const model = MODEL_PREFERENCE.find((m) => m !== 'bicubic' && outs[m]) ?? 'bicubic';
    const picks: [string, Image][] = [];
    if (outs.bicubic) picks.push(['bicubic', outs.bicubic.rgb]);
    if (model !== 'bicubic') picks.push([model, outs[model].rgb]);
    picks.push(['ground truth', hr]);
    const safe = seq.replace(/[^A-Za-z0-9_.-]/g, '_');
    const files = picks.map(([label, img]) => {
      const file = `${safe}_${index}_${label.replace(/\s+/g, '_')}.png`;
      writePng(join(this.dir, file), crop(img, x, y, w, h));
      return { label, file };
    });
    this.captures.set(seq, { index, files });
  }

  write(results: SequenceResult[], mean: { psnr_y: Scores; ssim_y: Scores; temporal: Scores }, info: Record<string, unknown>): string {
    const methods = Object.keys(mean.psnr_y);
    const table = [
      `<tr><th>sequence</th><th>frames</th>${methods.map((m) => `<th>${esc(m)}<br>PSNR-Y / SSIM-Y / temporal</th>`).join('')}</tr>`,
      ...results.map(
        (r) => `<tr><td>${esc(r.name)}</td><td>${r.frames}</td>${methods.map((m) => `<td>${fmt(r.psnr_y[m])} / ${fmt(r.ssim_y[m], 4)} / ${fmt(r.temporal[m])}</td>`).join('')}</tr>`,
      ),
      `<tr><th>mean</th><th>${results.reduce((a, r) => a + r.frames, 0)}</th>${methods.map((m) => `<th>${fmt(mean.psnr_y[m])} / ${fmt(mean.ssim_y[m], 4)} / ${fmt(mean.temporal[m])}</th>`).join('')}</tr>`,
    ].join('\n');
    const sections = results.map((r) => {
      const cap = this.captures.get(r.name);
      const imgs = cap ? cap.files.map((f) => `<figure><img src="${esc(f.file)}"><figcaption>${esc(f.label)} (frame ${cap.index})</figcaption></figure>`).join('') : '';
      return `<h2>${esc(r.name)}</h2><div class="row">${imgs}</div>${plot(r, methods)}`;
    });
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>screen eval report</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
.row{display:flex;gap:8px}figure{margin:0}img{image-rendering:pixelated;width:${CROP_W * 2}px}</style></head><body>
<h1>screen eval — x1.5 luma quality</h1><pre>${esc(JSON.stringify(info, null, 1))}</pre><table>${table}</table>
${sections.join('\n')}</body></html>\n`;
    const path = join(this.dir, 'index.html');
    writeFileSync(path, html);
    return path;
  }
}

/** Inline SVG line plot of per-frame Y-PSNR, one polyline per method. */
function plot(r: SequenceResult, methods: string[]): string {
  const W = 640, H = 220, L = 50, B = 30, T = 10, R = 110;
  const vals = r.per_frame.flatMap((f) => methods.map((m) => f.psnr_y[m]).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v)));
  if (vals.length === 0) return '';
  let lo = Math.floor(Math.min(...vals)), hi = Math.ceil(Math.max(...vals));
  if (hi === lo) hi = lo + 1;
  const idx = r.per_frame.map((f) => f.index);
  const x0 = Math.min(...idx), x1 = Math.max(...idx, x0 + 1);
  const px = (i: number) => L + ((i - x0) / (x1 - x0)) * (W - L - R);
  const py = (v: number) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const lines = methods.map((m, k) => {
    const pts = r.per_frame.filter((f) => Number.isFinite(f.psnr_y[m] ?? NaN)).map((f) => `${px(f.index).toFixed(1)},${py(f.psnr_y[m]!).toFixed(1)}`);
    const c = COLORS[k % COLORS.length];
    return `<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.join(' ')}"/><text x="${W - R + 8}" y="${T + 14 * (k + 1)}" fill="${c}" font-size="12">${esc(m)}</text>`;
  });
  const axes = `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#000"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#000"/>
<text x="${L - 6}" y="${py(hi) + 4}" font-size="11" text-anchor="end">${hi} dB</text><text x="${L - 6}" y="${py(lo) + 4}" font-size="11" text-anchor="end">${lo} dB</text>
<text x="${px(x0)}" y="${H - B + 16}" font-size="11">frame ${x0}</text><text x="${px(x1)}" y="${H - B + 16}" font-size="11" text-anchor="end">frame ${x1}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="Y-PSNR per frame, ${esc(r.name)}">${axes}${lines.join('')}</svg>`;
}
