import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql.ts';
import { dateTime, words } from '../format.ts';
import { Definition, ErrorNotice, Loading, ScrollArea } from '../ui.tsx';

/** Everything a receipt says, as the auditors' API gives it: field names, never content. */
export const ReceiptFields = graphql(`
  fragment ReceiptFields on DisclosureEntry @_unmask {
    id
    recordedAt
    entryKind
    outcome
    channel
    childId
    purpose
    breakGlass
    justification
    afterAllocationEnded
    lookup
    operationName
    operationHash
    correlationId
    disclosedFields
    recipient {
      name
      subject
      roles
      caseSystem
      actor
      agency {
        code
        name
      }
    }
    subject {
      kind
      id
      version
      owningAgency {
        code
        name
      }
    }
    withheld {
      field
      reason
      rule
    }
    bases {
      sensitivityClass
      rule
      lawfulBasis
      agreementId
      agreementVersion
      clause
      permissionKind
      permissionId
      permissionReference
    }
    alteration {
      action
      versionBefore
      versionAfter
    }
    seal {
      seq
      checkpointId
    }
  }
`);

export type Receipt = ResultOf<typeof ReceiptFields>;

/** One receipt, read when it is opened (itself a logged auditor query). */
const ReceiptQuery = graphql(
  `
    query ConsoleReceipt($id: ID!) {
      disclosureEntry(id: $id) {
        ...ReceiptFields
      }
    }
  `,
  [ReceiptFields],
);

/** The receipt of a log entry, by its id (null: closed). */
export function ReceiptDialog({ entryId, onClose }: { entryId: string | null; onClose: () => void }) {
  const [result] = useQuery({ query: ReceiptQuery, variables: { id: entryId ?? '' }, pause: entryId === null });
  const receipt = entryId !== null && result.data?.disclosureEntry?.id === entryId ? result.data.disclosureEntry : null;
  return (
    <ModalOverlay className="overlay" isDismissable isOpen={entryId !== null} onOpenChange={(open) => (open ? null : onClose())}>
      <Modal className="modal">
        <Dialog className="dialog" aria-label="Receipt">
          <div className="dialog-head">
            <Heading slot="title">Receipt {entryId}</Heading>
            <Button className="button secondary" slot="close">
              Close
            </Button>
          </div>
          {result.error ? <ErrorNotice error={result.error} what="the receipt" /> : null}
          {result.fetching ? <Loading what="the receipt" /> : null}
          {result.data && !result.data.disclosureEntry ? <p role="status">There is no such entry that you may read.</p> : null}
          {receipt ? (
            <>
              <p className="muted">
                {words(receipt.entryKind)} · {words(receipt.outcome)} · {dateTime(receipt.recordedAt)}
              </p>
              {receipt.breakGlass ? (
                <p className="badge badge-alert">
                  Break-glass (emergency) access{receipt.justification ? `: “${receipt.justification}”` : ''}
                </p>
              ) : null}
              <dl className="facts">
                <Definition term="Recipient">
                  {receipt.recipient.name} ({receipt.recipient.subject}) · {receipt.recipient.roles.map(words).join(', ')}
                </Definition>
                <Definition term="Agency and case system">
                  {receipt.recipient.agency?.name ?? '—'} · {receipt.recipient.caseSystem}
                  {receipt.recipient.actor ? ` (acting for them: ${receipt.recipient.actor})` : ''}
                </Definition>
                <Definition term="Purpose">{words(receipt.purpose)}</Definition>
                <Definition term="What">
                  {receipt.subject
                    ? `${words(receipt.subject.kind)} ${receipt.subject.id}${receipt.subject.version ? ` v${receipt.subject.version}` : ''}${receipt.subject.owningAgency ? `, owned by ${receipt.subject.owningAgency.name}` : ''}`
                    : (receipt.lookup ?? '—')}
                </Definition>
                <Definition term="Child">{receipt.childId ?? '—'}</Definition>
                {receipt.alteration ? (
                  <Definition term="Change">
                    {receipt.alteration.action}: version {receipt.alteration.versionBefore ?? '—'} →{' '}
                    {receipt.alteration.versionAfter ?? '—'}
                  </Definition>
                ) : null}
                {receipt.afterAllocationEnded ? (
                  <Definition term="Allocation">Allowed only by the grace period after the allocation ended</Definition>
                ) : null}
                <Definition term="Operation">
                  {receipt.channel} · {receipt.operationName ?? 'unnamed'}
                </Definition>
                <Definition term="Correlation id">
                  <code>{receipt.correlationId}</code>
                </Definition>
                <Definition term="Chain position">
                  {receipt.seal
                    ? `Sequence number ${receipt.seal.seq} · sealed by checkpoint ${receipt.seal.checkpointId}`
                    : 'Not sealed yet: it waits for the next checkpoint'}
                </Definition>
              </dl>

              <h3>Fields disclosed ({receipt.disclosedFields.length})</h3>
              {receipt.disclosedFields.length > 0 ? (
                <ul className="fields">
                  {receipt.disclosedFields.map((field) => (
                    <li key={field}>
                      <code>{field}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}

              <h3>Fields withheld ({receipt.withheld.length})</h3>
              {receipt.withheld.length > 0 ? (
                <ScrollArea label="Fields withheld">
                  <table className="plain">
                    <thead>
                      <tr>
                        <th scope="col">Field</th>
                        <th scope="col">Reason</th>
                        <th scope="col">Rule</th>
                      </tr>
                    </thead>
                    <tbody>
                      {receipt.withheld.map((item) => (
                        <tr key={item.field}>
                          <td>
                            <code>{item.field}</code>
                          </td>
                          <td>{item.reason}</td>
                          <td>{item.rule}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollArea>
              ) : (
                <p className="muted">None.</p>
              )}

              <h3>Basis for each class disclosed</h3>
              {receipt.bases.length > 0 ? (
                <ScrollArea label="Basis for each class disclosed">
                  <table className="plain">
                    <thead>
                      <tr>
                        <th scope="col">Class</th>
                        <th scope="col">Rule</th>
                        <th scope="col">Lawful basis</th>
                        <th scope="col">Agreement and clause</th>
                        <th scope="col">Permission relied on</th>
                      </tr>
                    </thead>
                    <tbody>
                      {receipt.bases.map((basis) => (
                        <tr key={`${basis.sensitivityClass}-${basis.rule}`}>
                          <td>{words(basis.sensitivityClass)}</td>
                          <td>{basis.rule}</td>
                          <td>{basis.lawfulBasis ?? '—'}</td>
                          <td>
                            {basis.agreementId
                              ? `${basis.agreementId}${basis.agreementVersion ? ` v${basis.agreementVersion}` : ''}${basis.clause ? `, ${basis.clause}` : ''}`
                              : '—'}
                          </td>
                          <td>
                            {basis.permissionKind
                              ? `${words(basis.permissionKind)}${basis.permissionReference ? ` (${basis.permissionReference})` : ''}`
                              : '—'}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollArea>
              ) : (
                <p className="muted">No class was disclosed.</p>
              )}
            </>
          ) : null}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
