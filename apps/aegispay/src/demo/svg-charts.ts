/** A shaded stretch of the x axis (an outage, a chaos window). */
export interface ChartBand {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly color: string;
}

/** A line of a {@link lineChart}. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/** Options common to the charts. */
export interface ChartFrame {
  readonly title: string;
  /** Defaults to 760 × 300. */
  readonly width?: number;
  readonly height?: number;
  readonly xLabel: (x: number) => string;
  readonly yLabel: (y: number) => string;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
  /** The x axis is logarithmic (values must be > 0). Defaults to false. */
  readonly logX?: boolean;
}

const MARGIN = { top: 34, right: 16, bottom: 48, left: 56 };

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A line chart as an inline `<svg>` (no external resources), with shaded bands and a legend. */
export function lineChart(frame: ChartFrame & { readonly series: readonly LineSeries[]; readonly bands?: readonly ChartBand[]; readonly xDomain: readonly [number, number]; readonly yDomain: readonly [number, number] }): string {
  const plot = plotArea(frame, frame.xDomain, frame.yDomain);
  const bands = (frame.bands ?? []).map((band) => bandRect(plot, band)).join('');
  const lines = frame.series
    .filter((series) => series.points.length > 0)
    .map((series) => {
      const d = series.points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${num(plot.x(x))},${num(plot.y(y))}`).join(' ');
      return `<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''}><title>${escapeXml(series.name)}</title></path>`;
    })
    .join('');
  return svg(frame, plot, `${bands}${lines}`, legend(plot, frame.series.map((series) => ({ name: series.name, color: series.color }))));
}

/** A stacked bar chart (one bar per x slot, layers bottom-up) as an inline `<svg>`. */
export function stackedBarChart(
  frame: Omit<ChartFrame, 'xTicks' | 'logX'> & {
    readonly slots: readonly { readonly from: number; readonly to: number }[];
    readonly layers: readonly { readonly name: string; readonly color: string; readonly values: readonly number[] }[];
    readonly bands?: readonly ChartBand[];
    readonly xTicks: readonly number[];
  },
): string {
  const first = frame.slots[0]?.from ?? 0;
  const last = frame.slots.at(-1)?.to ?? 1;
  const plot = plotArea({ ...frame, logX: false }, [first, last], [0, 1]);
  const bars: string[] = [];
  frame.slots.forEach((slot, index) => {
    let base = 0;
    const x0 = plot.x(slot.from) + 1;
    const width = Math.max(1, plot.x(slot.to) - plot.x(slot.from) - 2);
    for (const layer of frame.layers) {
      const value = layer.values[index] ?? 0;
      if (value <= 0) continue;
      const top = plot.y(base + value);
      bars.push(
        `<rect x="${num(x0)}" y="${num(top)}" width="${num(width)}" height="${num(plot.y(base) - top)}" fill="${layer.color}"><title>${escapeXml(`${layer.name}: ${(value * 100).toFixed(1)}% (${frame.xLabel(slot.from)}–${frame.xLabel(slot.to)})`)}</title></rect>`,
      );
      base += value;
    }
  });
  const bands = (frame.bands ?? []).map((band) => bandOutline(plot, band)).join('');
  return svg({ ...frame, logX: false }, plot, `${bars.join('')}${bands}`, legend(plot, frame.layers.map((layer) => ({ name: layer.name, color: layer.color }))));
}

interface Plot {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  x(value: number): number;
  y(value: number): number;
}

function plotArea(frame: ChartFrame, xDomain: readonly [number, number], yDomain: readonly [number, number]): Plot {
  const width = frame.width ?? 760;
  const height = frame.height ?? 300;
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const log = frame.logX === true;
  const fx = (value: number): number => (log ? Math.log10(Math.max(value, 1e-9)) : value);
  const [x0, x1] = [fx(xDomain[0]), fx(xDomain[1])];
  const [y0, y1] = yDomain;
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    x: (value) => left + ((fx(value) - x0) / (x1 - x0 || 1)) * (right - left),
    y: (value) => bottom - ((value - y0) / (y1 - y0 || 1)) * (bottom - top),
  };
}

function svg(frame: ChartFrame, plot: Plot, body: string, legendMarkup: string): string {
  const xTicks = frame.xTicks
    .map((tick) => {
      const x = num(plot.x(tick));
      return `<line x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${plot.bottom + 4}" stroke="#555"/><text x="${x}" y="${plot.bottom + 16}" text-anchor="middle">${escapeXml(frame.xLabel(tick))}</text>`;
    })
    .join('');
  const yTicks = frame.yTicks
    .map((tick) => {
      const y = num(plot.y(tick));
      return `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${plot.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(frame.yLabel(tick))}</text>`;
    })
    .join('');
  return (
    `<svg class="chart" viewBox="0 0 ${plot.width} ${plot.height}" width="${plot.width}" height="${plot.height}" role="img" aria-label="${escapeXml(frame.title)}" font-family="system-ui, sans-serif" font-size="11">` +
    `<text x="${plot.left}" y="16" font-size="13" font-weight="600">${escapeXml(frame.title)}</text>` +
    `${yTicks}${body}` +
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#555"/>${xTicks}${legendMarkup}</svg>`
  );
}

function legend(plot: Plot, entries: readonly { readonly name: string; readonly color: string }[]): string {
  let x = plot.left;
  const y = plot.height - 12;
  return entries
    .map((entry) => {
      const markup = `<rect x="${num(x)}" y="${y - 8}" width="10" height="10" fill="${entry.color}"/><text x="${num(x + 14)}" y="${y}">${escapeXml(entry.name)}</text>`;
      x += 24 + entry.name.length * 6.5;
      return markup;
    })
    .join('');
}

function bandRect(plot: Plot, band: ChartBand): string {
  const x0 = plot.x(band.from);
  const x1 = plot.x(band.to);
  return (
    `<rect x="${num(x0)}" y="${plot.top}" width="${num(Math.max(0, x1 - x0))}" height="${plot.bottom - plot.top}" fill="${band.color}" opacity="0.18"><title>${escapeXml(band.label)}</title></rect>` +
    `<text x="${num(x0 + 3)}" y="${plot.top + 11}" fill="#444">${escapeXml(band.label)}</text>`
  );
}

function bandOutline(plot: Plot, band: ChartBand): string {
  const x0 = plot.x(band.from);
  const x1 = plot.x(band.to);
  return (
    `<rect x="${num(x0)}" y="${plot.top - 14}" width="${num(Math.max(0, x1 - x0))}" height="10" fill="${band.color}" opacity="0.5"><title>${escapeXml(band.label)}</title></rect>` +
    `<text x="${num(x0 + 3)}" y="${plot.top - 6}" fill="#222" font-size="9">${escapeXml(band.label)}</text>`
  );
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}
