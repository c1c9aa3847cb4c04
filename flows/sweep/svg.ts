// Hand-written SVG scatter plot of the sweep: fps vs area, points coloured by PSNR (grey when
// unknown), the Pareto front drawn as a step line, the target fps as a dashed line.
export interface PlotPoint {
  id: string;
  x: number;
  y: number;
  psnr: number | null;
  front: boolean;
  /** Array fmax below the clock: drawn hollow. */
  missesClock: boolean;
  /** On the front of the points with a known PSNR (drawn dashed when it differs from the front). */
  measuredFront?: boolean;
}

export interface PlotSpec {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  targetY: number;
  points: PlotPoint[];
}

const W = 860;
const H = 560;
const M = { l: 78, r: 190, t: 70, b: 62 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (v: number) => (Math.round(v * 100) / 100).toString();

/** "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  // Whole steps from at or below lo to at or above hi, so every point lies inside the axes.
  const out: number[] = [];
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let k = Math.floor(lo / step + 1e-9); k <= Math.ceil(hi / step - 1e-9); k++) out.push(Number((k * step).toFixed(digits)));
  return out;
}

/** Viridis-like ramp (5 stops) so low and high PSNR stay distinguishable in greyscale too. */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export function rampColour(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const a = RAMP[i];
  const b = RAMP[i + 1];
  const k = u - i;
  const c = a.map((v, j) => Math.round(v + (b[j] - v) * k));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export function renderPlot(s: PlotSpec): string {
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(s.title)}</text>`,
    `<text x="${W / 2}" y="44" text-anchor="middle" font-size="11" fill="#444">${esc(s.subtitle)}</text>`,
  ];
  if (!s.points.length) {
    out.push(`<text x="${M.l + pw / 2}" y="${M.t + ph / 2}" text-anchor="middle" fill="#a00">no config with a known area (run the sweep with synthesis)</text>`, '</svg>');
    return out.join('\n') + '\n';
  }
  const xs = s.points.map((p) => p.x);
  const ys = [...s.points.map((p) => p.y), s.targetY];
  const xt = niceTicks(Math.min(...xs) * 0.95, Math.max(...xs) * 1.05);
  const yt = niceTicks(0, Math.max(...ys) * 1.08);
  const [x0, x1] = [xt[0], xt[xt.length - 1]];
  const [y0, y1] = [yt[0], yt[yt.length - 1]];
  const X = (v: number) => M.l + ((v - x0) / (x1 - x0 || 1)) * pw;
  const Y = (v: number) => M.t + ph - ((v - y0) / (y1 - y0 || 1)) * ph;

  out.push(`<g stroke="#ddd">`);
  for (const t of xt) out.push(`<line x1="${f(X(t))}" y1="${M.t}" x2="${f(X(t))}" y2="${M.t + ph}"/>`);
  for (const t of yt) out.push(`<line x1="${M.l}" y1="${f(Y(t))}" x2="${M.l + pw}" y2="${f(Y(t))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${M.l}" y="${M.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  for (const t of xt) out.push(`<text x="${f(X(t))}" y="${M.t + ph + 16}" text-anchor="middle">${f(t)}</text>`);
  for (const t of yt) out.push(`<text x="${M.l - 6}" y="${f(Y(t) + 4)}" text-anchor="end">${f(t)}</text>`);
  out.push(`<text x="${M.l + pw / 2}" y="${H - 18}" text-anchor="middle">${esc(s.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${M.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(s.yLabel)}</text>`);
  out.push(`<line x1="${M.l}" y1="${f(Y(s.targetY))}" x2="${M.l + pw}" y2="${f(Y(s.targetY))}" stroke="#c00" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${M.l + pw - 4}" y="${f(Y(s.targetY) - 5)}" text-anchor="end" fill="#c00">target ${f(s.targetY)} fps</text>`);

  // Pareto front as a staircase: fps only rises with area along it.
  const front = s.points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  if (front.length) {
    const d = front.map((p, i) => (i === 0 ? `M${f(X(p.x))},${f(Y(p.y))}` : `H${f(X(p.x))}V${f(Y(p.y))}`)).join('');
    out.push(`<path d="${d}" fill="none" stroke="#e07000" stroke-width="2"/>`);
  }
  const mfront = s.points.filter((p) => p.measuredFront).sort((a, b) => a.x - b.x || a.y - b.y);
  const sameFront = mfront.length === front.length && mfront.every((p, i) => p === front[i]);
  if (mfront.length && !sameFront) {
    const d = mfront.map((p, i) => (i === 0 ? `M${f(X(p.x))},${f(Y(p.y))}` : `H${f(X(p.x))}V${f(Y(p.y))}`)).join('');
    out.push(`<path d="${d}" fill="none" stroke="#7b2cbf" stroke-width="2" stroke-dasharray="5 3"/>`);
  }
  const known = s.points.map((p) => p.psnr).filter((v): v is number => v !== null);
  const [pLo, pHi] = known.length ? [Math.min(...known), Math.max(...known)] : [0, 0];
  const colour = (v: number | null) => (v === null ? '#999' : rampColour(pHi > pLo ? (v - pLo) / (pHi - pLo) : 1));
  // Front points last so they sit on top.
  for (const p of [...s.points].sort((a, b) => Number(a.front) - Number(b.front))) {
    const c = colour(p.psnr);
    const tip = `${p.id}: ${f(p.x)} mm², ${f(p.y)} fps${p.psnr === null ? ', PSNR unknown' : `, ${p.psnr.toFixed(2)} dB`}${p.missesClock ? ', array fmax below clock' : ''}${p.front ? ', Pareto' : ''}`;
    // Hollow (white, PSNR-coloured outline) when the array misses the clock; a ring marks the front.
    if (p.front) out.push(`<circle cx="${f(X(p.x))}" cy="${f(Y(p.y))}" r="8.5" fill="none" stroke="#e07000" stroke-width="2"/>`);
    out.push(`<circle cx="${f(X(p.x))}" cy="${f(Y(p.y))}" r="5" fill="${p.missesClock ? 'white' : c}" stroke="${p.missesClock ? c : '#333'}" stroke-width="${p.missesClock ? 2 : 1}"><title>${esc(tip)}</title></circle>`);
    if (p.front) out.push(`<text x="${f(X(p.x) + 10)}" y="${f(Y(p.y) - 10)}" font-size="10">${esc(p.id)}</text>`);
  }

  // Legend.
  const lx = M.l + pw + 18;
  let ly = M.t + 6;
  out.push(`<text x="${lx}" y="${ly}" font-weight="bold">legend</text>`);
  ly += 20;
  out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="#e07000" stroke-width="2"/><circle cx="${lx + 11}" cy="${ly - 4}" r="7" fill="white" stroke="#e07000" stroke-width="2"/><text x="${lx + 30}" y="${ly}">Pareto front</text>`);
  if (mfront.length && !sameFront) {
    ly += 20;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="#7b2cbf" stroke-width="2" stroke-dasharray="5 3"/><text x="${lx + 30}" y="${ly}">front of PSNR-known</text>`);
  }
  ly += 20;
  out.push(`<circle cx="${lx + 11}" cy="${ly - 4}" r="5" fill="white" stroke="#333" stroke-width="2"/><text x="${lx + 30}" y="${ly}">array fmax &lt; clock (hollow)</text>`);
  ly += 20;
  out.push(`<circle cx="${lx + 11}" cy="${ly - 4}" r="5" fill="#999" stroke="#333"/><text x="${lx + 30}" y="${ly}">PSNR unknown</text>`);
  ly += 26;
  if (known.length) {
    out.push(`<text x="${lx}" y="${ly}">Y-PSNR (fixed-point, dB)</text>`);
    ly += 8;
    const steps = pHi > pLo ? 5 : 1;
    for (let i = 0; i < steps; i++) {
      const v = steps === 1 ? pHi : pLo + ((pHi - pLo) * i) / (steps - 1);
      out.push(`<rect x="${lx}" y="${ly + i * 18}" width="14" height="14" fill="${colour(v)}" stroke="#333"/><text x="${lx + 22}" y="${ly + i * 18 + 11}">${v.toFixed(2)}</text>`);
    }
  } else {
    out.push(`<text x="${lx}" y="${ly}" fill="#555">no measured PSNR for</text>`, `<text x="${lx}" y="${ly + 14}" fill="#555">these configs</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
