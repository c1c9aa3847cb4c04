// The Pareto front of (area, fps): a point is on it when no other point has both less-or-equal
// area and greater-or-equal fps with at least one strictly better.
export interface XY {
  x: number;
  y: number;
}

/** Indices of the non-dominated points (minimise x, maximise y), sorted by x then index. */
export function paretoFront(pts: XY[]): number[] {
  const order = pts.map((_, i) => i).sort((a, b) => pts[a].x - pts[b].x || pts[b].y - pts[a].y || a - b);
  const front: number[] = [];
  let bestY = -Infinity;
  let lastX = NaN;
  let lastY = NaN;
  for (const i of order) {
    const p = pts[i];
    if (p.y > bestY) {
      front.push(i);
      bestY = p.y;
      lastX = p.x;
      lastY = p.y;
    } else if (p.x === lastX && p.y === lastY) {
      // An exact tie with a front point: equally good, keep it too.
      front.push(i);
    }
  }
  return front;
}
