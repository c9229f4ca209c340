// Reading /metrics' text (Prometheus exposition format) in tests.

/** A series' value: the line that starts with `series` (its name and labels as written) and a space. */
export function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
