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

/** The children a search finds: only those with entries in the part of the log the caller may read. */
const ChildrenQuery = graphql(`
  query ConsoleAuditChildren($familyName: String, $givenName: String, $dateOfBirth: LocalDate, $caseReference: String) {
    auditChildren(familyName: $familyName, givenName: $givenName, dateOfBirth: $dateOfBirth, caseReference: $caseReference) {
      id
      givenName
      familyName
      dateOfBirth
    }
  }
`);

interface Search {
  familyName: string;
  givenName: string;
  dateOfBirth: string;
  caseReference: string;
}

const NO_SEARCH: Search = { familyName: '', givenName: '', dateOfBirth: '', caseReference: '' };

/** The search as the API takes it (blank fields left out), or why it is too wide to send. */
function searchVariables(
  search: Search,
): { familyName?: string; givenName?: string; dateOfBirth?: string; caseReference?: string } | string {
  const familyName = search.familyName.trim();
  const givenName = search.givenName.trim();
  const dateOfBirth = search.dateOfBirth.trim();
  const caseReference = search.caseReference.trim();
  if (caseReference && !familyName && !givenName && !dateOfBirth) return { caseReference };
  if (familyName && (givenName || dateOfBirth) && !caseReference) {
    return { familyName, ...(givenName ? { givenName } : {}), ...(dateOfBirth ? { dateOfBirth } : {}) };
  }
  if (caseReference) return 'Search by name or by case reference, not both.';
  return 'Enter the family name with the given name or date of birth, or a case reference.';
}

function ChildSearch({ onPick }: { onPick: (childId: string) => void }) {
  const [form, setForm] = useState<Search>(NO_SEARCH);
  const [wanted, setWanted] = useState<ReturnType<typeof searchVariables> | null>(null);
  const [result] = useQuery({
    query: ChildrenQuery,
    variables: typeof wanted === 'object' && wanted ? wanted : {},
    pause: typeof wanted !== 'object' || wanted === null,
  });
  const set = (key: keyof Search) => (value: string) => setForm((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setWanted(searchVariables(form));
  };
  const found = typeof wanted === 'object' && wanted ? result.data?.auditChildren : undefined;
  return (
    <section className="no-print" aria-labelledby="find-title">
      <h2 id="find-title">Find the child</h2>
      <Form className="filters compact" onSubmit={submit} aria-label="Find the child">
        <TextInput label="Family name" value={form.familyName} onChange={set('familyName')} />
        <TextInput label="Given name" value={form.givenName} onChange={set('givenName')} />
        <TextInput label="Date of birth" type="date" value={form.dateOfBirth} onChange={set('dateOfBirth')} />
        <TextInput
          label="Case reference"
          value={form.caseReference}
          onChange={set('caseReference')}
          description="Or, instead of the name, a case system's reference for the child."
        />
        <div className="actions">
          <Button type="submit" className="button">
            Find the child
          </Button>
        </div>
      </Form>
      {typeof wanted === 'string' ? (
        <p role="alert" className="notice notice-error">
          {wanted}
        </p>
      ) : null}
      {result.error ? <ErrorNotice error={result.error} what="the children" /> : null}
      {result.fetching ? <Loading what="the children" /> : null}
      {found ? (
        found.length === 0 ? (
          <p role="status">No child with entries you may read matches that.</p>
        ) : (
          <>
            <p role="status">
              {found.length === 1 ? '1 child matches' : `${found.length} children match`}: choose whose report to make.
            </p>
            <ul className="choices" aria-label="Children found">
              {found.map((child) => (
                <li key={child.id}>
                  <Button className="button secondary" onPress={() => onPick(child.id)}>
                    {child.givenName} {child.familyName}, born {date(child.dateOfBirth)}
                  </Button>{' '}
                  <code className="muted">{child.id}</code>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </section>
  );
}

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
      <ChildSearch
        onPick={(picked) => {
          setInput(picked);
          setProblem(null);
          navigate(pageHref('subject-access', { childId: picked }));
        }}
      />
      <Form className="filters compact no-print" onSubmit={submit} aria-label="Choose the child by Tandem id">
        <TextInput
          label="Child (Tandem id)"
          value={input}
          onChange={setInput}
          description="Or, if you have it, the child's Tandem id, as the log's entries show it."
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
