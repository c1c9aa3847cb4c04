import assert from 'node:assert/strict';
import { paretoFront } from '../../flows/sweep/pareto.ts';

describe('sweep Pareto front', () => {
  it('keeps exactly the non-dominated points (min x, max y)', () => {
    const pts = [
      { x: 1, y: 10 }, // front: smallest area
      { x: 2, y: 5 }, // dominated by 0
      { x: 2, y: 20 }, // front
      { x: 3, y: 20 }, // dominated by 2 (same fps, more area)
      { x: 4, y: 30 }, // front
      { x: 5, y: 25 }, // dominated by 4
    ];
    assert.deepEqual(paretoFront(pts), [0, 2, 4]);
  });

  it('keeps exact ties and handles empty input', () => {
    assert.deepEqual(paretoFront([{ x: 1, y: 1 }, { x: 1, y: 1 }, { x: 1, y: 0.5 }]), [0, 1]);
    assert.deepEqual(paretoFront([]), []);
  });

  it('agrees with a brute-force dominance check on random points', () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pts = Array.from({ length: 60 }, () => ({ x: Math.round(rnd() * 20), y: Math.round(rnd() * 20) }));
    const dominated = (i: number) => pts.some((q, j) => j !== i && q.x <= pts[i].x && q.y >= pts[i].y && (q.x < pts[i].x || q.y > pts[i].y));
    const want = pts.map((_, i) => i).filter((i) => !dominated(i)).sort((a, b) => a - b);
    assert.deepEqual([...paretoFront(pts)].sort((a, b) => a - b), want);
  });
});
