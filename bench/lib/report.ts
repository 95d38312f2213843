import type { BenchResult } from './suite.ts';

/**
 * The figures the targets are about, from a result: what the comparison between two runs and the
 * chart show. `better` says which direction is an improvement; `target` is the issue's goal.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  target?: number;
}

export function figures(r: BenchResult): Figure[] {
  const out: Figure[] = [
    { name: 'POST ratio (webhook on)', value: r.post.ratio, unit: '×', better: 'higher', target: 0.4 },
    { name: 'POST p99 (webhook on)', value: r.post.duyet.p99, unit: 'ms', better: 'lower', target: 25 },
  ];
  if (r.floors?.withoutWebhook) {
    out.push(
      { name: 'POST ratio (no endpoint)', value: r.floors.withoutWebhookRatio, unit: '×', better: 'higher' },
      { name: 'POST p99 (no endpoint)', value: r.floors.withoutWebhook.p99, unit: 'ms', better: 'lower' },
      { name: 'floor ratio: stored row alone', value: r.floors.sqliteRatio, unit: '×', better: 'higher' },
    );
  }
  out.push(
    { name: 'POST CPU per request', value: r.post.duyet.cpuMicrosPerRequest, unit: 'µs', better: 'lower' },
    { name: 'GET ratio', value: r.get.ratio, unit: '×', better: 'higher', target: 0.5 },
    { name: 'GET p99', value: r.get.duyet.p99, unit: 'ms', better: 'lower' },
    { name: 'engine, 500 characters', value: r.engineMicrosPer500Chars, unit: 'µs', better: 'lower', target: 20 },
  );
  if (r.scale) {
    out.push(
      { name: 'scale: start-up', value: r.scale.startupMs, unit: 'ms', better: 'lower', target: 2000 },
      { name: 'scale: queue page p99', value: r.scale.queuePage.p99, unit: 'ms', better: 'lower', target: 20 },
      { name: 'scale: thread page p99', value: r.scale.threadPageCold.p99, unit: 'ms', better: 'lower', target: 20 },
      { name: 'scale: peak RSS', value: r.scale.peakRssMb, unit: 'MB', better: 'lower', target: 250 },
    );
  }
  return out;
}

export function meets(f: Figure): boolean | null {
  if (f.target === undefined) return null;
  return f.better === 'higher' ? f.value >= f.target : f.value <= f.target;
}

function show(value: number | null, unit: string): string {
  // A side a run did not measure (e.g. `--only post`) is null or NaN in its JSON.
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return unit === '×' ? `${value.toFixed(2)}×` : `${value.toLocaleString('en')} ${unit}`;
}

/** Two runs side by side (e.g. two commits): each figure, its change, and whether it got better. */
export function compareTable(before: BenchResult, after: BenchResult): string {
  const old = new Map(figures(before).map((f) => [f.name, f]));
  const rows: string[][] = [['', `before (${label(before)})`, `after (${label(after)})`, 'change']];
  for (const f of figures(after)) {
    const b = old.get(f.name);
    if (!b) {
      rows.push([f.name, '—', show(f.value, f.unit), '']);
      continue;
    }
    if (!Number.isFinite(b.value) || !Number.isFinite(f.value)) {
      rows.push([f.name, show(b.value, b.unit), show(f.value, f.unit), '']);
      continue;
    }
    const delta = b.value === 0 ? 0 : (f.value - b.value) / Math.abs(b.value);
    const improved = f.better === 'higher' ? delta > 0 : delta < 0;
    const change = Math.abs(delta) < 0.005 ? 'same' : `${delta > 0 ? '+' : ''}${(delta * 100).toFixed(0)} %`;
    rows.push([
      f.name,
      show(b.value, b.unit),
      show(f.value, f.unit),
      change === 'same' ? change : `${change} ${improved ? '(better)' : '(worse)'}`,
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? '')].length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function label(r: BenchResult): string {
  return `${r.commit ?? 'unknown commit'}, ${r.at.slice(0, 16).replace('T', ' ')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);
}

/**
 * The run as a picture: one bar per figure that has a target, its length the share of the target
 * reached (capped at 150 %), green when met, red when not, with the target as a line.
 */
export function chartSvg(r: BenchResult): string {
  const rows = figures(r).filter((f) => f.target !== undefined);
  const w = 900;
  const left = 230;
  const barMax = 400;
  const rowH = 30;
  const top = 50;
  const h = top + rows.length * rowH + 40;
  const scale = barMax / 1.5;
  const bars = rows.map((f, i) => {
    const target = f.target as number;
    // Share of the goal reached: for "lower is better" figures, target / value.
    const share = f.better === 'higher' ? f.value / target : f.value === 0 ? 1.5 : target / f.value;
    const len = Math.max(2, Math.min(1.5, share) * scale);
    const y = top + i * rowH;
    const ok = meets(f);
    return `<text x="${left - 10}" y="${y + 17}" text-anchor="end">${escapeXml(f.name)}</text>
<rect x="${left}" y="${y + 4}" width="${len.toFixed(1)}" height="${rowH - 10}" fill="${ok ? '#2e7d32' : '#c62828'}"/>
<text x="${left + len + 6}" y="${y + 17}">${escapeXml(`${show(f.value, f.unit)} (target ${f.better === 'higher' ? '≥' : '≤'} ${show(target, f.unit)})`)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">
<title>Duyệt benchmark: figures against their targets</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" font-size="14">Duyệt benchmark, ${escapeXml(label(r))}: share of each target reached</text>
<line x1="${left + scale}" y1="${top - 8}" x2="${left + scale}" y2="${h - 30}" stroke="#555" stroke-dasharray="4 3"/>
<text x="${left + scale}" y="${h - 14}" text-anchor="middle">target</text>
${bars.join('\n')}
</svg>
`;
}
