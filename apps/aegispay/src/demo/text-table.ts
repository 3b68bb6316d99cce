/** Column alignment of {@link renderTable}. */
export type Align = 'left' | 'right';

/** A plain-text table: a header row, a rule, the rows; columns padded to their widest cell. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], indent = '  '): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((cell, column) => (align[column] === 'right' ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), indent + widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** `0.9134` → `"91.3%"`; `null` → `"–"`. */
export function percent(value: number | null, digits = 1): string {
  return value === null ? '–' : `${(value * 100).toFixed(digits)}%`;
}

/** Virtual ms → `"43.2s"`, or `"3m24s"` from a minute on. */
export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}

/** `1234567` → `"1 234 567"`. */
export function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
