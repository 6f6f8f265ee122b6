import { useMemo, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql.ts';
import { csv, date, dateTime, download, words } from '../format.ts';
import { pageHref, useRouter } from '../router.tsx';
import { ErrorNotice, Loading, ScrollArea, TextInput } from '../ui.tsx';

const ReportQuery = graphql(`
  query ConsoleSubjectAccess($childId: ID!) {
    subjectAccessReport(childId: $childId) {
      childId
      generatedAt
      total
      truncated
      entries {
        recordedAt
        recipientAgency
        recipientRole
        purpose
        what
        fields
        lawfulBases
        exemption
        thirdPartyReview
      }
    }
  }
`);

type Report = ResultOf<typeof ReportQuery>['subjectAccessReport'];
type Entry = Report['entries'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function countBy<T>(items: readonly T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function recipient(entry: Entry): string {
  if (!entry.recipientAgency) return `Not named (${entry.exemption ?? 'exempt'})`;
  return `${entry.recipientAgency} — ${entry.recipientRole ? entry.recipientRole.split(', ').map(words).join(', ') : 'role not named'}`;
}

function reportCsv(report: Report): string {
  return csv(
    [
      'recordedAt',
      'recipientAgency',
      'recipientRole',
      'purpose',
      'what',
      'fields',
      'lawfulBases',
      'exemption',
      'thirdPartyReview',
    ],
    report.entries.map((entry) => [
      entry.recordedAt,
      entry.recipientAgency ?? '',
      entry.recipientRole ?? '',
      entry.purpose ?? '',
      entry.what,
      entry.fields.join(';'),
      entry.lawfulBases.join(';'),
      entry.exemption ?? '',
      String(entry.thirdPartyReview),
    ]),
  );
}

function ReportView({ report }: { report: Report }) {
  const byRecipient = useMemo(() => countBy(report.entries, recipient), [report]);
  const byPurpose = useMemo(() => countBy(report.entries, (entry) => words(entry.purpose)), [report]);
  const review = report.entries.filter((entry) => entry.thirdPartyReview).length;
  const newest = report.entries[0]?.recordedAt;
  const oldest = report.entries.at(-1)?.recordedAt;
  return (
    <article className="report" aria-labelledby="report-title">
      <h2 id="report-title">Subject access report</h2>
      <dl className="facts">
        <dt>Child (Tandem id)</dt>
        <dd>
          <code>{report.childId}</code>
        </dd>
        <dt>Made</dt>
        <dd>{dateTime(report.generatedAt)}</dd>
        <dt>Disclosures</dt>
        <dd>
          {report.total} in the log
          {report.truncated ? `; this report shows the newest ${report.entries.length} (use the export for all)` : ''}
        </dd>
        <dt>Period</dt>
        <dd>{newest ? `${date(oldest)} to ${date(newest)}` : '—'}</dd>
      </dl>
      {review > 0 ? (
        <p className="notice notice-warning">
          {review} {review === 1 ? 'entry includes' : 'entries include'} information supplied by a third party: review before
          release (DPA 2018 Sch 2 para 16).
        </p>
      ) : null}
      <div className="summary">
        <section aria-labelledby="recipients-title">
          <h3 id="recipients-title">Recipients by agency and role</h3>
          <ul>
            {byRecipient.map(([name, count]) => (
              <li key={name}>
                {name}: {count}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="purposes-title">
          <h3 id="purposes-title">Purposes</h3>
          <ul>
            {byPurpose.map(([name, count]) => (
              <li key={name}>
                {name}: {count}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <h3>Each disclosure</h3>
      <ScrollArea label="Each disclosure">
        <table className="plain report-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Recipient</th>
              <th scope="col">Purpose</th>
              <th scope="col">What</th>
              <th scope="col">Fields</th>
              <th scope="col">Lawful basis</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {report.entries.map((entry, index) => (
              <tr key={`${entry.recordedAt}-${index}`}>
                <td>{dateTime(entry.recordedAt)}</td>
                <td>{recipient(entry)}</td>
                <td>{words(entry.purpose)}</td>
                <td>{words(entry.what)}</td>
                <td className="field-list">{entry.fields.join(', ')}</td>
                <td>{entry.lawfulBases.join('; ') || '—'}</td>
                <td>
                  {[entry.exemption, entry.thirdPartyReview ? 'Third-party information: review before release' : null]
                    .filter(Boolean)
                    .join('. ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </article>
  );
}

export function SubjectAccessPage() {
  const { location, navigate } = useRouter();
  const childId = location.search.get('childId') ?? '';
  const [input, setInput] = useState(childId);
  const [problem, setProblem] = useState<string | null>(null);
  const [result] = useQuery({ query: ReportQuery, variables: { childId }, pause: !UUID.test(childId) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wanted = input.trim();
    if (!UUID.test(wanted)) {
      setProblem('Enter the child’s Tandem id (a UUID, as the log and the case systems show it).');
      return;
    }
    setProblem(null);
    navigate(pageHref('subject-access', { childId: wanted }));
  };
  const report = result.data?.subjectAccessReport;
  return (
    <>
      <h1>Subject access</h1>
      <p className="lede no-print">
        Who received what about a child, when and why (UK GDPR Art 15(1)(c)): recipients by agency and role, purposes and dates.
        Print it, or download it as CSV.
      </p>
      <Form className="filters compact no-print" onSubmit={submit} aria-label="Choose the child">
        <TextInput
          label="Child (Tandem id)"
          value={input}
          onChange={setInput}
          description="The auditors' API finds a child by Tandem id; the log's entries and the case systems show it."
        />
        <div className="actions">
          <Button type="submit" className="button">
            Make the report
          </Button>
        </div>
      </Form>
      {problem ? (
        <p role="alert" className="notice notice-error">
          {problem}
        </p>
      ) : null}
      {result.error ? <ErrorNotice error={result.error} what="the subject access report" /> : null}
      {result.fetching && !report ? <Loading what="the report" /> : null}
      {report ? (
        <>
          <div className="actions no-print">
            <Button className="button" onPress={() => window.print()}>
              Print
            </Button>
            <Button
              className="button secondary"
              onPress={() => download(`subject-access-${report.childId}.csv`, 'text/csv', reportCsv(report))}
            >
              Download CSV
            </Button>
          </div>
          <ReportView report={report} />
        </>
      ) : null}
    </>
  );
}
