import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { graphql } from '../graphql.ts';
import { dayOf, parseCsv, weekOf, words } from '../format.ts';
import { londonDayStart, londonToday } from '../time.ts';
import { ErrorNotice, Loading, ScrollArea, SelectInput } from '../ui.tsx';

/**
 * The most entries one chart counts: an export of at most this many, newest first (written into the
 * query: a variable limit is costed at the largest an export allows).
 */
const LIMIT = 5000;

const ExportQuery = graphql(`
  query ConsoleChartExport($filter: DisclosureFilter) {
    exportDisclosures(format: CSV, filter: $filter, limit: 5000) {
      rows
      truncated
      content
    }
  }
`);

/** Colours with at least 3:1 contrast against white, told apart by more than hue alone in the tables. */
const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#b58840', '#f47738', '#5694ca', '#912b88', '#28a197', '#505a5f'];

interface Row {
  readonly recordedAt: string;
  readonly purpose: string;
  readonly agency: string;
}

function rowsOf(content: string): Row[] {
  const [header = [], ...lines] = parseCsv(content);
  const at = (name: string) => header.indexOf(name);
  const [recordedAt, purpose, agency] = [at('recordedAt'), at('purpose'), at('agency')];
  return lines.map((line) => ({
    recordedAt: line[recordedAt] ?? '',
    purpose: line[purpose] || 'NONE',
    agency: line[agency] || 'unknown',
  }));
}

function days(from: string, count: number): string[] {
  const start = new Date(`${from}T12:00:00Z`);
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(start);
    day.setUTCDate(start.getUTCDate() + index);
    return day.toISOString().slice(0, 10);
  });
}

/** Counts per bucket and series: [{ bucket, seriesA: n, seriesB: m }, …], and the series in order of size. */
function tally(rows: readonly Row[], buckets: readonly string[], bucketOf: (row: Row) => string, seriesOf: (row: Row) => string) {
  const counts = new Map<string, Map<string, number>>(buckets.map((bucket) => [bucket, new Map()]));
  const totals = new Map<string, number>();
  for (const row of rows) {
    const bucket = counts.get(bucketOf(row));
    if (!bucket) continue;
    const series = seriesOf(row);
    bucket.set(series, (bucket.get(series) ?? 0) + 1);
    totals.set(series, (totals.get(series) ?? 0) + 1);
  }
  const series = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const data: Record<string, string | number>[] = buckets.map((bucket) => ({
    bucket,
    ...Object.fromEntries(counts.get(bucket) ?? []),
  }));
  return { data, series };
}

function Chart(props: {
  title: string;
  caption: string;
  data: Record<string, string | number>[];
  series: readonly string[];
  seriesLabel: (name: string) => string;
  bucketLabel: string;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <h2>{props.title}</h2>
        <p className="muted">{props.caption}</p>
      </figcaption>
      {/* The picture, for those who look; the same numbers follow as a table, for everyone. */}
      <div className="chart-area" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={props.data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" stroke="#b1b4b6" />
            <XAxis dataKey="bucket" tick={{ fill: '#0b0c0c', fontSize: 12 }} tickFormatter={(value: string) => value.slice(5)} />
            <YAxis allowDecimals={false} tick={{ fill: '#0b0c0c', fontSize: 12 }} />
            <Tooltip />
            <Legend formatter={(value: string) => <span style={{ color: '#0b0c0c' }}>{props.seriesLabel(value)}</span>} />
            {props.series.map((name, index) => (
              <Bar
                key={name}
                dataKey={name}
                name={name}
                stackId="all"
                fill={COLOURS[index % COLOURS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details>
        <summary>The numbers as a table</summary>
        <ScrollArea label={`${props.title}: the numbers`}>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{props.bucketLabel}</th>
                {props.series.map((name) => (
                  <th scope="col" key={name}>
                    {props.seriesLabel(name)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.data
                .filter((row) => props.series.some((name) => row[name]))
                .map((row) => (
                  <tr key={String(row.bucket)}>
                    <th scope="row">{row.bucket}</th>
                    {props.series.map((name) => (
                      <td key={name}>{row[name] ?? 0}</td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </ScrollArea>
      </details>
    </figure>
  );
}

/** How honest a chart is about what it counted: an export holds the newest entries up to its limit. */
function coverage(rows: number, truncated: boolean, what: string): string {
  return truncated
    ? `Counted from the newest ${rows.toLocaleString('en-GB')} ${what} only: more matched than one export holds, so earlier days are undercounted.`
    : `All ${rows.toLocaleString('en-GB')} ${what} in the period that you may read.`;
}

export function OverviewPage() {
  const [span, setSpan] = useState('30');
  const dayCount = Number(span);
  const firstDay = londonToday(-(dayCount - 1));
  const from = londonDayStart(firstDay);
  const weeksFirstDay = weekOf(londonToday(-7 * 11));
  const [disclosures] = useQuery({
    query: ExportQuery,
    variables: { filter: { entryKind: 'DISCLOSURE', from } },
  });
  const [breakGlass] = useQuery({
    query: ExportQuery,
    variables: { filter: { entryKind: 'DISCLOSURE', breakGlass: true, from: londonDayStart(weeksFirstDay) } },
  });

  const perDay = useMemo(() => {
    const file = disclosures.data?.exportDisclosures;
    if (!file) return null;
    const rows = rowsOf(file.content);
    const buckets = days(firstDay, dayCount);
    return {
      file,
      byPurpose: tally(
        rows,
        buckets,
        (row) => dayOf(row.recordedAt),
        (row) => row.purpose,
      ),
      byAgency: tally(
        rows,
        buckets,
        (row) => dayOf(row.recordedAt),
        (row) => row.agency,
      ),
    };
  }, [disclosures.data, firstDay, dayCount]);
  const perWeek = useMemo(() => {
    const file = breakGlass.data?.exportDisclosures;
    if (!file) return null;
    const weeks = Array.from({ length: 12 }, (_, index) => weekOf(days(weeksFirstDay, 12 * 7)[index * 7] ?? weeksFirstDay));
    return {
      file,
      chart: tally(
        rowsOf(file.content),
        weeks,
        (row) => weekOf(dayOf(row.recordedAt)),
        () => 'breakGlass',
      ),
    };
  }, [breakGlass.data, weeksFirstDay]);

  return (
    <>
      <h1>Overview</h1>
      <p className="lede">
        Disclosures (receipts for data that left the gateway) counted from the log, in Europe/London days. Each chart is drawn
        from one export of at most {LIMIT.toLocaleString('en-GB')} entries, and says when that left any out.
      </p>
      <div className="filters compact">
        <SelectInput
          label="Period"
          value={span}
          onChange={(value) => setSpan(value || '30')}
          options={[
            { id: '7', label: 'Last 7 days' },
            { id: '30', label: 'Last 30 days' },
            { id: '90', label: 'Last 90 days' },
          ]}
        />
      </div>
      {disclosures.error ? <ErrorNotice error={disclosures.error} what="the disclosure counts" /> : null}
      {disclosures.fetching && !perDay ? <Loading what="the disclosure counts" /> : null}
      {perDay ? (
        <div className="charts">
          <Chart
            title="Disclosures per day by purpose"
            caption={coverage(perDay.file.rows, perDay.file.truncated, 'disclosures')}
            data={perDay.byPurpose.data}
            series={perDay.byPurpose.series}
            seriesLabel={words}
            bucketLabel="Day"
          />
          <Chart
            title="Disclosures per day by recipient agency"
            caption={coverage(perDay.file.rows, perDay.file.truncated, 'disclosures')}
            data={perDay.byAgency.data}
            series={perDay.byAgency.series}
            seriesLabel={(code) => code}
            bucketLabel="Day"
          />
        </div>
      ) : null}
      {breakGlass.error ? <ErrorNotice error={breakGlass.error} what="the break-glass counts" /> : null}
      {perWeek ? (
        <Chart
          title="Break-glass disclosures per week (last 12 weeks)"
          caption={coverage(perWeek.file.rows, perWeek.file.truncated, 'break-glass disclosures')}
          data={perWeek.chart.data}
          series={perWeek.chart.series.length > 0 ? perWeek.chart.series : ['breakGlass']}
          seriesLabel={() => 'Break-glass'}
          bucketLabel="Week starting"
        />
      ) : null}
    </>
  );
}
