/** A hand-rolled line chart: log2 x axis (queue depths), linear y axis from 0, one line per series. */
export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface ChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Lines of text under the chart (the targets, with the C reference on the same ratio). */
  readonly footer?: readonly string[];
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
];
// Dashed lines for the references, solid for scsikit: told apart without colour too.
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/gu,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** 1, 2, 2.5 or 5 × a power of ten at or above `v` (axis top). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmtTick(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(2));
}

export function renderLineChart(spec: ChartSpec): string {
  const W = 920;
  const footer = spec.footer ?? [];
  const H = 520 + (footer.length > 0 ? 24 + footer.length * 18 : 0);
  const m = { left: 80, right: 300, top: 64, bottom: 60 };
  const pw = W - m.left - m.right;
  const ph = 520 - m.top - m.bottom;
  const all = spec.series.flatMap((s) => s.points).filter((p) => p.x > 0 && Number.isFinite(p.y));
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const lx = xs.map((x) => Math.log2(x));
  const xmin = lx.length > 0 ? Math.min(...lx) : 0;
  const xmax = lx.length > 0 ? Math.max(...lx) : 1;
  const ymax = niceCeil(Math.max(0, ...all.map((p) => p.y)) * 1.05);
  const X = (x: number) => m.left + (xmax === xmin ? pw / 2 : ((Math.log2(x) - xmin) / (xmax - xmin)) * pw);
  const Y = (y: number) => m.top + ph - (y / ymax) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.left}" y="26" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  if (spec.subtitle !== undefined) {
    out.push(`<text x="${m.left}" y="46" fill="#555">${escapeXml(spec.subtitle)}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const v = (ymax / 5) * i;
    const y = Y(v).toFixed(1);
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmtTick(v)}</text>`,
    );
  }
  for (const x of xs) {
    const px = X(x).toFixed(1);
    out.push(
      `<line x1="${px}" x2="${px}" y1="${m.top}" y2="${m.top + ph}" stroke="#f0f0f0"/>`,
      `<text x="${px}" y="${m.top + ph + 18}" text-anchor="middle">${x}</text>`,
    );
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${m.left + pw / 2}" y="${520 - 16}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const dash = DASHES[s.name.startsWith('scsikit') ? 0 : 1 + (i % (DASHES.length - 1))] as string;
    const pts = s.points.filter((p) => p.x > 0 && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    const coords = pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`);
    if (coords.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${coords.join(' ')}"/>`,
      );
    }
    for (const c of coords) {
      const [cx, cy] = c.split(',');
      out.push(
        `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${color}"><title>${escapeXml(s.name)}</title></circle>`,
      );
    }
    const ly = m.top + 10 + i * 22;
    const lx0 = m.left + pw + 16;
    out.push(
      `<line x1="${lx0}" x2="${lx0 + 28}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
      `<text x="${lx0 + 36}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  footer.forEach((line, i) => {
    out.push(`<text x="${m.left}" y="${520 + 18 + i * 18}" fill="#333">${escapeXml(line)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
