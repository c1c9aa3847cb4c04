import assert from 'node:assert/strict';
import { niceTicks, rampColour, renderPlot, type PlotPoint } from '../../flows/sweep/svg.ts';
import { toCsv, CSV_COLUMNS, type SweepRow } from '../../flows/sweep/table.ts';

const pt = (id: string, x: number, y: number, psnr: number | null, front: boolean, missesClock = false): PlotPoint => ({ id, x, y, psnr, front, missesClock });

/** Every opened element is closed (a light well-formedness check without an XML parser). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]);
  }
  return stack.length === 0;
}

describe('sweep plot and table', () => {
  it('draws every point, highlights and labels the front, colours by PSNR', () => {
    const svg = renderPlot({
      title: 'T <1>', subtitle: 'S', xLabel: 'area X', yLabel: 'fps Y', targetY: 30,
      points: [pt('a', 0.5, 10, 35, true), pt('b', 0.8, 9, null, false), pt('c', 1.2, 40, 36, true, true)],
    });
    assert.ok(balanced(svg), 'unbalanced tags');
    assert.equal((svg.match(/<circle /g) ?? []).length, 3 + 2 + 3, '3 points + 2 front rings + 3 legend markers');
    assert.ok(svg.includes('T &lt;1&gt;'), 'title escaped');
    assert.ok(svg.includes('>area X<') && svg.includes('>fps Y<'));
    assert.ok(svg.includes('target 30 fps'));
    assert.match(svg, /<path d="M[\d.]+,[\d.]+H[\d.]+V[\d.]+"/, 'front staircase over 2 points');
    assert.ok(svg.includes(`fill="${rampColour(0)}"`) && svg.includes(`stroke="${rampColour(1)}"`), 'PSNR colours (c is hollow: misses clock)');
    assert.ok(svg.includes('fill="#999"'), 'unknown PSNR is grey');
    assert.ok(svg.includes('>a</text>') && svg.includes('>c</text>') && !svg.includes('>b</text>'), 'only front points are labelled');
  });

  it('adds a dashed front of the PSNR-known points only when it differs from the front', () => {
    const spec = { title: 't', subtitle: 's', xLabel: 'x', yLabel: 'y', targetY: 30 };
    const pts = [{ ...pt('q4', 0.5, 20, null, true), measuredFront: false }, { ...pt('q8', 0.9, 20, 37.6, false), measuredFront: true }];
    const svg = renderPlot({ ...spec, points: pts });
    assert.equal((svg.match(/<path /g) ?? []).length, 2);
    assert.ok(svg.includes('stroke-dasharray="5 3"') && svg.includes('front of PSNR-known'));
    const same = renderPlot({ ...spec, points: [{ ...pt('q8', 0.9, 20, 37.6, true), measuredFront: true }] });
    assert.equal((same.match(/<path /g) ?? []).length, 1);
    assert.ok(!same.includes('front of PSNR-known'));
  });

  it('says so when no point has a known area', () => {
    const svg = renderPlot({ title: 't', subtitle: 's', xLabel: 'x', yLabel: 'y', targetY: 30, points: [] });
    assert.ok(balanced(svg));
    assert.match(svg, /no config with a known area/);
  });

  it('picks 1-2-5 ticks covering the range', () => {
    assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
    const t = niceTicks(0.47, 1.63);
    assert.ok(t[0] <= 0.47 + 0.2 && t[t.length - 1] >= 1.6, t.join(','));
  });

  it('writes CSV with a header, empty cells for unknowns and quoted text', () => {
    const row = Object.fromEntries(CSV_COLUMNS.map((k) => [k, null])) as unknown as SweepRow;
    Object.assign(row, { id: 'r1', cell_cycles: 8, fps: 12.5, meets_fps: false, psnr_source: 'a, "b"' });
    const lines = toCsv([row]).trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0].split(',').length, CSV_COLUMNS.length);
    assert.ok(lines[1].startsWith('r1,8,,'));
    assert.ok(lines[1].includes(',12.5,'));
    assert.ok(lines[1].includes(',false,'));
    assert.ok(lines[1].includes('"a, ""b"""'));
  });
});
