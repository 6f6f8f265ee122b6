import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  Button,
  Cell,
  Column,
  Dialog,
  FieldError,
  Form,
  Heading,
  Label,
  Modal,
  ModalOverlay,
  Radio,
  RadioGroup,
  Row,
  Switch,
  Table,
  TableBody,
  TableHeader,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql.ts';
import { dateTime, words } from '../format.ts';
import { pageHref } from '../router.tsx';
import { ErrorNotice, Loading, ScrollArea, SelectInput } from '../ui.tsx';
import { ANOMALY_KINDS, DISPOSITIONS, DISPOSITION_WORDS, options } from '../vocabulary.ts';
import { Link } from 'react-aria-components';

const AnomalyFields = graphql(`
  fragment AnomalyFields on DisclosureAnomaly @_unmask {
    id
    kind
    userSubject
    agency {
      code
      name
    }
    childId
    count
    detectedAt
    windowStart
    windowEnd
    firstEntryId
    disposition {
      disposition
      note
      recordedAt
      recordedBy
    }
  }
`);

const AnomaliesQuery = graphql(
  `
    query ConsoleAnomalies($kind: AnomalyKind, $undisposedOnly: Boolean, $after: String) {
      disclosureAnomalies(kind: $kind, undisposedOnly: $undisposedOnly, first: 25, after: $after) {
        edges {
          node {
            ...AnomalyFields
          }
        }
        pageInfo {
          endCursor
          hasNextPage
        }
      }
    }
  `,
  [AnomalyFields],
);

const DetectMutation = graphql(`
  mutation ConsoleDetectAnomalies {
    detectAnomalies
  }
`);

const DisposeMutation = graphql(
  `
    mutation ConsoleDisposeAnomaly($input: DisposeAnomalyInput!) {
      disposeAnomaly(input: $input) {
        ...AnomalyFields
      }
    }
  `,
  [AnomalyFields],
);

type Anomaly = ResultOf<typeof AnomalyFields>;
type Disposition = (typeof DISPOSITIONS)[number];

const KIND_WORDS: Record<(typeof ANOMALY_KINDS)[number], string> = {
  BREAK_GLASS: 'Break-glass read',
  BREAK_GLASS_REFUSED: 'Break-glass refused',
  AFTER_ALLOCATION_ENDED: 'After the allocation ended',
  MANY_CHILDREN: 'Many children',
  OUT_OF_HOURS_BULK: 'Out of hours, in bulk',
};

function kindWords(kind: string): string {
  return KIND_WORDS[kind as keyof typeof KIND_WORDS] ?? words(kind);
}

function DispositionDialog({ anomaly, onClose, onDone }: { anomaly: Anomaly | null; onClose: () => void; onDone: () => void }) {
  const [finding, setFinding] = useState<Disposition | ''>('');
  const [note, setNote] = useState('');
  const [result, dispose] = useMutation(DisposeMutation);
  const [saved, setSaved] = useState<Anomaly | null>(null);
  const shown = saved ?? anomaly;
  // Once recorded, the form is gone: focus moves to the decision, inside the dialog (Escape still closes it).
  const decision = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (saved) decision.current?.focus();
  }, [saved]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!anomaly || !finding || !note.trim()) return;
    const done = await dispose({ input: { anomalyId: anomaly.id, disposition: finding, note: note.trim() } });
    if (done.data) {
      setSaved(done.data.disposeAnomaly);
      onDone();
    }
  };
  const close = () => {
    setSaved(null);
    setFinding('');
    setNote('');
    onClose();
  };
  return (
    <ModalOverlay className="overlay" isDismissable isOpen={anomaly !== null} onOpenChange={(open) => (open ? null : close())}>
      <Modal className="modal">
        <Dialog className="dialog" aria-label="Anomaly">
          {shown ? (
            <>
              <div className="dialog-head">
                <Heading slot="title">{kindWords(shown.kind)}</Heading>
                <Button className="button secondary" slot="close">
                  Close
                </Button>
              </div>
              <dl className="facts">
                <dt>User</dt>
                <dd>
                  {shown.userSubject} ({shown.agency?.name ?? 'agency unknown'})
                </dd>
                <dt>Child</dt>
                <dd>{shown.childId ? <code>{shown.childId}</code> : 'several'}</dd>
                <dt>Window</dt>
                <dd>
                  {dateTime(shown.windowStart)} to {dateTime(shown.windowEnd)}
                </dd>
                <dt>Behind the flag</dt>
                <dd>
                  {shown.count}{' '}
                  {shown.kind === 'MANY_CHILDREN'
                    ? shown.count === 1
                      ? 'child'
                      : 'children'
                    : shown.count === 1
                      ? 'receipt'
                      : 'receipts'}
                  , from log entry {shown.firstEntryId}
                </dd>
                <dt>Flagged</dt>
                <dd>{dateTime(shown.detectedAt)}</dd>
              </dl>
              <p>
                <Link
                  className="link"
                  href={pageHref('disclosures', {
                    userSubject: shown.userSubject,
                    childId: shown.childId ?? undefined,
                    breakGlass: shown.kind === 'BREAK_GLASS' ? 'yes' : undefined,
                  })}
                >
                  Show this user’s entries in the log
                </Link>
              </p>
              <h3>Decision</h3>
              {shown.disposition ? (
                <p className="notice notice-ok" role="status" tabIndex={-1} ref={decision}>
                  {DISPOSITION_WORDS[shown.disposition.disposition]} — decided by {shown.disposition.recordedBy} on{' '}
                  {dateTime(shown.disposition.recordedAt)}: “{shown.disposition.note}”
                </p>
              ) : (
                <p className="muted">No decision yet.</p>
              )}
              {!saved ? (
                <Form className="stack" onSubmit={(event) => void submit(event)} aria-label="Record a finding">
                  <RadioGroup className="field" value={finding} onChange={(value) => setFinding(value as Disposition)} isRequired>
                    <Label className="label">{shown.disposition ? 'A new finding (supersedes the one above)' : 'Finding'}</Label>
                    {DISPOSITIONS.map((value) => (
                      <Radio key={value} value={value} className="radio">
                        {DISPOSITION_WORDS[value]}
                      </Radio>
                    ))}
                    <FieldError />
                  </RadioGroup>
                  <TextField className="field" value={note} onChange={setNote} isRequired maxLength={2000}>
                    <Label className="label">Why</Label>
                    <TextArea rows={3} />
                    <Text slot="description">
                      Recorded with your name; at most 2000 characters. Findings are never changed, only superseded.
                    </Text>
                    <FieldError />
                  </TextField>
                  {result.error ? <ErrorNotice error={result.error} what="the finding" /> : null}
                  <div className="actions">
                    <Button type="submit" className="button" isDisabled={result.fetching}>
                      Record the finding
                    </Button>
                  </div>
                </Form>
              ) : null}
            </>
          ) : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export function AnomaliesPage() {
  const [kind, setKind] = useState('');
  const [undisposedOnly, setUndisposedOnly] = useState(true);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<Anomaly | null>(null);
  const [result, refetch] = useQuery({
    query: AnomaliesQuery,
    variables: {
      kind: (kind || null) as (typeof ANOMALY_KINDS)[number] | null,
      undisposedOnly,
      after: cursors.at(-1) ?? null,
    },
  });
  const [detection, detect] = useMutation(DetectMutation);
  const edges = result.data?.disclosureAnomalies.edges ?? [];
  const pageInfo = result.data?.disclosureAnomalies.pageInfo;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <h1>Anomalies</h1>
      <p className="lede">
        Accesses flagged for review — break-glass reads and refusals, reads after an allocation ended, one user reading many
        children, bulk reading out of hours — as a work queue. Open one to record a finding.
      </p>
      <div className="filters compact">
        <SelectInput
          label="Kind"
          value={kind}
          onChange={(value) => {
            setKind(value);
            setCursors([null]);
          }}
          options={options(ANOMALY_KINDS, 'Every kind', kindWords)}
        />
        <Switch
          className="switch"
          isSelected={undisposedOnly}
          onChange={(value) => {
            setUndisposedOnly(value);
            setCursors([null]);
          }}
        >
          <span className="switch-track" aria-hidden="true" />
          Only those without a finding
        </Switch>
        <div className="actions">
          <Button
            className="button secondary"
            isDisabled={detection.fetching}
            onPress={() => {
              void detect({}).then(reload);
            }}
          >
            Look for new flags now
          </Button>
        </div>
      </div>
      {detection.data ? (
        <p role="status" className="muted">
          {detection.data.detectAnomalies} new {detection.data.detectAnomalies === 1 ? 'flag' : 'flags'} found.
        </p>
      ) : null}
      {detection.error ? <ErrorNotice error={detection.error} what="new flags" /> : null}
      {result.error ? <ErrorNotice error={result.error} what="the anomalies" /> : null}
      {result.fetching && !result.data ? <Loading what="the anomalies" /> : null}
      {result.data ? (
        <>
          <ScrollArea label="Flagged accesses">
            <Table
              aria-label="Flagged accesses"
              className="table"
              onRowAction={(key) => setOpen(edges.find((edge) => edge.node.id === key)?.node ?? null)}
            >
              <TableHeader>
                <Column isRowHeader>Flag</Column>
                <Column>User</Column>
                <Column>Agency</Column>
                <Column>Child</Column>
                <Column>Window</Column>
                <Column>Count</Column>
                <Column>Decision</Column>
              </TableHeader>
              <TableBody items={edges.map((edge) => edge.node)} renderEmptyState={() => 'Nothing waits for a decision.'}>
                {(node) => (
                  <Row id={node.id} className="row">
                    <Cell>
                      <Button className="link-button" onPress={() => setOpen(node)}>
                        {kindWords(node.kind)}
                      </Button>
                    </Cell>
                    <Cell>{node.userSubject}</Cell>
                    <Cell>{node.agency?.code ?? '—'}</Cell>
                    <Cell>{node.childId ? <code title={node.childId}>{node.childId.slice(-6)}</code> : 'several'}</Cell>
                    <Cell>{dateTime(node.windowStart)}</Cell>
                    <Cell>{node.count}</Cell>
                    <Cell>
                      {node.disposition
                        ? `${DISPOSITION_WORDS[node.disposition.disposition]} (${node.disposition.recordedBy})`
                        : 'Waiting'}
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
          </ScrollArea>
          <nav className="pager" aria-label="Pages of flags">
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
      <DispositionDialog anomaly={open} onClose={() => setOpen(null)} onDone={reload} />
    </>
  );
}
