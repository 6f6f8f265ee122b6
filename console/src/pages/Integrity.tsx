import { useEffect, useState } from 'react';
import { Button, Label, ProgressBar } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql.ts';
import { dateTime } from '../format.ts';
import { ErrorNotice, Loading, ScrollArea } from '../ui.tsx';
import { ReceiptDialog } from './receipt.tsx';

const RunFields = graphql(`
  fragment RunFields on AuditVerificationRun @_unmask {
    id
    state
    origin
    startedAt
    finishedAt
    startedBy
    startedByName
    checked
    total
    checkpoints
    chainHead
    failure {
      entryId
      seq
      checkpointId
      problem
    }
    failures
  }
`);

const IntegrityQuery = graphql(
  `
    query ConsoleIntegrity {
      auditVerification {
        ...RunFields
      }
      disclosureCheckpoints(first: 5, newestFirst: true) {
        id
        keyId
        signedAt
        firstSeq
        lastSeq
        receipts
        statement
      }
      auditPublicKey {
        keyId
        algorithm
        publicKey
      }
    }
  `,
  [RunFields],
);

const RunQuery = graphql(
  `
    query ConsoleVerificationRun {
      auditVerification {
        ...RunFields
      }
    }
  `,
  [RunFields],
);

const StartMutation = graphql(
  `
    mutation ConsoleStartVerification {
      startAuditVerification {
        ...RunFields
      }
    }
  `,
  [RunFields],
);

type Run = ResultOf<typeof RunFields>;

/** How often a running verification is asked about. */
const POLL_MS = 1000;

function chainHeadOf(statement: string): string | undefined {
  try {
    return (JSON.parse(statement) as { chainHead?: string }).chainHead;
  } catch {
    return undefined;
  }
}

function RunView({ run, onOpenEntry }: { run: Run; onOpenEntry: (id: string) => void }) {
  const who = run.startedByName ? `${run.startedByName} (${run.startedBy})` : run.startedBy;
  const how = run.origin === 'CLI' ? 'npm run audit:verify' : 'the console or API';
  if (run.state === 'RUNNING') {
    return (
      <div className="progress">
        <ProgressBar value={run.checked} maxValue={Math.max(run.total, 1)} className="progress">
          {({ percentage }) => (
            <>
              <Label className="label">
                Verifying: {run.checked.toLocaleString('en-GB')} of {run.total.toLocaleString('en-GB')} sealed receipts checked
              </Label>
              <div className="progress-bar">
                <div className="progress-fill" style={{ width: `${percentage ?? 0}%` }} />
              </div>
            </>
          )}
        </ProgressBar>
        <p className="muted">
          Started {dateTime(run.startedAt)} by {who}, through {how}.
        </p>
      </div>
    );
  }
  return (
    <div
      className={`notice ${run.state === 'PASSED' ? 'notice-ok' : 'notice-error'}`}
      role={run.state === 'PASSED' ? 'status' : 'alert'}
    >
      <h3>
        {run.state === 'PASSED'
          ? 'Passed: the log is as it was sealed'
          : run.state === 'FAILED'
            ? 'Failed: the log is not as it was sealed'
            : 'Stopped before the end: this run says nothing about the log'}
      </h3>
      <p>
        Finished {dateTime(run.finishedAt)} (started by {who}, through {how}): {run.checked.toLocaleString('en-GB')} of{' '}
        {run.total.toLocaleString('en-GB')} sealed receipts checked
        {run.checkpoints !== null ? ` in ${run.checkpoints.toLocaleString('en-GB')} signed checkpoints` : ''}.
      </p>
      {run.chainHead ? (
        <p>
          Chain head: <code className="hash">{run.chainHead}</code>
        </p>
      ) : null}
      {run.failure ? (
        <dl className="facts">
          <dt>First problem</dt>
          <dd>{run.failure.problem}</dd>
          {run.failure.entryId ? (
            <>
              <dt>Log entry</dt>
              <dd>
                {run.failure.entryId}{' '}
                <Button className="button secondary small" onPress={() => onOpenEntry(run.failure?.entryId ?? '')}>
                  Open its receipt
                </Button>
              </dd>
            </>
          ) : null}
          {run.failure.seq ? (
            <>
              <dt>Chain position</dt>
              <dd>{run.failure.seq}</dd>
            </>
          ) : null}
          {run.failure.checkpointId !== null ? (
            <>
              <dt>Checkpoint</dt>
              <dd>{run.failure.checkpointId}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {run.failures.length > 1 ? (
        <ul>
          {run.failures.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function IntegrityPage() {
  const [result] = useQuery({ query: IntegrityQuery });
  const [run, setRun] = useState<Run | null | undefined>(undefined);
  const [latest, refetchRun] = useQuery({ query: RunQuery, pause: true });
  const [started, start] = useMutation(StartMutation);
  const [entry, setEntry] = useState<string | null>(null);

  useEffect(() => {
    if (result.data) setRun(result.data.auditVerification);
  }, [result.data]);
  useEffect(() => {
    if (latest.data) setRun(latest.data.auditVerification);
  }, [latest.data]);
  // While a run is under way, ask about it every second until it has finished.
  useEffect(() => {
    if (run?.state !== 'RUNNING') return;
    const timer = setTimeout(() => refetchRun({ requestPolicy: 'network-only' }), POLL_MS);
    return () => clearTimeout(timer);
  }, [run, refetchRun]);

  const verify = () => {
    void start({}).then((outcome) => {
      if (outcome.data) setRun(outcome.data.startAuditVerification);
    });
  };
  const data = result.data;
  return (
    <>
      <h1>Integrity</h1>
      <p className="lede">
        The log is hash-chained and sealed in batches, each batch signed as a checkpoint. Verification checks every sealed receipt
        against its hash and columns, every link and every signature, and the receipts counted when they were committed. Give the
        other agency the checkpoints and the public key to hold.
      </p>
      {result.error ? <ErrorNotice error={result.error} what="the log’s integrity" /> : null}
      {result.fetching && !data ? <Loading what="the log’s integrity" /> : null}
      {data ? (
        <>
          <section aria-labelledby="verification-title">
            <h2 id="verification-title">Verification</h2>
            {run ? <RunView run={run} onOpenEntry={setEntry} /> : <p className="muted">The log has not been verified yet.</p>}
            <div className="actions">
              <Button className="button" onPress={verify} isDisabled={started.fetching || run?.state === 'RUNNING'}>
                Verify the log now
              </Button>
            </div>
            {started.error ? <ErrorNotice error={started.error} what="a verification" /> : null}
            {latest.error ? <ErrorNotice error={latest.error} what="the verification’s progress" /> : null}
          </section>
          <section aria-labelledby="checkpoints-title">
            <h2 id="checkpoints-title">Latest signed checkpoints</h2>
            {data.disclosureCheckpoints.length === 0 ? (
              <p className="muted">No checkpoint has been signed yet: receipts wait to be sealed.</p>
            ) : (
              <ScrollArea label="Checkpoints, newest first">
                <table className="plain">
                  <thead>
                    <tr>
                      <th scope="col">Checkpoint</th>
                      <th scope="col">Signed</th>
                      <th scope="col">Receipts</th>
                      <th scope="col">Chain positions</th>
                      <th scope="col">Chain head</th>
                      <th scope="col">Key</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.disclosureCheckpoints.map((checkpoint) => (
                      <tr key={checkpoint.id}>
                        <th scope="row">{checkpoint.id}</th>
                        <td>{dateTime(checkpoint.signedAt)}</td>
                        <td>{checkpoint.receipts}</td>
                        <td>
                          {checkpoint.firstSeq}–{checkpoint.lastSeq}
                        </td>
                        <td>
                          <code className="hash">{chainHeadOf(checkpoint.statement) ?? '—'}</code>
                        </td>
                        <td>
                          <code>{checkpoint.keyId}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
            )}
          </section>
          <section aria-labelledby="key-title">
            <h2 id="key-title">Public key</h2>
            <p>
              Checkpoints are signed with {data.auditPublicKey.algorithm} key <code>{data.auditPublicKey.keyId}</code>:
            </p>
            <pre className="key" tabIndex={0} aria-label="Public key (PEM)">
              {data.auditPublicKey.publicKey}
            </pre>
          </section>
        </>
      ) : null}
      <ReceiptDialog entryId={entry} onClose={() => setEntry(null)} />
    </>
  );
}
