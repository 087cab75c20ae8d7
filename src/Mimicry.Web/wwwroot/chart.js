// The probe-score chart: scores over simulated days, and the drift statistic (CUSUM) against its threshold. SVG
// built node by node (no markup strings); sizes are attributes, not styles.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function chart(c) {
  const width = 720, height = 220, pad = 32;
  const points = c.points;
  const maxDay = Math.max(1, ...points.map(p => p.day));
  const maxCusum = Math.max(c.threshold * 1.2, ...points.map(p => p.cusum));
  const x = day => pad + (day / maxDay) * (width - 2 * pad);
  const yScore = s => height - pad - s * (height - 2 * pad);
  const yCusum = v => height - pad - (v / maxCusum) * (height - 2 * pad);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': 'Probe scores and the drift statistic over simulated days' });
  root.append(
    svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    svg('line', { x1: pad, y1: pad, x2: pad, y2: height - pad, class: 'axis' }),
    svg('text', { x: width / 2, y: height - 6, class: 'label' }, 'simulated day'),
    svg('text', { x: 4, y: pad - 10, class: 'label' }, 'score (dots) · CUSUM (line)'),
    svg('line', { x1: pad, y1: yCusum(c.threshold), x2: width - pad, y2: yCusum(c.threshold), class: 'threshold' }),
    svg('text', { x: width - pad - 120, y: yCusum(c.threshold) - 4, class: 'label' }, `threshold ${c.threshold}`));
  for (const p of points) {
    root.append(svg('circle', { cx: x(p.day), cy: yScore(p.score), r: 3, class: p.acknowledged ? 'score acknowledged' : 'score' }, svg('title', {}, `${p.probe}: score ${p.score.toFixed(3)}`)));
  }
  if (points.length > 1) {
    root.append(svg('polyline', { points: points.map(p => `${x(p.day)},${yCusum(p.cusum)}`).join(' '), class: 'cusum' }));
  }
  return root;
}
