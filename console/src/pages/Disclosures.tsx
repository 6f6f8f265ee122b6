import { useMemo, useState, type FormEvent } from 'react';
import { Button, Cell, Column, Form, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { useQuery } from 'urql';
import { graphql, type VariablesOf } from '../graphql.ts';
import { dateTime, words } from '../format.ts';
import { useRouter } from '../router.tsx';
import { londonDayStart } from '../time.ts';
import { ErrorNotice, Loading, ScrollArea, SelectInput, TextInput } from '../ui.tsx';
import { ENTRY_KINDS, OUTCOMES, PURPOSES, options } from '../vocabulary.ts';
import { ReceiptDialog } from './receipt.tsx';

/**
 * Rows per page, written into the query (`first: 25`): the gateway costs a variable page size at its
 * largest (100) against GRAPHQL_MAX_COST. A row holds what the table shows; the receipt is read
 * when it is opened.
 */
const PAGE_SIZE = 25;

const DisclosuresQuery = graphql(`
  query ConsoleDisclosures($filter: DisclosureFilter, $after: String) {
    disclosures(filter: $filter, first: 25, after: $after) {
      edges {
        cursor
        node {
          id
          recordedAt
          entryKind
          outcome
          childId
          purpose
          breakGlass
          recipient {
            name
            agency {
              code
            }
          }
          subject {
            kind
          }
          disclosedFields
          withheld {
            field
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const AgenciesQuery = graphql(`
  query ConsoleAgencies {
    agencies {
      code
      name
    }
  }
`);

type Filter = NonNullable<VariablesOf<typeof DisclosuresQuery>['filter']>;

/** The filter form's fields, as the URL's query string carries them. */
const FIELDS = [
  'childId',
  'userSubject',
  'agency',
  'purpose',
  'outcome',
  'entryKind',
  'breakGlass',
  'from',
  'to',
  'recordId',
] as const;
type Form = Record<(typeof FIELDS)[number], string>;

function formFrom(search: URLSearchParams): Form {
  return Object.fromEntries(FIELDS.map((field) => [field, search.get(field) ?? ''])) as Form;
}

function filterOf(form: Form): Filter {
  const text = (value: string) => value.trim() || undefined;
  return {
    childId: text(form.childId),
    userSubject: text(form.userSubject),
    agency: text(form.agency),
    purpose: text(form.purpose),
    outcome: (text(form.outcome) as Filter['outcome']) ?? undefined,
    entryKind: (text(form.entryKind) as Filter['entryKind']) ?? undefined,
    breakGlass: form.breakGlass === 'yes' ? true : form.breakGlass === 'no' ? false : undefined,
    from: form.from ? londonDayStart(form.from) : undefined,
    to: form.to ? londonDayStart(form.to, 1) : undefined,
    recordId: text(form.recordId),
  };
}

export function DisclosuresPage() {
  const { location, navigate } = useRouter();
  const applied = useMemo(() => formFrom(location.search), [location.search]);
  const [form, setForm] = useState<Form>(applied);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<string | null>(null);
  const filter = useMemo(() => filterOf(applied), [applied]);
  const after = cursors.at(-1) ?? null;
  const [result] = useQuery({ query: DisclosuresQuery, variables: { filter, after } });
  const [agencies] = useQuery({ query: AgenciesQuery });

  const set = (field: keyof Form) => (value: string) => setForm((current) => ({ ...current, [field]: value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const search = new URLSearchParams(Object.entries(form).filter(([, value]) => value.trim() !== ''));
    setCursors([null]);
    navigate(`/console/disclosures${search.size > 0 ? `?${search.toString()}` : ''}`);
  };
  const clear = () => {
    setForm(formFrom(new URLSearchParams()));
    setCursors([null]);
    navigate('/console/disclosures');
  };

  const edges = result.data?.disclosures.edges ?? [];
  const pageInfo = result.data?.disclosures.pageInfo;
  const agencyOptions = options(
    (agencies.data?.agencies ?? []).map((agency) => agency.code),
    'Any agency',
    (code) => agencies.data?.agencies.find((agency) => agency.code === code)?.name ?? code,
  );

  return (
    <>
      <h1>Disclosures</h1>
      <p className="lede">
        Every receipt in the log you may read, newest first. Select a row to open its receipt: the fields that left, those
        withheld and why, and the basis for each.
      </p>
      <Form className="filters" onSubmit={apply} aria-label="Filter the log">
        <TextInput label="Child (Tandem id)" value={form.childId} onChange={set('childId')} />
        <TextInput label="User (token subject)" value={form.userSubject} onChange={set('userSubject')} />
        <SelectInput label="Recipient agency" value={form.agency} onChange={set('agency')} options={agencyOptions} />
        <SelectInput label="Purpose" value={form.purpose} onChange={set('purpose')} options={options(PURPOSES, 'Any purpose')} />
        <SelectInput label="Outcome" value={form.outcome} onChange={set('outcome')} options={options(OUTCOMES, 'Any outcome')} />
        <SelectInput
          label="Kind of entry"
          value={form.entryKind}
          onChange={set('entryKind')}
          options={options(ENTRY_KINDS, 'Any kind')}
        />
        <SelectInput
          label="Break-glass"
          value={form.breakGlass}
          onChange={set('breakGlass')}
          options={[
            { id: '', label: 'Either' },
            { id: 'yes', label: 'Only break-glass' },
            { id: 'no', label: 'No break-glass' },
          ]}
        />
        <TextInput label="From (day)" type="date" value={form.from} onChange={set('from')} />
        <TextInput label="To (day, inclusive)" type="date" value={form.to} onChange={set('to')} />
        <TextInput label="Record (Tandem id)" value={form.recordId} onChange={set('recordId')} />
        <div className="actions">
          <Button type="submit" className="button">
            Search the log
          </Button>
          <Button className="button secondary" onPress={clear}>
            Clear
          </Button>
        </div>
      </Form>

      {result.error ? <ErrorNotice error={result.error} what="the disclosure log" /> : null}
      {result.fetching && !result.data ? <Loading what="the log" /> : null}
      {result.data ? (
        <>
          <p role="status" className="muted">
            Page {cursors.length} ({PAGE_SIZE} a page): {edges.length} {edges.length === 1 ? 'entry' : 'entries'}
            {pageInfo?.hasNextPage ? ', more follow' : ''}.
          </p>
          <ScrollArea label="Disclosure log entries">
            <Table aria-label="Disclosure log entries" className="table" onRowAction={(key) => setOpen(String(key))}>
              <TableHeader>
                <Column isRowHeader>When</Column>
                <Column>Recipient</Column>
                <Column>Agency</Column>
                <Column>Purpose</Column>
                <Column>Outcome</Column>
                <Column>What</Column>
                <Column>Child</Column>
                <Column>Fields</Column>
              </TableHeader>
              <TableBody items={edges.map((edge) => edge.node)} renderEmptyState={() => 'No entry matches.'}>
                {(node) => (
                  <Row id={node.id} className={node.breakGlass ? 'row break-glass' : 'row'}>
                    <Cell>
                      {/* A real button too, so Enter opens the receipt wherever the keyboard is in the row. */}
                      <Button
                        className="link-button"
                        aria-label={`Receipt of ${dateTime(node.recordedAt)}`}
                        onPress={() => setOpen(node.id)}
                      >
                        {dateTime(node.recordedAt)}
                      </Button>
                    </Cell>
                    <Cell>{node.recipient.name}</Cell>
                    <Cell>{node.recipient.agency?.code ?? '—'}</Cell>
                    <Cell>
                      {words(node.purpose)}
                      {node.breakGlass ? <span className="badge badge-alert"> break-glass</span> : null}
                    </Cell>
                    <Cell>{words(node.outcome)}</Cell>
                    <Cell>{node.subject ? words(node.subject.kind) : words(node.entryKind)}</Cell>
                    <Cell>{node.childId ? <code title={node.childId}>{node.childId.slice(-6)}</code> : '—'}</Cell>
                    <Cell>
                      {node.disclosedFields.length} disclosed, {node.withheld.length} withheld
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
          </ScrollArea>
          <nav className="pager" aria-label="Pages of the log">
            <Button
              className="button secondary"
              isDisabled={cursors.length <= 1}
              onPress={() => setCursors((stack) => stack.slice(0, -1))}
            >
              Newer
            </Button>
            <Button
              className="button secondary"
              isDisabled={!pageInfo?.hasNextPage}
              onPress={() => setCursors((stack) => [...stack, pageInfo?.endCursor ?? null])}
            >
              Older
            </Button>
          </nav>
        </>
      ) : null}
      <ReceiptDialog entryId={open} onClose={() => setOpen(null)} />
    </>
  );
}
